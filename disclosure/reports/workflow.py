"""State changes of an annual report: one function each (草稿 → 已发布, and back).

Publishing validates the 2021 tables, locks the row, records who and when, and files the report in
its unit's catalog under 政府信息公开年报 as a catalog entry with an 索引号, so the catalog, the
feeds and the site search find it like any other entry.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from disclosure import workflow as entry_workflow
from disclosure.models import Category, ColumnKind, DocumentType, Entry, EntryState
from disclosure.reports import figures, tables
from disclosure.reports.legacy import LegacyReport
from disclosure.reports.models import AnnualReport, ReportFormat, ReportState
from portal import permissions
from portal.models import PublishingUnit


class ReportError(Exception):
    """A change that is not allowed now; `messages` are shown to staff as they are."""

    def __init__(self, messages):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("；".join(self.messages))


def can_manage(user, unit) -> bool:
    """单位管理员 of the unit (or above it) and superusers publish reports (commands: SYSTEM)."""
    return permissions.can(user, "reports.change_annualreport", unit)


def problems(report: AnnualReport) -> list[str]:
    """What stops publication, in Chinese, naming the row and column of each table error."""
    if report.format == ReportFormat.LEGACY:
        return [] if report.body.strip() else ["正文为空，不能发布。"]
    errors = tables.validate(report.figure_values())
    if not report.overview.strip():
        errors.insert(0, "“一、总体情况”不能为空。")
    return errors


def _annual_report_category() -> Category:
    return Category.objects.filter(column=ColumnKind.ANNUAL_REPORT).order_by("level", "lft").first()


def render_body(report: AnnualReport) -> str:
    """The report as HTML: the catalog entry's body, so search finds its full text."""
    return render_to_string(
        "reports/includes/report_body.html", {"report": report, "tables": tables_context(report)}
    )


def tables_context(report: AnnualReport) -> dict | None:
    if not report.is_official_format:
        return None
    from disclosure.reports.presentation import report_tables

    return report_tables(report.figure_values())


def publish(report: AnnualReport, actor, published_on: dt.date | None = None) -> AnnualReport:
    if not can_manage(actor, report.unit):
        raise PermissionDenied("只有本单位的单位管理员才能发布年报。")
    with transaction.atomic():
        locked = (
            AnnualReport.objects.select_for_update(of=("self",))
            .select_related("unit")
            .get(pk=report.pk)
        )
        if locked.state != ReportState.DRAFT:
            raise ReportError("该年报已发布。")
        on = published_on or locked.published_on or timezone.localdate()
        if locked.year >= timezone.localdate().year or on.year <= locked.year:
            raise ReportError(
                f"{locked.year}年度尚未结束，不能发布该年度的年报（发布日期应在{locked.year + 1}年1月1日以后）。"
            )
        if on > timezone.localdate():
            raise ReportError("发布日期不能晚于今天。")
        errors = problems(locked)
        if errors:
            raise ReportError(errors)
        now = timezone.now()
        locked.state = ReportState.PUBLISHED
        locked.published_on = on
        locked.published_at = now
        locked.published_by = permissions.recorded(actor)
        locked.entry = _file_in_catalog(locked, actor)
        locked.save(
            update_fields=[
                "state",
                "published_on",
                "published_at",
                "published_by",
                "entry",
                "updated_at",
            ]
        )
    report.refresh_from_db()
    return report


def _file_in_catalog(report: AnnualReport, actor) -> Entry:
    category = _annual_report_category()
    if category is None:
        raise ReportError("信息公开目录中没有“政府信息公开年报”分类，请先在“信息分类”中建立。")
    entry = Entry.objects.create(
        unit=report.directory_unit,
        category=category,
        title=report.display_title,
        summary=f"{report.unit.name}{report.year}年政府信息公开工作年度报告。",
        body=render_body(report),
        made_on=report.published_on,
        document_type=DocumentType.OTHER,
        created_by=permissions.recorded(actor),
    )
    when = timezone.make_aware(dt.datetime.combine(report.published_on, dt.time(9, 0)))
    when = min(when, timezone.now())
    try:
        return entry_workflow.publish_directly(entry, actor, when, note="年报发布")
    except ValidationError as error:
        raise ReportError(error.messages) from error


def unpublish(report: AnnualReport, actor, reason: str = "") -> AnnualReport:
    """Back to draft for a correction; the catalog entry is withdrawn (its 索引号 stays taken)."""
    if not can_manage(actor, report.unit):
        raise PermissionDenied("只有本单位的单位管理员才能撤回年报。")
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
        if locked.state != ReportState.PUBLISHED:
            raise ReportError("只有已发布的年报才能撤回。")
        if locked.entry and locked.entry.state == EntryState.PUBLISHED:
            entry_workflow.withdraw(locked.entry, actor, reason or "年报撤回修改")
        locked.state = ReportState.DRAFT
        locked.entry = None
        locked.save(update_fields=["state", "entry", "updated_at"])
    report.refresh_from_db()
    return report


def create(report: AnnualReport) -> AnnualReport:
    """Every new report is made here (admin, legacy import, compute_reports): saved, and a
    2021-format one filled with the figures computed from the registers."""
    with transaction.atomic():
        report.save()
        if report.is_official_format:
            figures.apply_computed(report)
    return report


def create_legacy(
    unit: PublishingUnit, year: int, parsed: LegacyReport, catalog_unit=None
) -> AnnualReport:
    """A draft free-text report from an imported page; refuses a second report for the year."""
    if AnnualReport.objects.filter(unit=unit, year=year).exists():
        raise ReportError(f"{unit.name}{year}年的年报已存在。")
    return create(
        AnnualReport(
            unit=unit,
            year=year,
            format=ReportFormat.LEGACY,
            title=parsed.title,
            catalog_unit=catalog_unit,
            published_on=parsed.published,
            body=parsed.to_html(),
        )
    )
