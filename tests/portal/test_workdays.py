import datetime as dt

import pytest
import time_machine

from portal import workdays
from portal.models import CalendarDay

D = dt.date


@pytest.mark.parametrize(
    ("day", "expected", "why"),
    [
        (D(2026, 9, 20), True, "Sunday worked in exchange for the National Day holiday"),
        (D(2026, 10, 10), True, "Saturday worked in exchange for the National Day holiday"),
        (D(2026, 10, 1), False, "National Day"),
        (D(2026, 10, 7), False, "National Day holiday"),
        (D(2026, 10, 8), True, "first working day after the holiday"),
        (D(2026, 9, 19), False, "ordinary Saturday"),
        (D(2026, 2, 17), False, "Spring Festival"),
        (D(2026, 11, 27), True, "ordinary Friday"),
        (D(2026, 11, 28), False, "ordinary Saturday"),
    ],
)
def test_is_workday_follows_the_state_council_calendar(db, day, expected, why):
    assert workdays.is_workday(day) is expected, why


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 9, 21), 20, D(2026, 10, 26)),  # crosses National Day and two swapped weekends
        (D(2026, 9, 21), 0, D(2026, 9, 21)),
        (D(2026, 11, 27), 1, D(2026, 11, 30)),  # Friday + 1 = Monday
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 9, 19), 1, D(2026, 9, 20)),  # the swapped Sunday counts
    ],
)
def test_add_workdays(db, start, n, expected):
    assert workdays.add_workdays(start, n) == expected


def test_workdays_between_is_the_inverse_of_add_workdays(db):
    start = D(2026, 9, 21)
    assert workdays.workdays_between(start, D(2026, 10, 26)) == 20
    assert workdays.workdays_between(D(2026, 10, 26), start) == -20
    assert workdays.workdays_between(start, start) == 0


def test_unknown_year_falls_back_to_monday_to_friday(db):
    # 2027 is not in chinese-calendar: New Year's Day (a Friday) counts as a working day.
    assert workdays.is_workday(D(2027, 1, 1)) is True
    assert workdays.is_workday(D(2027, 1, 2)) is False
    assert workdays.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 1)


def test_staff_entries_override_the_library_and_fill_unknown_years(db):
    CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, note="元旦")
    assert workdays.is_workday(D(2027, 1, 1)) is False
    assert workdays.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)
    # A correction of a known year wins over the library, and takes effect at once.
    CalendarDay.objects.create(date=D(2026, 11, 27), is_workday=False, note="临时调整")
    assert workdays.is_workday(D(2026, 11, 27)) is False
    CalendarDay.objects.filter(date=D(2026, 11, 27)).delete()
    CalendarDay.objects.get_or_create(
        date=D(2026, 11, 28), defaults={"is_workday": True, "note": "调休上班"}
    )
    assert workdays.is_workday(D(2026, 11, 28)) is True


def test_skipped_days_explain_the_gap(db):
    skipped = dict(workdays.skipped_days(D(2026, 9, 30), D(2026, 10, 8)))
    assert skipped[D(2026, 10, 1)] == "国庆节"
    assert len(skipped) == 7
    assert D(2026, 10, 8) not in skipped


def test_calendar_warnings_name_the_missing_year(db):
    assert workdays.calendar_warnings(D(2026, 6, 1)) == []
    warnings = workdays.calendar_warnings(D(2026, 11, 27))
    assert len(warnings) == 1 and "2027年节假日安排尚未录入" in warnings[0]
    CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, note="元旦")
    assert workdays.calendar_warnings(D(2026, 11, 27)) == []


def test_admin_shows_the_calendar_warning(client, superuser, clerk_a):
    with time_machine.travel(dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)):
        client.force_login(superuser)
        response = client.get("/admin/")
        # Who keeps the calendar is told on every page, where to enter it.
        elsewhere = client.get("/admin/applications/request/").content.decode()
        client.force_login(clerk_a)
        index = client.get("/admin/").content.decode()
        clerk_elsewhere = client.get("/admin/applications/request/").content.decode()
    assert response.status_code == 200
    assert "2027年节假日安排尚未录入" in response.content.decode() and "“工作日历”" in elsewhere
    # A clerk, who cannot enter it, sees it on the 工作台 with whom to ask, not on every page.
    assert "2027年节假日安排尚未录入" in index and "请联系平台管理员录入" in index
    assert "2027年节假日安排尚未录入" not in clerk_elsewhere


def test_negative_n_is_refused(db):
    with pytest.raises(ValueError):
        workdays.add_workdays(D(2026, 1, 1), -1)
