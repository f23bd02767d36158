"""Redis faults (portal/cache.py): down, hung, and back again.

Every test talks to a fake endpoint (tests/fake_redis.py): a closed port, a server that accepts
and never answers, or a tiny Redis that can go away and come back with its data. Nothing real is
stopped, so these run anywhere.
"""

import time

import pytest
from django.core.cache import cache
from django.test import override_settings

from portal import cache as resilient
from portal.models import OwedCacheFlush, SiteProfile
from tests.fake_redis import FakeRedis, HungRedis

pytestmark = pytest.mark.django_db


def redis_at(url, breaker_seconds=5, timeout=2):
    # A patient timeout unless the test is about timing out: the fake server shares this
    # process (and a loaded machine), and a spurious timeout would open the breaker.
    return {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": url,
            "BREAKER_SECONDS": breaker_seconds,
            "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
        }
    }


# Nothing listens on port 1; connecting fails at once.
DEAD_REDIS = redis_at("redis://127.0.0.1:1/0")


@pytest.fixture
def fake_redis():
    server = FakeRedis()
    yield server
    server.stop()


@pytest.fixture
def hung_redis():
    server = HungRedis()
    yield server
    server.stop()


@override_settings(CACHES=DEAD_REDIS, SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
def test_pages_render_with_redis_down(client, unit_a, caplog):
    assert cache.get("anything", "miss") == "miss"
    cache.set("k", "v")  # no exception
    assert client.get("/").status_code == 200
    assert client.get("/unit/zwzx/").status_code == 200
    assert client.get("/search/", {"q": "政务"}).status_code == 200
    assert "cache unavailable" in caplog.text


@override_settings(CACHES=DEAD_REDIS)
def test_health_check_stays_ready_with_the_cache_down(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "down"}


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
    with pytest.raises(resilient.CacheSkipped):  # the breaker is open now: not even tried
        cache.incr("counter")


@override_settings(CACHES=DEAD_REDIS)
def test_a_rate_limit_lets_requests_through_when_redis_is_down(rf, caplog):
    from portal import ratelimit

    for _ in range(3):  # the first fails, the next are skipped by the breaker
        assert ratelimit.allow(rf.get("/api/v1/units/"), "api", 1, 60)
    with pytest.raises(resilient.CacheSkipped):
        cache.count("counter", 60)
    assert "rate-limit cache unavailable" in caplog.text


def test_a_rate_limit_counts_in_one_round_trip_within_its_window(fake_redis, rf):
    from portal import ratelimit

    with override_settings(CACHES=redis_at(fake_redis.url)):
        request = rf.get("/api/v1/units/")
        ratelimit.allow(request, "api", 2, 60)  # connects
        fake_redis.commands.clear()
        assert [ratelimit.allow(request, "api", 2, 60) for _ in range(2)] == [True, False]
        assert fake_redis.commands == ["SET", "INCRBY"] * 2  # sent together, no EXISTS
        (key,) = [key for key in fake_redis.data if b":rl:api:" in key]
        name = key.decode()
        assert cache.get(name[name.index("portal:rl:") :]) == 3  # Django reads the raw counter
        assert 0 < fake_redis.expires[key] - time.monotonic() <= 60


def test_one_redis_client_serves_every_operation(fake_redis, monkeypatch):
    # Building a redis.Redis object costs about a tenth of a cached page view: it is built once.
    import redis

    built = []
    original = redis.Redis.__init__

    def counting_init(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting_init)
    with override_settings(CACHES=redis_at(fake_redis.url)):
        for key in ("a", "b", "c"):
            cache.set(key, 1)
            assert cache.get(key) == 1
    assert len(built) == 1


def test_a_hung_redis_is_tried_once_then_skipped(client, unit_a, hung_redis, monkeypatch):
    """A Redis that accepts and never answers costs one short timeout, then the breaker skips
    it: without it every cache operation of a page waited for its own timeout (6-11 s a page
    with the former 1 s timeouts). The added time itself is measured by bench/cache_faults.py."""
    with override_settings(CACHES=redis_at(hung_redis.url, breaker_seconds=5, timeout=0.05)):
        attempts = resilient.attempts()
        assert client.get("/").status_code == 200
        # One operation went to Redis, timed out and opened the breaker; the rest were skipped.
        assert resilient.attempts() - attempts == 1
        assert hung_redis.connections == 1
        assert cache.breaker_open()
        for _ in range(3):
            assert client.get("/unit/zwzx/").status_code == 200
        assert resilient.attempts() - attempts == 1 and hung_redis.connections == 1
        # A few seconds later Redis is tried again, once.
        later = time.monotonic() + 6
        monkeypatch.setattr(resilient.time, "monotonic", lambda: later)
        assert not cache.breaker_open()
        assert client.get("/").status_code == 200
        assert resilient.attempts() - attempts == 2 and hung_redis.connections == 2


def test_a_working_redis_caches_pages(client, unit_a, fake_redis):
    with override_settings(CACHES=redis_at(fake_redis.url)):
        assert client.get("/")["X-Page-Cache"] == "miss"
        assert client.get("/")["X-Page-Cache"] == "hit"


def test_a_change_while_redis_is_away_is_not_hidden_once_it_is_back(
    client, site_profile, fake_redis, caplog, django_capture_on_commit_callbacks
):
    """Redis unreachable but not restarted keeps the pages stored before: the bump it missed
    must not let them be served when it answers again."""
    with override_settings(CACHES=redis_at(fake_redis.url, breaker_seconds=1)):
        assert "安庆市政府信息公开" in client.get("/").content.decode()
        assert client.get("/")["X-Page-Cache"] == "hit"
        fake_redis.stop()
        profile = SiteProfile.load()
        profile.site_name = "安庆市人民政府信息公开网"
        with django_capture_on_commit_callbacks(execute=True):
            profile.save()  # no error for staff
        assert "cache invalidation lost" in caplog.text
        assert OwedCacheFlush.objects.exists()
        fake_redis.start()
        time.sleep(1.1)  # the breaker lets Redis be tried again
        response = client.get("/")
        assert "安庆市人民政府信息公开网" in response.content.decode()
        assert response["X-Page-Cache"] == "miss"
        assert not OwedCacheFlush.objects.exists()


def test_another_process_pays_a_flush_it_did_not_owe(client, site_profile, fake_redis, settings):
    """A worker that saw no failure (or started after one) finds the owed flush in the database
    before it serves a page from the cache."""
    settings.CACHE_FLUSH_CHECK_SECONDS = 10
    other_site = "other:1:stays"
    with override_settings(CACHES=redis_at(fake_redis.url)):
        client.get("/"), client.get("/")
        fake_redis.data[other_site.encode()] = b"1"  # another site sharing this Redis
        OwedCacheFlush.objects.create()  # recorded by a process that lost a bump
        resilient.reset()  # this process knows nothing of it
        assert client.get("/")["X-Page-Cache"] == "miss"
        assert not OwedCacheFlush.objects.exists()
        # Only this site's keys went.
        assert other_site.encode() in fake_redis.data


@override_settings(CACHES=DEAD_REDIS)
def test_one_transaction_bumps_a_scope_once(django_capture_on_commit_callbacks):
    from portal import pagecache

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):  # an import saving three entries of one unit
            pagecache.invalidate("site", "unit:zwzx")
    # One bump, so one lost invalidation recorded.
    assert OwedCacheFlush.objects.count() == 1
