"""Browser journeys of issue 13: a clerk writes a service guide, is refused publication while a
required element is missing, publishes it, and a citizen finds it by search and prints it; a
repealing document changes the old one's 有效性 and both pages show the link."""

import datetime as dt
import io

from django.utils import timezone
from pypdf import PdfReader

from disclosure import workflow
from disclosure.guides.models import GuideState, ServiceGuide
from disclosure.models import Category, ChangeKind, DocumentChange, DocumentType, Entry, Validity
from portal.permissions import SYSTEM
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_catalog import choose_autocomplete, new_page


def test_clerk_publishes_a_guide_citizen_finds_and_prints_it(
    browser_page, live_server, staff_login, site_profile, unit_a, admin_a
):
    page = browser_page
    base = live_server.url

    # 1. The clerk writes the guide, leaving out 办理时间.
    staff_login(page, admin_a)
    page.goto(f"{base}/admin/guides/serviceguide/add/")
    choose_autocomplete(page, "unit", "政务", "安庆市人民政府政务服务中心")
    page.fill("#id_name", "公共场所卫生许可")
    page.fill("#id_code", "340800-XK-0012")
    page.fill("#id_basis", "《公共场所卫生管理条例》第八条")
    page.fill("#id_accepting_body", "安庆市人民政府政务服务中心")
    page.fill("#id_conditions", "有固定的营业场所；卫生设施符合要求。")
    page.fill("#id_location", "政务服务中心二楼B12窗口")
    page.fill("#id_promised_limit_days", "5")
    page.fill("#id_legal_limit_days", "20")
    page.fill("#id_fees", "不收费")
    page.fill("#id_consult_phone", "0556-5349772")
    page.fill("input[name='materials-0-name']", "公共场所卫生许可申请书")
    page.fill("input[name='steps-0-name']", "申请与受理")
    page.fill("input[name='steps-0-time_limit']", "当场")
    page.click("input[name='_continue']")
    page.wait_for_selector("#workflow-box")
    assert "缺少必备要素" in page.inner_text("body") and "办理时间" in page.inner_text("body")

    # 2. Submitting is refused while 办理时间 is missing.
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_selector(".messagelist .error")
    assert "缺少必备要素：办理时间" in page.inner_text(".messagelist")
    guide = ServiceGuide.objects.get(name="公共场所卫生许可")
    assert guide.state == GuideState.DRAFT

    # 3. With 办理时间 filled in, it is submitted and published.
    page.fill("#id_hours", "工作日 上午8:30-12:00，下午2:30-5:30")
    page.click("input[name='_continue']")
    page.wait_for_selector("text=十项必备要素齐全")
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_selector("text=已提交审核")
    page.get_by_role("button", name="审核通过并发布").click()
    page.wait_for_selector("text=已审核发布")
    guide.refresh_from_db()
    assert guide.state == GuideState.PUBLISHED and guide.entry.index_number

    # 4. A citizen finds it through the site search and opens it.
    citizen = new_page(page)
    citizen.goto(f"{base}/")
    citizen.fill("#site-search-q", "卫生许可")
    citizen.click(".search-box button")
    citizen.get_by_role("link", name="公共场所卫生许可办事指南").click()
    citizen.wait_for_url(f"{base}{guide.get_absolute_url()}")
    assert citizen.locator("h1").inner_text() == "公共场所卫生许可办事指南"
    assert citizen.locator(".flow-step").count() == 1
    assert_accessible(citizen)

    # 5. It reads at 360 px without sideways scrolling, and prints on A4 without the site chrome.
    citizen.set_viewport_size({"width": 360, "height": 740})
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 360
    citizen.emulate_media(media="print")
    assert not citizen.locator(".main-nav").is_visible()
    assert not citizen.locator(".site-footer").is_visible()
    assert citizen.locator(".flow-step").is_visible()
    pdf = PdfReader(io.BytesIO(citizen.pdf(format="A4")))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert len(pdf.pages) <= 2 and "设定依据" in text and "申请与受理" in text


def test_repealing_document_changes_the_old_ones_validity(
    browser_page, live_server, staff_login, site_profile, unit_a, admin_a
):
    page = browser_page
    base = live_server.url
    fgwj = Category.objects.get(slug="fgwj")
    old = Entry.objects.create(
        unit=unit_a,
        category=fgwj,
        title="政务服务事项管理暂行办法",
        made_on=dt.date(2020, 2, 20),
        document_type=DocumentType.NORMATIVE,
        valid_from=dt.date(2020, 3, 1),
    )
    workflow.submit(old, SYSTEM)
    workflow.approve(old, SYSTEM)
    new = Entry.objects.create(
        unit=unit_a,
        category=fgwj,
        title="政务服务事项管理办法",
        document_number="宜政服〔2026〕1号",
        made_on=timezone.localdate(),
        document_type=DocumentType.NORMATIVE,
        valid_from=timezone.localdate(),
        created_by=None,
    )
    DocumentChange.objects.create(document=new, target=old, kind=ChangeKind.REPEALS)

    staff_login(page, admin_a)
    page.goto(f"{base}/admin/disclosure/entry/{new.pk}/change/")
    assert "政务服务事项管理暂行办法" in page.inner_text("body")  # the repeal link in the form
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_selector("text=已提交审核")
    page.get_by_role("button", name="审核通过").click()
    page.wait_for_selector("text=已审核通过")
    old.refresh_from_db()
    assert old.validity == Validity.REPEALED

    citizen = new_page(page)
    citizen.goto(f"{base}{old.get_absolute_url()}")
    notice = citizen.locator(".change-notice").inner_text()
    assert "本文件已被《政务服务事项管理办法》废止" in notice
    assert f"{timezone.localdate():%Y年%-m月%-d日}" in notice
    assert "已废止" in citizen.locator("td.validity").inner_text()
    assert_accessible(citizen)
    citizen.locator(".change-notice a").click()
    citizen.wait_for_url(f"{base}{new.get_absolute_url()}")
    assert (
        "本文件废止《政务服务事项管理暂行办法》"
        in citizen.locator(".document-changes").inner_text()
    )

    # The library lists 现行有效 documents by default; the repealed one under 已废止.
    citizen.goto(f"{base}/zhengce/")
    table = citizen.locator(".policy-table").inner_text()
    assert "政务服务事项管理办法" in table and "暂行办法" not in table
    assert_accessible(citizen)
    citizen.select_option("#lib-validity", "repealed")
    citizen.get_by_role("button", name="筛选").click()
    assert "政务服务事项管理暂行办法" in citizen.locator(".policy-table").inner_text()


def test_guide_form_fits_a_1280_px_screen(
    browser_page, live_server, staff_login, site_profile, unit_a, publisher_a
):
    # The materials table (name, note and two file fields per row) was 1,888 px wide: the clerk
    # scrolled sideways to reach 示例样表 and the delete box.
    page = staff_login(browser_page, publisher_a)
    page.goto(f"{live_server.url}/admin/guides/serviceguide/add/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    delete = page.locator("#materials-group tbody tr").first.locator("td.delete")
    box = delete.bounding_box()
    assert box and box["x"] + box["width"] <= 1280
