"""The marks ~1024 and ~4096 on the index rows that exist (search/index.py `sample_marks`): only
rows carrying ~256 can get them, one in 256, so this touches few rows and needs no rewrite."""

from django.db import migrations

NEW_MARKS = ("~1024", "~4096")


def add_marks(apps, schema_editor):
    from disclosure.search.index import sample_marks

    SearchDocument = apps.get_model("disclosure", "SearchDocument")
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT entry_id FROM disclosure_searchdocument WHERE tokens @> '{~256}'::text[]"
            )
            ids = [entry_id for (entry_id,) in cursor.fetchall()]
            for entry_id in ids:
                marks = [mark for mark in sample_marks(entry_id) if mark in NEW_MARKS]
                if marks:
                    cursor.execute(
                        "UPDATE disclosure_searchdocument SET tokens = tokens || %s::text[] "
                        "WHERE entry_id = %s AND NOT tokens @> %s::text[]",
                        [marks, entry_id, marks],
                    )
        return
    for document in SearchDocument.objects.filter(tokens__contains=" ~256 ").only("tokens"):
        marks = [mark for mark in sample_marks(document.pk) if mark in NEW_MARKS]
        missing = [mark for mark in marks if f" {mark} " not in document.tokens]
        if missing:
            document.tokens = document.tokens.rstrip() + " " + " ".join(missing) + " "
            document.save(update_fields=["tokens"])


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0014_entry_public_changed_indexes"),
    ]

    operations = [migrations.RunPython(add_marks, migrations.RunPython.noop)]
