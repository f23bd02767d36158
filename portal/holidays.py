"""The statutory holidays fixed by 《全国年节及纪念日放假办法》 (revised 2024, in force 2025-01-01).

Art. 2 of the 办法 gives every citizen 13 days off, each tied to a calendar rule: 元旦 (1 January),
春节 (除夕 and 正月初一 to 初三), 清明节 (the day of the 清明 solar term), 劳动节 (1 and 2 May),
端午节 (五月初五), 中秋节 (八月十五) and 国庆节 (1 to 3 October). They are non-working days in any
year, announced or not; the State Council's yearly notice only adds the bridging days and the 调休
working weekends, which staff enter in the 工作日历 when it is published.
"""

import datetime as dt
from functools import lru_cache

import chinese_calendar
from lunardate import LunarDate

# Years before this were governed by the 2013 version (春节 三天 from 初一, 劳动节 one day); the
# library holds the announced calendars of those years, so the rule is only needed from here on.
FIRST_YEAR = 2025


def _lunar(year: int, month: int, day: int) -> dt.date:
    return LunarDate(year, month, day).to_solar_date()


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The 13 statutory days off of `year` with their names (empty before 2025)."""
    if not FIRST_YEAR <= year < 2100:  # the lunar tables end in 2099
        return {}
    new_year = _lunar(year, 1, 1)
    days = {dt.date(year, 1, 1): "元旦"}
    # 除夕 is the last day of the lunar year before 正月初一 (the 29th or 30th of the 12th month).
    for offset in range(-1, 3):
        days[new_year + dt.timedelta(days=offset)] = "春节"
    qingming = chinese_calendar.get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 10))
    days.update({day: "清明节" for day, name in qingming if name == "清明"})
    days[dt.date(year, 5, 1)] = days[dt.date(year, 5, 2)] = "劳动节"
    days[_lunar(year, 5, 5)] = "端午节"
    days[_lunar(year, 8, 15)] = "中秋节"
    for day in (1, 2, 3):
        days[dt.date(year, 10, day)] = "国庆节"
    return days
