"""The reply clock of a message (and the follow-up clock of a 差评): computed here and only here.

A message is received the day it is submitted (it arrives online) and is answered within a number
of working days set per unit and kind, counted from the next working day, on the same calendar as
requests (`portal.workdays`). A transfer to another unit does not restart the clock: the receiving
unit's period for the kind is counted from the original receipt date. No message may wait three
months (the 检查指标 veto); the dashboard raises an alarm at 60 days, long before that.
"""

import calendar
import datetime as dt

from interaction.models import MessageKind
from portal.workdays import add_workdays, workdays_between

DEFAULT_WORKDAYS = 10
# 我为政府网站找错: answered within 3 working days (provincial rules following the 检查指标).
DEFAULT_BY_KIND = {MessageKind.SITE_ERROR: 3}
# Reminders go to the handlers this many working days before the due date, and on the day.
REMIND_BEFORE_WORKDAYS = 2
ALARM_DAYS = 60
VETO_MONTHS = 3
# 好差评 (国办发〔2019〕51号): a 差评 is followed up within 15 working days as a rule.
FOLLOWUP_WORKDAYS = 15


def default_workdays(kind: str) -> int:
    return DEFAULT_BY_KIND.get(MessageKind(kind), DEFAULT_WORKDAYS)


def reply_workdays(unit, kind: str) -> int:
    """The unit's own period for `kind` where it set one, else the default."""
    from interaction.models import ReplyPeriod

    own = (
        ReplyPeriod.objects.filter(settings__unit=unit, kind=kind)
        .values_list("workdays", flat=True)
        .first()
    )
    return own or default_workdays(kind)


def due_on(received_on: dt.date, period_workdays: int) -> dt.date:
    """The last day to reply: the n-th working day after receipt."""
    return add_workdays(received_on, period_workdays)


def message_due_on(received_on: dt.date, unit, kind: str) -> dt.date:
    return due_on(received_on, reply_workdays(unit, kind))


def workdays_taken(received_on: dt.date, replied_on: dt.date) -> int:
    """Working days from receipt to reply (a same-day reply, or one on a weekend after a Friday
    receipt, took 0)."""
    return max(workdays_between(received_on, replied_on), 0)


def reminder_due(due: dt.date, today: dt.date) -> str | None:
    """ "before" within REMIND_BEFORE_WORKDAYS working days of `due`, "today" on the day,
    "overdue" after it; None while there is time."""
    if today > due:
        return "overdue"
    if today == due:
        return "today"
    if workdays_between(today, due) <= REMIND_BEFORE_WORKDAYS:
        return "before"
    return None


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def veto_on(received_on: dt.date) -> dt.date:
    """The first day on which an unanswered message fails the site (more than 3 months)."""
    return add_months(received_on, VETO_MONTHS) + dt.timedelta(days=1)


def alarm(received_on: dt.date, today: dt.date) -> bool:
    """Open for more than ALARM_DAYS calendar days."""
    return (today - received_on).days > ALARM_DAYS


def followup_due_on(rated_on: dt.date) -> dt.date:
    return add_workdays(rated_on, FOLLOWUP_WORKDAYS)
