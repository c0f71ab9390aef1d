"""Shared set-up for benchmarks: a scratch database, migrated, and a timer."""

import os
import statistics
import time
from collections.abc import Callable

import django


def setup_django(*, recreate: bool = True, suffix: str = "bench") -> None:
    """Point Django at a scratch database on DATABASE_URL's server (…_bench, or
    …_<suffix> for a benchmark that keeps its own), migrated.

    With recreate=False the database of the previous run is used as it is."""
    import environ

    url = os.environ["DATABASE_URL"]
    config = environ.Env.db_url_config(url)
    bench_name = f"{config['NAME']}_{suffix}"
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + bench_name
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    if recreate:
        _recreate_database(config, bench_name)
    django.setup()
    from django.core.management import call_command

    if recreate:
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


def copy_instances(model, objects: list) -> int:
    """Insert unsaved model instances with one COPY (no ids come back: use it for leaves).

    Values go through each field's own conversion, so defaults, JSON and arrays are
    stored exactly as the ORM would store them.
    """
    import csv
    import io
    import json

    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for obj in objects:
        row = []
        for field in fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = field.pre_save(obj, add=True)
            else:
                value = getattr(obj, field.attname)
            row.append(_copy_value(field.get_db_prep_save(value, connection), json))
        writer.writerow(row)
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) "
            "FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            buffer,
        )
    return len(objects)


def _copy_value(value, json) -> str:
    if value is None:
        return "\\N"
    if hasattr(value, "adapted"):  # psycopg2's Json wrapper
        return json.dumps(value.adapted)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | tuple):
        items = ('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in value)
        return "{" + ",".join(items) + "}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
