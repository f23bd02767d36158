"""Queries that found nothing, counted per week for staff (admin: 无结果检索)."""

import datetime as dt

from django.db import IntegrityError, router, transaction
from django.db.models import F
from django.utils import timezone

from disclosure.search.tokens import normalise_query

# Longer queries are pasted sentences, not terms to add; counting them would only grow the table.
MAX_COUNTED_LENGTH = 40


def week_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def record(query: str) -> None:
    from disclosure.models import SearchMiss

    query = normalise_query(query)
    if not query or len(query) > MAX_COUNTED_LENGTH:
        return
    now = timezone.now()
    week = week_of(timezone.localdate(now))
    using = router.db_for_write(SearchMiss)
    rows = SearchMiss.objects.using(using).filter(query=query, week=week)
    if rows.update(count=F("count") + 1, last_at=now):
        return
    try:
        with transaction.atomic(using=using):
            SearchMiss.objects.using(using).create(query=query, week=week, count=1, last_at=now)
    except IntegrityError:  # a simultaneous first miss of the same query
        rows.update(count=F("count") + 1, last_at=now)
