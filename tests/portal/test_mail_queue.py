"""Notifications go through a queue table: a failing mail server loses nothing, no request waits."""

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.core import mail as django_mail
from django.core.management import call_command
from django.utils import timezone

from portal import mail
from portal.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_queue_mode_sends_nothing_during_the_request(settings, mailoutbox):
    settings.EMAIL_DELIVERY = "queue"
    mail.queue("主题", "正文", "<p>正文</p>", ["a@example.com", "", "a@example.com"])
    assert mailoutbox == []
    message = OutboundEmail.objects.get()
    assert message.recipients == ["a@example.com"] and message.sent_at is None
    call_command("send_queued_mail")
    assert len(mailoutbox) == 1 and mailoutbox[0].subject == "主题"
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1


def test_a_failing_mail_server_loses_no_notification(settings, mailoutbox, caplog):
    settings.EMAIL_DELIVERY = "queue"
    mail.queue("答复通知", "正文", "", ["applicant@example.com"])
    with mock.patch.object(
        django_mail.EmailMultiAlternatives, "send", side_effect=ConnectionRefusedError("down")
    ):
        assert mail.deliver_due() == (0, 1)
    message = OutboundEmail.objects.get()
    assert (
        message.sent_at is None
        and message.attempts == 1
        and "ConnectionRefusedError" in message.last_error
    )
    assert "applicant@example.com" not in caplog.text
    # Not due again yet; after the delay it is retried and goes out.
    assert mail.deliver_due() == (0, 0)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        assert mail.deliver_due() == (1, 0)
    assert [m.to for m in mailoutbox] == [["applicant@example.com"]]


def test_immediate_mode_sends_after_commit(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_DELIVERY = "immediate"
    with django_capture_on_commit_callbacks(execute=True):
        mail.queue("主题", "正文", "", ["b@example.com"])
        assert mailoutbox == []
    assert len(mailoutbox) == 1
    assert OutboundEmail.objects.get().sent_at is not None


def test_a_queued_receipt_keeps_no_access_code_in_clear(
    settings, mailoutbox, unit_a, django_capture_on_commit_callbacks
):
    # The 查询码 is stored only as an HMAC; the queued receipt carries it to the applicant, sealed
    # with a key derived from SECRET_KEY until it is sent (a dump or backup shows no code).
    from django.db import connection

    from applications import workflow
    from tests.applications.conftest import person_data

    settings.EMAIL_DELIVERY = "queue"
    with django_capture_on_commit_callbacks(execute=True):
        request, code = workflow.submit_online(unit_a, person_data())
    with connection.cursor() as cursor:
        cursor.execute("SELECT subject, text, html FROM portal_outboundemail")
        stored = " ".join(" ".join(row) for row in cursor.fetchall())
    assert stored and code not in stored and request.number in stored  # the subject is clear
    call_command("send_queued_mail")
    assert any(code in m.body for m in mailoutbox)
    for message in OutboundEmail.objects.all():
        assert message.sent_at is not None
        assert message.text == message.html == "" and message.subject


def test_a_message_that_never_goes_out_is_erased_at_the_last_attempt(settings, mailoutbox):
    settings.EMAIL_DELIVERY = "queue"
    mail.queue(
        "申请已收到", "查询码：ABCD-EFGH-JKLM", "<p>查询码：ABCD-EFGH-JKLM</p>", ["a@example.com"]
    )
    message = OutboundEmail.objects.get()
    with mock.patch.object(
        django_mail.EmailMultiAlternatives, "send", side_effect=ConnectionRefusedError("down")
    ):
        for _ in range(OutboundEmail.MAX_ATTEMPTS):
            mail.deliver(message.pk)
    message.refresh_from_db()
    assert message.attempts == OutboundEmail.MAX_ATTEMPTS and message.sent_at is None
    assert message.text == message.html == ""
    assert "ConnectionRefusedError" in message.last_error
    assert not OutboundEmail.objects.due(timezone.now() + dt.timedelta(days=30)).exists()


def test_queued_mail_survives_a_secret_key_rotation(settings, mailoutbox):
    settings.EMAIL_DELIVERY = "queue"
    mail.queue("主题", "查询码：ABCD-EFGH-JKLM", "", ["a@example.com"])
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-key-after-a-leak-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert mail.deliver_due() == (1, 0)
    assert "ABCD-EFGH-JKLM" in mailoutbox[0].body


def test_queued_mail_sealed_with_a_forgotten_key_is_given_up_not_sent_garbled(settings, mailoutbox):
    settings.EMAIL_DELIVERY = "queue"
    mail.queue("主题", "查询码：ABCD-EFGH-JKLM", "", ["a@example.com"])
    settings.SECRET_KEY = "a-new-key-without-fallback-" + "x" * 40
    assert mail.deliver_due() == (0, 1)
    message = OutboundEmail.objects.get()
    assert mailoutbox == [] and message.text == "" and "SECRET_KEY" in message.last_error
