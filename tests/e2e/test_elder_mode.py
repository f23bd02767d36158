"""长者模式 (关怀版) and 朗读 in a real browser (issue 17).

A citizen switches the mode on in the header of the home page; it follows them to a report and
to the application form (localStorage, applied by the site's own script); every public page then
passes axe (WCAG 2.1 AA and the 7:1 enhanced contrast rule), has no text under 20 px, no click
target under 44 × 44 px and no sideways scrolling at 360 px. The read-aloud button hands the main
content to the browser's own speech synthesis.
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from disclosure.models import Entry
from disclosure.reports.models import AnnualReport, ReportFormat
from tests.e2e.a11y import (
    assert_axe_elder,
    body_line_height,
    is_elder,
    page_width,
    set_elder_in_storage,
    small_targets,
    small_text,
)
from tests.e2e.test_requests import PNG, apply_online, quick_form, track  # noqa: F401


def assert_elder_page(page):
    assert is_elder(page), f"{page.url} 不在长者模式"
    assert small_text(page) == [], f"{page.url} 有小于20像素的文字"
    assert body_line_height(page) >= 1.8
    assert small_targets(page) == [], f"{page.url} 有小于44×44像素的点击目标"
    assert_axe_elder(page)


def public_paths() -> list[str]:
    entry = Entry.objects.public().filter(unit__slug="zwzx").order_by("-published_at").first()
    reports = AnnualReport.objects.published()
    official = reports.filter(format=ReportFormat.OFFICIAL_2021).first()
    legacy = reports.filter(format=ReportFormat.LEGACY).first()
    assert official and legacy, "the demo data has a report of each format"
    paths = [
        "/",
        "/unit/zwzx/",
        "/xxgk/zwzx/",
        "/xxgk/zwzx/c/zhinan/",
        entry.get_absolute_url(),
        "/search/?q=政务公开",
        "/search/?q=没有这样的结果",
        "/nianbao/",
        "/nianbao/zwzx/",
        "/yishenqing/",
        "/yishenqing/liucheng/",
        "/yishenqing/shoufei/",
        "/yishenqing/shenqing/",
        "/yishenqing/chaxun/",
        "/yishenqing/tongji/",
        "/unit/no-such-unit/",
        "/zhengce/",
        "/bszn/zwzx/",
    ]
    paths += [report.get_absolute_url() for report in (official, legacy) if report]
    return paths


def test_mode_switched_on_the_home_page_follows_to_a_report_and_the_form(browser_page, live_server):
    call_command("load_demo")
    page = browser_page
    base = live_server.url
    page.goto(base + "/")
    assert not is_elder(page)
    toggle = page.locator("header, .topbar").get_by_role("link", name="长者模式")
    toggle.click()
    assert is_elder(page)
    assert page.url == base + "/"  # with scripts: no reload, same URL
    assert page.evaluate("localStorage.getItem('portal.elderMode')") == "1"
    assert page.get_by_role("link", name="退出长者模式").is_visible()
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 20
    assert_elder_page(page)

    # The search box and the main links come first, each link at least 44 px high.
    nav = page.locator("nav.main-nav a").all_inner_texts()
    assert nav == [
        "信息公开首页",
        "站内检索",
        "政策文件库",
        "依申请公开",
        "政府信息公开年报",
        "互动交流",
    ]
    search_top = page.locator("#site-search-q").bounding_box()["y"]
    assert (
        search_top
        < page.locator("nav.main-nav").bounding_box()["y"]
        < page.locator("h1").bounding_box()["y"]
    )

    page.locator("nav.main-nav").get_by_role("link", name="政府信息公开年报").click()
    page.wait_for_url("**/nianbao/")
    assert is_elder(page)
    page.locator("main a[href*='/nianbao/'][href$='/2025/']").first.click()
    page.wait_for_url("**/nianbao/*/2025/")
    assert_elder_page(page)
    # The chart's numbers are in a table beside it.
    if page.locator("svg.chart").count():
        assert page.locator("table.report-chart-data").is_visible()

    page.locator("nav.main-nav").get_by_role("link", name="依申请公开").click()
    page.get_by_role("link", name="在线申请").first.click()
    page.wait_for_url("**/yishenqing/shenqing/")
    assert_elder_page(page)

    # Switching off is remembered too.
    page.get_by_role("link", name="退出长者模式").click()
    assert not is_elder(page)
    page.reload()
    assert not is_elder(page)


def test_every_public_page_in_elder_mode(browser_page, live_server):
    call_command("load_demo")
    page = browser_page
    base = live_server.url
    set_elder_in_storage(page, base)
    paths = public_paths()
    for path in paths:
        page.goto(base + path)
        assert_elder_page(page)
    # The application form with its errors shown.
    page.goto(base + "/yishenqing/shenqing/")
    page.get_by_role("button", name="提交申请").click()
    # The page with the errors comes after the click: wait for it (is_visible() answered at once).
    expect(page.locator("#error-summary")).to_be_visible()
    assert_elder_page(page)

    page.set_viewport_size({"width": 360, "height": 740})
    for path in paths:
        page.goto(base + path)
        assert is_elder(page)
        assert page_width(page) <= 360, f"{path} 在360像素宽的屏幕上有 {page_width(page)} 像素宽"


@pytest.mark.usefixtures("quick_form")
def test_apply_and_track_in_elder_mode_at_360_px_and_200_percent_zoom(
    browser_page, live_server, unit_a, site_profile
):
    base = live_server.url
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    set_elder_in_storage(page, base)
    number, code = apply_online(page, base)
    assert is_elder(page) and page_width(page) <= 360
    assert_elder_page(page)
    track(page, base, number, code)
    page.wait_for_url("**/yishenqing/chaxun/xiangqing/")
    assert number in page.locator("main").inner_text()
    assert page_width(page) <= 360
    assert_elder_page(page)

    # 200 % zoom of a 1280 × 900 window: a 640 × 450 CSS viewport at twice the pixel density.
    zoomed = page.context.browser.new_context(
        locale="zh-CN", viewport={"width": 640, "height": 450}, device_scale_factor=2
    ).new_page()
    set_elder_in_storage(zoomed, base)
    for path in ("/yishenqing/shenqing/", "/yishenqing/chaxun/"):
        zoomed.goto(base + path)
        assert is_elder(zoomed) and page_width(zoomed) <= 640, path
    track(zoomed, base, number, code)
    zoomed.wait_for_url("**/yishenqing/chaxun/xiangqing/")
    assert page_width(zoomed) <= 640
    zoomed.context.close()


def test_without_scripts_the_query_parameter_gives_the_mode(_playwright_browser, live_server):
    call_command("load_demo")
    context = _playwright_browser.new_context(
        locale="zh-CN", java_script_enabled=False, viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    page.goto(live_server.url + "/xxgk/zwzx/")
    assert not is_elder(page)
    # Reading aloud needs the script: without it the button stays out of sight.
    expect(page.locator("#read-aloud")).to_be_hidden()
    page.get_by_role("link", name="长者模式").click()
    page.wait_for_url("**/xxgk/zwzx/?mode=elder")
    assert is_elder(page)
    assert small_text(page) == [] and page_width(page) <= 360
    page.get_by_role("link", name="退出长者模式").click()
    page.wait_for_url("**/xxgk/zwzx/")
    assert not is_elder(page)
    context.close()


SPY = """
window.__speech = {spoken: [], cancelled: 0};
if (window.speechSynthesis) {
  window.speechSynthesis.speak = (u) => window.__speech.spoken.push({text: u.text, lang: u.lang});
  window.speechSynthesis.cancel = () => { window.__speech.cancelled += 1; };
}
"""


def test_read_aloud_hands_the_main_content_to_speech_synthesis(browser_page, live_server):
    call_command("load_demo")
    page = browser_page
    page.context.add_init_script(SPY)
    requests_sent = []
    page.goto(live_server.url + "/yishenqing/")
    page.on("request", lambda request: requests_sent.append(request.url))
    button = page.get_by_role("button", name="朗读本页")
    assert button.is_visible()
    button.click()
    speech = page.evaluate("window.__speech")
    assert speech["spoken"], "朗读按钮没有调用 speechSynthesis.speak"
    assert {item["lang"] for item in speech["spoken"]} == {"zh-CN"}
    text = "".join(item["text"] for item in speech["spoken"])
    assert page.locator("main h1").inner_text() in text
    assert "返回政府网首页" not in text  # the main content only, not the header
    assert all(len(item["text"]) <= 200 for item in speech["spoken"])
    stop = page.get_by_role("button", name="停止朗读")
    assert stop.get_attribute("aria-pressed") == "true"
    stop.click()
    assert page.evaluate("window.__speech.cancelled") >= 1
    assert page.get_by_role("button", name="朗读本页").get_attribute("aria-pressed") == "false"
    # Nothing sent anywhere: no request but the site's own static files (the browser may fetch the
    # favicon late).
    static = live_server.url + "/static/"
    assert [url for url in requests_sent if not url.startswith(static)] == []
