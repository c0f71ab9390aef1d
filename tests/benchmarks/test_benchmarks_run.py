"""The benchmarks of /r/<code> and of the records store still run (at toy scale: their
figures are read by people, never asserted here; only the exact click count is)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def run(script: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, f"benchmarks/{script}", "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def test_the_redirect_and_records_benchmarks_run_at_toy_scale(tmp_path):
    db = connection.settings_dict
    name = f"{db['NAME']}_smoke"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{name}"
        ),
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    try:
        if shutil.which("wrk"):  # Debian's wrk drives the redirect benchmark
            redirect = run("redirect.py", env)
            assert "clicks exact in every turn" in redirect
        records = run("records.py", env)
        assert "records_upsert" in records and "portal partnership (KPI progress)" in records
        assert "retention: folded" in records
    finally:
        admin = psycopg2.connect(
            dbname="postgres", user=db["USER"], password=db.get("PASSWORD") or None,
            host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
        )  # fmt: skip
        admin.autocommit = True
        with admin.cursor() as cursor:
            for suffix in ("bench_redirect", "bench_records"):
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}_{suffix}" WITH (FORCE)')
        admin.close()
