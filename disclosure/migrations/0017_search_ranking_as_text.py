"""SearchDocument.ranking becomes text (" t:教育 s:公开 "): the rank of a walked or counted row is
a substring search per token, which costs several times less than a containment test on the
array (measured in bench/: a rank test fell from about 1.2 µs to nearly nothing per row).

SQLite already stored the tokens as that string; PostgreSQL converts its text[] in place."""

from django.db import migrations, models


def to_text(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE disclosure_searchdocument ALTER COLUMN ranking TYPE text USING "
            "CASE WHEN cardinality(ranking) > 0 THEN ' ' || array_to_string(ranking, ' ') || ' ' "
            "ELSE '' END"
        )


def to_array(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE disclosure_searchdocument ALTER COLUMN ranking TYPE text[] USING "
            "string_to_array(btrim(ranking), ' ')"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0016_document_change_previous_validity"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="searchdocument",
                    name="ranking",
                    field=models.TextField(default="", verbose_name="排序词元"),
                ),
            ],
            database_operations=[migrations.RunPython(to_text, to_array)],
        ),
    ]
