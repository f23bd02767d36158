"""PostgreSQL: the search document becomes a GIN-indexed text[] (see disclosure/search.py).

Computing string_to_array() for each row made a broad query (e.g. 政务, in a quarter of all
entries) cost a second on 100,000 entries and led the planner to a sequential scan; a real array
column is rechecked cheaply. SQLite keeps the space-separated text, so its schema is unchanged.
"""

from django.db import migrations

import disclosure.models

FORWARD = [
    "DROP INDEX IF EXISTS entry_search_tokens_gin",
    "ALTER TABLE disclosure_entry ALTER COLUMN search_document TYPE text[] "
    "USING string_to_array(btrim(search_document), ' ')",
    "CREATE INDEX entry_search_tokens_gin ON disclosure_entry USING gin (search_document)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS entry_search_tokens_gin",
    "ALTER TABLE disclosure_entry ALTER COLUMN search_document TYPE text "
    "USING ' ' || array_to_string(search_document, ' ') || ' '",
    "CREATE INDEX entry_search_tokens_gin ON disclosure_entry "
    "USING gin (string_to_array(search_document, ' '))",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0003_search_gin_index")]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="entry",
                    name="search_document",
                    field=disclosure.models.SearchTokensField(
                        blank=True, editable=False, verbose_name="检索词元"
                    ),
                )
            ],
            database_operations=[migrations.RunPython(forward, backward)],
        )
    ]
