"""Masking of applicant data in staff lists, the permission that unmasks it, and the guard that
keeps it out of query-string filters."""

from applications.models import APPLICANT_FIELDS

PERSONAL_PERMISSION = "applications.view_personal_data"


def mask(value: str, keep_start: int = 3, keep_end: int = 4) -> str:
    """Masked for lists: 110***********002X, 139****5678."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return value[:1] + "*" * (len(value) - 1)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_name(value: str) -> str:
    if len(value) <= 1:
        return "*"
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


# What the query string may never filter on: `?phone__startswith=139` would reveal a number digit
# by digit without passing the logged personal-data page.
# (申请人类型 and 法人类别 are report categories with their own list filters, not personal data.)
PERSONAL_FIELDS = frozenset(APPLICANT_FIELDS) - {"applicant_type", "organisation_kind"} | {
    "id_document"
}


class PersonalLookupGuard:
    """Mix into an admin whose rows hold applicant data (`personal_paths`: "" for the request
    itself, "request__" for a row of a request; `personal_fields`: this model's own)."""

    personal_paths = ("",)
    personal_fields = frozenset()

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.split("__", 1)[0] in self.personal_fields:
            return False
        for prefix in self.personal_paths:
            if lookup.startswith(prefix) and lookup[len(prefix) :].split("__", 1)[0] in (
                PERSONAL_FIELDS
            ):
                return False
        return super().lookup_allowed(lookup, value, request)
