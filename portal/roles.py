"""What each unit role may do: `ROLE_PERMISSIONS`, read by `portal.permissions` for every check.

A role grants its permissions only in the unit of the membership (单位管理员: and its descendants).
Each role also has a Django group of the same name, kept in step with a user's memberships
(`sync_user_groups`): the groups only label staff in the user admin and grant nothing themselves
(`portal.permissions.UnitRoleBackend` ignores them). Later apps add their permissions here.
"""

from django.contrib.auth.management import create_permissions

from portal.models import Role

# 互动交流: handling messages, ratings' follow-ups and consultations (留言办理员, 单位管理员).
MESSAGE_HANDLING = [
    "interaction.view_message",
    "interaction.change_message",
    "interaction.view_messageevent",
    "interaction.view_message_personal",
    "interaction.view_rating",
    "interaction.change_rating",
    "interaction.add_consultation",
    "interaction.change_consultation",
    "interaction.view_consultation",
    "interaction.add_consultationattachment",
    "interaction.change_consultationattachment",
    "interaction.delete_consultationattachment",
    "interaction.view_consultationattachment",
    "interaction.view_consultationcomment",
    "interaction.change_consultationcomment",
    "interaction.view_unitinteractionsettings",
]
# Approving replies where the unit asks for review (审核员, 单位管理员).
MESSAGE_REVIEW = [
    "interaction.view_message",
    "interaction.view_messageevent",
    "interaction.review_reply",
]

# Permission codenames per role, as "app_label.codename". Missing ones (an app not migrated yet)
# are skipped and attached on the next migrate.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.PUBLISHER: [
        "portal.view_publishingunit",
        "disclosure.view_category",
        "disclosure.add_entry",
        "disclosure.change_entry",
        "disclosure.view_entry",
        "disclosure.view_entryevent",
        "disclosure.add_attachment",
        "disclosure.change_attachment",
        "disclosure.delete_attachment",
        "disclosure.view_attachment",
        "disclosure.view_searchmiss",
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
        "disclosure.view_entryevent",
        "disclosure.view_attachment",
        "disclosure.review_entry",
        "disclosure.view_searchmiss",
        "disclosure.view_searchsynonym",
        "disclosure.add_searchsynonym",
        "disclosure.change_searchsynonym",
        "disclosure.delete_searchsynonym",
        "disclosure.view_documentchange",
        "guides.change_serviceguide",
        "guides.view_serviceguide",
        "guides.review_serviceguide",
        "guides.view_guidematerial",
        "guides.view_guidestep",
        "guides.view_guideevent",
        *MESSAGE_REVIEW,
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
        # Follow-ups (回访) of 差评 on requests are the request handler's.
        "interaction.view_rating",
        "interaction.change_rating",
    ],
    Role.MESSAGE_HANDLER: [
        "portal.view_publishingunit",
        *MESSAGE_HANDLING,
    ],
}

# 单位管理员: everything the other roles may do, plus running the unit (its details, people,
# calendar, annual reports, complaints and the personal-data access logs).
UNIT_ADMIN_ONLY = [
    "portal.change_publishingunit",
    "portal.view_unitmembership",
    "portal.view_calendarday",
    "reports.add_annualreport",
    "reports.change_annualreport",
    "reports.view_annualreport",
    "applications.change_complaint",
    "applications.view_personaldataaccess",
    "interaction.view_senderdataaccess",
    # The unit's documents: letterhead, 文号, remedies and the templates of its 告知书.
    "applications.add_documentsettings",
    "applications.change_documentsettings",
    "applications.view_documentsettings",
    "applications.add_lettertemplate",
    "applications.view_lettertemplate",
    # The unit's self-check (compliance/): its score and what to fix.
    "compliance.view_snapshot",
    # The unit's 互动交流 rules: reply review and reply periods.
    "interaction.add_unitinteractionsettings",
    "interaction.change_unitinteractionsettings",
    "interaction.add_replyperiod",
    "interaction.change_replyperiod",
    "interaction.delete_replyperiod",
    "interaction.view_replyperiod",
]
ROLE_PERMISSIONS[Role.UNIT_ADMIN] = list(
    dict.fromkeys(
        [
            *ROLE_PERMISSIONS[Role.PUBLISHER],
            *ROLE_PERMISSIONS[Role.REVIEWER],
            *ROLE_PERMISSIONS[Role.HANDLER],
            *ROLE_PERMISSIONS[Role.MESSAGE_HANDLER],
            *UNIT_ADMIN_ONLY,
        ]
    )
)


def group_name(role: str) -> str:
    return Role(role).label


def sync_role_groups(apps=None) -> None:
    """Create the role groups and give each exactly the permissions listed above."""
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
