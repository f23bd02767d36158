"""Outgoing e-mail through a queue table (`OutboundEmail`).

`queue()` stores the message (notifications call it once their change has committed). With EMAIL_DELIVERY=immediate (the
default in development and tests) it is also sent right after commit; with EMAIL_DELIVERY=queue
(the production default) only `manage.py send_queued_mail` sends it, from a timer, so no request
waits for the mail server. A failed attempt is retried later with a growing delay.

A queued body may hold a 查询码 or an applicant's details: it is stored sealed (portal/sealing.py,
a key derived from SECRET_KEY), opened only to be sent, and erased once sent or given up.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from portal import sealing
from portal.models import OutboundEmail

logger = logging.getLogger(__name__)
RETRY_MINUTES = [1, 5, 15, 30, 60, 120, 240, 480, 720, 1440, 1440]


def queue(
    subject: str, text: str, html: str, recipients: list[str], attachments=()
) -> OutboundEmail | None:
    """`attachments`: [("module.function", argument)], each called at sending time to give
    (file name, content, MIME type), so a rendered document is never stored in the queue."""
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return None
    message = OutboundEmail.objects.create(
        recipients=recipients,
        subject=subject[:300],
        text=sealing.seal(text),
        html=sealing.seal(html),
        attachments=[list(item) for item in attachments],
        next_attempt_at=timezone.now(),
    )
    if settings.EMAIL_DELIVERY == "immediate":
        transaction.on_commit(lambda: deliver(message.pk))
    return message


def deliver(pk: int) -> bool:
    """Send one queued message; on failure schedule the next attempt. Never raises."""
    with transaction.atomic():
        message = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, sent_at__isnull=True)
            .first()
        )
        if message is None:
            return False
        message.attempts += 1
        try:
            text, html = sealing.unseal(message.text), sealing.unseal(message.html)
        except sealing.Unreadable:
            # Sealed with a key no longer configured: it can never be sent.
            logger.error("e-mail %s cannot be opened (SECRET_KEY changed); given up", message.pk)
            _give_up(message, "正文无法解密（SECRET_KEY 已更换且未列入 SECRET_KEY_FALLBACKS）")
            return False
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=message.recipients,
        )
        if html:
            email.attach_alternative(html, "text/html")
        try:
            for loader, argument in message.attachments:
                email.attach(*import_string(loader)(argument))
            email.send()
        except Exception as error:
            # Addresses stay out of the log: only the message id and the error class.
            logger.warning(
                "e-mail %s not sent (attempt %s): %s",
                message.pk,
                message.attempts,
                type(error).__name__,
            )
            error_text = f"{type(error).__name__}: {error}"[:300]
            if message.attempts >= OutboundEmail.MAX_ATTEMPTS:
                _give_up(message, error_text)
                return False
            delay = RETRY_MINUTES[min(message.attempts - 1, len(RETRY_MINUTES) - 1)]
            message.next_attempt_at = timezone.now() + dt.timedelta(minutes=delay)
            message.last_error = error_text
            message.save(update_fields=["attempts", "next_attempt_at", "last_error"])
            return False
        message.sent_at = timezone.now()
        message.last_error = ""
        # The body may hold a 查询码 (stored nowhere else in clear) or an applicant's details: once
        # delivered, only the record that it went out is kept.
        message.text = message.html = ""
        message.save(update_fields=["attempts", "sent_at", "last_error", "text", "html"])
        return True


def _give_up(message: OutboundEmail, reason: str) -> None:
    """No further attempt: the body goes, as after sending; subject, recipients and the reason
    remain as the record."""
    message.attempts = max(message.attempts, OutboundEmail.MAX_ATTEMPTS)
    message.last_error = reason[:300]
    message.text = message.html = ""
    message.save(update_fields=["attempts", "last_error", "text", "html"])


def deliver_due(limit: int = 200) -> tuple[int, int]:
    """Send what is due; returns (sent, failed)."""
    sent = failed = 0
    for pk in (
        OutboundEmail.objects.due(timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    ):
        if deliver(pk):
            sent += 1
        else:
            failed += 1
    return sent, failed
