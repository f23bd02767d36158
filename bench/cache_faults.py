"""What a faulty Redis adds to a page: working, hung (accepts, never answers), down (refused).

Runs in-process with the project's settings and middleware against the configured database
(demo data is enough: `DEBUG=1 python bench/cache_faults.py`), each Redis a fake endpoint from
tests/fake_redis.py, nothing real is stopped. For each case it requests the home page and a unit
page as an anonymous visitor and prints median, 99th percentile and maximum in milliseconds. The
first row renders every page without any cache (the floor of a Redis outage); the last replays
the former configuration (1 s timeouts, no breaker) for comparison.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from portal import cache as resilient  # noqa: E402
from portal.models import PublishingUnit  # noqa: E402
from tests.fake_redis import FakeRedis, HungRedis  # noqa: E402


def caches(url, timeout, breaker):
    return {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": url,
            "BREAKER_SECONDS": breaker,
            "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
        }
    }


NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def measure(config, paths, rounds):
    timings = []
    with override_settings(CACHES=config, ALLOWED_HOSTS=["testserver"]):
        resilient.reset()
        client = Client()
        for path in paths:  # warm up: templates, first connection
            client.get(path)
        for _ in range(rounds):
            for path in paths:
                start = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (path, response.status_code)
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    return statistics.median(timings), p99, timings[-1], len(timings)


def main():
    unit = PublishingUnit.objects.active().first()
    paths = ["/", f"/unit/{unit.slug}/"] if unit else ["/"]
    timeout = settings.CACHES["default"].get("OPTIONS", {}).get("socket_timeout", 0.05)
    working, hung = FakeRedis(), HungRedis()
    cases = [
        # Every page rendered, no cache at all: what a Redis fault may cost without the breaker's
        # skip, the rest is Redis's own share.
        ("no cache (baseline: every page rendered)", NO_CACHE, 200),
        ("working Redis (fake)", caches(working.url, timeout, 5), 200),
        ("hung Redis, breaker", caches(hung.url, timeout, 5), 200),
        ("Redis down (refused)", caches("redis://127.0.0.1:1/0", timeout, 5), 200),
        ("hung Redis, former: 1 s timeouts, no breaker", caches(hung.url, 1.0, 0), 2),
    ]
    print(f"timeout {timeout * 1000:.0f} ms, breaker 5 s, pages {', '.join(paths)}")
    print("| case | pages | median ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    for name, config, rounds in cases:
        median, p99, worst, count = measure(config, paths, rounds)
        print(f"| {name} | {count} | {median:.1f} | {p99:.1f} | {worst:.1f} |")
    working.stop()
    hung.stop()


if __name__ == "__main__":
    main()
