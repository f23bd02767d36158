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
