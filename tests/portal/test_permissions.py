"""portal.permissions.can / units_where: a role counts only in the unit where it is held."""

import pytest

from portal import permissions
from portal.models import Role, UnitMembership
from tests.conftest import make_staff

VIEW_PERSONAL = "applications.view_personal_data"
REVIEW = "disclosure.review_entry"


@pytest.fixture
def mixed(django_user_model, unit_a, unit_b):
    """信息发布员 in A, 申请办理员 in B: sibling units."""
    user = make_staff(django_user_model, "mixed", unit_a, Role.PUBLISHER)
    UnitMembership.objects.create(user=user, unit=unit_b, role=Role.HANDLER)
    permissions.forget(user)
    return user


def test_role_counts_only_in_its_unit(mixed, unit_a, unit_b):
    assert permissions.can(mixed, VIEW_PERSONAL, unit_b)
    assert not permissions.can(mixed, VIEW_PERSONAL, unit_a)
    assert permissions.can(mixed, "disclosure.add_entry", unit_a)
    assert not permissions.can(mixed, "disclosure.add_entry", unit_b)
    assert set(permissions.units_where(mixed, VIEW_PERSONAL)) == {unit_b}


def test_unit_admin_covers_descendants_only(unit_admin_gov, government, bureau, unit_a, unit_b):
    for unit in (government, bureau, unit_a, unit_b):
        assert permissions.can(unit_admin_gov, REVIEW, unit)
    assert set(permissions.units_where(unit_admin_gov, REVIEW)) == {
        government,
        bureau,
        unit_a,
        unit_b,
    }


def test_no_unit_grants_nothing(superuser, clerk_a):
    assert not permissions.can(superuser, VIEW_PERSONAL, None)
    assert not permissions.can(clerk_a, VIEW_PERSONAL, None)


def test_inactive_user_has_nothing(clerk_a, unit_a):
    clerk_a.is_active = False
    assert not permissions.can(clerk_a, VIEW_PERSONAL, unit_a)
    assert not permissions.units_where(clerk_a, VIEW_PERSONAL).exists()


def role_groups(user):
    return set(user.groups.values_list("name", flat=True))


def test_groups_follow_every_membership_change(django_user_model, unit_a, unit_b):
    user = make_staff(django_user_model, "moving", unit_a, Role.HANDLER)
    second = UnitMembership.objects.create(user=user, unit=unit_b, role=Role.HANDLER)
    assert role_groups(user) == {"申请办理员"}
    # Changing a role leaves no trace of the old one.
    second.role = Role.PUBLISHER
    second.save()
    assert role_groups(user) == {"申请办理员", "信息发布员"}
    first = UnitMembership.objects.get(user=user, unit=unit_a)
    first.role = Role.REVIEWER
    first.save()
    assert role_groups(user) == {"审核员", "信息发布员"}
    second.delete()
    assert role_groups(user) == {"审核员"}
    # A membership handed to another user leaves the first user's groups too.
    other = django_user_model.objects.create_user(username="other")
    first.user = other
    first.save()
    assert role_groups(user) == set() and role_groups(other) == {"审核员"}


def test_groups_and_user_permissions_grant_nothing(django_user_model, unit_a):
    from django.contrib.auth.models import Group, Permission

    user = django_user_model.objects.create_user(username="grouped", is_staff=True)
    user.groups.add(Group.objects.get(name="单位管理员"))
    user.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    user = django_user_model.objects.get(pk=user.pk)
    assert not user.has_perm(VIEW_PERSONAL)
    assert not permissions.can(user, VIEW_PERSONAL, unit_a)
    assert not user.has_module_perms("applications")


def test_model_level_permission_is_a_role_held_somewhere(mixed, unit_a, unit_b):
    assert mixed.has_perm(VIEW_PERSONAL) and mixed.has_perm("disclosure.add_entry")
    assert not mixed.has_perm(REVIEW)
    assert mixed.has_perm(VIEW_PERSONAL, unit_b) and not mixed.has_perm(VIEW_PERSONAL, unit_a)


def test_unit_admin_holds_every_other_roles_permissions():
    from portal.roles import ROLE_PERMISSIONS

    admin = set(ROLE_PERMISSIONS[Role.UNIT_ADMIN])
    for role in (Role.PUBLISHER, Role.REVIEWER, Role.HANDLER):
        assert set(ROLE_PERMISSIONS[role]) <= admin
    assert "reports.change_annualreport" in admin


def test_no_actor_is_never_allowed_but_the_system_is(unit_a):
    from disclosure import workflow

    assert not workflow.can_edit(None, unit_a) and not workflow.can_review(None, unit_a)
    assert workflow.can_edit(permissions.SYSTEM, unit_a)
    assert workflow.can_review(permissions.SYSTEM, unit_a)
