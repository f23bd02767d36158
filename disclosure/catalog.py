"""A unit's catalog figures: public entries counted per category and year.

The catalog page needs counts per category (the tree), per year (the filter) and the total of the
current selection (pagination). All come from one grouped query, cached per unit under the unit's
page-cache version: the same commit-time bumps that refresh its pages refresh its counts, and so
does a scheduled publication when its time comes (portal/pagecache.py).

The lists of units and categories that search results and API answers name their entries from
are shared the same way (`all_units`, `all_categories`), and so is how a list builds its entries'
addresses (`EntryAddresses`).
"""

from collections import defaultdict

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone

from portal import pagecache

STATS_TTL = 600


def all_units(request) -> tuple:
    """Every unit, inactive ones too, in tree order; kept in the process while the page cache's
    "all" generation holds (pagecache.memo), so an uncached page does not read them again."""
    from portal.models import PublishingUnit

    return pagecache.memo(
        request, "units", lambda: tuple(PublishingUnit.objects.order_by("tree_id", "lft"))
    )


def all_categories(request) -> tuple:
    """Every category, kept like `all_units`."""
    from disclosure.models import Category

    return pagecache.memo(request, "categories", lambda: tuple(Category.objects.all()))


class EntryAddresses:
    """Entry.get_absolute_url for a list of entries: its unit catalog's address followed by its
    id, with one reverse() per unit rather than one per entry; `prefix` (scheme and host) goes
    in front for absolute addresses."""

    def __init__(self, prefix: str = ""):
        self.prefix = prefix
        self.catalogs = {}

    def __call__(self, unit, pk: int) -> str:
        if unit.pk not in self.catalogs:
            self.catalogs[unit.pk] = self.prefix + reverse("disclosure:catalog", args=[unit.slug])
        return f"{self.catalogs[unit.pk]}{pk}/"


def unit_stats(unit) -> dict[tuple[int, int], int]:
    """{(category id, year of publication): number of public entries} for `unit`."""
    from disclosure.models import Entry

    key = f"catalog-stats:{unit.pk}:{pagecache.version(pagecache.unit(unit.slug))}"
    stats = cache.get(key)
    if stats is None:
        rows = (
            Entry.objects.public()
            .filter(unit=unit)
            .annotate(year=ExtractYear("published_at", tzinfo=timezone.get_current_timezone()))
            .values_list("category", "year")
            .annotate(n=Count("pk"))
            .order_by()
        )
        stats = {(category_id, year): n for category_id, year, n in rows}
        cache.set(key, stats, STATS_TTL)
    return stats


def subtree_ids(category, categories) -> set[int]:
    return {
        other.pk
        for other in categories
        if other.tree_id == category.tree_id
        and category.lft <= other.lft
        and other.rght <= category.rght
    }


def annotate_counts(categories, stats) -> None:
    """Set `entry_count` on each category: its own entries plus its descendants'."""
    per_category: dict[int, int] = defaultdict(int)
    for (category_id, _year), n in stats.items():
        per_category[category_id] += n
    for category in categories:
        category.entry_count = sum(
            per_category.get(pk, 0) for pk in subtree_ids(category, categories)
        )


def years(stats, category_ids: set[int] | None) -> list[tuple[int, int]]:
    """[(year, count)] newest first, within `category_ids` (None: all)."""
    per_year: dict[int, int] = defaultdict(int)
    for (category_id, year), n in stats.items():
        if category_ids is None or category_id in category_ids:
            per_year[year] += n
    return sorted(per_year.items(), reverse=True)


def total(stats, category_ids: set[int] | None, year: int | None) -> int:
    return sum(
        n
        for (category_id, entry_year), n in stats.items()
        if (category_ids is None or category_id in category_ids)
        and (year is None or entry_year == year)
    )
