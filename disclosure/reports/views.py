from django.db.models import Min
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from disclosure.reports import pdf, presentation, tables
from disclosure.reports.models import (
    REVISED_RULES_FROM_YEAR,
    AnnualReport,
    ReportFormat,
    publication_deadline,
)
from portal import pagecache, scope
from portal.charts import bar_chart
from portal.models import PublishingUnit


def _published(unit_slug, year) -> AnnualReport:
    return get_object_or_404(
        AnnualReport.objects.published().select_related("unit", "catalog_unit", "entry"),
        unit__slug=unit_slug,
        year=year,
    )


def _unit_scope(request, unit_slug, *args, **kwargs):
    # A report page shows in its directory unit's breadcrumb too; both bump on a report change.
    return [pagecache.unit(unit_slug)]


@pagecache.cache_public_page(_unit_scope)
def unit_reports(request, unit_slug):
    unit = get_object_or_404(PublishingUnit, slug=unit_slug)
    reports = AnnualReport.objects.published().filter(unit=unit).order_by("-year")
    return render(
        request,
        "reports/unit_reports.html",
        {"unit": unit, "ancestors": unit.get_ancestors(), "reports": reports},
    )


@pagecache.cache_public_page(pagecache.site)
def year_overview(request):
    """All units' reports for one year; after the deadline the missing ones are listed as late."""
    today = timezone.localdate()
    years = scope.years(request, default=today.year - 1)
    year = years.year
    units = list(PublishingUnit.objects.active().order_by("tree_id", "lft"))
    # Before the platform registered its first request it holds no record of that year's work:
    # a missing report there is unknown, not late.
    first_year = platform_first_year(today)
    judged = year >= first_year
    reports = {
        report.unit_id: report
        for report in AnnualReport.objects.published().filter(year=year).select_related("unit")
    }
    rows = []
    for unit in units:
        deadline = publication_deadline(unit, year)
        report = reports.get(unit.pk)
        rows.append(
            {
                "unit": unit,
                "report": report,
                "deadline": deadline,
                "judged": judged,
                "late": judged and report is None and today > deadline,
                "published_late": bool(
                    report and report.published_on and report.published_on > deadline
                ),
            }
        )
    return render(
        request,
        "reports/year_overview.html",
        {
            "year": year,
            "years": years.choices,
            "judged": judged,
            "first_year": first_year,
            "old_rules": year < REVISED_RULES_FROM_YEAR,
            "rows": rows,
            "missing": [row for row in rows if row["late"]],
        },
    )


def platform_first_year(today) -> int:
    """The year of the platform's first registered request (the current year without any)."""
    from applications.models import Request

    first = Request.objects.aggregate(first=Min("submitted_at"))["first"]
    return timezone.localtime(first).year if first else today.year


def _history(report: AnnualReport) -> list[tuple[str, float]]:
    """新收 of this report and the unit's earlier 2021-format reports, oldest first."""
    key = tables.s3("new", "total")
    history = (
        AnnualReport.objects.published()
        .filter(
            unit=report.unit,
            format=ReportFormat.OFFICIAL_2021,
            year__lte=report.year,
            figures__key=key,
        )
        .order_by("year")
        .values_list("year", "figures__value")
    )
    return [(f"{year}年", float(value)) for year, value in history][-6:]


@pagecache.cache_public_page(_unit_scope)
def report_detail(request, unit_slug, year):
    report = _published(unit_slug, year)
    directory = report.directory_unit
    figures = report.figure_values() if report.is_official_format else None
    history = _history(report) if figures else []
    response = render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "unit": directory,
            "ancestors": directory.get_ancestors(),
            "tables": presentation.report_tables(figures) if figures else None,
            "chart": bar_chart(
                history, "历年收到政府信息公开申请数量", highlight=f"{report.year}年"
            )
            if history
            else None,
            # The chart's numbers as a table beside it (GB/T 37668: a text alternative to charts).
            "chart_rows": history,
        },
    )
    # Kept in the page cache with the page; ConditionalGetMiddleware answers 304 from it.
    response["Last-Modified"] = http_date(report.updated_at.timestamp())
    return response


def report_pdf(request, unit_slug, year):
    report = _published(unit_slug, year)
    meta = f"发布单位：{report.unit.short_name}    发布时间：{report.published_on:%Y-%m-%d}"
    if report.is_official_format:
        figures = report.figure_values()
        grids = presentation.pdf_tables(figures, pdf.CONTENT_WIDTH)
        parts = [
            ("h2", "一、总体情况"), ("html", report.overview),
            ("h2", "二、主动公开政府信息情况"), *grids["two"],
            ("h2", "三、收到和处理政府信息公开申请情况"), *grids["three"],
            ("h2", "四、政府信息公开行政复议、行政诉讼情况"), *grids["four"],
            ("h2", "五、存在的主要问题及改进情况"), ("html", report.problems),
            ("h2", "六、其他需要报告的事项"),
            ("html", f"<p>{presentation.fees_sentence(figures)}</p>"),
            ("html", report.other_matters),
        ]  # fmt: skip
    else:
        parts = [("html", report.body)]
    page_url = request.build_absolute_uri(reverse("reports:detail", args=[unit_slug, year]))
    content = pdf.render_pdf(report.display_title, meta, parts, accessible_url=page_url)
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"{report.unit.slug}-{report.year}-annual-report.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
