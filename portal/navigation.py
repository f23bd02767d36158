"""What the home page and a unit page list: the unit's four first-level columns and the latest items.

The catalog app fills these (国办公开办函〔2019〕61号). Both run a fixed number of queries whatever
the number of entries: the column trees come from the cache, the items from one query per column.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.urls import reverse

from portal import cache as resilient_cache

COLUMN_TITLES = ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报"]
ITEMS_PER_COLUMN = 6
_ROOTS_CACHE_KEY = "disclosure:column-roots"


@dataclass
class Column:
    title: str
    url: str | None = None
    items: list = field(default_factory=list)


def _column_roots() -> dict[str, tuple[str, list[int]]]:
    """Per column title: the root category's slug and the ids of its whole subtree. Cached;
    categories rarely change (disclosure.signals forgets it on every change)."""
    roots = cache.get(_ROOTS_CACHE_KEY)
    if roots is None:
        from disclosure.models import Category

        trees: dict[int, list[int]] = {}
        root_of: dict[int, tuple[str, str]] = {}
        for pk, tree_id, level, name, slug in Category.objects.values_list(
            "pk", "tree_id", "level", "name", "slug"
        ):
            trees.setdefault(tree_id, []).append(pk)
            if level == 0 and name in COLUMN_TITLES:
                root_of[tree_id] = (name, slug)
        roots = {name: (slug, trees[tree_id]) for tree_id, (name, slug) in root_of.items()}
        cache.set(_ROOTS_CACHE_KEY, roots, 600)
    return roots


def forget_column_roots() -> None:
    """Called when a category is saved, moved or the tree rebuilt."""
    resilient_cache.forget(_ROOTS_CACHE_KEY)


def unit_columns(unit) -> list[Column]:
    """One short query per column (four, whatever the data), each served by an index on
    (unit, category, state, published_at)."""
    from disclosure.models import Entry

    roots = _column_roots()
    columns = []
    for title in COLUMN_TITLES:
        if title not in roots:
            columns.append(Column(title))
            continue
        slug, category_ids = roots[title]
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
    from disclosure.models import Entry

    return list(
        Entry.objects.public()
        .select_related("unit")
        .only("pk", "title", "published_at", "unit__slug", "unit__short_name")
        .order_by("-published_at", "-pk")[:limit]
    )
