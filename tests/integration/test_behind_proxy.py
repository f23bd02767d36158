"""Behind the shipped deploy/nginx.conf, each citizen is counted by their own address.

nginx connects to gunicorn from 127.0.0.1 for everybody; with TRUSTED_PROXIES=127.0.0.1 the
application takes the client from the X-Forwarded-For nginx appends. The citizens here connect
to nginx from distinct loopback addresses (127.0.0.2, 127.0.0.3).
"""

from tests.integration.conftest import Browser

TRACK = "/yishenqing/chaxun/"
WRONG = {"number": "YSQ-2026-999999", "code": "WRONGCODE"}


def lookup(browser, base):
    status, body, _ = browser.post_form(base + TRACK, WRONG)
    return status, "查询次数过多" in body


def test_each_citizen_has_their_own_limit_behind_nginx(instances, behind_nginx):
    (instance,) = instances(1, RATE_LIMIT_LOOKUPS="2", TRUSTED_PROXIES="127.0.0.1")
    base = behind_nginx(instance)
    first = Browser(source="127.0.0.2")
    assert [lookup(first, base) for _ in range(3)] == [(200, False), (200, False), (429, True)]
    # Another citizen behind the same proxy is not held back by the first.
    assert lookup(Browser(source="127.0.0.3"), base) == (200, False)
    # The first cannot escape their limit by forging the header nginx appends to.
    forged = Browser(source="127.0.0.2", headers={"X-Forwarded-For": "198.51.100.77"})
    assert lookup(forged, base) == (429, True)


def test_without_trusted_proxies_the_header_is_not_believed(instances):
    (instance,) = instances(1, RATE_LIMIT_LOOKUPS="1")
    assert lookup(Browser(), instance.base) == (200, False)
    # Straight to gunicorn, a forged header would otherwise buy a fresh limit.
    forged = Browser(headers={"X-Forwarded-For": "198.51.100.77"})
    assert lookup(forged, instance.base) == (429, True)
