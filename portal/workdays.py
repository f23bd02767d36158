"""The statutory working-day calendar (工作日).

Source of truth, in order: staff corrections in `CalendarDay`, then chinese-calendar (the State
Council's announced holidays and 调休 working weekends), then, for a year the library does not
know, the statutory holidays of 《全国年节及纪念日放假办法》 (portal.holidays) and Monday-Friday.
Every deadline in the platform is counted with these functions.
"""

import datetime as dt
from functools import lru_cache

import chinese_calendar
from django.core.cache import cache

from portal import cache as resilient_cache
from portal.holidays import statutory_holidays

_CACHE_KEY = "workday-overrides:{year}"


def _library_knows(year: int) -> bool:
    return year in _library_years()


@lru_cache(maxsize=1)
def _library_years() -> frozenset[int]:
    years = set()
    for year in range(2004, 2100):
        try:
            chinese_calendar.is_workday(dt.date(year, 6, 1))
        except NotImplementedError:
            continue
        years.add(year)
    return frozenset(years)


def _overrides(year: int) -> dict[dt.date, bool]:
    key = _CACHE_KEY.format(year=year)
    days = cache.get(key)
    if days is None:
        from portal.models import CalendarDay

        days = dict(CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday"))
        cache.set(key, days, 3600)
    return days


def forget_overrides(year: int) -> None:
    """Called when staff change a CalendarDay of `year`."""
    resilient_cache.forget(_CACHE_KEY.format(year=year))


class _Calendar:
    """One lookup pass: each year's overrides are read once per call, not once per day."""

    def __init__(self):
        self._years: dict[int, dict[dt.date, bool]] = {}

    def is_workday(self, day: dt.date) -> bool:
        overrides = self._years.get(day.year)
        if overrides is None:
            overrides = self._years[day.year] = _overrides(day.year)
        if day in overrides:
            return overrides[day]
        if _library_knows(day.year):
            return chinese_calendar.is_workday(day)
        if day in statutory_holidays(day.year):
            return False
        return day.weekday() < 5


def is_workday(day: dt.date) -> bool:
    return _Calendar().is_workday(day)


def add_workdays(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (`start` itself is not counted, Art. 33)."""
    if n < 0:
        raise ValueError("n must not be negative")
    calendar = _Calendar()
    day = start
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day):
            counted += 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is before `start`."""
    if end < start:
        return -workdays_between(end, start)
    calendar = _Calendar()
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day):
            count += 1
    return count


def _days_after(start: dt.date, end: dt.date):
    """The days after `start` up to `end`: (day, is a working day, the staff's note or None)."""
    from portal.models import CalendarDay

    notes = dict(
        CalendarDay.objects.filter(date__gt=start, date__lte=end).values_list("date", "note")
    )
    calendar = _Calendar()
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        yield day, calendar.is_workday(day), notes.get(day)


def skipped_days(start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    """Non-working days after `start` up to `end`, each with the reason, to explain a due date."""
    result = []
    for day, workday, reason in _days_after(start, end):
        if workday:
            continue
        if not reason and _library_knows(day.year):
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
            reason = _HOLIDAY_NAMES.get(name, name) if on_holiday and name else None
        if not reason:
            reason = statutory_holidays(day.year).get(day)
        result.append((day, reason or ("周末" if day.weekday() >= 5 else "休息日")))
    return result


def swapped_workdays(start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    """Weekend days after `start` up to `end` that are working days (调休上班), with the note."""
    return [
        (day, note or "调休上班")
        for day, workday, note in _days_after(start, end)
        if workday and day.weekday() >= 5
    ]


def year_is_known(year: int) -> bool:
    """True when the holidays of `year` come from the library or staff confirmed the year.

    Staff entries alone do not confirm a year: the first entered swap of a new year is not yet the
    whole notice, so the warning stays until someone marks the year as confirmed.
    """
    if _library_knows(year):
        return True
    from portal.models import CalendarYear

    return CalendarYear.objects.filter(year=year).exists()


def unconfirmed_years(start: dt.date, end: dt.date) -> list[int]:
    """The years from `start` to `end` whose 调休 swaps may be missing."""
    return [year for year in range(start.year, end.year + 1) if not year_is_known(year)]


def unconfirmed_warning(year: int, can_edit: bool = True) -> str:
    action = (
        "请在“工作日历”中录入调休安排并确认该年度" if can_edit else "请联系平台管理员录入并确认"
    )
    return (
        f"{year}年节假日安排尚未录入：该年期限暂按法定节假日（元旦、春节、清明节、劳动节、端午节、"
        f"中秋节、国庆节）和周一至周五计算，调休安排可能缺失，{action}。"
    )


def calendar_warnings(today: dt.date, can_edit: bool = True) -> list[str]:
    """Warnings for staff: the current year, and from November the next one, must be confirmed.
    Those who cannot edit the calendar are told whom to ask."""
    years = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    return [unconfirmed_warning(year, can_edit) for year in years if not year_is_known(year)]


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
