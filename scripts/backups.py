#!/usr/bin/env python3
"""Back up and restore everything the app keeps: `scripts/backup` and `scripts/restore`.

    scripts/backup [--to DIR]      # DIR/partnerships-<UTC time>/ (DIR defaults to ./backups)
    scripts/restore BACKUP_DIR     # into DATABASE_URL (created if missing) and MEDIA_ROOT

A backup folder holds `database.dump` (`pg_dump --format=custom`: every table, the
terms PDFs included, plus the triggers that freeze proposed terms), `media.tar.gz`
when MEDIA_ROOT has files, and `SHA256SUMS`. Restoring checks the sums, then runs
`pg_restore --clean --if-exists` in one transaction (a failed restore changes
nothing) and unpacks the media. Only the standard library and the PostgreSQL client
tools (pg_dump, pg_restore, psql from PATH, the same major version as the server or
newer) are needed, so it runs on any machine that can reach the database.
"""

import argparse
import datetime
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DUMP, MEDIA, SUMS = "database.dump", "media.tar.gz", "SHA256SUMS"
# django-environ's spellings of a Postgres URL; libpq knows only postgres(ql)://.
SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}


def fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


def database_url(name: str | None = None) -> str:
    url = os.environ.get("DATABASE_URL") or fail("DATABASE_URL is not set")
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        fail(f"DATABASE_URL is not a PostgreSQL URL ({parts.scheme}://)")
    parts = parts._replace(scheme="postgresql")
    return urlunsplit(parts._replace(path=f"/{name}") if name else parts)


def database_name() -> str:
    return urlsplit(database_url()).path.lstrip("/")


def media_root() -> Path:
    return Path(os.environ.get("MEDIA_ROOT") or ROOT / "media")


def tool(name: str) -> str:
    return shutil.which(name) or fail(f"{name} not found on PATH (install the PostgreSQL client)")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def run(*command: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"{Path(command[0]).name} failed:\n{result.stderr.strip()}")


def backup(to: Path) -> Path:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = to / f"partnerships-{stamp}"
    folder.mkdir(parents=True)
    run(tool("pg_dump"), "--format=custom", f"--file={folder / DUMP}", "--dbname", database_url())
    media = media_root()
    if media.is_dir() and any(path.is_file() for path in media.rglob("*")):
        with tarfile.open(folder / MEDIA, "w:gz") as archive:
            archive.add(media, arcname=".")
    files = sorted(path for path in folder.iterdir() if path.name != SUMS)
    (folder / SUMS).write_text("".join(f"{sha256(p)}  {p.name}\n" for p in files))
    print(f"Backed up to {folder}")
    return folder


def verify(folder: Path) -> None:
    sums = folder / SUMS
    if not sums.is_file():
        fail(f"{sums} is missing: not a backup folder")
    for line in sums.read_text().splitlines():
        expected, name = line.split(maxsplit=1)
        if not (folder / name).is_file() or sha256(folder / name) != expected:
            fail(f"{folder / name} is missing or damaged (SHA-256 differs from {SUMS})")


def create_database_if_missing() -> None:
    name = database_name()
    psql = [tool("psql"), "--no-psqlrc", "--quiet", "-v", "ON_ERROR_STOP=1", "-v", f"db={name}"]
    script = (
        "SELECT format('CREATE DATABASE %I', :'db') "
        "WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \\gexec\n"
    )
    result = subprocess.run(
        [*psql, "--dbname", database_url("postgres")], input=script, capture_output=True, text=True
    )
    if result.returncode != 0:
        fail(f"could not create database {name}:\n{result.stderr.strip()}")


def restore(folder: Path) -> None:
    verify(folder)
    create_database_if_missing()
    run(
        tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        "--dbname",
        database_url(),
        str(folder / DUMP),
    )
    if (folder / MEDIA).is_file():
        media = media_root()
        media.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / MEDIA) as archive:
            archive.extractall(media, filter="data")  # no absolute paths, no ../, no devices
    print(f"Restored {folder} into database {database_name()}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="dump the database and the media files")
    make.add_argument("--to", type=Path, default=ROOT / "backups", help="folder for backups")
    back = commands.add_parser("restore", help="restore a backup folder")
    back.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.command == "backup":
        backup(args.to)
    else:
        restore(args.folder)


if __name__ == "__main__":
    main(sys.argv[1:])
