"""Message workflow: each step through its one function, its event and its guard."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from interaction import events, workflow
from interaction.models import (
    Message,
    MessageEvent,
    MessageEventKind,
    MessageState,
    RejectReason,
    UnitInteractionSettings,
)
from tests.interaction.conftest import at, submit_on

D = dt.date


@pytest.mark.django_db
def test_submit_numbers_and_hashes_the_code(unit_a):
    first, code = submit_on(D(2026, 3, 2), unit_a)
    second, _ = submit_on(D(2026, 3, 2), unit_a)
    assert first.number == "LY-2026-000001" and second.number == "LY-2026-000002"
    assert code not in first.access_code_hash
    assert first.check_access_code(code)
    assert first.check_access_code(code.lower().replace("-", " "))
    assert not first.check_access_code("AAAA-BBBB-CCCC")
    assert first.events.get().kind == MessageEventKind.SUBMITTED


@pytest.mark.django_db
def test_accept_reply_and_history(
    message, handler_a, mailoutbox, django_capture_on_commit_callbacks
):
    with at(D(2026, 3, 3)):
        workflow.accept(message, actor=handler_a)
    with at(D(2026, 3, 4)), django_capture_on_commit_callbacks(execute=True):
        message = workflow.reply(message, actor=handler_a, text="周六上午开放。")
    assert message.state == MessageState.REPLIED
    assert message.reply_unit_id == message.unit_id
    assert message.replied_on == D(2026, 3, 4)
    public = [line.title for line in events.history(message, for_staff=False)]
    assert public == ["提交留言", "受理", "答复"]
    # The citizen gave an e-mail: receipt, accepted, replied.
    assert any("留言办理进展：答复" in m.subject for m in mailoutbox)
    with pytest.raises(workflow.WorkflowError, match="已答复"):
        workflow.reply(message, actor=handler_a, text="再次答复")


@pytest.mark.django_db
def test_reject_needs_a_listed_reason(message, handler_a):
    with pytest.raises(workflow.WorkflowError, match="理由"):
        workflow.reject(message, actor=handler_a, reason="made-up")
    with pytest.raises(workflow.WorkflowError, match="其他"):
        workflow.reject(message, actor=handler_a, reason=RejectReason.OTHER)
    message = workflow.reject(message, actor=handler_a, reason=RejectReason.PETITION)
    assert message.state == MessageState.REJECTED
    line = events.history(message, for_staff=False)[-1]
    assert "信访" in line.text


@pytest.mark.django_db
def test_transfer_shows_in_history_and_moves_the_message(message, handler_a, unit_b):
    with pytest.raises(workflow.WorkflowError, match="其他单位"):
        workflow.transfer(message, actor=handler_a, to_unit=message.unit)
    message = workflow.transfer(message, actor=handler_a, to_unit=unit_b, note="属教育局职责")
    assert message.unit == unit_b and message.state == MessageState.SUBMITTED
    line = events.history(message, for_staff=False)[-1]
    assert "由安庆市人民政府政务服务中心转至安庆市教育局办理" in line.text
    assert line.note == ""  # internal notes stay internal
    assert events.history(message, for_staff=True)[-1].note == "属教育局职责"


@pytest.mark.django_db
def test_review_holds_the_reply_until_another_person_approves(
    message, handler_a, reviewer_a, django_capture_on_commit_callbacks
):
    reviewer_a.email = "reviewer@example.gov.cn"
    reviewer_a.save()
    UnitInteractionSettings.objects.create(unit=message.unit, requires_review=True)
    with at(D(2026, 3, 3)), django_capture_on_commit_callbacks(execute=True):
        message = workflow.reply(message, actor=handler_a, text="初稿")
    assert message.state == MessageState.REVIEW and message.reply == ""
    assert any(m.recipients == ["reviewer@example.gov.cn"] for m in _queued())
    with pytest.raises(workflow.WorkflowError, match="起草人以外"):
        workflow.approve_reply(message, actor=handler_a)
    message = workflow.return_reply(message, actor=reviewer_a, note="请补充开放时间")
    assert message.state == MessageState.ACCEPTED
    with at(D(2026, 3, 4)):
        message = workflow.reply(message, actor=handler_a, text="周六上午9时至12时开放。")
        message = workflow.approve_reply(message, actor=reviewer_a)
    assert message.state == MessageState.REPLIED
    assert message.reply == "周六上午9时至12时开放。" and message.draft_reply == ""
    # The citizen never sees the internal review steps.
    titles = [line.title for line in events.history(message, for_staff=False)]
    assert "答复提交审核" not in titles and "答复退回修改" not in titles


def _queued():
    from portal.models import OutboundEmail

    return OutboundEmail.objects.all()


@pytest.mark.django_db
def test_publish_needs_consent_and_refuses_personal_data(unit_a, handler_a):
    message, _ = submit_on(D(2026, 3, 2), unit_a, consent_publish=False)
    workflow.reply(message, actor=handler_a, text="答复")
    with pytest.raises(workflow.WorkflowError, match="未同意公开"):
        workflow.publish(
            message, actor=handler_a, public_subject="标题", public_text="内容", public_reply="答复"
        )

    message, _ = submit_on(D(2026, 3, 2), unit_a)
    workflow.reply(
        message, actor=handler_a, text="张三丰您好：周六上午开放，咨询电话0556-5349772。"
    )
    for text in ("我叫张三丰。", "电话13912345678", "身份证11010519491231002X", "邮箱a@b.cn"):
        with pytest.raises(workflow.WorkflowError, match="个人信息"):
            workflow.publish(
                message,
                actor=handler_a,
                public_subject="周末办理",
                public_text=text,
                public_reply="您好：周六上午开放。",
            )
    with pytest.raises(workflow.WorkflowError, match="姓名"):
        workflow.publish(
            message,
            actor=handler_a,
            public_subject="周末办理",
            public_text="请问周六是否开放？",
            public_reply="张三丰您好：周六上午开放。",
        )
    message = workflow.publish(
        message,
        actor=handler_a,
        public_subject="周末办理",
        public_text="请问周六是否开放？",
        # An office's landline is not personal data.
        public_reply="您好：周六上午开放，咨询电话0556-5349772。",
        is_faq=True,
    )
    assert message.is_published and message.is_faq


@pytest.mark.django_db
def test_the_database_refuses_a_publication_without_consent(unit_a, handler_a):
    message, _ = submit_on(D(2026, 3, 2), unit_a, consent_publish=False)
    workflow.reply(message, actor=handler_a, text="答复")
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.filter(pk=message.pk).update(
            published_at=dt.datetime(2026, 3, 5, tzinfo=dt.UTC),
            public_subject="a",
            public_text="b",
            public_reply="c",
        )


@pytest.mark.django_db
def test_events_are_append_only(message):
    event = message.events.get()
    with pytest.raises(ValueError, match="只能追加"):
        event.save()
    with pytest.raises(ValueError, match="只能追加"):
        event.delete()
    with pytest.raises(Exception, match="只能追加"), transaction.atomic():
        MessageEvent.objects.filter(pk=event.pk).update(kind=MessageEventKind.REPLIED)


@pytest.mark.django_db
def test_remind_once_a_day_from_two_working_days_before(
    message, handler_a, mailoutbox, django_capture_on_commit_callbacks
):
    assert message.due_on == D(2026, 3, 16)
    assert not workflow.remind(message, on=D(2026, 3, 11))
    assert workflow.remind(message, on=D(2026, 3, 12))
    assert not workflow.remind(message, on=D(2026, 3, 12))
    with django_capture_on_commit_callbacks(execute=True):
        assert workflow.remind(message, on=D(2026, 3, 16))
    assert workflow.remind(message, on=D(2026, 3, 18))
    stages = [e.data["stage"] for e in message.events.filter(kind=MessageEventKind.REMINDED)]
    assert stages == ["before", "today", "overdue"]
    assert any("今日到期" in m.subject for m in mailoutbox)


@pytest.mark.django_db
def test_send_reminders_also_reminds_messages(message, handler_a):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    with at(D(2026, 3, 16)):
        call_command("send_reminders", stdout=out)
        call_command("send_reminders", stdout=out)  # a second run the same day sends nothing
    assert "已发送留言到期提醒 1 件" in out.getvalue()
    assert "已发送留言到期提醒 0 件" in out.getvalue()
    assert message.events.filter(kind=MessageEventKind.REMINDED).count() == 1


@pytest.mark.django_db
def test_a_step_taken_by_the_system_actor_is_recorded_as_the_system(unit_a):
    # Commands and the demo pass portal.permissions.SYSTEM; naming it in the history failed
    # (it has no user name), so such a step could not be taken at all.
    from portal.permissions import SYSTEM

    message, _ = submit_on(dt.date(2026, 3, 2), unit_a)
    workflow.accept(message, actor=SYSTEM)
    event = message.events.get(kind=MessageEventKind.ACCEPTED)
    assert event.actor is None and event.actor_label == "系统"
