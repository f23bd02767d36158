"""Catalog journeys in the browser: a publisher drafts an entry with an attachment, a reviewer
approves it, and a citizen finds it through the unit's catalog and through search, reads its
metadata and downloads the attachment; unreviewed and scheduled entries stay out of sight."""

import datetime as dt
import re

from django.utils import timezone

from disclosure import workflow
from disclosure.demo import make_pdf
from disclosure.models import Category, Entry, EntryState
from portal.permissions import SYSTEM
from tests.e2e.conftest import assert_accessible

TITLE = "关于公布2026年政务服务事项清单的通知"


def choose_autocomplete(page, field, term, text):
    page.locator(f"#id_{field} + .select2").click()
    page.locator(".select2-search__field").fill(term)
    page.locator(".select2-results__option", has_text=text).first.click()
    assert page.locator(f"#id_{field} option:checked").inner_text() == text


def new_page(page):
    context = page.context.browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    return context.new_page()


def test_draft_review_publish_find_and_download(
    browser_page, live_server, staff_login, site_profile, unit_a, unit_b, publisher_a, reviewer_a
):
    page = browser_page
    base = live_server.url

    # 1. The publisher drafts the entry with an attachment and submits it for review.
    staff_login(page, publisher_a)
    page.goto(f"{base}/admin/disclosure/entry/add/")
    choose_autocomplete(page, "unit", "政务", "安庆市人民政府政务服务中心")
    choose_autocomplete(page, "category", "许可", "行政许可")
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "公布本中心2026年政务服务事项清单。")
    # The rich-text editor runs (its import map is allowed by hash under the strict CSP).
    editor = page.locator(".ProseMirror[contenteditable='true']")
    editor.click()
    page.keyboard.type("现将政务服务事项清单予以公布，请遵照执行。")
    page.fill("#id_document_number", "宜政服〔2026〕8号")
    made_on = timezone.localdate() - dt.timedelta(days=2)
    page.fill("#id_made_on", made_on.isoformat())
    page.fill("#id_keywords", "政务服务 清单")
    page.set_input_files(
        "input[name='attachments-0-file']",
        files=[
            {
                "name": "事项清单.pdf",
                "mimeType": "application/pdf",
                "buffer": make_pdf("政务服务事项清单", ["事项一", "事项二"]),
            }
        ],
    )
    page.click("input[name='_continue']")
    page.wait_for_selector("#workflow-box")
    entry = Entry.objects.get(title=TITLE)
    assert entry.state == EntryState.DRAFT and entry.attachments.count() == 1
    assert "请遵照执行" in entry.body
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_selector("text=已提交审核")

    # 2. The reviewer approves it; the 索引号 is given now.
    reviewer = new_page(page)
    staff_login(reviewer, reviewer_a)
    reviewer.goto(f"{base}/admin/disclosure/entry/{entry.pk}/change/")
    reviewer.fill("#workflow-note", "同意发布")
    reviewer.get_by_role("button", name="审核通过").click()
    reviewer.wait_for_selector("text=已审核通过")
    entry.refresh_from_db()
    assert entry.state == EntryState.PUBLISHED and entry.index_number
    reviewer.context.close()

    # 3. A citizen goes from the home page to the unit's catalog and opens the entry.
    citizen = new_page(page)
    citizen.goto(f"{base}/")
    citizen.locator("main").get_by_role(
        "link", name="安庆市人民政府政务服务中心", exact=True
    ).click()
    citizen.wait_for_url(f"{base}/unit/zwzx/")
    assert_accessible(citizen)
    citizen.locator("main").get_by_role("link", name="法定主动公开内容", exact=True).click()
    citizen.wait_for_url(re.compile(r".*/xxgk/zwzx/c/fdzdgknr/$"))
    assert_accessible(citizen)
    citizen.get_by_role("link", name=TITLE).click()
    citizen.wait_for_url(f"{base}/xxgk/zwzx/{entry.pk}/")
    meta = citizen.locator("table.entry-meta").inner_text()
    for text in (
        entry.index_number,
        "行政许可",
        "安庆市人民政府政务服务中心",
        made_on.isoformat(),
        "宜政服〔2026〕8号",
        "政务服务 清单",
        "有效",
    ):
        assert text in meta, text
    assert citizen.get_by_role("button", name="打印本页").is_visible()  # shown by static JS
    assert_accessible(citizen)
    with citizen.expect_download() as download_info:
        citizen.get_by_role("link", name="事项清单.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "事项清单.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # 4. ... and through search, from the box on every page.
    citizen.goto(f"{base}/")
    citizen.fill("#site-search-q", "政务服务事项")
    citizen.press("#site-search-q", "Enter")
    citizen.wait_for_url(re.compile(r".*/search/\?q="))
    first = citizen.locator(".search-results li").first
    assert "政务服务事项" in first.locator("mark").first.inner_text()
    assert_accessible(citizen)
    first.get_by_role("link").click()
    citizen.wait_for_url(f"{base}/xxgk/zwzx/{entry.pk}/")
    citizen.context.close()


def test_unreviewed_and_scheduled_entries_are_not_public(
    browser_page, live_server, site_profile, unit_a
):
    category = Category.objects.get(slug="tjxx")
    made_on = timezone.localdate()
    pending = Entry.objects.create(
        unit=unit_a, category=category, title="待审核的统计信息", made_on=made_on
    )
    workflow.submit(pending, SYSTEM)
    scheduled = Entry.objects.create(
        unit=unit_a, category=category, title="定时发布的统计信息", made_on=made_on
    )
    workflow.submit(scheduled, SYSTEM)
    workflow.approve(scheduled, SYSTEM, publish_at=timezone.now() + dt.timedelta(days=1))
    visible = Entry.objects.create(
        unit=unit_a, category=category, title="已发布的统计信息", made_on=made_on
    )
    workflow.submit(visible, SYSTEM)
    workflow.approve(visible, SYSTEM)

    page = browser_page
    base = live_server.url
    page.goto(f"{base}/xxgk/zwzx/")
    listing = page.locator("main").inner_text()
    assert "已发布的统计信息" in listing
    assert "待审核的统计信息" not in listing and "定时发布的统计信息" not in listing
    assert_accessible(page)

    page.goto(f"{base}/search/?q=统计信息")
    results = page.locator("main").inner_text()
    assert "已发布的统计信息" in results
    assert "待审核的统计信息" not in results and "定时发布的统计信息" not in results
    assert_accessible(page)

    for entry in (pending, scheduled):
        response = page.goto(f"{base}/xxgk/zwzx/{entry.pk}/")
        assert response.status == 404
