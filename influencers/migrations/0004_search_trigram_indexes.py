"""Trigram indexes for the roster's "contains" search (name, email, channel handle).

pg_trgm ships with Postgres's contrib package, which every managed Postgres has, but the
embedded server `make run` starts (pgserver) does not. Where the extension cannot be
installed the indexes are left out: search works the same, only by scanning.
"""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations

INDEXES = [
    (
        "channel",
        django.contrib.postgres.indexes.GinIndex(
            django.contrib.postgres.indexes.OpClass(
                django.db.models.functions.text.Upper("handle"), name="gin_trgm_ops"
            ),
            name="channel_handle_trgm",
        ),
    ),
    (
        "influencer",
        django.contrib.postgres.indexes.GinIndex(
            django.contrib.postgres.indexes.OpClass(
                django.db.models.functions.text.Upper("name"), name="gin_trgm_ops"
            ),
            name="influencer_name_trgm",
        ),
    ),
    (
        "influencer",
        django.contrib.postgres.indexes.GinIndex(
            django.contrib.postgres.indexes.OpClass(
                django.db.models.functions.text.Upper("email"), name="gin_trgm_ops"
            ),
            name="influencer_email_trgm",
        ),
    ),
]


def add_indexes(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for model_name, index in INDEXES:
        schema_editor.add_index(apps.get_model("influencers", model_name), index)


def remove_indexes(apps, schema_editor):
    for _model_name, index in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(index.name)}")


class Migration(migrations.Migration):
    dependencies = [
        ("influencers", "0003_bounds_and_single_line_text"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(model_name=model_name, index=index)
                for model_name, index in INDEXES
            ],
            database_operations=[migrations.RunPython(add_indexes, remove_indexes)],
        ),
    ]
