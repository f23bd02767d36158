"""Whole-page cache for anonymous visitors, invalidated exactly by what a change affects.

A cached page's key carries the generation of every scope it depends on: "site" (home page,
search, platform lists) and "unit:<id>" (a unit's page, catalog, entries and reports), plus
"all" for changes that touch every page (units, categories, the site profile). Publishing,
withdrawing or editing an entry or a report bumps its unit and the site; every key built after
that misses, so the change is visible at once on every app instance sharing the cache. An entry
scheduled for later is published by the clock, not by a write: the time of the next scheduled
publication (or of the next 有效性 change of a document, disclosure/policy.py) is kept too, and
when it passes everything is invalidated.
"""

import hashlib
import uuid

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, has_vary_header, patch_cache_control
from django.utils.http import parse_http_date_safe

PAGE_TIMEOUT = 600
_NEXT_KEY = "pagecache:next-scheduled"


def _generation_key(scope: str) -> str:
    return f"pagecache:gen:{scope}"


def bump(*scopes: str) -> None:
    """Invalidate every cached page that depends on any of `scopes`."""
    cache.set_many({_generation_key(scope): uuid.uuid4().hex for scope in scopes}, None)
    if "site" in scopes or "all" in scopes:
        # Writes are rare: look up the next scheduled publication now, not on a page view.
        _store_next_scheduled()


def _store_next_scheduled() -> float:
    from disclosure import policy
    from disclosure.models import Entry, EntryState

    upcoming = (
        Entry.objects.filter(state=EntryState.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    # A document's 有效性 also changes by the clock, at the midnight of its 失效日期.
    times = [when for when in (upcoming, policy.next_change_at()) if when is not None]
    value = min(times).timestamp() if times else 0.0
    cache.set(_NEXT_KEY, value, None)
    return value


def cache_public_page(*scope_functions):
    """Mark a GET view as cacheable for anonymous visitors; `PageCacheMiddleware` does the work.

    Each scope function gets the view's arguments and returns the scopes the page depends on.
    """

    def decorator(view):
        view.page_cache_scopes = scope_functions
        return view

    return decorator


class PageCacheMiddleware:
    """Answer anonymous page views from the shared cache before the rest of the stack runs.

    It sits right after SecurityMiddleware and WhiteNoise: a hit skips sessions, CSRF,
    authentication, messages and the view, yet carries every header the inner middleware set
    when the page was stored (CSP, frame denial, ETag), and the outer ones still add theirs.
    One cache round trip fetches the scope generations, the next scheduled publication and the
    page; the page is stored with the generations it was rendered under and served only while
    they are still current. A visitor with a session or pending messages cookie (staff, an
    applicant following a request) always gets a freshly rendered page.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.skip_cookies = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)

    def __call__(self, request):
        plan = self._plan(request)
        if plan is None:
            return self.get_response(request)
        page_key, gen_keys = plan
        found = cache.get_many([_NEXT_KEY, *gen_keys, page_key])
        stored = found.pop(page_key, None)
        tokens, due = _current_state(gen_keys, found)
        if stored is not None and stored[0] == tokens:
            response = stored[1]
            response["X-Page-Cache"] = "hit"
            return _conditional(request, response)
        response = self.get_response(request)
        if _storable(request, response):
            patch_cache_control(response, public=True, max_age=60)
            timeout = PAGE_TIMEOUT
            if due is not None:
                timeout = max(1, min(timeout, int(due - timezone.now().timestamp()) + 1))
            cache.set(page_key, (tokens, response), timeout)
            response["X-Page-Cache"] = "miss"
        return response

    def _plan(self, request):
        if request.method not in ("GET", "HEAD"):
            return None
        if any(name in request.COOKIES for name in self.skip_cookies):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        scope_functions = getattr(match.func, "page_cache_scopes", None)
        if scope_functions is None:
            return None
        scopes = ["all"]
        for function in scope_functions:
            scopes.extend(function(request, *match.args, **match.kwargs))
        # The host is part of the key: feeds, the sitemap and canonical links carry it.
        address = f"{request.get_host()}{request.get_full_path()}"
        page_key = (
            f"pagecache:page:{match.view_name}:{hashlib.sha256(address.encode()).hexdigest()}"
        )
        return page_key, [_generation_key(scope) for scope in scopes]


def _current_state(gen_keys: list[str], found: dict) -> tuple[list[str], float | None]:
    """The generation tokens (created where missing) and the next scheduled publication; when
    that publication is due, everything is invalidated first."""
    due = found.pop(_NEXT_KEY, None)
    if due is None:
        due = _store_next_scheduled()
    if due and timezone.now().timestamp() >= due:
        bump("all", "site")
        found = cache.get_many(gen_keys)
        due = cache.get(_NEXT_KEY)
    missing = {key: uuid.uuid4().hex for key in gen_keys if key not in found}
    if missing:
        cache.set_many(missing, None)
        found.update(missing)
    return [found[key] for key in gen_keys], due or None


def _storable(request, response) -> bool:
    user = getattr(request, "user", None)
    return (
        response.status_code == 200
        and not response.cookies
        and not response.streaming
        and not (user is not None and user.is_authenticated)
        and not has_vary_header(response, "Authorization")
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def _conditional(request, response):
    """What ConditionalGetMiddleware would answer, for a page served before it runs."""
    last_modified = response.get("Last-Modified")
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(last_modified) if last_modified else None,
        response=response,
    )


def site(request, *args, **kwargs):
    return ["site"]


def unit(slug: str) -> str:
    return f"unit:{slug}"


# ---- invalidation -----------------------------------------------------------------------------


def _entry_changed(sender, instance, **kwargs):
    scopes = {"site", unit(instance.unit.slug)}
    if instance.interprets_id:
        # The interpreted document's page lists its 解读.
        scopes.add(unit(instance.interprets.unit.slug))
    bump(*scopes)


def _attachment_changed(sender, instance, **kwargs):
    bump("site", unit(instance.entry.unit.slug))


def _report_changed(sender, instance, **kwargs):
    scopes = {"site", unit(instance.unit.slug)}
    if instance.catalog_unit_id:
        scopes.add(unit(instance.catalog_unit.slug))
    bump(*scopes)


def _figure_changed(sender, instance, **kwargs):
    _report_changed(sender, instance.report)


def _everything_changed(sender, **kwargs):
    bump("all", "site")


def connect_invalidation() -> None:
    from django.db.models.signals import post_delete, post_save

    for signal in (post_save, post_delete):
        signal.connect(_entry_changed, sender="disclosure.Entry", dispatch_uid=f"pc-entry-{signal}")
        signal.connect(
            _attachment_changed, sender="disclosure.Attachment", dispatch_uid=f"pc-att-{signal}"
        )
        signal.connect(
            _report_changed, sender="reports.AnnualReport", dispatch_uid=f"pc-report-{signal}"
        )
        signal.connect(
            _figure_changed, sender="reports.ReportFigure", dispatch_uid=f"pc-figure-{signal}"
        )
        for model in ("portal.PublishingUnit", "portal.SiteProfile", "disclosure.Category"):
            signal.connect(
                _everything_changed, sender=model, dispatch_uid=f"pc-all-{model}-{signal}"
            )
