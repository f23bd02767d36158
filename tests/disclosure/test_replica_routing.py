"""Which database a request reads from (portal/replica.py); the real replica is in
tests/integration/test_replica.py (PostgreSQL only)."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from disclosure.models import Entry
from portal import replica


@pytest.mark.parametrize(
    ("method", "cookies", "expected"),
    [
        ("get", {}, True),
        ("head", {}, True),
        ("get", {"sessionid": "x"}, False),  # staff, or an applicant following a request
        ("get", {replica.PIN_COOKIE: "1"}, False),  # has just sent a form
        ("post", {}, False),
    ],
)
@pytest.mark.django_db
def test_who_reads_from_the_replica(method, cookies, expected):
    request = getattr(RequestFactory(), method)("/xxgk/zwzx/")
    request.COOKIES.update(cookies)
    assert replica.reads_from_replica(request) is expected


@pytest.mark.django_db
def test_everyone_reads_from_the_primary_just_after_a_publication(
    unit_a, make_entry, django_capture_on_commit_callbacks
):
    request = RequestFactory().get("/")
    assert replica.reads_from_replica(request)
    with django_capture_on_commit_callbacks(execute=True):
        make_entry(unit_a, title="新发布的通知")
    assert cache.get(replica.LAST_PUBLICATION_KEY)
    assert not replica.reads_from_replica(request)


def test_writes_always_go_to_the_primary():
    router = replica.ReplicaRouter()
    assert router.db_for_write(Entry) == "default"
    assert router.db_for_read(Entry) == "default"  # outside a request routed to the replica
    token = replica._reads_from.set(replica.REPLICA)
    try:
        assert router.db_for_read(Entry) == replica.REPLICA
        assert router.db_for_write(Entry) == "default"
        assert not router.allow_migrate(replica.REPLICA, "disclosure")
    finally:
        replica._reads_from.reset(token)
