"""The permission that unmasks applicant data (masking: portal.personal_data), and the guard
that keeps it out of query-string filters."""

from applications.models import APPLICANT_FIELDS
from portal import personal_data

PERSONAL_PERMISSION = "applications.view_personal_data"


# What the query string may never filter on: `?phone__startswith=139` would reveal a number digit
# by digit without passing the logged personal-data page.
# (申请人类型 and 法人类别 are report categories with their own list filters, not personal data.)
PERSONAL_FIELDS = frozenset(APPLICANT_FIELDS) - {"applicant_type", "organisation_kind"} | {
    "id_document"
}


class PersonalLookupGuard(personal_data.PersonalLookupGuard):
    """For an admin of requests (`personal_paths` ("",)) or of rows of a request ("request__",)."""

    personal_paths = ("",)
    path_fields = PERSONAL_FIELDS
