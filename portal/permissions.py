"""The one permission question: may this user do X in this unit?

A permission is a Django permission name ("applications.view_personal_data"). A user holds it in
a unit only through a `UnitMembership` there whose role grants it (`portal.roles.ROLE_PERMISSIONS`);
a 单位管理员's grants also cover the unit's descendants. Site-wide groups never stand in for a role
held in another unit. Superusers may do everything. Every admin, view, workflow step and export
asks `can()` or `units_where()`; `can(user, perm, None)` is always False.

Django's own model-level checks (`user.has_perm("app.perm")`, which decide what the admin menu
shows and whether an add page opens) come from `UnitRoleBackend`: a permission held in at least one
unit (`has_anywhere`). Groups and per-user permissions grant nothing; they are not consulted.

Code that acts for no user (the demo loader, management commands) passes `SYSTEM` explicitly;
`None` is never an actor with rights.
"""

from dataclasses import dataclass

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from portal.models import PublishingUnit, Role, UnitMembership

# The roles whose grants cover the unit's descendants too.
SUBTREE_ROLES = frozenset({Role.UNIT_ADMIN})


@dataclass(frozen=True)
class Grant:
    unit_id: int
    tree_id: int
    lft: int
    rght: int
    role: str

    @property
    def covers_subtree(self) -> bool:
        return self.role in SUBTREE_ROLES

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


class SystemActor:
    """The actor of the demo loader and management commands: allowed everything, recorded as no one."""

    is_superuser = True
    is_authenticated = True
    is_active = True
    pk = None

    def __repr__(self):
        return "SYSTEM"


SYSTEM = SystemActor()


def recorded(actor):
    """The user to store as the actor of an event (no one for SYSTEM)."""
    return None if actor is SYSTEM else actor


SYSTEM_LABEL = "系统"


def actor_fields(actor, citizen_label: str) -> dict:
    """A case event's `actor` and the name it shows (`actor_label`): None is the citizen, a
    string a label of its own ("系统"), otherwise a staff user (SYSTEM shows as 系统)."""
    if actor is None:
        return {"actor": None, "actor_label": citizen_label}
    if actor is SYSTEM:
        return {"actor": None, "actor_label": SYSTEM_LABEL}
    if isinstance(actor, str):
        return {"actor": None, "actor_label": actor}
    return {"actor": actor, "actor_label": actor.get_full_name() or actor.get_username()}


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


def memberships_holding(roles, units):
    """The memberships through which a user holds one of `roles` in one of `units`: in the unit
    itself, or, for a role that covers the subtree, in a unit above it (the rule of `can`)."""
    roles = list(roles)
    above = [role for role in roles if role in SUBTREE_ROLES]
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(unit=unit, role__in=roles)
        if above:
            q |= Q(
                role__in=above,
                unit__tree_id=unit.tree_id,
                unit__lft__lt=unit.lft,
                unit__rght__gt=unit.rght,
            )
    return UnitMembership.objects.filter(q)


def has_anywhere(user, perm: str) -> bool:
    """Does `user` hold `perm` in at least one unit (for menus and add pages)?"""
    if not _active_staff(user):
        return False
    return user.is_superuser or any(_role_grants(g.role, perm) for g in _grants(user))


def permissions_anywhere(user) -> set[str]:
    """Every permission `user` holds in at least one unit."""
    from portal.roles import ROLE_PERMISSIONS

    if not _active_staff(user):
        return set()
    return {perm for g in _grants(user) for perm in ROLE_PERMISSIONS.get(g.role, ())}


def unit_of(obj, path: str):
    """The PublishingUnit reached from `obj` along `path` ("" for a unit itself, "request__unit")."""
    for name in filter(None, path.split("__")):
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


class UnitRoleBackend(ModelBackend):
    """Authentication as Django's, permissions from the unit roles only.

    `user.has_perm("app.perm")` (menus, add pages, admin actions) is true when the role of some
    membership grants it; `user.has_perm("app.perm", unit)` asks `can()`. Object-level answers for
    a row always go through `can()` with the row's unit (portal.admin_scoping).
    """

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None:
            return set()
        return permissions_anywhere(user_obj)

    def has_perm(self, user_obj, perm, obj=None):
        if isinstance(obj, PublishingUnit):
            return can(user_obj, perm, obj)
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(p.startswith(f"{app_label}.") for p in permissions_anywhere(user_obj))

    def with_perm(self, perm, is_active=True, include_superusers=True, obj=None):
        from django.contrib.auth import get_user_model

        from portal.roles import ROLE_PERMISSIONS

        users = get_user_model()._default_manager
        if obj is not None:
            return users.none()
        roles = [role for role, perms in ROLE_PERMISSIONS.items() if perm in perms]
        q = Q(pk__in=UnitMembership.objects.filter(role__in=roles).values("user_id"))
        if include_superusers:
            q |= Q(is_superuser=True)
        if is_active is not None:
            q &= Q(is_active=is_active)
        return users.filter(q)
