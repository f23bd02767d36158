"""A message's event history is append-only in the database itself (portal/append_only.py)."""

from django.db import migrations

from portal import append_only


class Migration(migrations.Migration):
    dependencies = [("interaction", "0001_initial")]

    operations = [append_only.operation("interaction_messageevent")]
