"""Delivery (issue 16, section 2): documents by e-mail, dates that cannot lie in the future,
e-mails with the site link and due date, and the tracking page showing what was asked for."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from applications import workflow
from applications.models import DeliveryRoute, Result
from tests.applications.conftest import register_on

pytestmark = pytest.mark.django_db
D = dt.date


def at(day):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC))


def to_applicant(mailoutbox):
    return [m for m in mailoutbox if m.to == ["zhangsan@example.com"]]


def test_a_reply_by_email_carries_the_letter_and_the_files(
    unit_a, clerk_a, private_media, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://gk.example.gov.cn"
    request = register_on(D(2026, 3, 2), unit_a, clerk_a, name="王𫖮")
    mailoutbox.clear()
    upload = SimpleUploadedFile("方案.pdf", b"%PDF-1.4 disclosed", content_type="application/pdf")
    with at(D(2026, 3, 10)), django_capture_on_commit_callbacks(execute=True):
        workflow.reply(
            request,
            actor=clerk_a,
            result=Result.DISCLOSED,
            letter="现予公开，详见附件。",
            files=[upload],
            delivery_route=DeliveryRoute.EMAIL,
        )
    [message] = to_applicant(mailoutbox)
    names = [name for name, _content, _type in message.attachments]
    assert any(name.endswith("政府信息公开申请答复告知书.pdf") for name in names)
    assert "方案.pdf" in names
    letter = next(c for n, c, _t in message.attachments if n.endswith(".pdf") and "告知书" in n)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(letter)).pages)
    assert "王𫖮" in text
    assert "https://gk.example.gov.cn/yishenqing/chaxun/" in message.body
    assert "随本邮件附上" in message.body


def test_files_over_the_limit_are_left_to_the_tracking_page(
    unit_a, clerk_a, private_media, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_ATTACHMENT_MAX_MB = 0
    request = register_on(D(2026, 3, 2), unit_a, clerk_a)
    mailoutbox.clear()
    upload = SimpleUploadedFile("大文件.pdf", b"%PDF-1.4 big", content_type="application/pdf")
    with at(D(2026, 3, 10)), django_capture_on_commit_callbacks(execute=True):
        workflow.reply(
            request,
            actor=clerk_a,
            result=Result.DISCLOSED,
            letter="现予公开。",
            files=[upload],
            delivery_route=DeliveryRoute.EMAIL,
        )
    [message] = to_applicant(mailoutbox)
    names = [name for name, _c, _t in message.attachments]
    assert "大文件.pdf" not in names and len(names) == 1  # the letter only
    assert "请凭申请编号和查询码在查询页面下载" in message.body


def test_a_notice_to_an_applicant_who_chose_post_goes_without_attachment_but_with_due_date(
    unit_a, clerk_a, private_media, mailoutbox, django_capture_on_commit_callbacks
):
    request = register_on(D(2026, 3, 2), unit_a, clerk_a, delivery="post")
    mailoutbox.clear()
    with at(D(2026, 3, 20)), django_capture_on_commit_callbacks(execute=True):
        workflow.extend(request, actor=clerk_a, workdays=10, approver="王主任", reason="量大")
    [message] = to_applicant(mailoutbox)
    assert message.attachments == []
    assert "答复期限：2026-04-14" in message.body  # 03-30 plus 10 working days, 清明 skipped


def test_delivery_date_cannot_lie_in_the_future(unit_a, clerk_a, private_media):
    request = register_on(D(2026, 3, 2), unit_a, clerk_a)
    with at(D(2026, 3, 10)), pytest.raises(workflow.WorkflowError, match="送达日期不能晚于今天"):
        workflow.reply(
            request,
            actor=clerk_a,
            result=Result.WITHHELD_STATE_SECRET,
            delivery_route="post",
            delivered_on=D(2026, 3, 12),
        )


def test_generation_date_of_a_catalog_entry_cannot_lie_in_the_future(unit_a):
    from django.core.exceptions import ValidationError

    from disclosure.models import Entry

    entry = Entry(unit=unit_a, title="x", made_on=dt.date.today() + dt.timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        entry.clean()
    assert "生成日期不能晚于今天" in str(error.value)


def test_tracking_page_shows_what_was_asked_for(client, unit_a, clerk_a, private_media):
    with at(D(2026, 3, 2)):
        request, code = workflow.register_paper(
            unit_a,
            actor=clerk_a,
            channel="post",
            received_on=D(2026, 3, 2),
            data={
                "applicant_type": "person",
                "name": "张三丰",
                "phone": "13912345678",
                "info_title": "2025年窗口设置方案",
                "info_description": "各办事窗口的设置方案。",
                "medium": "paper",
                "delivery": "post",
            },
        )
    client.post("/yishenqing/chaxun/", {"number": request.number, "code": code})
    page = client.get("/yishenqing/chaxun/xiangqing/").content.decode()
    assert "2025年窗口设置方案" in page and "各办事窗口的设置方案" in page
    assert "纸质，邮寄" in page
