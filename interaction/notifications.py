"""E-mails of 互动交流, from templates/interaction/email/. Called only through
`transaction.on_commit` with primary keys (see `portal.notifications`)."""

from interaction.models import ConsultationComment, Message, MessageEvent, Rating
from portal import notifications
from portal.models import Role

HANDLERS = (Role.MESSAGE_HANDLER, Role.UNIT_ADMIN)
REVIEWERS = (Role.REVIEWER, Role.UNIT_ADMIN)
STAGE_LABELS = {"before": "即将到期", "today": "今日到期", "overdue": "已超期"}


def _message(pk) -> Message:
    return Message.objects.select_related("unit").get(pk=pk)


def _staff(unit, roles) -> list[str]:
    return notifications.staff_emails([unit], roles)


def receipt(message_pk: int, code: str) -> None:
    """The number and 查询码, once, when the citizen gave an e-mail address."""
    message = _message(message_pk)
    notifications.send(
        "interaction/email/receipt", {"message": message, "code": code}, [message.email]
    )


def citizen_update(message_pk: int, event_pk: int) -> None:
    from interaction import events

    message = _message(message_pk)
    event = MessageEvent.objects.get(pk=event_pk)
    if event.is_public and message.email:
        notifications.send(
            "interaction/email/update",
            {"message": message, "line": events.one(event)},
            [message.email],
        )


def new_message(message_pk: int) -> None:
    message = _message(message_pk)
    notifications.send(
        "interaction/email/new_message", {"message": message}, _staff(message.unit, HANDLERS)
    )


def reminder(message_pk: int, stage: str) -> None:
    message = _message(message_pk)
    notifications.send(
        "interaction/email/reminder",
        {"message": message, "stage_label": STAGE_LABELS.get(stage, "")},
        _staff(message.unit, HANDLERS),
    )


def review_needed(message_pk: int) -> None:
    message = _message(message_pk)
    notifications.send(
        "interaction/email/review", {"message": message}, _staff(message.unit, REVIEWERS)
    )


def negative_rating(rating_pk: int) -> None:
    rating = Rating.objects.select_related("unit", "message", "request").get(pk=rating_pk)
    roles = (*HANDLERS, Role.HANDLER) if rating.request_id else HANDLERS
    notifications.send(
        "interaction/email/negative_rating", {"rating": rating}, _staff(rating.unit, roles)
    )


def new_comment(comment_pk: int) -> None:
    comment = ConsultationComment.objects.select_related("consultation__unit").get(pk=comment_pk)
    notifications.send(
        "interaction/email/new_comment",
        {"comment": comment},
        _staff(comment.consultation.unit, HANDLERS),
    )
