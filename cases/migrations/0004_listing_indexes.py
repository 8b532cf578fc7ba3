"""Public lists and search at national scale.

The lists read a page from partial indexes in their own order (urgency, publication,
id), so a page costs the same at any size; search gets a full-text GIN index on the
exact expression `cases.search` filters on (PostgreSQL only, like the trigram ones).
"""

from django.db import migrations, models

FTS_INDEX = "case_search_fts"


def create_fts_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {FTS_INDEX} ON cases_case "
        "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, ''::text)))"
    )


def drop_fts_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {FTS_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_trigram_search")]

    operations = [
        migrations.RemoveIndex(model_name="case", name="case_public_list"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status__in", ["open", "in_progress"])),
                fields=["-urgency", "-published_at", "-id"],
                name="case_listing",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status__in", ["open", "in_progress"])),
                fields=["region", "-urgency", "-published_at", "-id"],
                name="case_listing_region",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status__in", ["open", "in_progress", "resolved"])),
                fields=["charity", "-published_at", "-id"],
                name="case_charity_public",
            ),
        ),
        migrations.RunPython(create_fts_index, drop_fts_index),
    ]
