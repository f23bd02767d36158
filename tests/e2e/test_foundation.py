"""Citizen journey through the foundation: home page, unit tree, unit page, layout and accessibility."""

from django.core.management import call_command

from tests.e2e.conftest import assert_accessible


def test_home_to_service_centre_breadcrumb_and_footer(browser_page, live_server):
    call_command("load_demo")
    page = browser_page
    page.goto(live_server.url + "/")
    assert page.title().startswith("信息公开专题首页")
    assert_accessible(page)

    tree = page.locator(".unit-tree")
    tree.get_by_role("link", name="安庆市数据资源局").click()
    page.wait_for_url("**/unit/sjj/")
    page.locator("main").get_by_role("link", name="安庆市人民政府政务服务中心", exact=True).click()
    page.wait_for_url("**/unit/zwzx/")

    assert page.locator("h1").inner_text() == "安庆市人民政府政务服务中心"
    crumbs = page.locator("nav.breadcrumb li").all_inner_texts()
    assert [c.strip().lstrip(">").strip() for c in crumbs] == [
        "首页",
        "市政府",
        "市数据资源局",
        "市政务服务中心",
    ]
    footer = page.locator("footer").inner_text()
    for text in (
        "安庆市振风大道100号东部新城综合写字楼辅一楼",
        "0556-5349772",
        "安庆市政务公开办公室主办",
        "安庆市数据中心",
        "皖ICP备05003765号",
        "皖公网安备 34081102000277号",
        "众和网络",
    ):
        assert text in footer, text
    for column in ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报"):
        assert page.get_by_role("heading", name=column).count() == 1
    assert_accessible(page)

    page.get_by_role("link", name="返回信息公开专题首页").click()
    page.wait_for_url(live_server.url + "/")


def test_skip_link_moves_focus_to_main(browser_page, live_server):
    call_command("load_demo")
    page = browser_page
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "跳到主要内容"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_narrow_screen_has_no_horizontal_scroll(browser_page, live_server):
    call_command("load_demo")
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", "/unit/zwzx/", "/search/?q=政务"):
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide on a 360px screen"


def test_error_and_search_pages_are_accessible(browser_page, live_server):
    call_command("load_demo")
    page = browser_page
    response = page.goto(live_server.url + "/unit/does-not-exist/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "页面不存在"
    assert_accessible(page)
    page.goto(live_server.url + "/search/?q=政务")
    assert_accessible(page)
