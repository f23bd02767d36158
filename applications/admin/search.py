"""Finding a request by its applicant when they phone in: by name, phone or ID number.

Only in the units where the user may see personal data (申请办理员, 单位管理员), and every such
search is written to the personal-data access log: who, when, the term (an ID number masked) and
how many requests it found.

The term never travels in a URL (it would stay in the browser history, the server's access log,
every `_changelist_filters` link and the Referer): it is sent by POST, and the ids found are kept
in the session under a random key; the request list is then opened with `?found=<key>`.
"""

import re
import secrets
import time
import unicodedata

from django.core.exceptions import ValidationError
from django.db.models import Q

from applications.admin.common import PERSONAL_PERMISSION
from applications.models import PersonalDataAccess
from portal.admin_scoping import unit_ids_where
from portal.personal_data import mask

# Twelve or more digits (an 18-character 身份证号 or 统一社会信用代码, or most of one): kept masked.
ID_LIKE = re.compile(r"[0-9A-Za-z]*\d{12,}[0-9A-Za-z]*|[0-9A-Z]{18}")
PHONE_MIN_DIGITS = 7
TERM_MAX_LENGTH = 50

SESSION_KEY = "applicant-lookups"
KEEP_LOOKUPS = 5  # the most recent look-ups kept in the session
LOOKUP_SECONDS = 30 * 60
MAX_IDS = 500  # a one-character name could match thousands; the session keeps this many


def normalise(term: str) -> str:
    return unicodedata.normalize("NFKC", term).strip()


def compacted(term: str) -> str:
    return re.sub(r"[\s-]", "", term)


def logged_term(term: str) -> str:
    compact = compacted(term)
    if ID_LIKE.fullmatch(compact):
        return mask(compact)
    return term[:100]


def looks_personal(term: str) -> bool:
    """A phone number or an ID number typed into the GET search box by habit."""
    compact = compacted(normalise(term))
    return bool(
        re.fullmatch(rf"\+?\d{{{PHONE_MIN_DIGITS},}}", compact) or ID_LIKE.fullmatch(compact)
    )


def is_request_number(term: str) -> bool:
    return term.upper().startswith("YSQ")


def clean_term(raw: str) -> str:
    """The term as searched; a ValidationError with the message for the clerk otherwise."""
    term = normalise(raw)
    if not term:
        raise ValidationError("请输入申请人姓名、联系电话或证件号码。")
    if len(term) > TERM_MAX_LENGTH:
        raise ValidationError(f"查找内容不能超过{TERM_MAX_LENGTH}个字。")
    compact = compacted(term)
    if re.fullmatch(r"\+?\d+", compact) and len(compact.lstrip("+")) < PHONE_MIN_DIGITS:
        # A few digits would let a number be guessed a few digits at a time.
        raise ValidationError(f"按联系电话查找请至少输入{PHONE_MIN_DIGITS}位数字。")
    return term


def matching(queryset, term: str):
    """Requests whose applicant matches `term`: name contains it, phone contains its digits (7 or
    more, so a number cannot be guessed a few digits at a time), ID number or credit code equal."""
    compact = compacted(term)
    condition = Q(name__icontains=term)
    if re.fullmatch(rf"\+?\d{{{PHONE_MIN_DIGITS},}}", compact):
        condition |= Q(phone__contains=compact.lstrip("+"))
    if re.fullmatch(r"[0-9A-Za-z]{15,18}", compact):
        condition |= Q(id_number__iexact=compact) | Q(credit_code__iexact=compact)
    return queryset.filter(condition)


def personal_units(request) -> set[int] | None:
    """Ids of the units where the user may see personal data; None for a superuser (all)."""
    if request.user.is_superuser:
        return None
    return unit_ids_where(request, PERSONAL_PERMISSION)


def may_search(request) -> bool:
    units = personal_units(request)
    return units is None or bool(units)


def within_reach(request, queryset):
    """`queryset` cut to the units where the user may see personal data."""
    units = personal_units(request)
    return queryset if units is None else queryset.filter(unit__in=units)


def find(request, queryset, term: str) -> tuple[list[int], int]:
    """Ids of the rows of `queryset` whose applicant matches `term`, in the user's reach (the
    newest MAX_IDS), and how many there are; logged."""
    found = matching(within_reach(request, queryset), term)
    ids = list(found.order_by("-submitted_at").values_list("pk", flat=True)[: MAX_IDS + 1])
    rows = found.count() if len(ids) > MAX_IDS else len(ids)
    PersonalDataAccess.objects.create(
        user=request.user,
        what=PersonalDataAccess.SEARCH,
        query=logged_term(term),
        rows=rows,
    )
    return ids[:MAX_IDS], rows


def _current(request) -> dict:
    """The session's look-ups still valid (expired ones dropped)."""
    stored = request.session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        return {}
    oldest = time.time() - LOOKUP_SECONDS
    return {
        key: entry
        for key, entry in stored.items()
        if isinstance(entry, dict)
        and isinstance(entry.get("at"), int | float)
        and entry["at"] >= oldest
    }


def remember(request, ids: list[int], rows: int) -> str:
    """Keep `ids` in the session; the random key that names them (it says nothing of the term)."""
    lookups = _current(request)
    key = secrets.token_urlsafe(8)
    lookups[key] = {"ids": ids, "rows": rows, "at": int(time.time())}
    newest = sorted(lookups, key=lambda k: lookups[k]["at"])[-KEEP_LOOKUPS:]
    request.session[SESSION_KEY] = {k: lookups[k] for k in newest}
    return key


def remembered(request, key: str) -> tuple[list[int], int] | None:
    """The ids kept under `key` and how many requests were found, or None when the key is
    unknown or expired."""
    entry = _current(request).get(key or "")
    if entry is None:
        return None
    ids = [pk for pk in entry.get("ids", []) if isinstance(pk, int)]
    rows = entry.get("rows")
    return ids, rows if isinstance(rows, int) else len(ids)
