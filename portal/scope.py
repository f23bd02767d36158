"""The year and unit a statistics page, a report table or an overview is about, from ?year=,
?unit= and ?subtree=1. A bad or out-of-range value is ignored (the default is shown), never a 500.
"""

from dataclasses import dataclass

from django.utils import timezone

# The first 条例 took effect on 2008-05-01; no register or report goes back further.
FIRST_YEAR = 2008


def _is_number(raw: str) -> bool:
    # ASCII digits only (int() would take "٣" or " 3"), short enough for any integer column.
    return raw.isascii() and raw.isdigit() and len(raw) < 10


@dataclass(frozen=True)
class Years:
    year: int
    choices: list[int]


def years(request, *, default: int, first: int = FIRST_YEAR) -> Years:
    """?year= between `first` and this year (newest first in `choices`), else `default`."""
    this_year = timezone.localdate().year
    choices = list(range(this_year, first - 1, -1))
    raw = request.GET.get("year") or ""
    year = int(raw) if _is_number(raw) else None
    return Years(year if year in choices else default, choices)


@dataclass(frozen=True)
class Units:
    unit: object  # the chosen PublishingUnit, or None for all of `within`
    subtree: bool
    ids: list[int]


def units(request, choices, *, within=None, by: str = "pk") -> Units:
    """?unit= (a unit's `by` field) among `choices`, with ?subtree=1 its descendants too.

    `within` bounds what is counted (default `choices`): all of it when no unit is chosen, and
    the part of a chosen unit's subtree inside it.
    """
    within = choices if within is None else within
    raw = request.GET.get("unit") or ""
    unit = None
    if raw and (by != "pk" or _is_number(raw)):
        unit = choices.filter(**{by: raw}).first()
    subtree = request.GET.get("subtree") == "1"
    if unit is None:
        ids = list(within.values_list("pk", flat=True))
    elif subtree:
        ids = list(unit.subtree().filter(pk__in=within.values("pk")).values_list("pk", flat=True))
    else:
        ids = [unit.pk]
    return Units(unit, subtree, ids)
