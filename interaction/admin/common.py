"""Shared bits of the 互动交流 admins: masking, and the per-row permission question."""

from applications.admin.common import PersonalLookupGuard
from portal.admin_scoping import UnitScopedAdmin, UnitScopedInline
from portal.permissions import can


def mask(value: str, keep_start: int = 3, keep_end: int = 4) -> str:
    """139****5678."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return value[:1] + "*" * (len(value) - 1)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_name(value: str) -> str:
    if len(value) <= 1:
        return "*"
    return value[0] + "*" * (len(value) - 1)


class ScopedAdmin(UnitScopedAdmin):
    """UnitScopedAdmin (rows of the units where the model's permission is held) that also asks
    other permissions of a row's unit: a workflow step, the personal data."""

    def may(self, request, perm: str, obj) -> bool:
        return can(request.user, perm, self.unit_of(obj))


class CitizenLookupGuard(PersonalLookupGuard):
    """No query-string filter on the citizen's name, phone or e-mail (`?phone__startswith=139`
    would reveal a number digit by digit, in the URL, past the logged personal-data page)."""

    personal_paths = ()
    personal_fields = frozenset({"name", "phone", "email"})


__all__ = ["CitizenLookupGuard", "ScopedAdmin", "UnitScopedInline", "mask", "mask_name"]
