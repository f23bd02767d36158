from django.db import migrations

ROLE_GROUPS = ["信息发布员", "审核员", "申请办理员", "单位管理员"]


def create_groups(apps, schema_editor):
    # The groups exist from the first migrate; their permissions are (re)attached after every
    # migrate by portal.roles.sync_role_groups, once every app's permissions exist.
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
