"""Daily reminders of messages due soon, due today or overdue (run by `manage.py send_reminders`)."""

import datetime as dt

from interaction import deadlines, workflow
from interaction.models import Message


def send(today: dt.date) -> int:
    """Remind each open message at most once a day; returns how many were reminded."""
    due = Message.objects.due_within(
        deadlines.REMIND_BEFORE_WORKDAYS, today
    ) | Message.objects.overdue(today)
    return sum(
        1 for message in due.only("pk").order_by("due_on") if workflow.remind(message, on=today)
    )
