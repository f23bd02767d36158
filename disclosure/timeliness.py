"""Timeliness of proactive disclosure (条例第二十六条): publish within 20 working days of the
date the information was made or changed. The due date is computed here and nowhere else."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from portal.models import PublishingUnit
from portal.workdays import add_workdays, workdays_between

PUBLISH_WITHIN_WORKDAYS = 20
DUE_SOON_WORKDAYS = 5


def due_date(made_on: dt.date) -> dt.date:
    return add_workdays(made_on, PUBLISH_WITHIN_WORKDAYS)


# The same rules as `Q` objects, for list filters and for `Count(filter=...)` on the 工作台.
def _unpublished() -> list:
    from disclosure.models import EntryState  # the models import this module

    return [EntryState.DRAFT, EntryState.PENDING]


def overdue_q(today: dt.date) -> Q:
    """Not yet published and past its due date."""
    return Q(state__in=_unpublished(), due_on__lt=today)


def due_soon_q(today: dt.date) -> Q:
    """Not yet published and due within DUE_SOON_WORKDAYS working days."""
    return Q(
        state__in=_unpublished(),
        due_on__gte=today,
        due_on__lte=add_workdays(today, DUE_SOON_WORKDAYS),
    )


def late_q() -> Q:
    """Published after its due date."""
    return Q(published_at__isnull=False, published_at__date__gt=F("due_on"))


def report(entries_qs, today: dt.date | None = None) -> list[dict]:
    """Per unit: entries due soon, entries overdue, and late publications per month.

    `entries_qs` is already scoped to the user's units; three queries whatever the data size.
    """
    from disclosure.models import EntryState

    today = today or timezone.localdate()
    soon_limit = add_workdays(today, DUE_SOON_WORKDAYS)
    rows: dict[int, dict] = {}

    def row(unit):
        if unit.pk not in rows:
            rows[unit.pk] = {"unit": unit, "due_soon": [], "overdue": [], "late_by_month": {}}
        return rows[unit.pk]

    unpublished = (
        entries_qs.unpublished()
        .filter(due_on__lte=soon_limit)
        .select_related("unit")
        .order_by("due_on")
    )
    for entry in unpublished:
        if entry.due_on < today:
            entry.workdays_overdue = workdays_between(entry.due_on, today)
            row(entry.unit)["overdue"].append(entry)
        else:
            entry.workdays_left = workdays_between(today, entry.due_on)
            row(entry.unit)["due_soon"].append(entry)

    months = (
        entries_qs.filter(state__in=[EntryState.PUBLISHED, EntryState.WITHDRAWN])
        .exclude(published_at=None)
        .annotate(month=TruncMonth("published_at"))
        .values("unit", "month")
        .annotate(total=Count("pk"), late=Count("pk", filter=Q(published_at__date__gt=F("due_on"))))
        .order_by()
    )
    by_unit: dict[int, dict[str, dict]] = defaultdict(dict)
    for item in months:
        by_unit[item["unit"]][item["month"].strftime("%Y-%m")] = {
            "published": item["total"],
            "late": item["late"],
        }
    if by_unit:
        for unit in PublishingUnit.objects.filter(pk__in=by_unit):
            row(unit)["late_by_month"] = dict(sorted(by_unit[unit.pk].items(), reverse=True))
    return sorted(rows.values(), key=lambda r: (r["unit"].tree_id, r["unit"].lft))
