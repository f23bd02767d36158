"""The reply clock, as tables of cases on the statutory calendar (the same as requests')."""

import datetime as dt

import pytest

from interaction import deadlines, workflow
from interaction.models import MessageKind, ReplyPeriod, UnitInteractionSettings
from portal.models import CalendarDay
from tests.interaction.conftest import at, submit_on

D = dt.date


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("received", "kind", "due", "why"),
    [
        (D(2026, 3, 6), MessageKind.CONSULT, D(2026, 3, 20), "Friday: two full weeks"),
        (D(2026, 3, 7), MessageKind.SITE_ERROR, D(2026, 3, 11), "Saturday: counts from Monday"),
        (D(2026, 3, 2), MessageKind.SITE_ERROR, D(2026, 3, 5), "找错: 3 working days"),
        (D(2026, 9, 30), MessageKind.CONSULT, D(2026, 10, 20), "国庆 skipped, Sat 10-10 worked"),
        (D(2026, 9, 30), MessageKind.SITE_ERROR, D(2026, 10, 10), "due on a 调休 Saturday"),
        (D(2026, 9, 30), MessageKind.COMPLAIN, D(2026, 10, 20), "every other kind: 10"),
        (D(2027, 1, 8), MessageKind.SITE_ERROR, D(2027, 1, 13), "unknown year: Monday-Friday"),
    ],
)
def test_due_date_by_kind_on_the_calendar(unit_a, received, kind, due, why):
    message, _code = submit_on(received, unit_a, kind=kind)
    assert message.received_on == received
    assert message.due_on == due, why


@pytest.mark.django_db
def test_a_staff_holiday_moves_the_due_date(unit_a):
    CalendarDay.objects.create(date=D(2027, 1, 12), is_workday=False, note="临时调整")
    message, _code = submit_on(D(2027, 1, 8), unit_a, kind=MessageKind.SITE_ERROR)
    assert message.due_on == D(2027, 1, 14)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "own", "due"),
    [
        (MessageKind.COMPLAIN, 5, D(2026, 3, 9)),
        (MessageKind.CONSULT, None, D(2026, 3, 16)),  # only 投诉 was set: the default
        (MessageKind.SITE_ERROR, 1, D(2026, 3, 3)),
    ],
)
def test_unit_sets_its_own_period_per_kind(unit_a, kind, own, due):
    settings = UnitInteractionSettings.objects.create(unit=unit_a)
    ReplyPeriod.objects.create(settings=settings, kind=MessageKind.COMPLAIN, workdays=5)
    if own and kind != MessageKind.COMPLAIN:
        ReplyPeriod.objects.create(settings=settings, kind=kind, workdays=own)
    message, _code = submit_on(D(2026, 3, 2), unit_a, kind=kind)
    assert message.due_on == due


@pytest.mark.django_db
def test_transfer_keeps_the_clock_running(unit_a, unit_b, clerk_a):
    message, _code = submit_on(D(2026, 3, 2), unit_a)
    assert message.due_on == D(2026, 3, 16)
    with at(D(2026, 3, 10)):
        workflow.transfer(message, actor=clerk_a, to_unit=unit_b)
    message.refresh_from_db()
    assert message.unit == unit_b
    assert message.received_on == D(2026, 3, 2)
    assert message.due_on == D(2026, 3, 16)  # not 10 working days from the transfer


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("received", "replied", "taken", "on_time"),
    [
        (D(2026, 3, 2), D(2026, 3, 2), 0, True),
        (D(2026, 3, 6), D(2026, 3, 9), 1, True),
        (D(2026, 9, 30), D(2026, 10, 8), 1, True),  # the National Day week is not counted
        (D(2026, 3, 2), D(2026, 3, 16), 10, True),
        (D(2026, 3, 2), D(2026, 3, 17), 11, False),
    ],
)
def test_working_days_taken_and_on_time(unit_a, handler_a, received, replied, taken, on_time):
    message, _code = submit_on(received, unit_a)
    with at(replied):
        message = workflow.reply(message, actor=handler_a, text="答复内容。")
    assert message.workdays_taken == taken
    assert message.replied_on_time is on_time


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (D(2026, 3, 11), None),  # 3 working days left
        (D(2026, 3, 12), "before"),  # 2 working days left
        (D(2026, 3, 14), "before"),  # Saturday before a Monday due date
        (D(2026, 3, 16), "today"),
        (D(2026, 3, 17), "overdue"),
    ],
)
@pytest.mark.django_db
def test_reminder_stage(today, stage):
    assert deadlines.reminder_due(D(2026, 3, 16), today) == stage


@pytest.mark.parametrize(
    ("received", "veto_on"),
    [
        (D(2026, 1, 31), D(2026, 5, 1)),  # 3 months end on 30 April
        (D(2026, 3, 2), D(2026, 6, 3)),
        (D(2026, 11, 30), D(2027, 3, 1)),
    ],
)
def test_three_month_veto_date(received, veto_on):
    assert deadlines.veto_on(received) == veto_on


@pytest.mark.parametrize(
    ("today", "alarm"),
    [(D(2026, 5, 1), False), (D(2026, 5, 2), True)],
)
def test_alarm_after_sixty_days(today, alarm):
    assert deadlines.alarm(D(2026, 3, 2), today) is alarm


@pytest.mark.django_db
def test_follow_up_due_in_fifteen_working_days():
    # Counted from the rating day: 国庆 does not count.
    assert deadlines.followup_due_on(D(2026, 9, 28)) == D(2026, 10, 23)
