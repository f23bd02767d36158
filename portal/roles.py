"""Role groups: each unit role is a Django group holding the model permissions it needs.

Membership in a unit (UnitMembership) puts the user in the role's group; the unit scope itself is
enforced by `portal.admin_scoping.UnitScopedAdmin`. Later apps add their permissions here.
"""

from django.contrib.auth.management import create_permissions

from portal.models import Role

# Permission codenames per role, as "app_label.codename". Missing ones (an app not migrated yet)
# are skipped and attached on the next migrate.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.PUBLISHER: [
        "portal.view_publishingunit",
        "disclosure.view_category",
        "disclosure.add_entry",
        "disclosure.change_entry",
        "disclosure.view_entry",
        "disclosure.add_attachment",
        "disclosure.change_attachment",
        "disclosure.delete_attachment",
        "disclosure.view_attachment",
    ],
    Role.REVIEWER: [
        "portal.view_publishingunit",
        "disclosure.view_category",
        "disclosure.change_entry",
        "disclosure.view_entry",
        "disclosure.view_attachment",
        "disclosure.review_entry",
    ],
    Role.HANDLER: [
        "portal.view_publishingunit",
        "applications.add_request",
        "applications.change_request",
        "applications.view_request",
        "applications.view_requestevent",
        "applications.add_appeal",
        "applications.change_appeal",
        "applications.view_appeal",
        "applications.view_complaint",
        "applications.view_personal_data",
    ],
    Role.UNIT_ADMIN: [
        "portal.view_publishingunit",
        "portal.change_publishingunit",
        "portal.view_unitmembership",
        "portal.view_calendarday",
        # The catalog's categories are one tree for every unit: only superusers change them.
        "disclosure.view_category",
        "disclosure.add_entry",
        "disclosure.change_entry",
        "disclosure.view_entry",
        "disclosure.review_entry",
        "disclosure.add_attachment",
        "disclosure.change_attachment",
        "disclosure.delete_attachment",
        "disclosure.view_attachment",
        "reports.add_annualreport",
        "reports.change_annualreport",
        "reports.view_annualreport",
        "applications.add_request",
        "applications.change_request",
        "applications.view_request",
        "applications.view_requestevent",
        "applications.add_appeal",
        "applications.change_appeal",
        "applications.view_appeal",
        "applications.view_complaint",
        "applications.change_complaint",
        "applications.view_personal_data",
        "applications.view_personaldataaccess",
        # The unit's documents: letterhead, 文号, remedies and the templates of its 告知书.
        "applications.add_documentsettings",
        "applications.change_documentsettings",
        "applications.view_documentsettings",
    ],
}


def group_name(role: str) -> str:
    return Role(role).label


def sync_role_groups(apps=None) -> None:
    """Create the four role groups and give each exactly the permissions listed above."""
    from django.apps import apps as global_apps

    apps = apps or global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name(role))
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)


def sync_role_groups_after_migrate(sender, **kwargs):
    """post_migrate runs app by app; create every app's permissions first so none is missed."""
    if sender.name != "portal":
        return
    from django.apps import apps as global_apps

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=kwargs.get("using", "default"))
    sync_role_groups()
