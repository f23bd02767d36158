"""The client's own address behind the reverse proxy (TRUSTED_PROXIES, portal/clientip.py).

Behind nginx every request comes from 127.0.0.1: without the trusted-proxy rule the rate limits
and the login lockout would count all citizens as one.
"""

import pytest
from django.test import RequestFactory

from portal.clientip import client_ip
from tests.conftest import PASSWORD

PROXY = "127.0.0.1"


def address(remote, forwarded=None, trusted=()):
    from django.test import override_settings

    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    with override_settings(TRUSTED_PROXIES=list(trusted)):
        return client_ip(RequestFactory().get("/", **meta))


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        # No trusted proxy configured: the header is ignored, whoever sent it.
        ("203.0.113.5", "198.51.100.1", (), "203.0.113.5"),
        ("127.0.0.1", "198.51.100.1", (), "127.0.0.1"),
        # The peer is the proxy: the right-most address it appended is the client.
        ("127.0.0.1", "198.51.100.1", ("127.0.0.1",), "198.51.100.1"),
        # A client forging the header only adds addresses to the left of its own.
        ("127.0.0.1", "6.6.6.6, 198.51.100.1", ("127.0.0.1",), "198.51.100.1"),
        # Two proxy hops (a load balancer in a private range, then nginx).
        ("127.0.0.1", "198.51.100.1, 10.0.0.7", ("127.0.0.1", "10.0.0.0/8"), "198.51.100.1"),
        # A peer outside the list is the client, even if it sends the header.
        ("203.0.113.5", "198.51.100.1", ("127.0.0.1",), "203.0.113.5"),
        # The proxy sent no header: the peer it is.
        ("127.0.0.1", None, ("127.0.0.1",), "127.0.0.1"),
        # Garbage where an address should be: nothing beyond it is believed.
        ("127.0.0.1", "198.51.100.1, not-an-ip", ("127.0.0.1",), "127.0.0.1"),
        ("::1", "2001:db8::5", ("::1",), "2001:db8::5"),
    ],
)
def test_client_address(remote, forwarded, trusted, expected):
    assert address(remote, forwarded, trusted) == expected


def test_bad_trusted_proxies_stop_start_up():
    from tests.portal.test_setup import run_django

    result = run_django("check", DEBUG="1", TRUSTED_PROXIES="127.0.0.1, nginx.local")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr and "nginx.local" in result.stderr


@pytest.mark.django_db
def test_submissions_are_limited_per_citizen_behind_the_proxy(client, unit_a, settings):
    from applications.models import Request
    from tests.applications.test_apply import URL, person_post

    settings.FORM_MIN_FILL_SECONDS = 0
    settings.TRUSTED_PROXIES = [PROXY]
    settings.RATE_LIMIT_SUBMISSIONS = 1
    first = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    second = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    assert client.post(URL, person_post(unit_a), **first).status_code == 302
    assert client.post(URL, person_post(unit_a), **first).status_code == 429
    # Another citizen behind the same proxy is not held back by the first one.
    assert client.post(URL, person_post(unit_a), **second).status_code == 302
    assert Request.objects.count() == 2


@pytest.mark.django_db
def test_a_lockout_from_one_address_does_not_lock_the_clerk_out_elsewhere(
    client, clerk_a, settings
):
    settings.TRUSTED_PROXIES = [PROXY]
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    office = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.20"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "clerk_a", "password": "wrong"}, **attacker)
    locked = client.post("/admin/login/", {"username": "clerk_a", "password": PASSWORD}, **attacker)
    assert locked.status_code == 429
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "clerk_a", "password": PASSWORD}, **office
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(clerk_a.pk)
