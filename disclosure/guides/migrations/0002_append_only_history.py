"""A guide's event history cannot be rewritten (portal/append_only.py); a draft guide may still be
deleted with its history."""

from django.db import migrations

from portal import append_only


class Migration(migrations.Migration):
    dependencies = [("guides", "0001_initial")]

    operations = [append_only.operation("guides_guideevent", allow_delete=True)]
