"""What the home page and a unit page list: the unit's four first-level columns and the latest items.

The catalog app fills these (国办公开办函〔2019〕61号). Both run a fixed number of queries whatever
the number of entries: the column roots come from the cache, the items from one windowed query.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

COLUMN_TITLES = ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报"]
ITEMS_PER_COLUMN = 6
_ROOTS_CACHE_KEY = "disclosure:column-roots"


@dataclass
class Column:
    title: str
    url: str | None = None
    items: list = field(default_factory=list)


def _column_roots() -> dict[str, tuple[int, str]]:
    """Root category per column title: (tree_id, slug). Cached; categories rarely change."""
    roots = cache.get(_ROOTS_CACHE_KEY)
    if roots is None:
        from disclosure.models import Category

        roots = {
            name: (tree_id, slug)
            for name, tree_id, slug in Category.objects.filter(
                level=0, name__in=COLUMN_TITLES
            ).values_list("name", "tree_id", "slug")
        }
        cache.set(_ROOTS_CACHE_KEY, roots, 600)
    return roots


def forget_column_roots() -> None:
    """Called when a category is saved or moved."""
    cache.delete(_ROOTS_CACHE_KEY)


def unit_columns(unit) -> list[Column]:
    from disclosure.models import Entry

    roots = _column_roots()
    columns = {
        title: Column(
            title,
            url=reverse("disclosure:catalog_category", args=[unit.slug, roots[title][1]])
            if title in roots
            else None,
        )
        for title in COLUMN_TITLES
    }
    by_tree = {tree_id: title for title, (tree_id, _slug) in roots.items()}
    if by_tree:
        latest = (
            Entry.objects.public()
            .filter(unit=unit, category__tree_id__in=list(by_tree))
            .annotate(
                column_tree=F("category__tree_id"),
                position=Window(
                    RowNumber(),
                    partition_by=[F("category__tree_id")],
                    order_by=[F("published_at").desc(), F("pk").desc()],
                ),
            )
            .filter(position__lte=ITEMS_PER_COLUMN)
            .select_related("unit")
            .only("pk", "title", "published_at", "unit__slug")
            .order_by("column_tree", "position")
        )
        for entry in latest:
            columns[by_tree[entry.column_tree]].items.append(entry)
    return list(columns.values())


def latest_items(limit: int = 10) -> list:
    from disclosure.models import Entry

    return list(
        Entry.objects.public()
        .select_related("unit")
        .only("pk", "title", "published_at", "unit__slug", "unit__short_name")
        .order_by("-published_at", "-pk")[:limit]
    )
