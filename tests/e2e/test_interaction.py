"""互动交流 in a real browser: a citizen's 咨询 at 360 px, transferred, answered by the other unit,
rated 不满意 and followed up; the published Q&A shows no personal data. axe-core on public pages."""

import re

import pytest

from interaction.models import Message, MessageState, Rating
from tests.e2e.conftest import assert_accessible

PHONE = "13912345678"
NAME = "张三丰"


@pytest.fixture
def quick_form(settings, tmp_path):
    settings.FORM_MIN_FILL_SECONDS = 0
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def staff_page(page, staff_login, user):
    context = page.context.browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    return staff_login(context.new_page(), user)


def message_action(page, base, message, label, fill=None):
    page.goto(f"{base}/admin/interaction/message/{message.pk}/change/")
    page.locator(".object-tools").get_by_role("link", name=label, exact=True).click()
    if fill:
        fill(page)
    page.locator("#action-form input[name=run]").click()
    assert "已完成" in page.locator(".messagelist li.success").inner_text()


def test_message_journey_at_360px(
    browser_page,
    live_server,
    staff_login,
    unit_a,
    unit_b,
    handler_a,
    handler_b,
    site_profile,
    quick_form,
):
    base = live_server.url
    citizen = browser_page
    citizen.set_viewport_size({"width": 360, "height": 780})

    # The citizen finds 互动交流 in the main navigation and leaves a 咨询 for the centre.
    citizen.goto(base + "/")
    citizen.get_by_role("navigation", name="主导航").get_by_role("link", name="互动交流").click()
    citizen.wait_for_url("**/hudong/")
    assert_accessible(citizen)
    citizen.get_by_role("link", name="我要留言").first.click()
    citizen.get_by_role("button", name="提交留言").click()
    assert citizen.locator("#error-summary").is_visible()
    assert_accessible(citizen)
    citizen.select_option("#id_unit", label="安庆市人民政府政务服务中心")
    citizen.check("input[name=kind][value=consult]")
    citizen.fill("#id_subject", "中小学课后服务收费标准")
    citizen.fill("#id_text", f"请问课后服务怎么收费？我是{NAME}，电话{PHONE}。")
    citizen.fill("#id_name", NAME)
    citizen.fill("#id_phone", PHONE)
    # No sideways scrolling on a phone.
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 360
    citizen.get_by_role("button", name="提交留言").click()
    citizen.wait_for_url("**/hudong/liuyan/wancheng/")
    assert_accessible(citizen)
    number = citizen.locator(".receipt-number").inner_text().strip()
    code = citizen.locator(".receipt-code").inner_text().strip()
    assert re.fullmatch(r"LY-\d{4}-\d{6}", number) and code not in citizen.url
    message = Message.objects.get(number=number)

    # The centre transfers it to the education bureau, which answers.
    centre = staff_page(citizen, staff_login, handler_a)
    message_action(
        centre,
        base,
        message,
        "转办",
        fill=lambda p: (
            p.select_option("#id_to_unit", label="安庆市教育局"),
            p.fill("#id_note", "属教育局职责"),
        ),
    )
    bureau = staff_page(citizen, staff_login, handler_b)
    message_action(bureau, base, message, "受理")
    message_action(
        bureau,
        base,
        message,
        "答复",
        fill=lambda p: p.fill(
            "#id_text", f"{NAME}您好：课后服务按每生每学期300元收取，困难家庭免收。"
        ),
    )
    message.refresh_from_db()
    assert message.state == MessageState.REPLIED and message.reply_unit == unit_b

    # The citizen reads the reply and the transfer in the history, and rates it 不满意.
    citizen.goto(base + "/hudong/chaxun/")
    citizen.fill("#id_number", number)
    citizen.fill("#id_code", code)
    citizen.get_by_role("button", name="查询").click()
    citizen.wait_for_url("**/hudong/chaxun/xiangqing/")
    main = citizen.locator("main").inner_text()
    assert "每生每学期300元" in main and "转至安庆市教育局办理" in main
    assert_accessible(citizen)
    citizen.get_by_label("不满意", exact=True).check()
    citizen.fill("#id_comment", "希望公布减免办法。")
    citizen.get_by_role("button", name="提交评价").click()
    assert "工作人员将在" in citizen.locator(".messages").inner_text()
    rating = Rating.objects.get()

    # The bureau records the follow-up; the citizen sees it.
    bureau.goto(f"{base}/admin/interaction/rating/{rating.pk}/change/")
    bureau.get_by_role("link", name="登记回访情况").click()
    bureau.fill("#id_outcome", "已电话回访，减免办法已在本局网站公布。")
    bureau.locator("#followup-form input[type=submit]").click()
    assert "回访情况已登记" in bureau.locator(".messagelist").inner_text()
    citizen.reload()
    assert "已电话回访，减免办法已在本局网站公布。" in citizen.locator("main").inner_text()

    # Published with consent after the bureau removes the personal data.
    publish_page = bureau
    publish_page.goto(f"{base}/admin/interaction/message/{message.pk}/change/")
    publish_page.locator(".object-tools").get_by_role("link", name="公开", exact=True).click()
    assert NAME not in publish_page.locator("#id_public_text").input_value()
    assert PHONE not in publish_page.locator("#id_public_text").input_value()
    assert NAME not in publish_page.locator("#id_public_reply").input_value()
    publish_page.check("#id_is_faq")
    publish_page.locator("#action-form input[name=run]").click()
    assert "已完成" in publish_page.locator(".messagelist li.success").inner_text()

    citizen.goto(f"{base}/hudong/danwei/jyj/")
    citizen.get_by_role("link", name="中小学课后服务收费标准").first.click()
    assert_accessible(citizen)
    article = citizen.locator("main").inner_text()
    for fact in ("受理日期", "答复日期", "答复部门", "安庆市教育局", "每生每学期300元"):
        assert fact in article
    assert NAME not in citizen.content() and PHONE not in citizen.content()
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 360
