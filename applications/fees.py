"""信息处理费 (Art. 42, 国办函〔2020〕109号): two progressive methods; a request uses one, never both."""

from decimal import Decimal

from django.db import models

from applications.models import FeeMethod

FREE_APPLICATIONS_PER_MONTH = 10
FREE_PAGES = 30
# (first page of the band, last page or None, yuan per page)
PAGE_BANDS = [(31, 100, 10), (101, 200, 20), (201, None, 40)]


def by_count(n: int) -> Decimal:
    """The fee for an applicant's n-th application in one calendar month (按件计收).

    1-10 free; 11-30: 100 each; from 31, each further band of 10 costs 100 more (31-40: 200, ...).
    """
    if n < 1:
        raise ValueError("申请件数应为正整数。")
    if n <= FREE_APPLICATIONS_PER_MONTH:
        return Decimal(0)
    if n <= 30:
        return Decimal(100)
    return Decimal(100 + 100 * ((n - 31) // 10 + 1))


def by_pages(pages: int) -> Decimal:
    """The total fee for `pages` pages of one application (按量计收), counted band by band."""
    if pages < 0:
        raise ValueError("页数不能为负数。")
    total = 0
    for first, last, price in PAGE_BANDS:
        upper = pages if last is None else min(pages, last)
        if upper >= first:
            total += (upper - first + 1) * price
    return Decimal(total)


def applications_this_month(request) -> int:
    """Which application of this applicant to this unit in the receipt's calendar month it is.

    国办函〔2020〕109号第四条 counts an applicant's applications within a natural month; they are
    numbered in the order received, so of eleven received on one day only the eleventh is the
    11th (same-day ones in the order they were submitted or registered). The applicant is
    recognised by ID number or credit code; a suggestion for 按件计收 that staff confirm, since
    people may apply under different identities.
    """
    from applications.models import Request

    identity = request.credit_code or request.id_number
    day = request.received_on
    if not identity or day is None:
        return 1
    # Same-day ones in the order they entered the register (the row id rises with each).
    earlier = models.Q(received_on__lt=day) | models.Q(received_on=day, pk__lt=request.pk)
    same = (
        Request.objects.filter(
            unit_id=request.unit_id,
            received_on__gte=day.replace(day=1),
        )
        .filter(earlier)
        .filter(models.Q(id_number=identity) | models.Q(credit_code=identity))
    )
    return same.count() + 1


def compute(method: str, quantity: int) -> Decimal:
    """The fee by the one method chosen for the request."""
    if method == FeeMethod.BY_COUNT:
        return by_count(quantity)
    if method == FeeMethod.BY_PAGES:
        return by_pages(quantity)
    raise ValueError("请选择按件或按量计收，二者只能选其一。")


def standard(method: str, quantity: int) -> str:
    """The method and standard applied, as the fee notice states them."""
    if method == FeeMethod.BY_COUNT:
        return (
            f"按件计收，本申请为申请人本自然月内向本机关提出的第{quantity}件申请"
            "（1至10件免费，11至30件每件100元，31件起每增加10件每件加收100元）"
        )
    return (
        f"按量计收，共{quantity}页"
        "（30页以下免费，31至100页每页10元，101至200页每页20元，201页以上每页40元）"
    )


def basis(method: str, quantity: int) -> str:
    """The basis and standard stated to the applicant."""
    return f"依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）{standard(method, quantity)}。"
