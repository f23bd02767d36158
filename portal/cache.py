"""A Redis cache that degrades to cache misses when Redis is unreachable or hung.

Pages must still render, and staff must still save, with Redis stopped or hung:

- A failed read is a miss, a failed write is skipped, each with a warning in the log (at most one
  a minute per process). Counters (`incr`) still raise, so the rate limiter can decide, and log,
  to let a request through.
- Timeouts are short (`CACHE_TIMEOUT_MS`) and a circuit breaker skips Redis for `BREAKER_SECONDS`
  after a failure: a hung Redis costs one timeout per process every few seconds, not one per
  cache operation.
- An invalidation Redis did not take (a page generation bump, a forgotten key) would leave old
  pages in Redis to be served once it answers again. So a lost invalidation is owed: recorded in
  the process and in the database (`OwedCacheFlush`), and the first process that finds Redis
  answering again deletes every key of this site (`settle`, run before each request).
"""

import logging
import re
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import transaction
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = 0.0
BREAKER_SECONDS = 5.0

# Per process, shared by the threads' cache objects (Django builds one per thread).
_lock = threading.Lock()
_open_until: dict[str, float] = {}  # location -> monotonic time before which Redis is skipped
_stats = {"failures": 0, "attempts": 0}
_owed = False  # this process lost an invalidation and has not flushed since
_next_check = 0.0  # monotonic time of the next look at the database's owed flushes


def _warn(operation: str) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 60:
        _last_warning = now
        logger.warning("cache unavailable (%s); serving without cache", operation)


def failures() -> int:
    """Cache operations that failed or were skipped in this process (an invalidation compares
    the count before and after to know whether it was taken)."""
    return _stats["failures"]


def attempts() -> int:
    """Operations that actually went to Redis in this process (the breaker's effect)."""
    return _stats["attempts"]


class CacheSkipped(RedisConnectionError):
    """Raised instead of contacting Redis while the breaker is open."""


class ReusingRedisCacheClient(RedisCacheClient):
    """Django builds a new redis.Redis object for every cache operation (about 60 µs, a tenth of
    a cached page view); a client is only a thread-safe front for its connection pool, so one
    per pool is kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._breaker_seconds = float(params.get("BREAKER_SECONDS", BREAKER_SECONDS))
        self._location = server if isinstance(server, str) else ",".join(server)

    def validate_key(self, key):
        """Django checks every key for what memcached cannot store (length, control characters):
        nothing Redis minds, and at four keys of a hundred characters per page view it was a
        tenth of a cached page's cost."""

    def breaker_open(self) -> bool:
        return time.monotonic() < _open_until.get(self._location, 0.0)

    def _call(self, operation, fallback, method, *args):
        """Run `method` unless the breaker is open; a failure opens it and answers `fallback`."""
        if self.breaker_open():
            with _lock:
                _stats["failures"] += 1
            return fallback
        with _lock:
            _stats["attempts"] += 1
        try:
            return method(*args)
        except _FAILURES:
            with _lock:
                _stats["failures"] += 1
                _open_until[self._location] = time.monotonic() + self._breaker_seconds
            _warn(operation)
            return fallback

    def get(self, key, default=None, version=None):
        return self._call("get", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, super().has_key, key, version)

    def set(self, key, value, timeout=None, version=None):  # noqa: A003
        self._call("set", None, super().set, key, value, timeout, version)

    def add(self, key, value, timeout=None, version=None):
        return self._call("add", False, super().add, key, value, timeout, version)

    def set_many(self, data, timeout=None, version=None):
        return self._call("set_many", list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=None, version=None):
        return self._call("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, super().delete_many, keys, version)

    def clear(self):
        self._call("clear", None, super().clear)

    def incr(self, key, delta=1, version=None):
        # Counters raise rather than guess: the caller decides (and logs) what an outage means.
        return self._counter(super().incr, key, delta, version)

    def count(self, key, window_seconds: int, version=None) -> int:
        """`add(key, 0, window_seconds)` then `incr(key)`, in one round trip (a rate limit counts
        on every API answer, cached ones too). Raises like `incr`."""

        def add_and_incr():
            name = self.make_and_validate_key(key, version=version)
            pipe = self._cache.get_client(name, write=True).pipeline(transaction=False)
            pipe.set(name, 0, ex=window_seconds, nx=True)
            pipe.incr(name)
            return pipe.execute()[1]

        return self._counter(add_and_incr)

    def _counter(self, method, *args):
        """Like `_call`, but a skipped or failed operation raises instead of answering a fallback."""
        if self.breaker_open():
            with _lock:
                _stats["failures"] += 1
            raise CacheSkipped("cache skipped after a recent failure")
        try:
            return method(*args)
        except _FAILURES:
            with _lock:
                _stats["failures"] += 1
                _open_until[self._location] = time.monotonic() + self._breaker_seconds
            raise

    def flush_own_keys(self) -> None:
        """Delete every key of this site (its KEY_PREFIX), not the other sites' on this Redis."""

        def flush():
            client = self._cache.get_client(write=True)
            pattern = re.sub(r"([\\*?\[\]])", r"\\\1", self.key_prefix) + ":*"
            batch = []
            for key in client.scan_iter(match=pattern, count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    client.unlink(*batch)
                    batch = []
            if batch:
                client.unlink(*batch)

        self._call("flush", None, flush)


def reset() -> None:
    """Forget the breaker and any owed flush, as a freshly started process would (tests)."""
    global _owed, _next_check, _last_warning
    with _lock:
        _open_until.clear()
    _last_warning = 0.0
    _owed = False
    _next_check = 0.0


# ---- invalidations the cache did not take -----------------------------------------------------


def take(write) -> bool:
    """Run `write` (cache writes that invalidate something); if the cache did not take them, a
    flush is owed and False is returned."""
    before = failures()
    write()
    if failures() == before:
        return True
    owe()
    return False


def forget(*keys: str) -> None:
    """Delete derived data (a cached profile, a category tree) so it is read afresh: now, for the
    rest of this transaction, and again after the commit, since another request may have cached
    the old rows in between."""
    take(lambda: cache.delete_many(keys))
    transaction.on_commit(lambda: take(lambda: cache.delete_many(keys)))


def owe() -> None:
    """Remember that the cache may hold stale data, here and in the database for the others."""
    global _owed
    _owed = True
    logger.warning("cache invalidation lost while the cache was unavailable; it will be flushed")
    from portal.models import OwedCacheFlush

    try:
        # In a savepoint: a failure here must not spoil the transaction of the change itself.
        with transaction.atomic():
            OwedCacheFlush.objects.create()
    except Exception:
        logger.warning("could not record the owed cache flush in the database")


def _look_due(now: float) -> bool:
    """Whether it is time to look in the database for other processes' owed flushes."""
    return settings.CACHE_FLUSH_CHECK_SECONDS > 0 and now >= _next_check


def settle_due() -> bool:
    """Whether `settle` has anything to do now: a debt of this process, or a look at the database."""
    return _owed or _look_due(time.monotonic())


def settle() -> None:
    """Before a request is served: pay an owed flush once the cache answers again.

    This process knows its own debt; another process's is looked up in the database at most every
    `CACHE_FLUSH_CHECK_SECONDS` (0: never), so a worker that saw no failure, or started after
    one, does not serve pages stored before an invalidation was lost.
    """
    global _owed, _next_check
    now = time.monotonic()
    due = _look_due(now)
    if not (_owed or due):
        return
    if due:
        _next_check = now + settings.CACHE_FLUSH_CHECK_SECONDS
    if getattr(cache, "breaker_open", lambda: False)():
        return
    from portal.models import OwedCacheFlush

    try:
        latest = OwedCacheFlush.objects.order_by("-pk").values_list("pk", flat=True).first()
    except Exception:
        logger.warning("could not read owed cache flushes from the database")
        latest = None
    if latest is None and not _owed:
        return
    # A failed flush owes nothing new: it is simply tried again.
    if not _flush():
        return
    _owed = False
    logger.warning("cache flushed after an invalidation was lost")
    if latest is not None:
        try:
            OwedCacheFlush.objects.filter(pk__lte=latest).delete()
        except Exception:
            logger.warning("could not clear owed cache flushes in the database")


def _flush() -> bool:
    before = failures()
    if hasattr(cache, "flush_own_keys"):
        cache.flush_own_keys()
    else:
        cache.clear()
    return failures() == before
