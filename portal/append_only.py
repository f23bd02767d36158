"""Append-only audit tables: `AppendOnlyModel` guards the ORM's front door (save() of an existing
row, delete() of an instance), and database triggers keep the rows whatever the code path (a bulk
update, a shell, a future bug).

On PostgreSQL a row can be neither changed nor deleted (TRUNCATE, used only to empty a whole
database for a restore or a test run, is not affected). SQLite, for development, refuses changes
only: Django empties its tables with DELETE.
"""

from django.db import models


class AppendOnlyModel(models.Model):
    """Rows are added, never changed; nor deleted unless `append_only_allow_delete` (history of
    a draft that may itself be deleted). Mirror the flag in the table's trigger migration."""

    append_only_allow_delete = False

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError(f"{self._meta.verbose_name}只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not self.append_only_allow_delete:
            raise ValueError(f"{self._meta.verbose_name}只能追加，不能删除。")
        return super().delete(*args, **kwargs)


PG_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% 只能追加记录，不能修改或删除', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$ LANGUAGE plpgsql
"""


def forward_sql(vendor: str, table: str, allow_delete: bool = False) -> list[str]:
    if vendor == "postgresql":
        events = "UPDATE" if allow_delete else "UPDATE OR DELETE"
        return [
            PG_FUNCTION,
            f"CREATE TRIGGER {table}_append_only BEFORE {events} ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION portal_append_only()",
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} 只能追加记录，不能修改'); END"
        ]
    return []


def backward_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_append_only"]
    return []


def operation(table: str, allow_delete: bool = False):
    """A migration operation installing the trigger on `table` for the database in use."""
    from django.db import migrations

    def run(schema_editor, statements):
        for sql in statements:
            schema_editor.execute(sql, None)  # no parameters: the function's SQL holds a literal %

    def forward(apps, schema_editor):
        run(schema_editor, forward_sql(schema_editor.connection.vendor, table, allow_delete))

    def backward(apps, schema_editor):
        run(schema_editor, backward_sql(schema_editor.connection.vendor, table))

    return migrations.RunPython(forward, backward)


def reinstall(table: str, allow_delete: bool = False):
    """After a schema change of `table`: SQLite rebuilds a table to alter it, and the copy has no
    trigger. Drop whatever is left and install the trigger again (on any database)."""
    from django.db import migrations

    def forward(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in backward_sql(vendor, table) + forward_sql(vendor, table, allow_delete):
            schema_editor.execute(sql, None)

    return migrations.RunPython(forward, migrations.RunPython.noop)
