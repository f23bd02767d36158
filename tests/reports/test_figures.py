"""Computing the 2021-format tables from the registers, and the report's own arithmetic."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from applications import workflow as requests_workflow
from applications.models import (
    ApplicantType,
    Channel,
    DeliveryRoute,
    Medium,
    OrganisationKind,
    Result,
)
from disclosure.models import Category, DocumentType, Entry, EntryState, Validity
from disclosure.reports import figures, spreadsheet, tables
from disclosure.reports import workflow as report_workflow
from disclosure.reports.models import AnnualReport
from portal.permissions import SYSTEM

pytestmark = pytest.mark.django_db


def _data(column: str, n: int) -> dict:
    data = {
        "applicant_type": ApplicantType.PERSON,
        "name": f"申请人{n}",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "phone": "13912345678",
        "address": "安庆市迎江区人民路1号",
        "info_description": f"第{n}件申请所需的政府信息。",
        "medium": Medium.PAPER,
        "delivery": DeliveryRoute.POST,
    }
    if column != "person":
        data.update(
            applicant_type=ApplicantType.ORGANISATION,
            organisation_kind=column,
            name=f"某机构{n}",
            id_type="",
            id_number="",
            contact_person="联系人",
        )
    return data


def make_requests(
    unit, actor, column: str, count: int, received: dt.date, result=None, replied=None
):
    """`count` paper requests received on `received`, replied `result` on `replied` (or left open)."""
    made = []
    for n in range(count):
        with time_machine.travel(dt.datetime.combine(received, dt.time(10)).astimezone(dt.UTC)):
            request, _ = requests_workflow.register_paper(
                unit,
                actor=actor,
                channel=Channel.IN_PERSON,
                received_on=received,
                data=_data(column, n),
            )
        if result:
            with time_machine.travel(dt.datetime.combine(replied, dt.time(10)).astimezone(dt.UTC)):
                requests_workflow.reply(
                    request,
                    actor=actor,
                    result=result,
                    letter="答复告知书。",
                    delivery_route=DeliveryRoute.POST,
                    on=replied,
                )
        made.append(request)
    return made


# A real published table: 深圳市龙岗区某区政府工作部门2024年政府信息公开工作年度报告,
# https://www.lg.gov.cn/xxgk/xxgknb/qzfgzbm/content/post_11956962.html (section 二 and section 三).
# The stored copy of that page ends inside row （三）7, so the cells from there on are not copied:
# the requests left over after the printed rows (68 received, 21 answered in those rows) are kept
# open here and therefore appear as 结转下年度; every other cell is the report's own figure.
REAL = {
    "new": {"person": 58, "business": 7, "nonprofit": 1},
    "carried_in": {"person": 2},
    "1": {"person": 2, "business": 1},
    "2": {"person": 16, "business": 1},
    "3_5": {"person": 1},
}


D = dt.date
# The register behind the table: (column, how many, received, result, replied); None = still open.
REAL_REGISTER = [
    ("person", 2, D(2023, 12, 20), Result.PARTLY_DISCLOSED, D(2024, 1, 10)),  # 二、上年结转
    ("person", 2, D(2024, 3, 4), Result.DISCLOSED, D(2024, 3, 20)),
    ("business", 1, D(2024, 3, 4), Result.DISCLOSED, D(2024, 3, 20)),
    ("person", 14, D(2024, 5, 6), Result.PARTLY_DISCLOSED, D(2024, 5, 28)),
    ("business", 1, D(2024, 5, 6), Result.PARTLY_DISCLOSED, D(2024, 5, 28)),
    ("person", 1, D(2024, 6, 3), Result.WITHHELD_INTERNAL, D(2024, 6, 20)),
    # The rest of the 66 received in 2024, open at the end of the year.
    ("person", 41, D(2024, 12, 16), None, None),
    ("business", 5, D(2024, 12, 16), None, None),
    (OrganisationKind.NONPROFIT, 1, D(2024, 12, 16), None, None),
]


def test_computed_table_reproduces_a_real_report(unit_a, clerk_a):
    year = 2024
    for column, count, received, result, replied in REAL_REGISTER:
        make_requests(unit_a, clerk_a, column, count, received, result, replied)
    # Section 二, 行政规范性文件: 5 issued in 2024, 1 repealed in 2024, 25 in force at its end.
    category = Category.objects.get(slug="fgwj")  # 法规文件, seeded by the catalog's migration

    def entry(n, made_on, validity=Validity.VALID, invalid_from=None):
        return Entry(
            unit=unit_a,
            category=category,
            title=f"规范性文件{n}",
            made_on=made_on,
            document_type=DocumentType.NORMATIVE,
            validity=validity,
            invalid_from=invalid_from,
            state=EntryState.PUBLISHED,
            published_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
            index_number=f"X/{n:05d}",
            index_year=2024,
            index_serial=n,
        )

    for n in range(20):
        entry(n, dt.date(2020, 1, 1) + dt.timedelta(days=n)).save()
    for n in range(20, 25):
        entry(n, dt.date(2024, 2, 1) + dt.timedelta(days=n)).save()
    entry(25, dt.date(2019, 5, 5), Validity.REPEALED, dt.date(2024, 7, 1)).save()

    report = AnnualReport.objects.create(unit=unit_a, year=year)
    figures.apply_computed(report)
    values = report.figure_values()

    assert [values[f"s2.normative.{c}"] for c in ("issued", "repealed", "in_force")] == [5, 1, 25]
    expected = {
        row: dict.fromkeys(c for c, _ in tables.SECTION_THREE_COLUMNS if c != "total")
        for row, _ in tables.SECTION_THREE_ROWS
    }
    for row in expected:
        for column in expected[row]:
            expected[row][column] = REAL.get(row, {}).get(column, 0)
    for column in expected["new"]:
        answered = sum(expected[row][column] for row, _ in tables.RESULT_ROWS)
        expected["results_total"][column] = answered
        expected["carried_out"][column] = (
            expected["new"][column] + expected["carried_in"][column] - answered
        )
    for row, columns in expected.items():
        columns["total"] = sum(columns.values())
        for column, number in columns.items():
            assert values[tables.s3(row, column)] == number, (row, column)
    # The report's printed totals.
    assert values[tables.s3("new", "total")] == 66
    assert values[tables.s3("carried_in", "total")] == 2
    assert values[tables.s3("1", "total")] == 3 and values[tables.s3("2", "total")] == 17
    assert tables.validate(values) == []


def test_subtree_aggregation_sums_departments(government, unit_a, unit_b, clerk_a, clerk_b):
    make_requests(
        unit_a, clerk_a, "person", 2, dt.date(2025, 4, 1), Result.DISCLOSED, dt.date(2025, 4, 15)
    )
    make_requests(
        unit_b,
        clerk_b,
        "legal",
        1,
        dt.date(2025, 4, 1),
        Result.UNABLE_NOT_HELD,
        dt.date(2025, 4, 20),
    )
    department = AnnualReport.objects.create(unit=unit_b, year=2025)
    figures.apply_computed(department)
    department.figures.filter(key="s2.permit.decisions").update(value=12)
    department.figures.filter(key="s2.fee.amount").update(value=Decimal("0.35"))
    own_only = AnnualReport.objects.create(unit=government, year=2025)
    figures.apply_computed(own_only)
    assert own_only.figure_values()[tables.s3("new", "total")] == 0
    own_only.include_subtree = True
    own_only.save()
    figures.apply_computed(own_only)
    values = own_only.figure_values()
    assert values[tables.s3("new", "total")] == 3
    assert values[tables.s3("1", "person")] == 2 and values[tables.s3("4_1", "legal")] == 1
    assert values["s2.permit.decisions"] == 12 and values["s2.fee.amount"] == Decimal("0.35")


def test_recompute_keeps_overrides_with_their_reason(unit_a, clerk_a):
    make_requests(
        unit_a, clerk_a, "person", 1, dt.date(2025, 4, 1), Result.DISCLOSED, dt.date(2025, 4, 15)
    )
    report = AnnualReport.objects.create(unit=unit_a, year=2025)
    figures.apply_computed(report)
    cell = report.figures.get(key=tables.s3("1", "person"))
    cell.value, cell.reason = Decimal(3), "系统上线前线下办理2件"
    cell.save()
    make_requests(
        unit_a, clerk_a, "person", 1, dt.date(2025, 5, 6), Result.DISCLOSED, dt.date(2025, 5, 20)
    )
    changed = figures.apply_computed(report)
    cell.refresh_from_db()
    assert (cell.value, cell.computed, cell.reason) == (3, 2, "系统上线前线下办理2件")
    assert changed == ["第三部分“（一）予以公开”行“自然人”列"]
    assert report.figures.get(key=tables.s3("new", "person")).value == 2


def test_spreadsheet_round_trip(unit_a, clerk_a):
    make_requests(
        unit_a,
        clerk_a,
        "research",
        2,
        dt.date(2025, 4, 1),
        Result.WITHHELD_PROCESS,
        dt.date(2025, 4, 15),
    )
    report = AnnualReport.objects.create(unit=unit_a, year=2025)
    figures.apply_computed(report)
    report.figures.filter(key="s2.fee.amount").update(value=Decimal("1.25"))
    values = report.figure_values()
    content = spreadsheet.export_xlsx(report.display_title, values)
    assert spreadsheet.import_xlsx(content) == values


def test_spreadsheet_import_reports_bad_cells():
    from openpyxl import load_workbook

    content = spreadsheet.export_xlsx("测试", tables.empty_figures())
    from io import BytesIO

    workbook = load_workbook(BytesIO(content))
    sheet = workbook.active
    row = next(
        r
        for r in range(1, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value == "一、本年新收政府信息公开申请数量"
    )
    sheet.cell(row=row, column=4, value="十")
    sheet.cell(row=row, column=5, value=-1)
    buffer = BytesIO()
    workbook.save(buffer)
    with pytest.raises(spreadsheet.SpreadsheetError) as excinfo:
        spreadsheet.import_xlsx(buffer.getvalue())
    assert f"D{row}：“十”不是数字。" in excinfo.value.messages
    assert f"E{row}：不能为负数。" in excinfo.value.messages
    with pytest.raises(spreadsheet.SpreadsheetError, match="xlsx"):
        spreadsheet.import_xlsx(b"not a workbook")


def test_publishing_refuses_broken_arithmetic_and_names_the_cell(unit_a, bureau):
    report = AnnualReport.objects.create(unit=unit_a, year=2025, overview="<p>总体情况。</p>")
    figures.apply_computed(report)
    report.figures.filter(key=tables.s3("new", "person")).update(value=1)
    with pytest.raises(report_workflow.ReportError) as excinfo:
        report_workflow.publish(report, SYSTEM)
    assert any("第三部分“自然人”列" in message for message in excinfo.value.messages)
    report.refresh_from_db()
    assert report.state == "draft" and report.entry is None


def entered(report, key, value):
    report.figures.filter(key=key).update(value=value)


def test_nested_aggregation_counts_each_units_own_figures_once(government, bureau, unit_a, unit_b):
    key = "s2.permit.decisions"
    reports = {}
    for unit, own in ((unit_a, 5), (unit_b, 2), (bureau, 3), (government, 1)):
        reports[unit] = AnnualReport.objects.create(unit=unit, year=2025)
        figures.apply_computed(reports[unit])
        entered(reports[unit], key, own)  # each unit's staff enter their own figure
    # The bureau sums its subtree (itself and unit A); the government sums everything below it,
    # the bureau's report included, which aggregates too.
    for unit in (bureau, government):
        reports[unit].include_subtree = True
        reports[unit].save()
        figures.apply_computed(reports[unit])
    assert reports[bureau].figure_values()[key] == 3 + 5
    assert reports[government].figure_values()[key] == 1 + 3 + 5 + 2
    # Recomputing changes nothing; a correction in unit A reaches both totals.
    entered(reports[unit_a], key, 6)
    for unit in (government, bureau, government):
        figures.apply_computed(reports[unit])
    assert reports[bureau].figure_values()[key] == 3 + 6
    assert reports[government].figure_values()[key] == 1 + 3 + 6 + 2
    figure = reports[government].figures.get(key=key)
    assert figure.computed == 3 + 6 + 2 and figure.reason == "含本级填报数"
    # Back to the unit's own figures only.
    reports[government].include_subtree = False
    reports[government].save()
    figures.apply_computed(reports[government])
    assert reports[government].figure_values()[key] == 1
