"""Issue 16 in a browser: a paper request from 王𫖮, the 受理回执 printed with its 查询码 at the
desk, a 补正, an extension and a reply; every document's PDF holds the name as typed, its 文号,
the named 复议机关 and court (decisions), and exactly one legal basis."""

import datetime as dt
import io
import re

from pypdf import PdfReader

from applications.documents import LEGAL_BASES
from applications.models import Request, Result
from tests.e2e.test_requests import clerk_action


def pdf_text(content: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return text.replace("\n", "")


def test_paper_request_documents_from_receipt_to_reply(
    browser_page, live_server, staff_login, clerk_a, unit_a, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    base = live_server.url
    page = staff_login(browser_page, clerk_a)
    page.goto(base + "/admin/applications/request/add/")
    page.select_option("#id_unit", label="安庆市人民政府政务服务中心")
    page.select_option("#id_channel", value="post")
    page.fill("#id_received_on", dt.date.today().isoformat())
    page.select_option("#id_applicant_type", value="person")
    page.fill("#id_name", "王𫖮")
    page.fill("#id_phone", "13800001111")
    page.fill("#id_address", "安庆市迎江区人民路1号")
    page.fill("#id_info_title", "2025年政务服务中心窗口设置方案")
    page.fill("#id_info_description", "2025年政务服务中心各办事窗口的设置方案。")
    page.select_option("#id_medium", value="paper")
    page.select_option("#id_delivery", value="post")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/registered/")
    request = Request.objects.get()
    assert request.name == "王𫖮"
    code = page.locator("#desk-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){2}", code)

    # The receipt opens in a new tab; its bytes are taken on the way (a PDF viewer may show it).
    printed = {}

    def keep(route):
        response = route.fetch()
        printed["pdf"] = response.body()
        route.fulfill(response=response)

    page.context.route("**/receipt/", keep)
    with page.context.expect_page() as tab:
        page.locator("#print-receipt").click()
    tab.value.wait_for_load_state()
    receipt = pdf_text(printed["pdf"])
    assert code in receipt and "王𫖮" in receipt and "受理回执" in receipt
    assert re.search(r"安政务依公〔\d{4}〕1号", receipt)

    clerk_action(
        page,
        base,
        request,
        "要求补正",
        fill=lambda p: (
            p.fill("#id_what", "请写明所需文件的发文日期。"),
            p.fill("#id_period_workdays", "10"),
        ),
    )
    clerk_action(
        page,
        base,
        request,
        "登记收到补正",
        fill=lambda p: p.fill("#id_text", "发文日期为2025年3月。"),
    )
    clerk_action(
        page,
        base,
        request,
        "延期答复",
        fill=lambda p: (
            p.fill("#id_workdays", "20"),
            p.fill("#id_approver", "王主任"),
            p.fill("#id_reason", "需要检索整理。"),
        ),
    )

    def reply_form(p):
        p.select_option("#id_result", value="4_1")
        p.locator("input[name=prefill]").click()
        assert "不掌握" in p.locator("#id_letter").input_value()
        # 本机关不掌握 has two grounds in Art. 36; staff choose the one that applies.
        p.select_option("#id_legal_basis", value=LEGAL_BASES[Result.UNABLE_NOT_HELD][1])
        p.select_option("#id_delivery_route", value="post")

    clerk_action(page, base, request, "答复", fill=reply_form)

    page.goto(f"{base}/admin/applications/request/{request.pk}/change/")
    links = page.locator("a[href*='/document/']")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    texts = []
    for href in hrefs:
        response = page.request.get(base + href)
        text = pdf_text(response.body())
        if "补正材料" not in text:  # the applicant's supplement is no document of the unit
            texts.append(text)
    titles = ["受理回执", "补正告知书", "延期答复告知书", "答复告知书"]
    assert len(texts) == 4, hrefs
    numbers = set()
    for title, text in zip(titles, texts, strict=True):
        assert title in text and "王𫖮" in text and "安庆市人民政府政务服务中心" in text
        number = re.search(r"安政务依公〔\d{4}〕\d+号", text).group(0)
        numbers.add(number)
        assert "。，" not in text
    assert len(numbers) == 4  # each document its own 文号
    assert code not in texts[0]  # a later download of the receipt never shows the code
    decision = texts[-1]
    assert decision.count("法律依据：") == 1
    assert "第三十六条第（五）项" in decision and "第三十六条第（四）项" not in decision
    assert "向安庆市人民政府申请行政复议" in decision
    assert "向安庆市迎江区人民法院提起行政诉讼" in decision
