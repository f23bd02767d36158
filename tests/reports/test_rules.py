"""The rules around a report's figures and its publication (issue 16, section 4)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from applications import workflow as requests_workflow
from applications.models import AppealKind, AppealOutcome, FeeMethod
from disclosure.reports import figures, presentation, tables, workflow
from disclosure.reports.models import AnnualReport, publication_deadline
from tests.applications.conftest import register_on

pytestmark = pytest.mark.django_db
D = dt.date


def at(day):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC))


@pytest.mark.parametrize(
    ("kind", "year", "deadline"),
    [
        # 2008 条例第三十二条: every agency by 31 March (reports for 2018 and earlier).
        ("bureau", 2016, D(2017, 3, 31)),
        ("bureau", 2018, D(2019, 3, 31)),
        ("government", 2018, D(2019, 3, 31)),
        # 2019 条例第四十九条: departments by 31 January, governments by 31 March.
        ("bureau", 2019, D(2020, 1, 31)),
        ("government", 2019, D(2020, 3, 31)),
        ("bureau", 2025, D(2026, 1, 31)),
    ],
)
def test_deadline_follows_the_rules_in_force_for_the_year(request, kind, year, deadline):
    unit = request.getfixturevalue(kind)
    assert publication_deadline(unit, year) == deadline


def test_a_report_for_a_year_not_ended_cannot_be_published(admin_a, unit_a, bureau):
    report = AnnualReport.objects.create(unit=unit_a, year=2026, overview="<p>总体情况。</p>")
    figures.apply_computed(report)
    with at(D(2026, 12, 1)), pytest.raises(workflow.ReportError, match="2026年度尚未结束"):
        workflow.publish(report, admin_a)
    with at(D(2027, 1, 5)):
        with pytest.raises(workflow.ReportError, match="尚未结束"):
            workflow.publish(report, admin_a, published_on=D(2026, 12, 31))
        workflow.publish(report, admin_a)
    report.refresh_from_db()
    assert report.is_published and report.published_on == D(2027, 1, 5)


def test_section_six_states_the_fees_collected_from_the_register(unit_a, clerk_a, bureau):
    paid = register_on(D(2025, 3, 2), unit_a, clerk_a)
    with at(D(2025, 3, 5)):
        requests_workflow.send_fee_notice(
            paid, actor=clerk_a, method=FeeMethod.BY_PAGES, quantity=120
        )
    with at(D(2025, 3, 10)):
        requests_workflow.record_payment(paid, actor=clerk_a)
    unpaid = register_on(D(2025, 3, 2), unit_a, clerk_a)
    with at(D(2025, 3, 5)):
        requests_workflow.send_fee_notice(
            unpaid, actor=clerk_a, method=FeeMethod.BY_COUNT, quantity=11
        )
    report = AnnualReport.objects.create(unit=unit_a, year=2025)
    figures.apply_computed(report)
    values = report.figure_values()
    assert values["s6.fees.requests"] == 1 and values["s6.fees.amount"] == Decimal(1100)
    text = presentation.fees_sentence(values)
    assert text == "本年度对1件政府信息公开申请收取信息处理费，共计1100元。"
    assert presentation.fees_sentence(tables.empty_figures()) == "本年度未收取信息处理费。"


def test_carry_over_differing_from_last_years_report_is_a_warning(admin_a, unit_a, bureau):
    with at(D(2025, 2, 1)):
        last = AnnualReport.objects.create(unit=unit_a, year=2024, overview="<p>情况。</p>")
        figures.apply_computed(last)
        last.figures.filter(key__in=["s3.new.person", "s3.new.total"]).update(value=3)
        last.figures.filter(key__in=["s3.carried_out.person", "s3.carried_out.total"]).update(
            value=3
        )
        workflow.publish(last, admin_a)
    report = AnnualReport.objects.create(unit=unit_a, year=2025, overview="<p>情况。</p>")
    figures.apply_computed(report)  # the register holds nothing open from 2024
    warnings = figures.carry_over_warnings(report)
    assert warnings == [
        "第三部分“自然人”列：二、上年结转 0 与2024年报四、结转下年度继续办理 3 不一致，请核对。",
        "第三部分“总计”列：二、上年结转 0 与2024年报四、结转下年度继续办理 3 不一致，请核对。",
    ]
    # Only a warning: the report still publishes.
    with at(D(2026, 1, 10)):
        workflow.publish(report, admin_a)


def test_figures_page_states_the_warning_and_the_section_four_rule(login, admin_a, unit_a, bureau):
    report = AnnualReport.objects.create(unit=unit_a, year=2025)
    figures.apply_computed(report)
    html = login(admin_a).get(f"/admin/reports/annualreport/{report.pk}/figures/").content
    html = html.decode()
    assert "统计口径：本年度内提起的行政复议、行政诉讼案件" in html
    assert "收取信息处理费金额（元）" in html


def test_section_four_counts_cases_filed_in_the_year_as_at_31_december(unit_a, clerk_a):
    """The rule stated on the figures page: a case filed in 2025 and decided in 2026 counts in
    2025 as 尚未审结 and not at all in 2026; one decided in 2025 counts by its outcome."""
    request = register_on(D(2025, 3, 2), unit_a, clerk_a)
    request.appeals.create(
        kind=AppealKind.REVIEW,
        filed_on=D(2025, 11, 3),
        outcome=AppealOutcome.UPHELD,
        closed_on=D(2026, 1, 20),
    )
    request.appeals.create(
        kind=AppealKind.REVIEW,
        filed_on=D(2025, 5, 6),
        outcome=AppealOutcome.CORRECTED,
        closed_on=D(2025, 8, 1),
    )
    values = {}
    for year in (2025, 2026):
        report = AnnualReport.objects.create(unit=unit_a, year=year)
        figures.apply_computed(report)
        values[year] = report.figure_values()
    assert values[2025]["s4.review.pending"] == 1 and values[2025]["s4.review.corrected"] == 1
    assert values[2025]["s4.review.upheld"] == 0 and values[2025]["s4.review.total"] == 2
    assert values[2026]["s4.review.total"] == 0
