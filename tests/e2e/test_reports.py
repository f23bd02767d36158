"""Annual report journeys in the browser: staff compute, fix a validation error and publish; a
citizen opens the report and downloads its PDF; the imported 2016 report reads like the original."""

import datetime as dt
from pathlib import Path

import time_machine
from django.core.management import call_command

from applications import workflow as requests_workflow
from applications.models import ApplicantType, Channel, DeliveryRoute, Medium, Result
from disclosure.reports import figures
from disclosure.reports.models import AnnualReport
from tests.e2e.conftest import assert_accessible
from tests.reports.conftest import SEED


def _one_answered_request(unit, clerk):
    data = {
        "applicant_type": ApplicantType.PERSON,
        "name": "王五",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "phone": "13912345678",
        "info_description": "2025年窗口设置方案。",
        "medium": Medium.PAPER,
        "delivery": DeliveryRoute.POST,
    }
    with time_machine.travel(dt.datetime(2025, 4, 1, 2, tzinfo=dt.UTC)):
        request, _ = requests_workflow.register_paper(
            unit, actor=clerk, channel=Channel.IN_PERSON, received_on=dt.date(2025, 4, 1), data=data
        )
    with time_machine.travel(dt.datetime(2025, 4, 10, 2, tzinfo=dt.UTC)):
        requests_workflow.reply(
            request,
            actor=clerk,
            result=Result.DISCLOSED,
            letter="予以公开。",
            delivery_route=DeliveryRoute.POST,
            on=dt.date(2025, 4, 10),
        )


def test_staff_compute_fix_publish_and_citizen_downloads(
    browser_page, live_server, staff_login, admin_a, clerk_a, unit_a, bureau, site_profile
):
    _one_answered_request(unit_a, clerk_a)
    report = AnnualReport.objects.create(
        unit=unit_a, year=2025, overview="<p>2025年，中心依法做好政府信息公开工作。</p>"
    )
    figures.apply_computed(report)
    page = browser_page
    staff_login(page, admin_a)

    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/figures/")
    page.get_by_role("button", name="从数据重新计算").click()
    page.wait_for_selector("text=已重新计算数据")
    cell = "input[name='v_s3__1__person']"
    assert page.input_value(cell) == "1"

    # A wrong correction: the table no longer adds up and the page says where.
    page.fill(cell, "2")
    page.locator(f"td:has({cell}) summary").click()
    page.fill("input[name='r_s3__1__person']", "线下办理1件")
    page.get_by_role("button", name="保存数据").click()
    errors = page.locator("#validation-errors").inner_text()
    assert "第三部分“自然人”列：（七）总计应等于21项办理结果之和 2，现为 1" in errors

    # Publishing is refused while the error stands.
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/change/")
    page.get_by_role("button", name="发布年报").click()
    page.wait_for_selector("text=未能完成")
    report.refresh_from_db()
    assert report.state == "draft"

    # Fix it: back to the computed value; the reason is no longer needed.
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/figures/")
    page.fill(cell, "1")
    page.get_by_role("button", name="保存数据").click()
    page.wait_for_selector("text=勾稽关系校验通过")

    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/change/")
    page.get_by_role("button", name="发布年报").click()
    page.wait_for_selector("text=年报已发布")

    # A citizen finds it in the unit's report list and reads it.
    citizen = page.context.browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
    citizen.goto(f"{live_server.url}/nianbao/zwzx/")
    citizen.get_by_role(
        "link", name="安庆市人民政府政务服务中心2025年政府信息公开工作年度报告"
    ).click()
    citizen.wait_for_url("**/nianbao/zwzx/2025/")
    assert (
        citizen.locator("h1").inner_text()
        == "安庆市人民政府政务服务中心2025年政府信息公开工作年度报告"
    )
    table = citizen.locator("table.report-table-three")
    first_result = table.locator("tbody tr").nth(2)
    assert "（一）予以公开" in first_result.inner_text()
    assert first_result.locator("td").first.inner_text() == "1"
    assert citizen.locator("svg.chart").count() == 1
    assert_accessible(citizen)
    with citizen.expect_download() as download_info:
        citizen.get_by_role("link", name="下载PDF").click()
    download = download_info.value
    assert download.suggested_filename == "zwzx-2025-annual-report.pdf"
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"
    citizen.context.close()


def test_seed_report_reads_like_the_original_on_a_phone(
    browser_page, live_server, unit_a, bureau, site_profile
):
    bureau.credit_code = "11340800MB01234565"  # the 索引号 of its catalog needs a code
    bureau.save()
    call_command(
        "import_legacy_report", str(SEED), unit="zwzx", year=2016, catalog_unit="sjj", publish=True
    )
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/xxgk/sjj/")
    page.get_by_role("link", name="安庆市人民政府政务服务中心2016年度政务公开年报").first.click()
    page.wait_for_url("**/nianbao/zwzx/2016/")
    byline = page.locator(".entry-byline").inner_text()
    assert "发布单位：市政务服务中心" in byline and "2017-05-22" in byline
    headings = page.locator(".report-body h2").all_inner_texts()
    assert headings == ["一、主要做法和成效", "二、存在的主要问题", "三、下一步工作打算"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)


def test_year_overview_is_accessible(browser_page, live_server, unit_a, bureau, site_profile):
    call_command("load_demo")
    page = browser_page
    page.goto(f"{live_server.url}/nianbao/?year=2025")
    assert page.locator("h1").inner_text() == "2025年度政府信息公开工作年度报告"
    assert_accessible(page)
    page.goto(f"{live_server.url}/nianbao/anqing/2025/")
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 740})
    # The wide tables scroll inside their own box, not the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
