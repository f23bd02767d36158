"""The figures of 互动交流, from one place: the public monthly statistics, the satisfaction figures
and the 年度 figures the annual 网站工作年度报表 needs.

A message counts as received in the month of its receipt date, answered in the month of its reply
(by the unit that answered), published in the month it was first published; "on time" compares
the reply date with the due date. Average working days are over the replies of the period.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, Q
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from interaction.models import (
    CommentState,
    Consultation,
    ConsultationComment,
    ConsultationState,
    Message,
    MessageState,
    Rating,
    RatingLevel,
)


@dataclass
class Figures:
    received: int = 0
    answered: int = 0
    on_time: int = 0
    average_workdays: float | None = None
    published: int = 0

    @property
    def on_time_share(self) -> float | None:
        return round(100 * self.on_time / self.answered, 1) if self.answered else None


@dataclass
class MonthRow(Figures):
    month: int = 0


def _year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=tz),
        dt.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def monthly(unit_ids, year: int) -> tuple[list[MonthRow], Figures]:
    """Twelve rows (January to December) and the year's total, for the units `unit_ids`."""
    messages = Message.objects.filter(unit_id__in=list(unit_ids)).order_by()
    rows = {month: MonthRow(month=month) for month in range(1, 13)}
    for row in (
        messages.filter(received_on__year=year)
        .annotate(m=ExtractMonth("received_on"))
        .values("m")
        .annotate(n=Count("pk"))
    ):
        rows[row["m"]].received = row["n"]
    replied = messages.filter(state=MessageState.REPLIED, replied_on__year=year)
    for row in (
        replied.annotate(m=ExtractMonth("replied_on"))
        .values("m")
        .annotate(
            n=Count("pk"),
            on_time=Count("pk", filter=Q(replied_on__lte=F("due_on"))),
            avg=Avg("workdays_taken"),
        )
    ):
        target = rows[row["m"]]
        target.answered, target.on_time = row["n"], row["on_time"]
        target.average_workdays = _round(row["avg"])
    start, end = _year_range(year)
    for when in messages.filter(published_at__gte=start, published_at__lt=end).values_list(
        "published_at", flat=True
    ):
        rows[timezone.localtime(when).month].published += 1
    total = Figures(
        received=sum(r.received for r in rows.values()),
        answered=sum(r.answered for r in rows.values()),
        on_time=sum(r.on_time for r in rows.values()),
        average_workdays=_round(replied.aggregate(avg=Avg("workdays_taken"))["avg"]),
        published=sum(r.published for r in rows.values()),
    )
    return list(rows.values()), total


def _round(value) -> float | None:
    return None if value is None else round(float(value), 1)


@dataclass
class RatingFigures:
    count: int = 0
    by_level: list[tuple[str, int, float]] = field(default_factory=list)
    followups_due: int = 0
    followups_done: int = 0
    followups_on_time: int = 0

    @property
    def satisfied_share(self) -> float | None:
        """非常满意 + 满意 + 基本满意, in per cent."""
        if not self.count:
            return None
        good = sum(n for level, n, _ in self.by_level if level not in RatingLevel.negative())
        return round(100 * good / self.count, 1)


def ratings(unit_ids, year: int) -> RatingFigures:
    qs = Rating.objects.filter(unit_id__in=list(unit_ids), rated_on__year=year).order_by()
    counts = dict(qs.values_list("level").annotate(n=Count("pk")))
    total = sum(counts.values())
    figures = RatingFigures(count=total)
    figures.by_level = [
        (level.value, counts.get(level.value, 0), _share(counts.get(level.value, 0), total))
        for level in RatingLevel
    ]
    followups = qs.filter(followup_due_on__isnull=False).aggregate(
        due=Count("pk"),
        done=Count("pk", filter=Q(followup_done_on__isnull=False)),
        on_time=Count("pk", filter=Q(followup_done_on__lte=F("followup_due_on"))),
    )
    figures.followups_due = followups["due"]
    figures.followups_done = followups["done"]
    figures.followups_on_time = followups["on_time"]
    return figures


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


@dataclass
class AnnualFigures:
    """What the 网站工作年度报表 asks of 互动交流 for one year."""

    year: int
    messages_received: int
    messages_answered: int
    messages_answered_on_time: int
    average_workdays: float | None
    messages_published: int
    messages_rejected: int
    messages_open_at_year_end: int
    consultations: int
    consultation_comments: int
    consultation_comments_published: int
    consultations_with_adoption: int


def annual(unit_ids, year: int) -> AnnualFigures:
    """The year's figures for `unit_ids` (a unit, or a government with its departments)."""
    unit_ids = list(unit_ids)
    _rows, total = monthly(unit_ids, year)
    messages = Message.objects.filter(unit_id__in=unit_ids)
    year_end = dt.date(year, 12, 31)
    open_at_end = messages.filter(received_on__lte=year_end).filter(
        Q(replied_on__isnull=True) | Q(replied_on__gt=year_end)
    )
    # Rejected messages and messages still with no reply were not answered by the year's end;
    # a rejection ends the case.
    open_at_end = open_at_end.exclude(state=MessageState.REJECTED)
    consultations = Consultation.objects.filter(
        unit_id__in=unit_ids, state=ConsultationState.PUBLISHED, opens_on__year=year
    )
    comments = ConsultationComment.objects.filter(consultation__in=consultations)
    return AnnualFigures(
        year=year,
        messages_received=total.received,
        messages_answered=total.answered,
        messages_answered_on_time=total.on_time,
        average_workdays=total.average_workdays,
        messages_published=total.published,
        messages_rejected=messages.filter(
            state=MessageState.REJECTED, received_on__year=year
        ).count(),
        messages_open_at_year_end=open_at_end.count(),
        consultations=consultations.count(),
        consultation_comments=comments.count(),
        consultation_comments_published=comments.filter(state=CommentState.PUBLISHED).count(),
        consultations_with_adoption=consultations.filter(
            adoption_published_on__isnull=False
        ).count(),
    )
