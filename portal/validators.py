"""One validator per kind of field people type: 证件号码, 统一社会信用代码, 联系电话, 邮政编码.

What people type is normalised first (full-width digits and letters, spaces, lower case), so
１１０１０５… typed with a Chinese input method is the same number as 110105…; every public and
staff form uses these fields, and each problem has one message in Chinese.
"""

import datetime
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

PHONE_RE = re.compile(r"^\+?[0-9()\-]{7,20}$")


def normalise(value: str) -> str:
    """Full-width to half-width (NFKC), no spaces of any width, letters in upper case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or "")).upper()


def validate_uscc(value: str) -> None:
    """统一社会信用代码: 18 characters with a check character (GB 32100-2015)."""
    if value and not uscc.is_valid(value):
        raise ValidationError("统一社会信用代码无效，请核对18位代码及校验位。", code="invalid_uscc")


# 省级行政区划代码 (GB/T 2260): the first two digits of every resident ID.
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)


def validate_resident_id(value: str) -> None:
    """居民身份证号码: 18 characters with a check character (GB 11643-1999).

    Checks the province, the birth date and the check character, not the county: the county code
    is the one in force when the card was issued or the holder moved, often younger than the
    holder (stdnum's `ric.is_valid` refuses a 1960 迎江区 number because the code dates from 1983).
    """
    if not value:
        return
    try:
        valid = (
            re.fullmatch(r"\d{17}[\dX]", value)
            and value[:2] in PROVINCE_CODES
            and ric.get_birth_date(value) <= datetime.date.today()
            and ric.calc_check_digit(value) == value[-1]
        )
    except (StdnumError, ValueError):
        valid = False
    if not valid:
        raise ValidationError(
            "居民身份证号码无效，请核对18位号码及最后一位校验码。", code="invalid_ric"
        )


def validate_phone(value: str) -> None:
    if value and not PHONE_RE.match(value):
        raise ValidationError(
            "请输入有效的电话号码（7至20位数字，可含区号连字符）。", code="invalid_phone"
        )


# Written as in portal's first migration (so no new one); fields normalise full-width digits first.
validate_postcode = RegexValidator(r"^\d{6}$", "邮政编码应为6位数字。")


class NormalisedField(forms.CharField):
    """A code typed by people: normalised before it is checked and stored."""

    def to_python(self, value):
        return normalise(super().to_python(value))


class IdNumberField(NormalisedField):
    """证件号码; the resident-ID check depends on the 证件类型 (see `check_id_number`)."""


class CreditCodeField(NormalisedField):
    default_validators = [validate_uscc]


class PhoneField(NormalisedField):
    default_validators = [validate_phone]


class PostcodeField(NormalisedField):
    default_validators = [validate_postcode]
