from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from disclosure.models import Entry
from portal.models import PublishingUnit


class UnitSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return PublishingUnit.objects.active().order_by("tree_id", "lft")

    def location(self, item):
        return item.get_absolute_url()


class CatalogSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return PublishingUnit.objects.active().order_by("tree_id", "lft")

    def location(self, item):
        return reverse("disclosure:catalog", args=[item.slug])


class EntrySitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return (
            Entry.objects.public()
            .select_related("unit")
            .only("pk", "published_at", "updated_at", "unit__slug")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"units": UnitSitemap, "catalogs": CatalogSitemap, "entries": EntrySitemap}
