"""An entry's event history cannot be rewritten (portal/append_only.py). A draft entry may still be
deleted with its history: only the rows of a kept entry are fixed."""

from django.db import migrations

from portal import append_only


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0007_attachment_named_storage")]

    operations = [append_only.operation("disclosure_entryevent", allow_delete=True)]
