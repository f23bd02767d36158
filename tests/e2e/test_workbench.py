"""The clerk's workbench and the citizen's last mile in a real browser (issue 11)."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from applications import workflow
from applications.models import Request, State
from tests.applications.conftest import org_data, person_data
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_requests import PNG


@pytest.fixture
def phoned_in(unit_a, clerk_a, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    received = dt.date.today() - dt.timedelta(days=10)
    request, _code = workflow.register_paper(
        unit_a,
        actor=clerk_a,
        channel="in_person",
        received_on=received,
        data=person_data(name="赵一曼", phone="13955501234"),
    )
    return request


def test_handler_takes_a_phone_call(browser_page, live_server, staff_login, clerk_a, phoned_in):
    """The applicant phones: find the case by phone number (按申请人查找), open it, see the due
    date and the next action; every staff page on the way passes axe."""
    page = staff_login(browser_page, clerk_a)
    expect(page.get_by_role("heading", name=re.compile("依申请公开 · 今日待办"))).to_be_visible()
    assert phoned_in.number in page.locator(".workbench").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="全部申请 →").click()
    # 按申请人查找 is a POST: the number never reaches the address bar, the history or a log.
    page.get_by_label("按申请人查找").fill("139 5550 1234")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/admin/applications/request/\?found=[\w-]+$"))
    assert "5550" not in page.url
    expect(page.get_by_role("status")).to_contain_text("按申请人查找：找到 1 件")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    # The list fits 1280 px with the due date and the working days left in view.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    due_box = page.locator("#result_list th.column-workdays_left_display").bounding_box()
    assert due_box and due_box["x"] + due_box["width"] <= 1280
    assert "赵*曼" in rows.first.inner_text() and "13955501234" not in page.content()
    assert_accessible(page)

    rows.first.get_by_role("link", name=phoned_in.number).click()
    page.wait_for_url(re.compile(rf"/{phoned_in.pk}/change/"))
    main = page.locator("#content").inner_text()
    assert phoned_in.due_on.isoformat() in main
    tools = page.locator(".object-tools")
    expect(tools.get_by_role("link", name="答复", exact=True)).to_be_visible()
    expect(tools.get_by_role("link", name="确认收到", exact=True)).to_have_count(0)
    assert_accessible(page)


def test_citizen_types_full_width_numbers_on_a_phone(
    browser_page, live_server, unit_a, site_profile, settings, tmp_path
):
    settings.FORM_MIN_FILL_SECONDS = 0
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + "/yishenqing/shenqing/")
    page.select_option("#id_unit", label="安庆市人民政府政务服务中心")
    page.fill("#id_person_name", "张三丰")
    page.fill("#id_id_number", "１１０１０５ １９４９１２３１ ００２Ｘ")
    page.fill("#id_person_address", "安庆市迎江区人民路1号")
    page.fill("#id_person_phone", "１３９ １２３４ ５６７８")
    page.fill("#id_person_email", "zhangsan@example.com")
    page.fill("#id_info_title", "2025年政务服务中心窗口设置方案")
    page.fill("#id_info_description", "各办事窗口的设置方案。")
    page.check("#id_medium_1")
    page.check("#id_delivery_3")
    page.set_input_files(
        "#id_id_document",
        files=[{"name": "id.png", "mimeType": "image/png", "buffer": PNG.getvalue()}],
    )
    page.check("#id_declaration")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url("**/yishenqing/shenqing/wancheng/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    request = Request.objects.get()
    assert (request.id_number, request.phone) == ("11010519491231002X", "13912345678")
    assert request.state == State.SUBMITTED
    assert_accessible(page)


def test_start_page_table_fits_beside_the_recent_actions(
    browser_page, live_server, staff_login, clerk_a, unit_a, settings, tmp_path
):
    # Django's dashboard is 600 px wide: the urgency table scrolled sideways inside its panel and
    # cut "超期 N 个工作日" of the most urgent case at 1280 px.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    workflow.register_paper(
        unit_a,
        actor=clerk_a,
        channel="letter",
        received_on=dt.date.today() - dt.timedelta(days=200),
        data=person_data(name="欧阳长者", phone="13955509999"),
        late_reason="补录纸质登记簿",
    )
    consulting, _code = workflow.register_paper(
        unit_a,
        actor=clerk_a,
        channel="fax",
        received_on=dt.date.today() - dt.timedelta(days=3),
        data=org_data(name="安庆市某某信息科技有限责任公司"),
    )
    workflow.start_consultation(
        consulting, actor=clerk_a, party="third_party", third_party="安庆某某物业服务有限公司"
    )
    page = staff_login(browser_page, clerk_a)
    body = page.locator(".workbench-body").first
    expect(body.locator(".ysq-overdue").last).to_contain_text("个工作日")
    assert body.evaluate("e => e.scrollWidth <= e.clientWidth")
    cell = body.locator(".ysq-overdue").last.bounding_box()
    box = body.bounding_box()
    assert cell["x"] + cell["width"] <= box["x"] + box["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
