import datetime as dt

import pytest
import time_machine

from portal import holidays, workdays
from portal.models import CalendarDay, CalendarYear

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


def test_unknown_year_keeps_the_statutory_holidays(db):
    # 2027 is not in chinese-calendar: 元旦 (a Friday) is a statutory holiday all the same
    # (《全国年节及纪念日放假办法》第二条); other weekdays are working days, weekends not.
    assert workdays.is_workday(D(2027, 1, 1)) is False
    assert workdays.is_workday(D(2027, 1, 2)) is False
    assert workdays.is_workday(D(2027, 1, 4)) is True
    assert workdays.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)


# 《全国年节及纪念日放假办法》 (revised 2024) 第二条: 元旦 1 Jan; 春节 除夕 to 初三; 清明 (solar term);
# 劳动节 1-2 May; 端午 五月初五; 中秋 八月十五; 国庆 1-3 Oct. Lunar dates from the 农历 tables.
STATUTORY_2027 = {
    D(2027, 1, 1): "元旦",
    D(2027, 2, 5): "春节",  # 除夕 (腊月廿九, the lunar year has no 三十)
    D(2027, 2, 6): "春节",  # 正月初一
    D(2027, 2, 7): "春节",
    D(2027, 2, 8): "春节",
    D(2027, 4, 5): "清明节",
    D(2027, 5, 1): "劳动节",
    D(2027, 5, 2): "劳动节",
    D(2027, 6, 9): "端午节",
    D(2027, 9, 15): "中秋节",
    D(2027, 10, 1): "国庆节",
    D(2027, 10, 2): "国庆节",
    D(2027, 10, 3): "国庆节",
}


def test_statutory_holidays_of_a_year_not_yet_announced():
    assert holidays.statutory_holidays(2027) == STATUTORY_2027
    # 2028: 中秋 falls on 3 October, a 国庆 day: 12 distinct days.
    days_2028 = holidays.statutory_holidays(2028)
    assert len(days_2028) == 12 and days_2028[D(2028, 1, 25)] == "春节"  # 除夕


@pytest.mark.parametrize("year", [2025, 2026])
def test_statutory_holidays_agree_with_the_announced_calendars(year):
    """Every statutory day off is a holiday in the State Council's notice of that year."""
    import chinese_calendar

    days = holidays.statutory_holidays(year)
    assert len(days) == 13
    assert [day for day in days if chinese_calendar.is_workday(day)] == []


def test_skipped_days_name_the_statutory_holidays_of_an_unknown_year(db):
    skipped = dict(workdays.skipped_days(D(2027, 2, 4), D(2027, 2, 10)))
    assert skipped[D(2027, 2, 5)] == "春节" and skipped[D(2027, 2, 8)] == "春节"
    assert skipped[D(2027, 2, 6)] == "春节"  # a Saturday, but named by the holiday


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


def test_calendar_warning_stays_until_the_year_is_confirmed(db):
    assert workdays.calendar_warnings(D(2026, 6, 1)) == []
    warnings = workdays.calendar_warnings(D(2026, 11, 27))
    assert len(warnings) == 1 and "2027年节假日安排尚未录入" in warnings[0]
    # Entering a first swap is not the whole notice: the warning stays.
    CalendarDay.objects.create(date=D(2027, 2, 20), is_workday=True, note="春节调休上班")
    assert len(workdays.calendar_warnings(D(2026, 11, 27))) == 1
    CalendarYear.objects.create(year=2027, note="国务院办公厅关于2027年部分节假日安排的通知")
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
