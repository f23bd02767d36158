"""Computing a report's figures from the registers, and keeping staff overrides.

Section 三 and 四 come from the request register (`applications.statistics`), the 规章 and
行政规范性文件 rows of section 二 from the catalog. The other cells of section 二 (行政许可, 行政处罚,
行政强制, 行政事业性收费) are entered by staff; for a report that aggregates its subtree, they are
the unit's own figure plus each descendant's own figure (a descendant's report that aggregates
too is counted by its own part only, never twice). Everything is aggregated in the database.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from applications import statistics
from disclosure.models import DocumentType, Entry, EntryState, Validity
from disclosure.reports import tables
from disclosure.reports.models import AnnualReport, ReportFigure
from disclosure.reports.signals import report_changed

DOCUMENT_ROWS = {"regulation": DocumentType.RULE, "normative": DocumentType.NORMATIVE}
ENTERED_KEYS = [
    key
    for key in tables.section_two_keys()
    if not key.startswith(("s2.regulation.", "s2.normative."))
]


def catalog_documents(unit_ids, year: int) -> dict[str, Decimal]:
    """规章 / 行政规范性文件: issued in the year (生成日期), repealed in the year, in force at its end."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    published = Entry.objects.filter(
        unit_id__in=list(unit_ids),
        state=EntryState.PUBLISHED,
        document_type__in=list(DOCUMENT_ROWS.values()),
    )
    rows = (
        published.order_by()
        .values("document_type")
        .annotate(
            issued=Count("pk", filter=Q(made_on__gte=first, made_on__lte=last)),
            repealed=Count(
                "pk",
                filter=Q(
                    validity=Validity.REPEALED, invalid_from__gte=first, invalid_from__lte=last
                ),
            ),
            in_force=Count(
                "pk",
                filter=Q(made_on__lte=last)
                & (
                    Q(validity=Validity.VALID)
                    | Q(invalid_from__isnull=True)
                    | Q(invalid_from__gt=last)
                ),
            ),
        )
    )
    by_type = {row["document_type"]: row for row in rows}
    result = {}
    for row_key, document_type in DOCUMENT_ROWS.items():
        counts = by_type.get(document_type, {})
        for column in ("issued", "repealed", "in_force"):
            result[f"s2.{row_key}.{column}"] = Decimal(counts.get(column, 0))
    return result


def own_part():
    """A report's own staff-entered figure in a cell: what staff typed on top of the subtree sum
    (all of it when the cell is not aggregated), so each unit is counted once however deep."""
    return F("value") - Coalesce(F("computed"), Value(Decimal(0)))


def subtree_entered(report: AnnualReport) -> dict[str, Decimal]:
    """Staff-entered cells: the own figures of the reports of the unit's descendants for the year."""
    others = ReportFigure.objects.filter(
        report__unit__in=report.unit.get_descendants(),
        report__year=report.year,
        key__in=ENTERED_KEYS,
    )
    sums = dict(
        others.order_by()
        .values("key")
        .annotate(total=Sum(own_part(), output_field=DecimalField(max_digits=14, decimal_places=4)))
        .values_list("key", "total")
    )
    return {key: Decimal(sums.get(key) or 0) for key in ENTERED_KEYS}


def compute(report: AnnualReport) -> dict[str, Decimal]:
    unit_ids = report.unit_ids()
    values: dict[str, Decimal] = {}
    for row_key, cells in statistics.section_three(unit_ids, report.year).as_dict().items():
        for column, value in cells.items():
            values[tables.s3(row_key, column)] = Decimal(value)
    for group, cells in statistics.section_four(unit_ids, report.year).items():
        for outcome, value in cells.items():
            values[f"s4.{group}.{outcome}"] = Decimal(value)
    values.update(catalog_documents(unit_ids, report.year))
    requests, amount = statistics.fees_collected(unit_ids, report.year)
    values["s6.fees.requests"], values["s6.fees.amount"] = Decimal(requests), amount
    if report.include_subtree:
        values.update(subtree_entered(report))
    return values


def apply_computed(report: AnnualReport) -> list[str]:
    """Store freshly computed values; a cell staff overrode (with a reason) keeps its value.

    Returns the labels of the overridden cells whose computed value changed, for a warning.
    """
    computed = compute(report)
    changed_overrides = []
    with transaction.atomic():
        existing = {figure.key: figure for figure in report.figures.select_for_update()}
        to_create, to_update = [], []
        for key in tables.ALL_KEYS:
            figure = existing.get(key)
            if figure is None:
                figure = ReportFigure(report=report, key=key)
                to_create.append(figure)
            else:
                to_update.append(figure)
            if key in ENTERED_KEYS:
                _apply_entered(report, figure, computed.get(key))
                continue
            if key not in computed:
                continue
            new = computed[key]
            if figure.reason and figure.computed is not None:
                if figure.computed != new:
                    changed_overrides.append(tables.cell_label(key))
            else:
                figure.value = new
                figure.reason = ""
            figure.computed = new
        ReportFigure.objects.bulk_create(to_create)
        ReportFigure.objects.bulk_update(to_update, ["value", "computed", "reason"])
        report.computed_at = timezone.now()
        report.save(update_fields=["computed_at", "updated_at"])
        # Bulk writes send no signal: the report's pages are invalidated here, on commit.
        report_changed(report)
    return changed_overrides


OWN_FIGURE_REASON = "含本级填报数"


def _apply_entered(report, figure, subtree) -> None:
    """A staff-entered cell keeps the unit's own figure; an aggregating report adds its subtree's."""
    own = figure.value - (figure.computed or 0)
    if subtree is None:  # the report no longer aggregates: back to the unit's own figure
        figure.value, figure.computed, figure.reason = max(own, Decimal(0)), None, ""
        return
    figure.value = max(subtree + own, Decimal(0))
    figure.computed = subtree
    if own == 0:
        figure.reason = ""
    elif not figure.reason:
        figure.reason = OWN_FIGURE_REASON


def ensure_figures(report: AnnualReport) -> None:
    """Every cell has a row, so the staff form and the public tables are complete."""
    have = set(report.figures.values_list("key", flat=True))
    ReportFigure.objects.bulk_create(
        [ReportFigure(report=report, key=key) for key in tables.ALL_KEYS if key not in have]
    )


def carry_over_warnings(report: AnnualReport) -> list[str]:
    """二 (上年结转) should equal 四 (结转下年度) of the previous year's published report.

    A warning, not a block: a report published before the system may have counted differently.
    """
    previous = (
        AnnualReport.objects.published()
        .filter(unit=report.unit, year=report.year - 1, include_subtree=report.include_subtree)
        .first()
    )
    if previous is None or not previous.is_official_format:
        return []
    before = previous.figure_values()
    now = report.figure_values()
    warnings = []
    for col, label in tables.SECTION_THREE_COLUMNS:
        carried_in, carried_out = (
            now[tables.s3("carried_in", col)],
            before[tables.s3("carried_out", col)],
        )
        if carried_in != carried_out:
            warnings.append(
                f"第三部分“{label}”列：二、上年结转 {int(carried_in)} 与{previous.year}年报"
                f"四、结转下年度继续办理 {int(carried_out)} 不一致，请核对。"
            )
    return warnings
