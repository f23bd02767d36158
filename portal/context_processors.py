from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from portal import pagecache
from portal.models import SiteProfile

# What every page's header and navigation link to (templates/base.html, includes/main_nav.html):
# the same under one script prefix and URL configuration, so reversed once per process rather
# than ten times a page.
_SITE_URL_NAMES = {
    "home": "portal:home",
    "search": "disclosure:search",
    "policy_library": "disclosure:policy_library",
    "apply": "applications:guide",
    "reports": "reports:year_overview",
    "interaction": "interaction:index",
}
_site_urls: dict[tuple, dict[str, str]] = {}


def site_urls() -> dict[str, str]:
    key = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    urls = _site_urls.get(key)
    if urls is None:
        urls = _site_urls[key] = {name: reverse(view) for name, view in _SITE_URL_NAMES.items()}
    return urls


def site(request):
    return {
        # Kept in the process while the page cache's "all" generation holds (a change of the
        # profile bumps it), so an uncached page does not ask Redis for it.
        "site": pagecache.memo(request, "site-profile", SiteProfile.load),
        "site_urls": site_urls(),
        "admin_path": settings.ADMIN_PATH,
    }
