"""Serial numbers from a counter row locked until the caller's transaction ends.

Every numbered thing (申请编号, 索引号, a future 留言编号) keeps one row per scope and year in its own
counter table; `take` creates the row on first use without racing and locks it, so two
simultaneous submissions never get the same serial and a serial once taken is never reused.
"""

from django.db import transaction
from django.db.models import F


def take(model, field: str, count: int = 1, **key) -> int:
    """Reserve `count` serials in the row of `model` identified by `key`; returns the first."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("counters.take must run inside transaction.atomic()")
    # A concurrent creator makes this a no-op; the row is then locked like any other time.
    model.objects.bulk_create([model(**key, **{field: 0})], ignore_conflicts=True)
    counter = model.objects.select_for_update().get(**key)
    model.objects.filter(pk=counter.pk).update(**{field: F(field) + count})
    return getattr(counter, field) + 1


def tracking_number(prefix: str, year: int, serial: int) -> str:
    """The public case number of a citizen-facing process: `YSQ-2026-000123`."""
    return f"{prefix}-{year}-{serial:06d}"
