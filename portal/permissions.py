"""The one permission question: may this user do X in this unit?

A permission is a Django permission name ("applications.view_personal_data"). A user holds it in
a unit only through a `UnitMembership` there whose role grants it (`portal.roles.ROLE_PERMISSIONS`);
a 单位管理员's grants also cover the unit's descendants. Site-wide groups never stand in for a role
held in another unit. Superusers may do everything. Every admin, view, workflow step and export
asks `can()` or `units_where()`; `can(user, perm, None)` is always False.
"""

from dataclasses import dataclass

from django.db.models import Q

from portal.models import PublishingUnit, Role, UnitMembership


@dataclass(frozen=True)
class Grant:
    unit_id: int
    tree_id: int
    lft: int
    rght: int
    role: str

    @property
    def covers_subtree(self) -> bool:
        return self.role == Role.UNIT_ADMIN

    def covers(self, unit) -> bool:
        if unit.pk == self.unit_id:
            return True
        return (
            self.covers_subtree
            and unit.tree_id == self.tree_id
            and self.lft < unit.lft
            and unit.rght < self.rght
        )


def _grants(user) -> list[Grant]:
    """The user's memberships, read once per user object (i.e. once per request)."""
    grants = getattr(user, "_unit_grants", None)
    if grants is None:
        grants = [
            Grant(*row)
            for row in UnitMembership.objects.filter(user_id=user.pk).values_list(
                "unit_id", "unit__tree_id", "unit__lft", "unit__rght", "role"
            )
        ]
        user._unit_grants = grants
    return grants


def forget(user) -> None:
    """Drop the per-object cache (after a membership of this user object changed)."""
    user.__dict__.pop("_unit_grants", None)


def _role_grants(role: str, perm: str) -> bool:
    from portal.roles import ROLE_PERMISSIONS

    return perm in ROLE_PERMISSIONS.get(role, ())


def _active_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can(user, perm: str, unit) -> bool:
    """May `user` do `perm` in `unit`? Never true for no unit."""
    if unit is None or not _active_staff(user):
        return False
    if user.is_superuser:
        return True
    return any(g.covers(unit) for g in _grants(user) if _role_grants(g.role, perm))


def units_where(user, perm: str):
    """The units in which `user` may do `perm`, as a PublishingUnit queryset."""
    if not _active_staff(user):
        return PublishingUnit.objects.none()
    if user.is_superuser:
        return PublishingUnit.objects.all()
    q = Q(pk__in=[])
    for g in _grants(user):
        if not _role_grants(g.role, perm):
            continue
        q |= Q(pk=g.unit_id)
        if g.covers_subtree:
            q |= Q(tree_id=g.tree_id, lft__gt=g.lft, rght__lt=g.rght)
    return PublishingUnit.objects.filter(q)


def has_anywhere(user, perm: str) -> bool:
    """Does `user` hold `perm` in at least one unit (for menus and add pages)?"""
    if not _active_staff(user):
        return False
    return user.is_superuser or any(_role_grants(g.role, perm) for g in _grants(user))
