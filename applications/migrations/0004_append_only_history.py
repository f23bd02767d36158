"""The event history of a request and the log of who opened personal data cannot be rewritten:
triggers in the database (portal/append_only.py)."""

from django.db import migrations

from portal import append_only


class Migration(migrations.Migration):
    dependencies = [("applications", "0003_list_filter_indexes")]

    operations = [
        append_only.operation("applications_requestevent"),
        append_only.operation("applications_personaldataaccess"),
    ]
