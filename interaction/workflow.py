"""Every state change of a message, a rating and a consultation: one function each.

Each checks the source state, locks the row inside `transaction.atomic()`, saves with
`update_fields`, appends a `MessageEvent` (kind + facts, worded at display) and notifies only after
the commit (the cached public pages follow every save, `interaction.signals`). Views, admin pages and commands call only these functions.
"""

import datetime as dt
from functools import partial

from django.db import transaction
from django.utils import timezone

from interaction import deadlines, notifications, privacy
from interaction.models import (
    CommentState,
    Consultation,
    ConsultationComment,
    ConsultationState,
    Message,
    MessageCounter,
    MessageEvent,
    MessageEventKind,
    MessageState,
    Rating,
    RatingLevel,
    RejectReason,
    UnitInteractionSettings,
)
from portal import access_codes, counters, permissions

CITIZEN = "留言人"
SYSTEM = permissions.SYSTEM_LABEL
NUMBER_PREFIX = "LY"
MESSAGE_FIELDS = ["kind", "subject", "text", "name", "phone", "email", "consent_publish"]


class WorkflowError(Exception):
    """A step the message's state or the rules do not allow; the message is for users."""


def today() -> dt.date:
    return timezone.localdate()


# --- helpers ---------------------------------------------------------------------------------


def _lock(message: Message, allowed, action: str) -> Message:
    locked = Message.objects.select_for_update().get(pk=message.pk)
    if locked.state not in allowed:
        raise WorkflowError(f"该留言当前状态为“{locked.get_state_display()}”，不能{action}。")
    return locked


def _actor_fields(actor) -> dict:
    return permissions.actor_fields(actor, CITIZEN)


def _event(message, kind, actor, on=None, **data) -> MessageEvent:
    return MessageEvent.objects.create(
        message=message, kind=kind, on=on or today(), data=data, **_actor_fields(actor)
    )


def _notify_citizen(message, event):
    transaction.on_commit(partial(notifications.citizen_update, message.pk, event.pk))


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise WorkflowError(f"请填写{what}。")
    return value


# --- messages --------------------------------------------------------------------------------


def submit(unit, data: dict, attachment=None, submitted_at=None) -> tuple[Message, str]:
    """A message from the public form: numbered at once, received the day it arrives.

    `submitted_at` is only for importing past messages (demo data).
    """
    now = submitted_at or timezone.now()
    if now > timezone.now():
        raise WorkflowError("留言时间不能晚于当前时间。")
    received_on = timezone.localtime(now).date()
    code = access_codes.new_code()
    with transaction.atomic():
        serial = counters.take(MessageCounter, "last", year=received_on.year)
        message = Message(
            number=counters.tracking_number(NUMBER_PREFIX, received_on.year, serial),
            year=received_on.year,
            serial=serial,
            access_code_hash=Message.hash_access_code(code),
            unit=unit,
            submitted_at=now,
            received_on=received_on,
            due_on=deadlines.message_due_on(received_on, unit, data["kind"]),
            **{name: data.get(name) or "" for name in MESSAGE_FIELDS if name != "consent_publish"},
            consent_publish=bool(data.get("consent_publish")),
        )
        if attachment:
            message.attachment = attachment
        message.save()
        _event(message, MessageEventKind.SUBMITTED, None, received_on, unit=unit.pk)
        transaction.on_commit(partial(notifications.receipt, message.pk, code))
        transaction.on_commit(partial(notifications.new_message, message.pk))
    return message, code


def accept(message, *, actor, note="") -> Message:
    """受理: the unit takes the message on; the clock has run since receipt anyway."""
    with transaction.atomic():
        message = _lock(message, [MessageState.SUBMITTED], "受理")
        message.state = MessageState.ACCEPTED
        message.accepted_on = today()
        message.save(update_fields=["state", "accepted_on"])
        event = _event(message, MessageEventKind.ACCEPTED, actor, note=note.strip())
        _notify_citizen(message, event)
    return message


def reject(message, *, actor, reason: str, note="") -> Message:
    """不予受理, with a reason from the list (and, for 其他, the explanation)."""
    if reason not in RejectReason.values:
        raise WorkflowError("请选择不予受理的理由。")
    note = (note or "").strip()
    if reason == RejectReason.OTHER and not note:
        raise WorkflowError("选择“其他”时请说明不予受理的理由。")
    with transaction.atomic():
        message = _lock(message, [MessageState.SUBMITTED, MessageState.ACCEPTED], "不予受理")
        message.state = MessageState.REJECTED
        message.reject_reason = reason
        message.reject_note = note
        message.save(update_fields=["state", "reject_reason", "reject_note"])
        event = _event(message, MessageEventKind.REJECTED, actor, reason=reason, note=note)
        _notify_citizen(message, event)
    return message


def transfer(message, *, actor, to_unit, note="") -> Message:
    """转办 to the competent unit: the clock keeps running from the original receipt."""
    with transaction.atomic():
        message = _lock(message, [MessageState.SUBMITTED, MessageState.ACCEPTED], "转办")
        if to_unit.pk == message.unit_id:
            raise WorkflowError("请选择其他单位。")
        if not to_unit.is_active:
            raise WorkflowError("该单位已撤销，不能转办。")
        from_unit_id = message.unit_id
        message.unit = to_unit
        message.state = MessageState.SUBMITTED
        message.accepted_on = None
        message.due_on = deadlines.message_due_on(message.received_on, to_unit, message.kind)
        message.save(update_fields=["unit", "state", "accepted_on", "due_on"])
        event = _event(
            message,
            MessageEventKind.TRANSFERRED,
            actor,
            from_unit=from_unit_id,
            to_unit=to_unit.pk,
            due_on=message.due_on.isoformat(),
            note=(note or "").strip(),
        )
        _notify_citizen(message, event)
        transaction.on_commit(partial(notifications.new_message, message.pk))
    return message


def requires_review(unit) -> bool:
    return UnitInteractionSettings.objects.filter(unit=unit, requires_review=True).exists()


def reply(message, *, actor, text: str, on: dt.date | None = None) -> Message:
    """答复: sent at once, or held for the reviewer when the unit asks for review."""
    text = _text(text, "答复内容")
    with transaction.atomic():
        message = _lock(message, [MessageState.SUBMITTED, MessageState.ACCEPTED], "答复")
        if requires_review(message.unit):
            message.state = MessageState.REVIEW
            message.draft_reply = text
            message.save(update_fields=["state", "draft_reply"])
            _event(message, MessageEventKind.REPLY_SUBMITTED, actor)
            transaction.on_commit(partial(notifications.review_needed, message.pk))
            return message
        return _send_reply(message, actor, text, on or today())


def _send_reply(message, actor, text, on) -> Message:
    if on < message.received_on or on > today():
        raise WorkflowError("答复日期应在受理日期与今天之间。")
    message.state = MessageState.REPLIED
    message.reply = text
    message.draft_reply = ""
    message.replied_on = on
    message.reply_unit = message.unit
    message.workdays_taken = deadlines.workdays_taken(message.received_on, on)
    message.save(
        update_fields=[
            "state",
            "reply",
            "draft_reply",
            "replied_on",
            "reply_unit",
            "workdays_taken",
        ]
    )
    event = _event(
        message,
        MessageEventKind.REPLIED,
        actor,
        on,
        unit=message.unit_id,
        on_time=on <= message.due_on,
        workdays=message.workdays_taken,
    )
    _notify_citizen(message, event)
    return message


def _check_reviewer(message, actor):
    drafted = message.events.filter(kind=MessageEventKind.REPLY_SUBMITTED).last()
    if drafted and drafted.actor_id and actor is not None and drafted.actor_id == actor.pk:
        raise WorkflowError("答复须由起草人以外的审核员审核。")


def approve_reply(message, *, actor, text: str | None = None) -> Message:
    """The reviewer approves the held reply (optionally corrected); it goes out now."""
    with transaction.atomic():
        message = _lock(message, [MessageState.REVIEW], "审核答复")
        _check_reviewer(message, actor)
        final = _text(text if text is not None else message.draft_reply, "答复内容")
        return _send_reply(message, actor, final, today())


def return_reply(message, *, actor, note: str) -> Message:
    """The reviewer sends the draft back to the handler with the reason."""
    note = _text(note, "退回理由")
    with transaction.atomic():
        message = _lock(message, [MessageState.REVIEW], "退回答复")
        _check_reviewer(message, actor)
        message.state = MessageState.ACCEPTED
        message.accepted_on = message.accepted_on or today()
        message.save(update_fields=["state", "accepted_on"])
        _event(
            message, MessageEventKind.REPLY_RETURNED, actor, note=note, draft=message.draft_reply
        )
    return message


def publish(
    message,
    *,
    actor,
    public_subject: str,
    public_text: str,
    public_reply: str,
    is_faq: bool = False,
) -> Message:
    """Publish the staff-edited version of message and reply (personal data removed); only with
    the citizen's consent. Publishing again replaces the public version."""
    public_subject = _text(public_subject, "公开标题")
    public_text = _text(public_text, "公开的留言内容")
    public_reply = _text(public_reply, "公开的答复内容")
    with transaction.atomic():
        message = _lock(message, [MessageState.REPLIED], "公开")
        if not message.consent_publish:
            raise WorkflowError("留言人未同意公开，不能公开。")
        checks = ((public_subject, True), (public_text, True), (public_reply, False))
        for text, patterns in checks:
            found = privacy.leaks(text, message, patterns=patterns)
            if found:
                raise WorkflowError(
                    f"公开内容中仍有个人信息（{'、'.join(found)}），请删除后再公开。"
                )
        first = message.published_at is None
        message.public_subject = public_subject
        message.public_text = public_text
        message.public_reply = public_reply
        message.is_faq = bool(is_faq)
        if first:
            message.published_at = timezone.now()
        message.save(
            update_fields=[
                "public_subject",
                "public_text",
                "public_reply",
                "is_faq",
                "published_at",
            ]
        )
        event = _event(message, MessageEventKind.PUBLISHED, actor, first=first, faq=message.is_faq)
        if first:
            _notify_citizen(message, event)
    return message


def unpublish(message, *, actor, note: str) -> Message:
    note = _text(note, "取消公开的理由")
    with transaction.atomic():
        message = _lock(message, [MessageState.REPLIED], "取消公开")
        if message.published_at is None:
            raise WorkflowError("该留言尚未公开。")
        message.published_at = None
        message.is_faq = False
        message.save(update_fields=["published_at", "is_faq"])
        _event(message, MessageEventKind.UNPUBLISHED, actor, note=note)
    return message


def remind(message, *, on: dt.date | None = None) -> bool:
    """Tell the unit's handlers that the reply is due soon, today or overdue; once a day."""
    on = on or today()
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        if not message.is_open:
            return False
        stage = deadlines.reminder_due(message.due_on, on)
        if stage is None:
            return False
        if message.events.filter(kind=MessageEventKind.REMINDED, on=on).exists():
            return False
        _event(message, MessageEventKind.REMINDED, SYSTEM, on, stage=stage)
        transaction.on_commit(partial(notifications.reminder, message.pk, stage))
    return True


# --- ratings (满意度评价) ---------------------------------------------------------------------


def _new_rating(unit, level, comment, **subject) -> Rating:
    if level not in RatingLevel.values:
        raise WorkflowError("请选择评价等级。")
    on = today()
    negative = level in RatingLevel.negative()
    return Rating.objects.create(
        unit=unit,
        level=level,
        comment=(comment or "").strip(),
        rated_on=on,
        followup_due_on=deadlines.followup_due_on(on) if negative else None,
        **subject,
    )


def rate_message(message, *, level: str, comment: str = "") -> Rating:
    """The citizen rates a replied message, once."""
    with transaction.atomic():
        message = _lock(message, [MessageState.REPLIED], "评价")
        if Rating.objects.filter(message=message).exists():
            raise WorkflowError("您已评价过该留言的办理，每件留言只能评价一次。")
        rating = _new_rating(message.reply_unit, level, comment, message=message)
        _event(message, MessageEventKind.RATED, None, rating.rated_on, level=level)
        if rating.is_negative:
            transaction.on_commit(partial(notifications.negative_rating, rating.pk))
    return rating


def rate_request(request, *, level: str, comment: str = "") -> Rating:
    """The applicant rates an answered 依申请公开 request, once."""
    from django.apps import apps

    Request = apps.get_model("applications", "Request")
    with transaction.atomic():
        # Only the request's row (of=self): the unit's row stays free for its other cases.
        locked = Request.objects.select_for_update(of=("self",)).select_related("unit")
        request = locked.get(pk=request.pk)
        if request.replied_on is None:
            raise WorkflowError("申请答复后才能评价。")
        if Rating.objects.filter(request=request).exists():
            raise WorkflowError("您已评价过该申请的办理，每件申请只能评价一次。")
        rating = _new_rating(request.unit, level, comment, request=request)
        if rating.is_negative:
            transaction.on_commit(partial(notifications.negative_rating, rating.pk))
    return rating


def record_followup(rating, *, actor, outcome: str, on: dt.date | None = None) -> Rating:
    """回访 and 整改 of a 差评: recorded once; the citizen reads the outcome on the tracking page."""
    outcome = _text(outcome, "回访及整改情况")
    on = on or today()
    with transaction.atomic():
        rating = Rating.objects.select_for_update().get(pk=rating.pk)
        if rating.followup_due_on is None:
            raise WorkflowError("只有“不满意”“非常不满意”的评价需要回访。")
        if rating.followup_done_on is not None:
            raise WorkflowError("该评价的回访情况已经登记。")
        if on < rating.rated_on or on > today():
            raise WorkflowError("回访日期应在评价日期与今天之间。")
        rating.followup_outcome = outcome
        rating.followup_done_on = on
        rating.followup_by = actor
        rating.save(update_fields=["followup_outcome", "followup_done_on", "followup_by"])
        if rating.message_id:
            _event(
                rating.message,
                MessageEventKind.FOLLOWED_UP,
                actor,
                on,
                on_time=on <= rating.followup_due_on,
            )
    return rating


# --- consultations (意见征集) -----------------------------------------------------------------


def check_period(opens_on: dt.date, closes_on: dt.date, reason: str) -> None:
    """At least 30 days open, unless a reason is given (and published)."""
    if closes_on <= opens_on:
        raise WorkflowError("截止日期应晚于开始日期。")
    days = (closes_on - opens_on).days + 1
    if days < Consultation.MIN_DAYS and not (reason or "").strip():
        raise WorkflowError(f"征求意见期限为{days}日，少于{Consultation.MIN_DAYS}日，请说明理由。")


def publish_consultation(consultation, *, actor) -> Consultation:
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.state != ConsultationState.DRAFT:
            raise WorkflowError("该意见征集已经发布。")
        check_period(
            consultation.opens_on, consultation.closes_on, consultation.short_period_reason
        )
        if consultation.closes_on < today():
            raise WorkflowError("截止日期已过，不能发布。")
        consultation.state = ConsultationState.PUBLISHED
        consultation.published_at = timezone.now()
        consultation.save(update_fields=["state", "published_at"])
    return consultation


def submit_comment(consultation, *, name: str, phone: str, text: str) -> ConsultationComment:
    """A citizen's comment, held for moderation."""
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if not consultation.is_open(today()):
            raise WorkflowError("该意见征集不在征集期内，不能提交意见。")
        comment = ConsultationComment.objects.create(
            consultation=consultation,
            name=_text(name, "姓名"),
            phone=(phone or "").strip(),
            text=_text(text, "意见建议"),
        )
        transaction.on_commit(partial(notifications.new_comment, comment.pk))
    return comment


def moderate_comment(comment, *, actor, publish: bool) -> ConsultationComment:
    with transaction.atomic():
        comment = ConsultationComment.objects.select_for_update().get(pk=comment.pk)
        if comment.state != CommentState.PENDING:
            raise WorkflowError("该意见已经审核。")
        comment.state = CommentState.PUBLISHED if publish else CommentState.REJECTED
        comment.moderated_at = timezone.now()
        comment.moderated_by = actor
        comment.save(update_fields=["state", "moderated_at", "moderated_by"])
    return comment


def publish_adoption(consultation, *, actor, text: str, on: dt.date | None = None):
    """After closing, the 采纳情况: what was adopted, and why the rest was not."""
    text = _text(text, "意见采纳情况")
    on = on or today()
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.state != ConsultationState.PUBLISHED:
            raise WorkflowError("意见征集尚未发布。")
        if on <= consultation.closes_on:
            raise WorkflowError("征集截止后才能公布意见采纳情况。")
        if consultation.comments.filter(state=CommentState.PENDING).exists():
            raise WorkflowError("还有待审核的意见，请先审核。")
        consultation.adoption = text
        consultation.adoption_published_on = on
        consultation.save(update_fields=["adoption", "adoption_published_on"])
    return consultation
