"""Shared bits of the 互动交流 admins: the per-row permission question."""

from portal.admin_scoping import UnitScopedAdmin, UnitScopedInline
from portal.permissions import can
from portal.personal_data import PersonalLookupGuard


class ScopedAdmin(UnitScopedAdmin):
    """UnitScopedAdmin (rows of the units where the model's permission is held) that also asks
    other permissions of a row's unit: a workflow step, the personal data."""

    def may(self, request, perm: str, obj) -> bool:
        return can(request.user, perm, self.unit_of(obj))


# A citizen's own fields on a message or a consultation comment.
SENDER_FIELDS = frozenset({"name", "phone", "email"})


class CitizenLookupGuard(PersonalLookupGuard):
    """No query-string filter on the citizen's name, phone or e-mail (`?phone__startswith=139`
    would reveal a number digit by digit, in the URL, past the logged personal-data page); an
    admin of rows of a message names the path to it (`personal_paths = ("message__",)`)."""

    personal_paths = ()
    personal_fields = SENDER_FIELDS
    path_fields = SENDER_FIELDS


__all__ = ["SENDER_FIELDS", "CitizenLookupGuard", "ScopedAdmin", "UnitScopedInline"]
