"""Art. 30-33, 42: the due date from the event history, as a table of the law's cases."""

import datetime as dt
from types import SimpleNamespace

import pytest

from applications import deadlines
from applications.models import EventKind
from portal.models import CalendarDay, CalendarYear

D = dt.date


def ev(kind, on, until=None, **payload):
    return SimpleNamespace(kind=kind, effective_on=on, until_on=until, payload=payload)


RECEIVED_MAR_2 = ev(EventKind.RECEIVED, D(2026, 3, 2))

CASES = [
    # (description, events, expected due date)
    ("20 working days, no holiday", [RECEIVED_MAR_2], D(2026, 3, 30)),
    (
        "National Day week and the Saturday 调休 working day",
        [ev(EventKind.RECEIVED, D(2026, 9, 25))],
        D(2026, 10, 29),
    ),
    (
        "supplement restarts the clock from its receipt (Qingming skipped)",
        [
            RECEIVED_MAR_2,
            ev(EventKind.SUPPLEMENT_REQUESTED, D(2026, 3, 4)),
            ev(EventKind.SUPPLEMENT_RECEIVED, D(2026, 3, 16)),
        ],
        D(2026, 4, 14),
    ),
    (
        "third-party consultation of 5 working days does not count",
        [
            RECEIVED_MAR_2,
            ev(EventKind.CONSULTATION_STARTED, D(2026, 3, 5), party="third_party"),
            ev(EventKind.CONSULTATION_ENDED, D(2026, 3, 12)),
        ],
        D(2026, 4, 7),
    ),
    (
        # Art. 33 para. 2 and Art. 34: no period for another agency, the whole time is paused
        # (60 working days from 3 March to 29 May).
        "another agency's consultation has no cap",
        [
            RECEIVED_MAR_2,
            ev(EventKind.CONSULTATION_STARTED, D(2026, 3, 3), party="other_agency"),
            ev(EventKind.CONSULTATION_ENDED, D(2026, 5, 29)),
        ],
        D(2026, 6, 26),
    ),
    (
        # Art. 32: the third party answers within 15 working days of receiving the letter
        # (received Thursday 5 March: its last day is 26 March); the time after that counts.
        "a third party's silence counts again 15 working days after it received the letter",
        [
            RECEIVED_MAR_2,
            ev(EventKind.CONSULTATION_STARTED, D(2026, 3, 3), party="third_party"),
            ev(EventKind.CONSULTATION_RECEIVED, D(2026, 3, 5)),
            ev(EventKind.CONSULTATION_ENDED, D(2026, 5, 29)),
        ],
        D(2026, 4, 23),
    ),
    (
        # 国办函〔2020〕109号第七条: from the day the notice is issued (Thursday 5 March) to the
        # day of payment (Thursday 19 March), both included: 11 working days.
        "fee notice to payment, both days included, does not count",
        [
            RECEIVED_MAR_2,
            ev(EventKind.FEE_NOTICE, D(2026, 3, 5)),
            ev(EventKind.FEE_PAID, D(2026, 3, 19)),
        ],
        D(2026, 4, 15),
    ),
    (
        "extension by 20 working days",
        [RECEIVED_MAR_2, ev(EventKind.EXTENDED, D(2026, 3, 20), workdays=20)],
        D(2026, 4, 28),
    ),
    (
        "extension plus consultation",
        [
            RECEIVED_MAR_2,
            ev(EventKind.CONSULTATION_STARTED, D(2026, 3, 5), party="third_party"),
            ev(EventKind.CONSULTATION_ENDED, D(2026, 3, 12)),
            ev(EventKind.EXTENDED, D(2026, 3, 20), workdays=20),
        ],
        D(2026, 5, 8),
    ),
    (
        "a pause before the supplement is forgotten when the clock restarts",
        [
            RECEIVED_MAR_2,
            ev(EventKind.CONSULTATION_STARTED, D(2026, 3, 3), party="third_party"),
            ev(EventKind.CONSULTATION_ENDED, D(2026, 3, 4)),
            ev(EventKind.SUPPLEMENT_REQUESTED, D(2026, 3, 4)),
            ev(EventKind.SUPPLEMENT_RECEIVED, D(2026, 3, 16)),
        ],
        D(2026, 4, 14),
    ),
    (
        "Art. 35: a reasonable later date for a mass application",
        [RECEIVED_MAR_2, ev(EventKind.LATER_DATE, D(2026, 3, 10), until=D(2026, 6, 30))],
        D(2026, 6, 30),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("events", "due"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_due_date(events, due):
    assert deadlines.compute(events, today=D(2026, 6, 1)).due_on == due


@pytest.mark.django_db
def test_not_received_has_no_due_date():
    deadline = deadlines.compute([ev(EventKind.SUBMITTED, D(2026, 3, 2))], today=D(2026, 3, 3))
    assert deadline.due_on is None
    assert "尚未确认" in deadline.explanation()[0]


@pytest.mark.django_db
def test_waiting_for_supplement_has_no_running_deadline():
    events = [RECEIVED_MAR_2, ev(EventKind.SUPPLEMENT_REQUESTED, D(2026, 3, 4))]
    deadline = deadlines.compute(events, today=D(2026, 3, 10))
    assert deadline.due_on is None and deadline.awaiting_supplement
    assert any("补正" in line for line in deadline.explanation())


@pytest.mark.django_db
def test_open_pause_moves_the_provisional_date_each_working_day():
    events = [
        RECEIVED_MAR_2,
        ev(EventKind.CONSULTATION_STARTED, D(2026, 3, 5), party="third_party"),
    ]
    on_mar_6 = deadlines.compute(events, today=D(2026, 3, 6))  # 1 working day paused
    on_mar_9 = deadlines.compute(events, today=D(2026, 3, 9))  # 2 (weekend skipped)
    assert on_mar_6.paused_now and on_mar_6.due_on == D(2026, 3, 31)
    assert on_mar_9.due_on == D(2026, 4, 1)
    assert "暂定答复期限" in "".join(on_mar_9.explanation())


@pytest.mark.django_db
def test_late_december_request_crosses_into_a_year_not_yet_announced():
    """2027 is unknown to chinese-calendar: 元旦 is a statutory holiday all the same
    (《全国年节及纪念日放假办法》第二条), and staff enter only the 调休 swaps."""
    events = [ev(EventKind.RECEIVED, D(2026, 12, 21))]
    deadline = deadlines.compute(events, today=D(2026, 12, 21))
    assert deadline.due_on == D(2027, 1, 19)
    assert (D(2027, 1, 1), "元旦") in deadline.skipped
    assert deadline.unconfirmed_years == [2027]
    text = "".join(deadline.explanation())
    assert "01-01（元旦）" in text and "2027-01-19" in text and "12-26（周末）" in text
    # A 调休 working Saturday entered by staff counts, and the explanation names it.
    CalendarDay.objects.create(date=D(2027, 1, 9), is_workday=True, note="元旦调休上班")
    CalendarYear.objects.create(year=2027)
    deadline = deadlines.compute(events, today=D(2026, 12, 21))
    assert deadline.due_on == D(2027, 1, 18) and deadline.unconfirmed_years == []
    assert "期间计为工作日的调休周末：01-09（元旦调休上班）" in "".join(deadline.explanation())


@pytest.mark.django_db
def test_explanation_names_the_swapped_weekends_counted():
    """2026 National Day (国办发明电〔2025〕7号): Saturday 10 October is worked."""
    deadline = deadlines.compute([ev(EventKind.RECEIVED, D(2026, 9, 25))], today=D(2026, 9, 25))
    assert deadline.swapped == [(D(2026, 10, 10), "调休上班")]
    assert "10-10（调休上班）" in "".join(deadline.explanation())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("received", "on", "allowed"),
    [
        (D(2026, 3, 2), D(2026, 3, 11), True),  # 7th working day
        (D(2026, 3, 2), D(2026, 3, 12), False),  # 8th
        (D(2026, 9, 28), D(2026, 10, 9), True),  # 5 working days across National Day
    ],
)
def test_supplement_notice_within_seven_working_days(received, on, allowed):
    assert deadlines.supplement_notice_allowed(received, on) is allowed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("received", "last_day"),
    [
        # 国办函〔2020〕109号第七条: 20 working days from the day after the applicant receives it.
        (D(2026, 3, 5), D(2026, 4, 2)),
        (D(2026, 3, 9), D(2026, 4, 7)),  # received by post the next Monday; 清明 4-6 April skipped
        (D(2026, 9, 28), D(2026, 10, 30)),  # National Day week skipped, Saturday 10 Oct counted
    ],
)
def test_fee_payment_period_runs_from_receipt(received, last_day):
    assert deadlines.fee_payment_due(received) == last_day


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("received", "last_day"),
    [
        # Art. 32: 15 working days from the day after the third party receives the letter.
        (D(2026, 3, 5), D(2026, 3, 26)),
        (D(2026, 9, 30), D(2026, 10, 27)),  # 1-7 October skipped, Saturday 10 October counted
    ],
)
def test_third_party_answer_period_runs_from_its_receipt(received, last_day):
    assert deadlines.third_party_reply_due(received) == last_day
