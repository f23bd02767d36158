"""The seed report (2016, 安庆市人民政府政务服务中心) imported from its page and shown like the original."""

import datetime as dt
import re
from html import unescape
from io import BytesIO

import pytest
import time_machine
from django.core.management import call_command
from pypdf import PdfReader

from disclosure.reports.models import AnnualReport, ReportState
from portal import pagecache
from tests.applications.conftest import register_on
from tests.reports.conftest import SEED, original_paragraphs

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_report(unit_a, bureau):
    # The catalog unit needs a code for the 索引号 (as in the demo data).
    bureau.credit_code = "11340800MB01234565"
    bureau.save()
    call_command(
        "import_legacy_report", str(SEED), unit="zwzx", year=2016, catalog_unit="sjj", publish=True
    )
    return AnnualReport.objects.get(unit=unit_a, year=2016)


def page_text(html: str) -> str:
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def test_seed_report_page_matches_the_original(client, seed_report):
    response = client.get("/nianbao/zwzx/2016/")
    assert response.status_code == 200
    html = response.content.decode()
    text = page_text(html)
    assert '<h1 id="report-title">安庆市人民政府政务服务中心2016年度政务公开年报</h1>' in html
    assert "发布单位：市政务服务中心" in text
    assert "发布时间： 2017-05-22" in text
    # Every paragraph of the original, in order (the heading printed as "()" gets its number back).
    position = 0
    for paragraph in original_paragraphs():
        paragraph = paragraph.replace("() ", "(四)")
        words = paragraph.replace(" ", "")
        found = text.replace(" ", "").find(words, position)
        assert found >= 0, paragraph[:40]
        position = found + len(words)
    # Shown in the 数据资源局's catalog, as on the original page.
    breadcrumb = html.split('aria-label="当前位置"')[1].split("</nav>")[0]
    assert "市数据资源局" in breadcrumb and "信息公开目录" in breadcrumb


def test_seed_report_is_in_the_bureau_catalog_and_search(client, seed_report):
    catalog = client.get("/xxgk/sjj/").content.decode()
    assert "安庆市人民政府政务服务中心2016年度政务公开年报" in catalog
    entry_url = seed_report.entry.get_absolute_url()
    assert entry_url.startswith("/xxgk/sjj/")
    response = client.get(entry_url)
    assert response.status_code == 301 and response["Location"] == "/nianbao/zwzx/2016/"
    results = client.get("/search/", {"q": "依申请公开受理点"}).content.decode()
    assert "安庆市人民政府政务服务中心2016年度政务公开年报" in results
    assert seed_report.entry.index_number.startswith("11340800MB01234565/201705-")


def test_unit_report_list_and_pdf(client, seed_report):
    listing = client.get("/nianbao/zwzx/").content.decode()
    assert "安庆市人民政府政务服务中心2016年度政务公开年报" in listing
    response = client.get("/nianbao/zwzx/2016.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    flat = text.replace("\n", "").replace(" ", "")
    assert "安庆市人民政府政务服务中心2016年度政务公开年报" in flat
    assert "发布单位：市政务服务中心" in flat
    assert "全年主动公开信息826条" in flat


def test_report_page_supports_conditional_get(client, seed_report):
    response = client.get("/nianbao/zwzx/2016/")
    last_modified = response["Last-Modified"]
    again = client.get("/nianbao/zwzx/2016/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert again.status_code == 304


def test_draft_report_is_not_public(client, unit_a, bureau):
    call_command("import_legacy_report", str(SEED), unit="zwzx", year=2016)
    report = AnnualReport.objects.get(unit=unit_a, year=2016)
    assert report.state == ReportState.DRAFT
    assert client.get("/nianbao/zwzx/2016/").status_code == 404
    assert client.get("/nianbao/zwzx/2016.pdf").status_code == 404
    assert "政务公开年报" not in client.get("/nianbao/zwzx/").content.decode()


def test_import_refuses_a_second_report_for_the_year(seed_report):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="年报已存在"):
        call_command("import_legacy_report", str(SEED), unit="zwzx", year=2016)


def test_report_page_query_count_is_fixed(client, seed_report, django_assert_max_num_queries):
    client.get("/nianbao/zwzx/2016/")
    with django_assert_max_num_queries(6):
        client.get("/nianbao/zwzx/2016/")


def test_year_overview_lists_units_late_after_the_deadline(
    client, government, bureau, unit_a, unit_b, clerk_a
):
    """Reports for 2018 and earlier were due by 31 March from every agency (2008 条例第三十二条)."""
    call_command("import_legacy_report", str(SEED), unit="zwzx", year=2016, publish=True)
    register_on(dt.date(2016, 6, 1), unit_a, clerk_a)  # the platform holds 2016's data
    with time_machine.travel(dt.datetime(2017, 2, 10, 10, tzinfo=dt.UTC)):
        html = client.get("/nianbao/", {"year": 2016}).content.decode()
    assert 'id="missing-heading"' not in html  # a department's 31 January was not yet the rule
    pagecache.bump("all")
    with time_machine.travel(dt.datetime(2017, 4, 10, 10, tzinfo=dt.UTC)):
        html = client.get("/nianbao/", {"year": 2016}).content.decode()
    missing = html.split('id="missing-heading"')[1].split("</section>")[0]
    assert "安庆市数据资源局" in missing and "安庆市教育局" in missing
    assert "安庆市人民政府<" in missing or "安庆市人民政府 <" in missing
    assert "安庆市人民政府政务服务中心" not in missing
    assert "（逾期发布）" in html  # the 2016 report went up on 2017-05-22


def test_departments_are_due_by_31_january_from_the_2019_reports(
    client, government, bureau, unit_a, clerk_a
):
    """2019 条例第四十九条: departments by 31 January, governments by 31 March."""
    register_on(dt.date(2025, 6, 2), unit_a, clerk_a)
    with time_machine.travel(dt.datetime(2026, 2, 10, 10, tzinfo=dt.UTC)):
        html = client.get("/nianbao/", {"year": 2025}).content.decode()
    missing = html.split('id="missing-heading"')[1].split("</section>")[0]
    assert "安庆市数据资源局" in missing and "安庆市人民政府政务服务中心" in missing
    assert "安庆市人民政府 <" not in missing and "安庆市人民政府<" not in missing


def test_years_before_the_platform_holds_data_get_no_verdict(client, government, unit_a, clerk_a):
    register_on(dt.date(2025, 6, 2), unit_a, clerk_a)
    with time_machine.travel(dt.datetime(2026, 5, 10, 10, tzinfo=dt.UTC)):
        html = client.get("/nianbao/", {"year": 2012}).content.decode()
    assert "逾期未发布" not in html and 'id="missing-heading"' not in html
    assert "本平台自2025年起登记数据" in html and "本平台未收录" in html
