"""RSS feeds: the latest public entries of a unit, and of a category across all units."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse

from disclosure.models import Category, Entry
from portal.models import PublishingUnit

FEED_SIZE = 20


class _EntryFeed(Feed):
    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.body_text[:200]

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.unit.name

    def item_categories(self, item):
        return [item.category.name]


class UnitFeed(_EntryFeed):
    def get_object(self, request, unit_slug):
        return get_object_or_404(PublishingUnit, slug=unit_slug)

    def title(self, obj):
        return f"{obj.name} · 政府信息公开"

    def link(self, obj):
        return reverse("disclosure:catalog", args=[obj.slug])

    def description(self, obj):
        return f"{obj.name}最新主动公开的政府信息。"

    def items(self, obj):
        return (
            Entry.objects.public()
            .filter(unit=obj)
            .select_related("unit", "category")
            .order_by("-published_at")[:FEED_SIZE]
        )


class CategoryFeed(_EntryFeed):
    def get_object(self, request, category_slug):
        return get_object_or_404(Category, slug=category_slug)

    def title(self, obj):
        return f"{obj.name} · 政府信息公开"

    def link(self, obj):
        return reverse("disclosure:search") + f"?category={obj.slug}"

    def description(self, obj):
        return f"各单位在“{obj.name}”分类下最新主动公开的政府信息。"

    def items(self, obj):
        return (
            Entry.objects.public()
            .filter(
                category__tree_id=obj.tree_id,
                category__lft__gte=obj.lft,
                category__rght__lte=obj.rght,
            )
            .select_related("unit", "category")
            .order_by("-published_at")[:FEED_SIZE]
        )
