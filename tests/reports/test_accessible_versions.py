"""GB/T 37668 for the annual report: the previous-years chart has its numbers in a table beside it,
and the PDF (reportlab writes no structure tags) carries its language and title and names the
accessible HTML page."""

import datetime as dt
import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from disclosure.reports import figures, tables
from disclosure.reports import workflow as report_workflow
from disclosure.reports.models import AnnualReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_reports(unit_a, bureau, admin_a):
    bureau.credit_code = "11340800MB01234565"
    bureau.save()
    reports = []
    for year, received in ((2024, 3), (2025, 0)):
        report = AnnualReport.objects.create(unit=unit_a, year=year, overview="<p>总体情况。</p>")
        figures.apply_computed(report)
        # Requests received by citizens and carried into the next year, so the tables add up.
        for row in ("new", "carried_out"):
            for column in ("person", "total"):
                report.figures.filter(key=tables.s3(row, column)).update(value=received)
        report_workflow.publish(report, admin_a, published_on=dt.date(year + 1, 1, 20))
        reports.append(report)
    return reports


def test_history_chart_has_a_data_table_beside_it(client, published_reports):
    html = client.get("/nianbao/zwzx/2025/").content.decode()
    assert 'class="chart"' in html
    table = re.search(r'<table class="report-chart-data">(.*?)</table>', html, re.S)
    assert table, "the chart has no data table"
    rows = re.findall(r'<th scope="row">(\d{4}年)</th><td>([\d.]+)</td>', table.group(1))
    assert rows == [("2024年", "3"), ("2025年", "0")]


def test_report_pdf_has_language_title_and_names_the_accessible_page(client, published_reports):
    response = client.get("/nianbao/zwzx/2025.pdf")
    reader = PdfReader(BytesIO(response.content))
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    assert reader.metadata.title == published_reports[1].display_title
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert "读屏软件用户请访问网页版：http://testserver/nianbao/zwzx/2025/" in text
