"""Indexes for the audit log's filters and date hierarchy on Django's own django_admin_log table.

The table belongs to django.contrib.admin, whose model cannot take Meta.indexes from here; the
audit log is kept for years (等保), so its list must not scan it whole.
"""

from django.db import migrations

INDEXES = {
    "admin_log_time_idx": "action_time",
    "admin_log_flag_time_idx": "action_flag, action_time",
    "admin_log_type_time_idx": "content_type_id, action_time",
}


class Migration(migrations.Migration):
    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("portal", "0003_outbound_email"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON django_admin_log ({columns})",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, columns in INDEXES.items()
    ]
