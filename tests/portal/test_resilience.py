"""Redis down: pages render from the database, the health check says so, rate limits let people in."""

import pytest
from django.core.cache import cache
from django.test import override_settings

DEAD_REDIS = {
    "default": {
        "BACKEND": "portal.cache.ResilientRedisCache",
        # Nothing listens on port 1; connecting fails at once.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}

pytestmark = pytest.mark.django_db


@override_settings(CACHES=DEAD_REDIS, SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
def test_pages_render_with_redis_down(client, unit_a, caplog):
    assert cache.get("anything", "miss") == "miss"
    cache.set("k", "v")  # no exception
    assert client.get("/").status_code == 200
    assert client.get("/unit/zwzx/").status_code == 200
    assert client.get("/search/", {"q": "政务"}).status_code == 200
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["cache"] == "error"
    assert "cache unavailable" in caplog.text


@override_settings(CACHES=DEAD_REDIS, SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
def test_staff_can_log_in_with_redis_down(client, clerk_a):
    from tests.conftest import PASSWORD

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "clerk_a", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@override_settings(CACHES=DEAD_REDIS)
def test_counters_still_raise_so_callers_decide():
    with pytest.raises(Exception):  # noqa: B017 - any connection error
        cache.incr("counter")


@override_settings(CACHES=DEAD_REDIS)
def test_one_redis_client_serves_every_operation(monkeypatch):
    # Building a redis.Redis object costs about a tenth of a cached page view: it is built once.
    import redis

    built = []
    original = redis.Redis.__init__

    def counting_init(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting_init)
    for key in ("a", "b", "c"):
        cache.get(key)
        cache.set(key, 1)
    assert len(built) == 1
