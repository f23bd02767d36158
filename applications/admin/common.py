"""The permission that unmasks applicant data (masking: portal.personal_data), and the guard
that keeps it out of query-string filters."""

from applications.models import APPLICANT_FIELDS

PERSONAL_PERMISSION = "applications.view_personal_data"


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
