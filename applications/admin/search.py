"""Finding a request by its applicant when they phone in: by name, phone or ID number.

Only in the units where the user may see personal data (申请办理员, 单位管理员), and every such
search is written to the personal-data access log: who, when, the term (an ID number masked) and
how many requests it found.
"""

import re
import unicodedata

from django.db.models import Q

from applications.admin.common import PERSONAL_PERMISSION
from applications.models import PersonalDataAccess
from portal.admin_scoping import unit_ids_where
from portal.personal_data import mask

# Twelve or more digits (an 18-character 身份证号 or 统一社会信用代码, or most of one): kept masked.
ID_LIKE = re.compile(r"[0-9A-Za-z]*\d{12,}[0-9A-Za-z]*|[0-9A-Z]{18}")


def normalise(term: str) -> str:
    return unicodedata.normalize("NFKC", term).strip()


def logged_term(term: str) -> str:
    compact = re.sub(r"[\s-]", "", term)
    if ID_LIKE.fullmatch(compact):
        return mask(compact)
    return term[:100]


def matching(queryset, term: str):
    """Requests whose applicant matches `term`: name contains it, phone contains its digits (7 or
    more, so a number cannot be guessed a few digits at a time), ID number or credit code equal."""
    compact = re.sub(r"[\s-]", "", term)
    condition = Q(name__icontains=term)
    if re.fullmatch(r"\+?\d{7,}", compact):
        condition |= Q(phone__contains=compact.lstrip("+"))
    if re.fullmatch(r"[0-9A-Za-z]{15,18}", compact):
        condition |= Q(id_number__iexact=compact) | Q(credit_code__iexact=compact)
    return queryset.filter(condition)


def search(request, queryset, term: str):
    """The rows of `queryset` found by applicant data, logged; None when the user may not search."""
    term = normalise(term)
    if not term or term.upper().startswith("YSQ"):
        return None  # nothing, or a 申请编号: no applicant data is searched
    if not request.user.is_superuser:
        units = unit_ids_where(request, PERSONAL_PERMISSION)
        if not units:
            return None
        queryset = queryset.filter(unit__in=units)
    found = matching(queryset, term)
    PersonalDataAccess.objects.create(
        user=request.user,
        what=PersonalDataAccess.SEARCH,
        query=logged_term(term),
        rows=found.count(),
    )
    return found
