"""The restore drill (issue 11: "Backups you can restore"): seed a scratch database,
back it up with scripts/backup, drop the database, restore it with scripts/restore,
and the app serves the same data: row counts per table, the frozen terms version's
SHA-256, its stored PDF and its acceptance."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from partnerships.models import Acceptance, TermsPdf, TermsVersion
from partnerships.terms import pdfs
from partnerships.terms import services as terms_services
from tests.factories import ChannelFactory, UserFactory, make_partnership

ROOT = Path(__file__).resolve().parents[2]
MISSING = [name for name in ("pg_dump", "pg_restore", "psql") if shutil.which(name) is None]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        bool(MISSING),
        reason=f"PostgreSQL client tools not on PATH: {', '.join(MISSING)} "
        "(apt-get install -y postgresql-client)",
    ),
]


def use_database(name: str) -> None:
    connection.close()
    connection.settings_dict["NAME"] = name


def drop_database(name: str) -> None:
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_url(name: str) -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT'] or 5432}/{name}"


def script(name: str, *args: str, env: dict) -> str:
    result = subprocess.run(
        [str(ROOT / "scripts" / name), *args],
        cwd=ROOT,
        env={**env, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(autouse=True)
def render_at_proposal(settings):
    settings.TERMS_PDF_AT_PROPOSAL = True


def seed() -> dict:
    marketer = UserFactory(email="owner@brand.test", role="admin")
    influencer = UserFactory(email="ina@inbox.test", role="influencer")
    partnership = make_partnership(by=marketer, channel=ChannelFactory(influencer__user=influencer))
    version = terms_services.terms_propose(version=partnership.versions.get(), by=marketer)
    acceptance = terms_services.terms_accept(
        version=version, by=influencer, ip="203.0.113.9", user_agent="drill"
    )
    stored = pdfs.terms_pdf_get_or_render(version=version, language="en")
    return {
        "partnership": partnership.pk,
        "version": (version.pk, version.sha256, version.content),
        "acceptance": (acceptance.pk, acceptance.sha256, acceptance.ip_address),
        "pdf": (stored.pk, stored.sha256, bytes(stored.pdf)),
        "marketer": marketer.pk,
    }


def snapshot() -> dict:
    """Row counts of every table, and what the drill checks row by row."""
    tables = sorted(connection.introspection.table_names())
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - our own names
            counts[table] = cursor.fetchone()[0]
    version = TermsVersion.objects.get(proposed_at__isnull=False)
    acceptance = Acceptance.objects.get()
    stored = TermsPdf.objects.get(language="en", accepted=True)
    return {
        "counts": counts,
        "version": (version.pk, version.sha256, version.content),
        "acceptance": (acceptance.pk, acceptance.sha256, acceptance.ip_address),
        "pdf": (stored.pk, stored.sha256, bytes(stored.pdf)),
    }


def test_backup_drop_restore_and_the_app_serves_the_same_data(
    django_db_setup, django_db_blocker, tmp_path
):
    test_database = connection.settings_dict["NAME"]
    scratch = f"{test_database}_drill"
    media = tmp_path / "media"
    (media / "contracts").mkdir(parents=True)
    (media / "contracts" / "signed.txt").write_text("a file someone uploaded\n")
    env = {**os.environ, "DATABASE_URL": database_url(scratch), "MEDIA_ROOT": str(media)}

    with django_db_blocker.unblock():
        try:
            drop_database(scratch)
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{scratch}"')
            use_database(scratch)
            call_command("migrate", verbosity=0)
            seeded = seed()
            before = snapshot()
            assert before["version"] == seeded["version"]
            assert before["acceptance"][2] == "203.0.113.9"
            # The tasks queued at proposal and acceptance ran (eagerly): two languages, two states.
            assert before["counts"]["partnerships_termspdf"] == 4
            use_database(test_database)

            script("backup", "--to", str(tmp_path / "backups"), env=env)
            (folder,) = (tmp_path / "backups").iterdir()
            assert {path.name for path in folder.iterdir()} == {
                "database.dump",
                "media.tar.gz",
                "SHA256SUMS",
            }
            drop_database(scratch)
            shutil.rmtree(media)

            script("restore", str(folder), env=env)

            use_database(scratch)
            after = snapshot()
            assert after["counts"] == before["counts"]
            assert after["version"] == before["version"]
            assert after["acceptance"] == before["acceptance"]
            assert after["pdf"] == before["pdf"]
            assert (media / "contracts" / "signed.txt").read_text() == "a file someone uploaded\n"
            assert_app_serves(seeded)
            assert_terms_still_frozen(seeded["version"][0])
        finally:
            use_database(test_database)
            drop_database(scratch)


def assert_app_serves(seeded: dict) -> None:
    client = Client()
    client.force_login(UserFactory._meta.model.objects.get(pk=seeded["marketer"]))
    number_1 = [seeded["partnership"], 1]
    page = client.get(reverse("partnerships:terms_document", args=number_1))
    assert page.status_code == 200
    assert seeded["version"][1] in page.content.decode()
    pdf = client.get(reverse("partnerships:terms_pdf", args=number_1))
    assert pdf.status_code == 200
    assert pdf["ETag"] == f'"{seeded["pdf"][1]}"'
    assert pdf.content == seeded["pdf"][2]


def assert_terms_still_frozen(version_pk: int) -> None:
    """The restore brought back the triggers too, not only the rows."""
    with pytest.raises(DatabaseError), transaction.atomic():
        TermsVersion.objects.filter(pk=version_pk).update(number=99)


def test_restore_refuses_a_damaged_backup(tmp_path):
    folder = tmp_path / "partnerships-20260101T000000Z"
    folder.mkdir()
    (folder / "database.dump").write_bytes(b"not what was dumped")
    (folder / "SHA256SUMS").write_text(f"{'0' * 64}  database.dump\n")
    result = subprocess.run(
        [str(ROOT / "scripts" / "restore"), str(folder)],
        env={**os.environ, "PYTHON": sys.executable, "DATABASE_URL": "postgres://nobody@x/none"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "damaged" in result.stderr
