"""Whole-page cache for anonymous visitors, invalidated exactly by what a change affects.

A cached page's key carries the generation of every scope it depends on: "site" (home page,
search, platform lists) and "unit:<slug>" (a unit's page, catalog, entries and reports), plus
"all" for changes that touch every page (units, categories, the site profile). Each app registers
what a change of its models invalidates (`register`, from its signals module); the bump happens
when the transaction commits, so a page rendered meanwhile is stored under the old generation and
never outlives the change. Data derived from the same rows (a unit's catalog counts) is keyed by
`version(scopes)` and follows the same bumps.

Some content changes by the clock, not by a write (an entry scheduled for later): apps register
when their next such change is due (`register_schedule`); when it passes everything is
invalidated. If Redis cannot take a bump, `portal.cache` owes a flush so no page stored before
it is served once Redis answers again.
"""

import functools
import hashlib
import threading
import uuid

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.middleware.security import SecurityMiddleware
from django.urls import Resolver404, get_resolver, get_urlconf
from django.utils import timezone
from django.utils.cache import get_conditional_response, has_vary_header, patch_cache_control
from django.utils.http import parse_http_date_safe

from portal import cache as resilient
from portal.clientip import client_ip

PAGE_TIMEOUT = 600
_NEXT_KEY = "pagecache:next-scheduled"


def _generation_key(scope: str) -> str:
    return f"pagecache:gen:{scope}"


def bump(*scopes: str) -> None:
    """Invalidate every cached page that depends on any of `scopes`, now (see `invalidate`)."""
    resilient.take(
        lambda: cache.set_many({_generation_key(scope): uuid.uuid4().hex for scope in scopes}, None)
    )
    if "site" in scopes or "all" in scopes:
        # Writes are rare: look up the next scheduled change now, not on a page view.
        _store_next_scheduled()


_local = threading.local()


def invalidate(*scopes: str) -> None:
    """Bump `scopes` once the current transaction commits (at once outside a transaction).

    A bump inside the transaction would let a page rendered before the commit, from the old rows,
    be stored under the new generation. Each call registers its own callback (so a rolled-back
    savepoint drops exactly its own), and a callback skips scopes already bumped since it was
    registered: an import of thousands of entries bumps its unit once.
    """
    stamp = _local.stamp = getattr(_local, "stamp", 0) + 1
    transaction.on_commit(lambda: _bump_since(scopes, stamp))


def _bump_since(scopes, stamp: int) -> None:
    bumped = _local.__dict__.setdefault("bumped", {})
    due = [scope for scope in scopes if bumped.get(scope, 0) < stamp]
    if due:
        for scope in due:
            bumped[scope] = _local.stamp
        bump(*due)


def register(model: str, scopes_of) -> None:
    """A save, delete or tree move of `model` ("app_label.Model") invalidates `scopes_of(instance)`
    after the commit. Called by each app for its own models."""
    from django.db.models.signals import post_delete, post_save
    from mptt.signals import node_moved

    def changed(sender, instance, **kwargs):
        invalidate(*scopes_of(instance))

    for name, signal in (("save", post_save), ("delete", post_delete), ("move", node_moved)):
        signal.connect(changed, sender=model, weak=False, dispatch_uid=f"pagecache:{model}:{name}")


_schedules = []


def register_schedule(next_change) -> None:
    """`next_change()` returns when content next changes by the clock (an aware datetime or None)."""
    if next_change not in _schedules:
        _schedules.append(next_change)


def _store_next_scheduled() -> float:
    upcoming = [moment for moment in (function() for function in _schedules) if moment]
    value = min(upcoming).timestamp() if upcoming else 0.0
    cache.set(_NEXT_KEY, value, None)
    return value


def version(*scopes: str) -> str:
    """A short token that changes whenever any of `scopes` (or "all") is bumped: the key of data
    derived from what those scopes cover, e.g. a unit's catalog counts."""
    gen_keys = [_generation_key(scope) for scope in ("all", *scopes)]
    tokens, _due = _current_state(gen_keys, cache.get_many([_NEXT_KEY, *gen_keys]))
    return hashlib.sha256("".join(tokens).encode()).hexdigest()[:16]


_memos: dict[str, tuple[str, object]] = {}


def memo(request, name: str, build):
    """`build()`, kept in this process while the "all" generation a page is rendered under holds:
    for what only a bump of "all" changes (the units, the category tree), so an uncached page
    does not read them again. The value is shared between requests: never mutate it. Outside
    the page cache (staff, a visitor with a session) it is built every time."""
    generation = getattr(request, "page_cache_generation", None)
    if generation is None:
        return build()
    kept = _memos.get(name)
    if kept is not None and kept[0] == generation:
        return kept[1]
    value = build()
    _memos[name] = (generation, value)
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
        missed = request.META.pop(_MISSED, None)
        if missed is None:
            # An invalidation lost while Redis was away is paid before anything is read from it.
            resilient.settle()
            plan = _plan(request, self.skip_cookies)
            if plan is None:
                return self.get_response(request)
            response, tokens, due = _lookup(*plan)
            if response is not None:
                return _conditional(request, response)
        else:
            # PageCacheApplication looked the page up in front of Django and missed.
            plan, tokens, due = missed
        page_key = plan[0]
        request.page_cache_generation = tokens[0]  # of "all": see `memo`
        response = self.get_response(request)
        if _storable(request, response):
            patch_cache_control(response, public=True, max_age=60)
            timeout = PAGE_TIMEOUT
            if due is not None:
                timeout = max(1, min(timeout, int(due - timezone.now().timestamp()) + 1))
            cache.set(page_key, (tokens, response), timeout)
            response["X-Page-Cache"] = "miss"
        return response


def _plan(request, skip_cookies):
    """(page key, generation keys) of a page the cache may answer for `request`, else None."""
    if request.method not in ("GET", "HEAD"):
        return None
    if any(name in request.COOKIES for name in skip_cookies):
        return None
    path, resolver = request.path_info, get_resolver(get_urlconf())
    # Long paths (no page of the site has one) are not kept: a crawler could fill memory.
    lookup = _cacheable_view if len(path) <= 200 else _cacheable_view.__wrapped__
    found = lookup(resolver, path)
    if found is None:
        return None
    scope_functions, args, kwargs, view_name = found
    scopes = ["all"]
    for function in scope_functions:
        scopes.extend(function(request, *args, **kwargs))
    # The host and scheme are part of the key: feeds, the sitemap and canonical links carry them.
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    page_key = f"pagecache:page:{view_name}:{hashlib.sha256(address.encode()).hexdigest()}"
    return page_key, [_generation_key(scope) for scope in scopes]


def _lookup(page_key: str, gen_keys: list[str]):
    """(the stored page if still current else None, the generation tokens, the next scheduled
    change), in one cache round trip."""
    found = cache.get_many([_NEXT_KEY, *gen_keys, page_key])
    stored = found.pop(page_key, None)
    tokens, due = _current_state(gen_keys, found)
    if stored is not None and stored[0] == tokens:
        response = stored[1]
        response["X-Page-Cache"] = "hit"
        return response, tokens, due
    return None, tokens, due


class PageCacheApplication:
    """The WSGI application gunicorn serves: a page the cache holds is answered before Django's
    handler runs.

    Through the handler, a hit pays for the request signals, every outer middleware and the
    response's close: more than the cache lookup itself. Here the same lookup (`_plan`,
    `_lookup`) runs on the bare request, and what the middleware outside the page cache would do
    to a hit is done here too: the client address for the access log, the security headers, and
    an app's gate for its prefixes (`front_gate`: the API's rate limit and CORS). Everything else
    goes to Django unchanged: other methods, a session or messages cookie, a redirect to HTTPS, a
    host Django would refuse, an owed cache flush, a miss.
    """

    # The middleware before PageCacheMiddleware, whose work on a hit is done here. Another one
    # there turns this shortcut off, rather than being skipped unnoticed.
    OUTER_MIDDLEWARE = [
        "portal.clientip.ClientAddressMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",  # static files only: not a cached page
        "api.middleware.ApiMiddleware",  # registers its gate (`front_gate`)
    ]

    def __init__(self, application):
        self.application = application
        middleware = list(settings.MIDDLEWARE)
        position = middleware.index("portal.pagecache.PageCacheMiddleware")
        self.enabled = middleware[:position] == self.OUTER_MIDDLEWARE
        self.security = SecurityMiddleware(lambda request: None)
        self.skip_cookies = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)

    def __call__(self, environ, start_response):
        response = self._answer(environ) if self.enabled else None
        if response is None:
            return self.application(environ, start_response)
        start_response(f"{response.status_code} {response.reason_phrase}", [*response.items()])
        return [response.content]

    def _answer(self, environ):
        if environ.get("REQUEST_METHOD") != "GET" or resilient.settle_due():
            return None
        cookies = environ.get("HTTP_COOKIE", "")
        # A cheap test first; a name inside another cookie's name only costs the long way.
        if any(name in cookies for name in self.skip_cookies):
            return None
        request = WSGIRequest(environ)
        try:
            if settings.SECURE_SSL_REDIRECT and not request.is_secure():
                return None
            plan = _plan(request, self.skip_cookies)
        except SuspiciousOperation:  # a host not allowed: Django answers 400
            return None
        if plan is None:
            return None
        gate = next((g for p, g in _gates if request.path_info.startswith(p)), None)
        if gate is not None:
            environ[ADMITTED] = True
            refusal = gate.admit(request)
            if refusal is not None:
                client_ip(request)
                return self.security.process_response(request, refusal)
        response, tokens, due = _lookup(*plan)
        if response is None:
            # PageCacheMiddleware renders and stores the page without looking it up again.
            environ[_MISSED] = (plan, tokens, due)
            return None
        if gate is not None:
            response = gate.finish(response)
        client_ip(request)
        return self.security.process_response(request, _conditional(request, response))


_gates: list[tuple[str, object]] = []
# Environ keys set in front of Django; a client cannot set them (headers arrive as HTTP_*).
_MISSED = "portal.pagecache.missed"  # the lookup that missed
ADMITTED = "portal.pagecache.admitted"  # the gate's admit() ran for this request


def front_gate(gate, *prefixes: str) -> None:
    """Requests under `prefixes` pass `gate` in front of Django too, as they pass the app's own
    middleware: `gate.admit(request)` answers a refusal or None (once per request: the
    middleware skips it when `ADMITTED` is in the request's META), `gate.finish(response)`
    completes every answer."""
    for prefix in prefixes:
        if (prefix, gate) not in _gates:
            _gates.append((prefix, gate))


@functools.lru_cache(maxsize=4096)
def _cacheable_view(resolver, path: str):
    """(scope functions, args, kwargs, view name) of a page the cache may keep, else None. Kept
    per path: resolving cost 10-50 µs, a third of a cache hit (keyed by the resolver, which a
    change of the URL configuration replaces)."""
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return None
    scope_functions = getattr(match.func, "page_cache_scopes", None)
    if scope_functions is None:
        return None
    return scope_functions, match.args, match.kwargs, match.view_name


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


_CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def _conditional(request, response):
    """What ConditionalGetMiddleware would answer, for a page served before it runs."""
    if not any(header in request.META for header in _CONDITIONAL_HEADERS):
        return response  # nothing to compare: the page as stored (no date parsed per hit)
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
