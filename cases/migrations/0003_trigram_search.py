"""pg_trgm and trigram indexes for search and duplicate detection, on PostgreSQL only.

SQLite has neither; the selectors fall back to plain matching there.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class PostgresOnlyTrigramExtension(TrigramExtension):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


INDEXES = [
    ("cases_case", "case_search_trgm"),
    ("cases_report", "report_search_trgm"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]

    operations = [
        PostgresOnlyTrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
