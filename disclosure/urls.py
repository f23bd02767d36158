from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from disclosure import feeds, views
from disclosure.sitemaps import SITEMAPS
from portal import pagecache


def _unit(request, unit_slug, *args, **kwargs):
    return [pagecache.unit(unit_slug)]


# Anonymous visitors get these pages from the shared cache (portal/pagecache.py).
search = pagecache.cache_public_page(pagecache.site)(views.search)
catalog = pagecache.cache_public_page(_unit)(views.catalog)
entry = pagecache.cache_public_page(_unit)(views.entry_detail)
library = pagecache.cache_public_page(pagecache.site)(views.policy_library)
library_csv = pagecache.cache_public_page(pagecache.site)(views.policy_library_csv)
# The sitemap lists every public entry: any publication or withdrawal bumps "site".
sitemap_index = pagecache.cache_public_page(pagecache.site)(sitemap_views.index)
sitemap_section = pagecache.cache_public_page(pagecache.site)(sitemap_views.sitemap)

app_name = "disclosure"
urlpatterns = [
    path("search/", search, name="search"),
    path("zhengce/", library, name="policy_library"),
    path("zhengce/export.csv", library_csv, name="policy_library_csv"),
    path("xxgk/<slug:unit_slug>/", catalog, name="catalog"),
    path("xxgk/<slug:unit_slug>/c/<slug:category_slug>/", catalog, name="catalog_category"),
    path("xxgk/<slug:unit_slug>/<int:pk>/", entry, name="entry"),
    path("xxgk/<slug:unit_slug>/rss.xml", feeds.UnitFeed(), name="unit_feed"),
    path("xxgk/fenlei/<slug:category_slug>/rss.xml", feeds.CategoryFeed(), name="category_feed"),
    path("fujian/<int:pk>/", views.attachment_download, name="attachment"),
    path("fujian/<int:pk>/thumb/", views.attachment_thumbnail, name="attachment_thumbnail"),
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "disclosure:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_section,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
