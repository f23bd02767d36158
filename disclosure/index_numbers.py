"""索引号: assigned at publication, unique, never reused.

The pattern is per site (SiteProfile.index_number_pattern); the default is the Anhui style
`<统一社会信用代码>/<YYYYMM>-<5-digit serial>`, with the unit code when a unit has no credit
code. The serial counts per unit and year. A counter row per unit and year is locked while a
number is taken, so two reviewers publishing at the same moment never get the same serial; a
serial once taken is never handed out again, even if the entry is withdrawn.
"""

import datetime as dt
import re
import string

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from portal import counters
from portal.models import PublishingUnit, SiteProfile

PLACEHOLDERS = {"code", "yyyy", "mm", "serial"}


def unit_code(unit) -> str:
    code = unit.credit_code or unit.unit_code
    if not code:
        raise ValidationError(
            f"“{unit.name}”既没有统一社会信用代码，也没有单位编码，无法生成索引号；"
            "请单位管理员先在“发布单位”中填写。",
            code="no_unit_code",
        )
    return code


def validate_pattern(pattern: str) -> None:
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError:
        raise ValidationError("索引号格式有误：花括号不配对。", code="bad_pattern") from None
    unknown = fields - PLACEHOLDERS
    if unknown:
        raise ValidationError(
            f"索引号格式含有未知占位符：{'、'.join(sorted(unknown))}。", code="bad_pattern"
        )
    if "serial" not in fields:
        raise ValidationError(
            "索引号格式必须包含 {serial}（流水号），否则无法保证唯一。", code="bad_pattern"
        )
    try:
        format_number(pattern, "X", dt.date(2000, 1, 1), 1)
    except (ValueError, KeyError, IndexError):
        raise ValidationError("索引号格式有误，请检查占位符写法。", code="bad_pattern") from None


def format_number(pattern: str, code: str, day: dt.date, serial: int) -> str:
    return pattern.format(code=code, yyyy=f"{day.year:04d}", mm=f"{day.month:02d}", serial=serial)


_GROUPS = {"code": r".+?", "yyyy": r"\d{4}", "mm": r"\d{2}", "serial": r"\d+"}


def parse(pattern: str, number: str) -> dict | None:
    """The placeholders of `number` read back through `pattern` (None if it has another form)."""
    regex, seen = "", set()
    for literal, name, _spec, _conversion in string.Formatter().parse(pattern):
        regex += re.escape(literal)
        if name is None:
            continue
        regex += f"(?P={name})" if name in seen else f"(?P<{name}>{_GROUPS[name]})"
        seen.add(name)
    match = re.fullmatch(regex, number)
    return match.groupdict() if match else None


def note_taken(number: str) -> None:
    """An 索引号 brought in from the old system: if it has this site's form, its unit's counter for
    its year moves past its serial, so no later publication is given the same number."""
    from disclosure.models import IndexCounter

    pattern = SiteProfile.load().index_number_pattern
    try:
        parts = parse(pattern, number)
    except (KeyError, re.error):
        return
    if not parts or not {"yyyy", "serial"} <= parts.keys():
        return
    unit = (
        PublishingUnit.objects.filter(
            Q(credit_code=parts["code"]) | Q(credit_code="", unit_code=parts["code"])
        ).first()
        if "code" in parts
        else None
    )
    if unit is None:
        return
    year, serial = int(parts["yyyy"]), int(parts["serial"])
    with transaction.atomic():
        IndexCounter.objects.bulk_create(
            [IndexCounter(unit=unit, year=year, last_serial=0)], ignore_conflicts=True
        )
        IndexCounter.objects.filter(unit=unit, year=year, last_serial__lt=serial).update(
            last_serial=serial
        )


def next_serial(unit, year: int) -> int:
    """Take the next serial of `unit` in `year`; must run inside the caller's transaction."""
    from disclosure.models import IndexCounter

    return counters.take(IndexCounter, "last_serial", unit=unit, year=year)


def assign(entry, day: dt.date) -> None:
    """Give `entry` its 索引号 for publication on `day`; keeps a number it already has."""
    if entry.index_number:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("index_numbers.assign must run inside transaction.atomic()")
    pattern = SiteProfile.load().index_number_pattern
    validate_pattern(pattern)
    code = unit_code(entry.unit)
    serial = next_serial(entry.unit, day.year)
    entry.index_year = day.year
    entry.index_serial = serial
    entry.index_number = format_number(pattern, code, day, serial)


def reserve_block(unit, year: int, count: int) -> int:
    """Reserve `count` serials at once for bulk loads; returns the first one."""
    from disclosure.models import IndexCounter

    with transaction.atomic():
        return counters.take(IndexCounter, "last_serial", count=count, unit=unit, year=year)
