"""Per-client rate limits for public forms, counted in the shared cache.

The client is told by `portal.clientip` (so the limits hold behind the proxy), and its address is
hashed before it becomes a cache key, so no address is stored. If the cache is down the request
is let through: an outage must not lock citizens out or raise a 500.

Two ways to count: `allow` counts every attempt (look-ups: each wrong guess counts), while
`reached` + `record` count only what was accepted (submissions: an invalid or refused form
costs the citizen nothing).
"""

import logging

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from portal.clientip import client_ip

logger = logging.getLogger(__name__)


def _key(request, bucket: str, subject: str | None) -> str:
    digest = salted_hmac("portal.ratelimit", subject or client_ip(request)).hexdigest()[:32]
    return f"portal:rl:{bucket}:{digest}"


def allow(request, bucket: str, limit: int, window_seconds: int, subject=None) -> bool:
    """Count one attempt; False once `limit` attempts were made in the current window.

    `subject` counts something else than the client's address (e.g. "request:42": one request's
    complaints, whoever sends them)."""
    key = _key(request, bucket, subject)
    try:
        count = _count(key, window_seconds)
    except Exception:
        logger.warning("rate-limit cache unavailable; letting the request through")
        return True
    return count <= limit


def _count(key: str, window_seconds: int) -> int:
    count = getattr(cache, "count", None)  # Redis: one round trip (portal.cache)
    if count is not None:
        return count(key, window_seconds)
    cache.add(key, 0, window_seconds)
    return cache.incr(key)


def reached(request, bucket: str, limit: int, subject=None) -> bool:
    """Whether `limit` accepted actions were already recorded in the current window."""
    try:
        count = cache.get(_key(request, bucket, subject), 0)
    except Exception:
        logger.warning("rate-limit cache unavailable; letting the request through")
        return False
    return count >= limit


def record(request, bucket: str, window_seconds: int, subject=None) -> None:
    """Count one accepted action (the window starts with the first one)."""
    key = _key(request, bucket, subject)
    try:
        _count(key, window_seconds)
    except Exception:
        logger.warning("rate-limit cache unavailable; action not counted")
