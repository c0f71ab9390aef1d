"""Shared set-up for benchmarks: a scratch database, migrated, and a timer."""

import os
import statistics
import time
from collections.abc import Callable

import django


def setup_django() -> None:
    """Point Django at a scratch copy of DATABASE_URL's server (…_bench) and migrate it."""
    import environ

    url = os.environ["DATABASE_URL"]
    config = environ.Env.db_url_config(url)
    bench_name = f"{config['NAME']}_bench"
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + bench_name
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    _recreate_database(config, bench_name)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _recreate_database(config: dict, name: str) -> None:
    import psycopg2
    from psycopg2 import sql

    params = {
        "dbname": "postgres",
        "user": config["USER"],
        "password": config["PASSWORD"],
        "host": config["HOST"],
        "port": config["PORT"] or None,
    }
    conn = psycopg2.connect(**{k: v for k, v in params.items() if v})
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()


def measure(label: str, func: Callable[[], object], *, repeat: int = 30) -> None:
    func()  # warm up
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"{label:<48} median {statistics.median(timings):7.1f} ms   p95 {p95:7.1f} ms"
        f"   ({repeat} runs)",
        flush=True,
    )
