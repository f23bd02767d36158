"""50 simultaneous online submissions against PostgreSQL: no lost and no duplicate 申请编号."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from applications.models import NumberCounter, Request
from tests.applications.test_apply import person_post

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks (SELECT ... FOR UPDATE) need PostgreSQL; SQLite serialises writes",
)
THREADS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_submissions_get_distinct_sequential_numbers(unit_a, settings, tmp_path):
    settings.FORM_MIN_FILL_SECONDS = 0
    settings.RATE_LIMIT_SUBMISSIONS = THREADS * 2
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    barrier = threading.Barrier(THREADS)
    statuses, errors = [], []

    def submit(i):
        try:
            client = Client(REMOTE_ADDR=f"10.0.{i // 250}.{i % 250}")
            data = person_post(unit_a, person_name=f"并发{i}")
            barrier.wait(timeout=30)
            statuses.append(client.post("/yishenqing/shenqing/", data).status_code)
        except Exception as exc:  # reported below; a thread's exception is otherwise lost
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert statuses == [302] * THREADS
    rows = list(Request.objects.values_list("year", "serial", "number", "name"))
    assert len(rows) == THREADS
    year = rows[0][0]
    assert sorted(serial for _, serial, _, _ in rows) == list(range(1, THREADS + 1))
    assert len({number for _, _, number, _ in rows}) == THREADS
    assert {name for *_, name in rows} == {f"并发{i}" for i in range(THREADS)}
    assert NumberCounter.objects.get(year=year).last == THREADS


@pytest.mark.django_db(transaction=True)
def test_a_request_transition_locks_the_request_row_only(unit_a, clerk_a, settings, tmp_path):
    """While one clerk's step holds a request, the unit's row stays free (its other requests and
    unit edits need not wait)."""
    from django.db import DatabaseError, transaction

    from applications import workflow
    from portal.models import PublishingUnit
    from tests.applications.conftest import person_data

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    request, _code = workflow.submit_online(unit_a, person_data())
    holding, release = threading.Event(), threading.Event()
    outcome = []

    def other_session():
        try:
            holding.wait(timeout=10)
            with transaction.atomic():
                PublishingUnit.objects.select_for_update(nowait=True).get(pk=unit_a.pk)
            outcome.append("unit free")
        except DatabaseError:
            outcome.append("unit locked")
        finally:
            release.set()
            connections.close_all()

    thread = threading.Thread(target=other_session)
    thread.start()
    with transaction.atomic():
        workflow._lock(request, "confirm")
        holding.set()
        release.wait(timeout=10)
    thread.join(timeout=10)
    assert outcome == ["unit free"]
