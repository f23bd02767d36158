"""Report tables, aggregated in the database.

`section_three(unit_ids, year)` and `section_four(unit_ids, year)` give the annual report's
tables (国办公开办函〔2021〕30号); `summary(unit_ids, year)` feeds the public 统计结果 page.

Year attribution: a request received in Y is 新收 in Y; one received before Y and not finished
before Y is 上年结转; a result dated in Y counts in Y; one received by 31 Dec and not finished by
then is 结转下年度. Requests never confirmed (no receipt date) are not counted. The model's
constraints (a result always has a date on or after the receipt date) make
一 + 二 = （七）总计 + 四 hold in every column by construction.
"""

import datetime as dt
import statistics as pystats
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from applications.models import (
    Appeal,
    AppealKind,
    AppealOutcome,
    ApplicantType,
    Channel,
    OrganisationKind,
    Request,
    Result,
)

# The first year offered on the statistics pages: the 2019 条例 and its result categories.
FIRST_YEAR = 2019

# Section 三 columns: key, label.
COLUMNS = [
    (ApplicantType.PERSON.value, "自然人"),
    *[(kind.value, kind.label) for kind in OrganisationKind],
    ("total", "总计"),
]
APPLICANT_COLUMNS = [key for key, _ in COLUMNS[:-1]]


@dataclass
class Row:
    key: str
    label: str
    values: dict[str, int]

    def cells(self) -> list[int]:
        return [self.values[key] for key, _ in COLUMNS]


@dataclass
class Table:
    columns: list[tuple[str, str]]
    rows: list[Row]

    def row(self, key: str) -> Row:
        return next(row for row in self.rows if row.key == key)

    def cell(self, row_key: str, column_key: str) -> int:
        return self.row(row_key).values[column_key]

    def as_dict(self) -> dict:
        return {row.key: dict(row.values) for row in self.rows}


def _bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def section_three(unit_ids, year: int) -> Table:
    """收到和处理政府信息公开申请情况: 25 rows x 7 columns.

    Rows: "new" (一、本年新收), "carried_in" (二、上年结转), the 21 `Result` values, "results_total"
    (（七）总计), "carried_out" (四、结转下年度继续办理). Columns: "person", the five
    `OrganisationKind` values, "total". One grouped query; Python only adds the totals.
    """
    first, last = _bounds(year)
    received = Q(received_on__isnull=False)
    measures = {
        "new": Count("pk", filter=Q(received_on__gte=first, received_on__lte=last)),
        "carried_in": Count(
            "pk",
            filter=received
            & Q(received_on__lt=first)
            & (Q(replied_on__isnull=True) | Q(replied_on__gte=first)),
        ),
        "carried_out": Count(
            "pk",
            filter=received
            & Q(received_on__lte=last)
            & (Q(replied_on__isnull=True) | Q(replied_on__gt=last)),
        ),
        **{
            f"r{index}": Count(
                "pk", filter=Q(result=result, replied_on__gte=first, replied_on__lte=last)
            )
            for index, result in enumerate(Result)
        },
    }
    grouped = (
        Request.objects.filter(unit_id__in=list(unit_ids), received_on__isnull=False)
        .order_by()
        .values("applicant_type", "organisation_kind")
        .annotate(**measures)
    )
    counts = {key: dict.fromkeys(APPLICANT_COLUMNS, 0) for key in measures}
    for group in grouped:
        column = group["organisation_kind"] or ApplicantType.PERSON.value
        for key in measures:
            counts[key][column] += group[key]

    def row(key, label, source):
        values = dict(source)
        values["total"] = sum(values[c] for c in APPLICANT_COLUMNS)
        return Row(key, label, values)

    result_rows = [
        row(result.value, result.label, counts[f"r{index}"]) for index, result in enumerate(Result)
    ]
    results_total = {c: sum(r.values[c] for r in result_rows) for c in APPLICANT_COLUMNS}
    rows = [
        row("new", "一、本年新收政府信息公开申请数量", counts["new"]),
        row("carried_in", "二、上年结转政府信息公开申请数量", counts["carried_in"]),
        *result_rows,
        row("results_total", "（七）总计", results_total),
        row("carried_out", "四、结转下年度继续办理", counts["carried_out"]),
    ]
    return Table(columns=list(COLUMNS), rows=rows)


SECTION_FOUR_GROUPS = [
    (AppealKind.REVIEW.value, "行政复议"),
    (AppealKind.LITIGATION_DIRECT.value, "行政诉讼 未经复议直接起诉"),
    (AppealKind.LITIGATION_AFTER_REVIEW.value, "行政诉讼 复议后起诉"),
]
SECTION_FOUR_OUTCOMES = [outcome.value for outcome in AppealOutcome] + ["total"]


def section_four(unit_ids, year: int) -> dict[str, dict[str, int]]:
    """政府信息公开行政复议、行政诉讼情况: 3 groups x (维持, 纠正, 其他结果, 尚未审结, 总计) = 15 cells.

    Cases filed in `year` on the units' requests; a case not closed by 31 December is 尚未审结.
    Returns {kind: {"upheld", "corrected", "other", "pending", "total"}} keyed by `AppealKind`.
    """
    first, last = _bounds(year)
    decided = Q(closed_on__lte=last)
    grouped = (
        Appeal.objects.filter(
            request__unit_id__in=list(unit_ids), filed_on__gte=first, filed_on__lte=last
        )
        .order_by()
        .values("kind")
        .annotate(
            upheld=Count("pk", filter=decided & Q(outcome=AppealOutcome.UPHELD)),
            corrected=Count("pk", filter=decided & Q(outcome=AppealOutcome.CORRECTED)),
            other=Count("pk", filter=decided & Q(outcome=AppealOutcome.OTHER)),
            pending=Count("pk", filter=Q(closed_on__isnull=True) | Q(closed_on__gt=last)),
        )
    )
    table = {kind: dict.fromkeys(SECTION_FOUR_OUTCOMES, 0) for kind, _ in SECTION_FOUR_GROUPS}
    for group in grouped:
        cells = table[group["kind"]]
        for outcome in ("upheld", "corrected", "other", "pending"):
            cells[outcome] = group[outcome]
        cells["total"] = sum(cells[o] for o in ("upheld", "corrected", "other", "pending"))
    return table


@dataclass
class Summary:
    year: int
    received: int
    online: int
    written: int
    by_applicant: list[tuple[str, int]]
    by_result: list[tuple[str, str, int]]
    replied: int
    on_time: int
    median_workdays: float | None

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.replied, 1) if self.replied else None


def summary(unit_ids, year: int) -> Summary:
    """The public 统计结果: received by channel and applicant type, results, timeliness."""
    first, last = _bounds(year)
    qs = Request.objects.filter(unit_id__in=list(unit_ids)).order_by()
    in_year = Q(received_on__gte=first, received_on__lte=last)
    replied_in_year = Q(replied_on__gte=first, replied_on__lte=last)
    totals = qs.aggregate(
        received=Count("pk", filter=in_year),
        online=Count("pk", filter=in_year & Q(channel__in=Channel.internet())),
        person=Count("pk", filter=in_year & Q(applicant_type=ApplicantType.PERSON)),
        **{
            f"org_{kind.value}": Count("pk", filter=in_year & Q(organisation_kind=kind))
            for kind in OrganisationKind
        },
        replied=Count("pk", filter=replied_in_year),
        # Closed while waiting for a supplement there is no running deadline to miss.
        on_time=Count(
            "pk",
            filter=replied_in_year & (Q(due_on__isnull=True) | Q(replied_on__lte=F("due_on"))),
        ),
    )
    results = dict(
        qs.filter(replied_in_year).values_list("result").annotate(n=Count("pk")).order_by()
    )
    taken = list(
        qs.filter(replied_in_year, workdays_taken__isnull=False).values_list(
            "workdays_taken", flat=True
        )
    )
    return Summary(
        year=year,
        received=totals["received"],
        online=totals["online"],
        written=totals["received"] - totals["online"],
        by_applicant=[("自然人", totals["person"])]
        + [
            (f"法人或其他组织：{kind.label}", totals[f"org_{kind.value}"])
            for kind in OrganisationKind
        ],
        by_result=[(r.value, r.label, results.get(r.value, 0)) for r in Result],
        replied=totals["replied"],
        on_time=totals["on_time"],
        median_workdays=pystats.median(taken) if taken else None,
    )


def fees_collected(unit_ids, year: int) -> tuple[int, Decimal]:
    """信息处理费 collected in `year` (section 六): requests whose fee was paid in it, and the total."""
    first, last = _bounds(year)
    totals = Request.objects.filter(
        unit_id__in=list(unit_ids), fee_paid_on__gte=first, fee_paid_on__lte=last
    ).aggregate(requests=Count("pk"), amount=Sum("fee_amount"))
    return totals["requests"], totals["amount"] or Decimal(0)
