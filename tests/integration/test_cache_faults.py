"""A live gunicorn with a faulty Redis: a fake endpoint each, so nothing real is stopped.

Runs on the PostgreSQL + Redis pass like every integration test (the instance needs a database
other processes can reach); the Redis it uses is the fake one.
"""

from tests.fake_redis import HungRedis
from tests.integration.conftest import Browser


def test_a_hung_redis_leaves_pages_answering(instances, unit_a, site_profile):
    hung = HungRedis()
    try:
        (site,) = instances(1, REDIS_URL=hung.url, CACHE_TIMEOUT_MS="50")
        browser = Browser()
        for path in ("/", "/unit/zwzx/", "/xxgk/zwzx/", "/yishenqing/") * 3:
            # The former 1 s timeouts per cache operation took 6-11 s a page: past this timeout.
            status, _, _ = browser.get(site.base + path, timeout=3)
            assert status == 200, path
        status, body, _ = browser.get(site.base + "/healthz", timeout=3)
        assert status == 200 and '"cache": "down"' in body
    finally:
        hung.stop()
