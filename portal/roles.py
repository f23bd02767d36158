"""What each unit role may do: `ROLE_PERMISSIONS`, read by `portal.permissions` for every check.

A role grants its permissions only in the unit of the membership (单位管理员: and its descendants).
Each role also has a Django group of the same name, kept in step with a user's memberships
(`sync_user_groups`): the groups only label staff in the user admin and grant nothing themselves
(`portal.permissions.UnitRoleBackend` ignores them). Later apps add their permissions here.
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
        "disclosure.add_documentchange",
        "disclosure.change_documentchange",
        "disclosure.delete_documentchange",
        "disclosure.view_documentchange",
        "guides.add_serviceguide",
        "guides.change_serviceguide",
        "guides.view_serviceguide",
        "guides.add_guidematerial",
        "guides.change_guidematerial",
        "guides.delete_guidematerial",
        "guides.view_guidematerial",
        "guides.add_guidestep",
        "guides.change_guidestep",
        "guides.delete_guidestep",
        "guides.view_guidestep",
        "guides.view_guideevent",
    ],
    Role.REVIEWER: [
        "portal.view_publishingunit",
        "disclosure.view_category",
        "disclosure.change_entry",
        "disclosure.view_entry",
        "disclosure.view_attachment",
        "disclosure.review_entry",
        "disclosure.view_documentchange",
        "guides.change_serviceguide",
        "guides.view_serviceguide",
        "guides.review_serviceguide",
        "guides.view_guidematerial",
        "guides.view_guidestep",
        "guides.view_guideevent",
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
}

# 单位管理员: everything the other three roles may do, plus running the unit (its details, people,
# calendar, annual reports, complaints and the personal-data access log).
UNIT_ADMIN_ONLY = [
    "portal.change_publishingunit",
    "portal.view_unitmembership",
    "portal.view_calendarday",
    "reports.add_annualreport",
    "reports.change_annualreport",
    "reports.view_annualreport",
    "applications.change_complaint",
    "applications.view_personaldataaccess",
    # The unit's documents: letterhead, 文号, remedies and the templates of its 告知书.
    "applications.add_documentsettings",
    "applications.change_documentsettings",
    "applications.view_documentsettings",
    "applications.add_lettertemplate",
    "applications.view_lettertemplate",
    # The unit's self-check (compliance/): its score and what to fix.
    "compliance.view_snapshot",
]
ROLE_PERMISSIONS[Role.UNIT_ADMIN] = list(
    dict.fromkeys(
        [
            *ROLE_PERMISSIONS[Role.PUBLISHER],
            *ROLE_PERMISSIONS[Role.REVIEWER],
            *ROLE_PERMISSIONS[Role.HANDLER],
            *UNIT_ADMIN_ONLY,
        ]
    )
)


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


def sync_user_groups(user) -> None:
    """Put `user` in exactly the role groups of their memberships (other groups are left alone)."""
    from django.contrib.auth.models import Group

    from portal.models import UnitMembership

    held = set(UnitMembership.objects.filter(user=user).values_list("role", flat=True))
    role_groups = {group_name(role): role for role in Role.values}
    current = set(user.groups.filter(name__in=role_groups).values_list("name", flat=True))
    wanted = {group_name(role) for role in held}
    if current - wanted:
        user.groups.remove(*Group.objects.filter(name__in=current - wanted))
    for name in wanted - current:
        group, _ = Group.objects.get_or_create(name=name)
        user.groups.add(group)
