"""Whole-page cache for anonymous visitors, invalidated exactly by what a change affects.

A cached page's key carries the generation of every scope it depends on: "site" (home page,
search, platform lists) and "unit:<id>" (a unit's page, catalog, entries and reports), plus
"all" for changes that touch every page (units, categories, the site profile). Publishing,
withdrawing or editing an entry or a report bumps its unit and the site; every key built after
that misses, so the change is visible at once on every app instance sharing the cache. An entry
scheduled for later is published by the clock, not by a write: the time of the next scheduled
publication is kept too, and when it passes everything is invalidated.
"""

import hashlib
import uuid
from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import patch_cache_control

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
    from disclosure.models import Entry, EntryState

    upcoming = (
        Entry.objects.filter(state=EntryState.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    value = upcoming.timestamp() if upcoming else 0.0
    cache.set(_NEXT_KEY, value, None)
    return value


def _page_state(scopes: list[str]) -> tuple[list[str], float | None]:
    """The generation tokens of `scopes` and the next scheduled publication, in one cache round
    trip; when that publication is due, everything is invalidated first."""
    keys = [_generation_key(scope) for scope in scopes]
    found = cache.get_many([_NEXT_KEY, *keys])
    due = found.pop(_NEXT_KEY, None)
    if due is None:
        due = _store_next_scheduled()
    if due and timezone.now().timestamp() >= due:
        bump("all", "site")
        found = cache.get_many(keys)
        due = cache.get(_NEXT_KEY)
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:
        cache.set_many(missing, None)
        found.update(missing)
    return [found[key] for key in keys], due or None


def cache_public_page(*scope_functions):
    """Cache a GET view's response for anonymous visitors.

    Each scope function gets the view's arguments and returns the scopes the page depends on.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
                return view(request, *args, **kwargs)
            if len(get_messages(request)):  # counting does not mark the messages as read
                return view(request, *args, **kwargs)
            scopes = ["all"]
            for function in scope_functions:
                scopes.extend(function(request, *args, **kwargs))
            tokens, due = _page_state(scopes)
            path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
            key = f"pagecache:page:{view.__module__}.{view.__name__}:{path}:{':'.join(tokens)}"
            cached = cache.get(key)
            if cached is not None:
                response = cached
                response["X-Page-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if (
                response.status_code == 200
                and not response.cookies
                and not getattr(response, "streaming", False)
            ):
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                patch_cache_control(response, public=True, max_age=60)
                timeout = PAGE_TIMEOUT
                if due is not None:
                    timeout = max(1, min(timeout, int(due - timezone.now().timestamp()) + 1))
                cache.set(key, response, timeout)
                response["X-Page-Cache"] = "miss"
            return response

        return wrapper

    return decorator


def site(request, *args, **kwargs):
    return ["site"]


def unit(slug: str) -> str:
    return f"unit:{slug}"


# ---- invalidation -----------------------------------------------------------------------------


def _entry_changed(sender, instance, **kwargs):
    bump("site", unit(instance.unit.slug))


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
