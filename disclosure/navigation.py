"""What the home page and a unit page list: the unit's four first-level columns and the latest items.

Each category names the first-level column it belongs to (`Category.column`, 国办公开办函〔2019〕61号),
so renaming a category never moves or hides it. Both lists run a fixed number of queries whatever
the number of entries: the columns' categories come from the cache, the items from one query per
column.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.urls import reverse

from disclosure.models import Category, ColumnKind, Entry
from portal import cache as resilient_cache

COLUMN_TITLES = ColumnKind.labels
ITEMS_PER_COLUMN = 6
_COLUMNS_CACHE_KEY = "disclosure:column-categories"


@dataclass
class Column:
    title: str
    url: str | None = None
    items: list = field(default_factory=list)


def _column_categories() -> dict[str, tuple[str, list[int]]]:
    """Per column: the slug of its top category (its page) and the ids of every category in it.
    Cached; categories rarely change (disclosure.signals forgets it on every change)."""
    columns = cache.get(_COLUMNS_CACHE_KEY)
    if columns is None:
        columns = {}
        rows = Category.objects.order_by("level", "tree_id", "lft").values_list(
            "pk", "column", "slug"
        )
        for pk, column, slug in rows:
            columns.setdefault(column, (slug, []))[1].append(pk)
        cache.set(_COLUMNS_CACHE_KEY, columns, 600)
    return columns


def forget_column_categories() -> None:
    """Called when a category is saved, moved or deleted."""
    resilient_cache.forget(_COLUMNS_CACHE_KEY)


def unit_columns(unit) -> list[Column]:
    """One short query per column (four, whatever the data), each served by an index on
    (unit, category, state, published_at)."""
    categories = _column_categories()
    columns = []
    for column in ColumnKind:
        title = column.label
        if column not in categories:
            columns.append(Column(title))
            continue
        slug, category_ids = categories[column]
        items = list(
            Entry.objects.public()
            .filter(unit=unit, category_id__in=category_ids)
            .only("pk", "title", "published_at", "unit_id")
            .order_by("-published_at", "-pk")[:ITEMS_PER_COLUMN]
        )
        for item in items:
            item.unit = unit  # get_absolute_url needs the slug; no query per item
        columns.append(
            Column(
                title,
                url=reverse("disclosure:catalog_category", args=[unit.slug, slug]),
                items=items,
            )
        )
    return columns


def latest_items(limit: int = 10) -> list:
    return list(
        Entry.objects.public()
        .select_related("unit")
        .only("pk", "title", "published_at", "unit__slug", "unit__short_name")
        .order_by("-published_at", "-pk")[:limit]
    )
