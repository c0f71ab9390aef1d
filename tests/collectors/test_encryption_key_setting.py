"""Without FIELD_ENCRYPTION_KEY the app refuses to start, unless DEBUG gives it a dev key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(**extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"FIELD_ENCRYPTION_KEY", "DEBUG"}}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", **extra})
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_the_key():
    result = run_check(DEBUG="false")
    assert result.returncode != 0
    assert "Set FIELD_ENCRYPTION_KEY" in result.stderr


def test_debug_gets_a_development_key():
    assert run_check(DEBUG="true").returncode == 0


def test_a_malformed_key_fails_the_system_check_without_echoing_it():
    result = run_check(DEBUG="false", FIELD_ENCRYPTION_KEY="not-a-fernet-key-s3cr3t")
    assert result.returncode != 0
    assert "collectors.E001" in result.stderr
    assert "s3cr3t" not in result.stderr + result.stdout
