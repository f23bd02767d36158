"""PostgreSQL only: a GIN index over the bigram search document (see disclosure/search.py).

The expression must stay identical to the one in search.filter_queryset, or the planner will not
use the index. SQLite has no GIN indexes and searches with LIKE instead.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS entry_search_tokens_gin ON disclosure_entry "
    "USING gin (string_to_array(search_document, ' '))"
)
DROP = "DROP INDEX IF EXISTS entry_search_tokens_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0002_seed_categories")]
    operations = [migrations.RunPython(create_index, drop_index)]
