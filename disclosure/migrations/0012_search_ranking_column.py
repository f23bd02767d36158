"""The title's and summary's tokens in a column of their own (SearchDocument.ranking), filled from
the index rows that exist: ranking a row no longer scans its whole token array."""

from django.db import migrations

import disclosure.models


def fill(apps, schema_editor):
    SearchDocument = apps.get_model("disclosure", "SearchDocument")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE disclosure_searchdocument SET ranking = ARRAY("
            "SELECT token FROM unnest(tokens) AS token "
            "WHERE left(token, 2) IN ('t:', 's:'))"
        )
        return
    batch = []
    for document in SearchDocument.objects.only("pk", "tokens").iterator(2000):
        kept = [t for t in document.tokens.split() if t.startswith(("t:", "s:"))]
        document.ranking = " " + " ".join(kept) + " " if kept else ""
        batch.append(document)
        if len(batch) >= 2000:
            SearchDocument.objects.bulk_update(batch, ["ranking"])
            batch = []
    SearchDocument.objects.bulk_update(batch, ["ranking"])


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0011_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="ranking",
            field=disclosure.models.SearchTokensField(default="", verbose_name="排序词元"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
