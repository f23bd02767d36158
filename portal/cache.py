"""A Redis cache that degrades to cache misses when Redis is unreachable.

Pages must still render with Redis stopped: a failed read is a miss, a failed write is skipped,
each with a warning in the log (at most one a minute per process). Counters (`incr`) still raise,
so the rate limiter can decide, and log, to let a request through.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = 0.0


def _warn(operation: str) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 60:
        _last_warning = now
        logger.warning("cache unavailable (%s); serving without cache", operation)


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

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except _FAILURES:
            _warn("get")
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except _FAILURES:
            _warn("get_many")
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except _FAILURES:
            _warn("has_key")
            return False

    def set(self, key, value, timeout=None, version=None):  # noqa: A003
        try:
            super().set(key, value, timeout, version)
        except _FAILURES:
            _warn("set")

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except _FAILURES:
            _warn("add")
            return False

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except _FAILURES:
            _warn("set_many")
            return list(data)

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except _FAILURES:
            _warn("touch")
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except _FAILURES:
            _warn("delete")
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except _FAILURES:
            _warn("delete_many")

    def clear(self):
        try:
            super().clear()
        except _FAILURES:
            _warn("clear")
