"""Shared bits of the 互动交流 admins: the per-row permission question."""

from portal.admin_scoping import UnitScopedAdmin, UnitScopedInline
from portal.permissions import can


class ScopedAdmin(UnitScopedAdmin):
    """UnitScopedAdmin (rows of the units where the model's permission is held) that also asks
    other permissions of a row's unit: a workflow step, the personal data."""

    def may(self, request, perm: str, obj) -> bool:
        return can(request.user, perm, self.unit_of(obj))


__all__ = ["ScopedAdmin", "UnitScopedInline"]
