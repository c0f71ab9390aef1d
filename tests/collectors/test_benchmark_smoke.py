"""`benchmarks/collectors.py` at toy scale: it seeds, pulls every source through a real
worker against the fake, and prints its figures (the numbers themselves are not checked)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_the_collectors_benchmark_runs_at_toy_scale():
    env = {
        **os.environ,
        "BENCH_CHANNELS": "4",
        "BENCH_POSTS_PER_CHANNEL": "2",
        "BENCH_LATENCY_MS": "10",
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
    }
    result = subprocess.run(
        [sys.executable, "benchmarks/collectors.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "4 YouTube sources, 8 posts, 4 pulls queued, 0 failed" in result.stdout
    assert "requests 8 at 10 ms" in result.stdout
    assert "ratio" in result.stdout and "the bucket allows" in result.stdout
