"""Indexes that keep the directory's cost flat as the membership grows.

- ``(search_text, id)``: the directory's order, so a page (even page 200)
  is read from the index rather than by sorting every member.
- on PostgreSQL, a trigram GIN index on the folded ``search_text``: the
  search's ``LIKE '%word%'`` (every word, accents and case folded by
  ``members.text.fold``) is answered from it. The embedded SQLite has no
  pg_trgm; there the search stays a plain ``contains``.
"""

from django.db import migrations, models


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("members", "0003_logo_stored_by_type")]

    operations = [
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(fields=["search_text", "id"], name="organisation_directory_order"),
        ),
        migrations.RunPython(
            _on_postgresql(
                "CREATE EXTENSION IF NOT EXISTS pg_trgm; "
                "CREATE INDEX IF NOT EXISTS organisation_search_trgm "
                "ON members_organisation USING gin (search_text gin_trgm_ops)"
            ),
            _on_postgresql("DROP INDEX IF EXISTS organisation_search_trgm"),
        ),
    ]
