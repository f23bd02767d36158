"""Per-IP rate limits for the public forms, counted in the cache.

The IP is hashed before it becomes a cache key, so no address is stored. If the cache is down
the request is let through: an outage must not lock citizens out or raise a 500.
"""

import logging

from django.core.cache import cache
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def allow(request, bucket: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; False once `limit` attempts were made in the current window."""
    digest = salted_hmac("applications.ratelimit", client_ip(request)).hexdigest()[:32]
    key = f"applications:rl:{bucket}:{digest}"
    try:
        cache.add(key, 0, window_seconds)
        count = cache.incr(key)
    except Exception:
        logger.warning("applications: rate-limit cache unavailable; letting the request through")
        return True
    return count <= limit
