"""信息处理费 (国办函〔2020〕109号): both progressive methods as tables."""

import datetime as dt
from decimal import Decimal

import pytest

from applications import fees
from applications.models import FeeMethod
from tests.applications.conftest import register_on


@pytest.mark.parametrize(
    ("n", "fee"),
    [
        (1, 0),
        (10, 0),
        (11, 100),
        (30, 100),
        (31, 200),
        (40, 200),
        (41, 300),
        (50, 300),
        (51, 400),
        (100, 800),
    ],
)
def test_by_count(n, fee):
    assert fees.by_count(n) == Decimal(fee)


@pytest.mark.parametrize(
    ("pages", "fee"),
    [
        (0, 0),
        (1, 0),
        (30, 0),
        (31, 10),
        (100, 700),
        (101, 720),
        (200, 2700),
        (201, 2740),
        (250, 4700),
    ],
)
def test_by_pages_is_progressive(pages, fee):
    assert fees.by_pages(pages) == Decimal(fee)


@pytest.mark.parametrize(("func", "bad"), [(fees.by_count, 0), (fees.by_pages, -1)])
def test_bad_quantities_are_refused(func, bad):
    with pytest.raises(ValueError):
        func(bad)


def test_one_method_per_request():
    assert fees.compute(FeeMethod.BY_PAGES, 31) == Decimal(10)
    assert fees.compute(FeeMethod.BY_COUNT, 31) == Decimal(200)
    with pytest.raises(ValueError):
        fees.compute("both", 31)


@pytest.mark.django_db
def test_same_day_applications_are_numbered_in_the_order_received(unit_a, clerk_a, unit_b):
    """国办函〔2020〕109号第四条: an applicant's applications in a natural month, counted in the
    order received; of eleven received on one day only the eleventh costs (100 元)."""
    day = dt.date(2026, 3, 2)
    register_on(dt.date(2026, 2, 27), unit_a, clerk_a)  # last month: not counted
    register_on(day, unit_b, clerk_a)  # another unit: not counted
    same_day = [register_on(day, unit_a, clerk_a) for _ in range(11)]
    numbers = [fees.applications_this_month(request) for request in same_day]
    assert numbers == list(range(1, 12))
    assert [fees.by_count(n) for n in numbers].count(Decimal(100)) == 1
    later = register_on(dt.date(2026, 3, 3), unit_a, clerk_a)
    assert fees.applications_this_month(later) == 12
