import datetime as dt
import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from disclosure import index_numbers, workflow
from disclosure.models import Entry, EntryState, IndexCounter
from portal.models import SiteProfile
from portal.permissions import SYSTEM

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2021, 10, 8, 10, 0, tzinfo=dt.UTC), tick=False)
def test_default_pattern_uses_credit_code_month_and_five_digit_serial(government, make_entry):
    first = make_entry(government)
    second = make_entry(government)
    assert first.index_number == "11340800003161233C/202110-00001"
    assert second.index_number == "11340800003161233C/202110-00002"


@time_machine.travel(dt.datetime(2021, 10, 8, 10, 0, tzinfo=dt.UTC), tick=False)
def test_unit_code_is_used_when_there_is_no_credit_code(unit_a, make_entry):
    assert make_entry(unit_a).index_number == "003408002/202110-00001"


def test_serial_counts_per_unit_and_year(government, unit_b, make_entry):
    with time_machine.travel(dt.datetime(2022, 12, 30, 3, 0, tzinfo=dt.UTC), tick=False):
        a1 = make_entry(government)
        b1 = make_entry(unit_b)
        a2 = make_entry(government)
    with time_machine.travel(dt.datetime(2023, 1, 3, 3, 0, tzinfo=dt.UTC), tick=False):
        a3 = make_entry(government)
    assert [a1.index_serial, a2.index_serial, b1.index_serial, a3.index_serial] == [1, 2, 1, 1]
    assert a3.index_number.endswith("/202301-00001")
    assert a1.index_year == 2022 and a3.index_year == 2023


def test_site_pattern_is_configurable(unit_b, make_entry):
    profile = SiteProfile.load()
    profile.index_number_pattern = "{code}/{yyyy}-{serial:05d}"
    profile.save()
    with time_machine.travel(dt.datetime(2017, 3, 1, 3, 0, tzinfo=dt.UTC), tick=False):
        entry = make_entry(unit_b)
    assert entry.index_number == "003408005/2017-00001"


def test_number_is_never_reused_after_withdrawal(unit_b, make_entry):
    first = make_entry(unit_b, state=EntryState.WITHDRAWN)
    second = make_entry(unit_b)
    assert first.index_number and second.index_serial == first.index_serial + 1
    first.refresh_from_db()
    assert first.state == EntryState.WITHDRAWN and first.index_number  # kept, not freed


def test_numbers_are_assigned_at_publication_not_before(unit_b, make_entry):
    draft = make_entry(unit_b, state=EntryState.PENDING)
    assert draft.index_number == "" and not IndexCounter.objects.exists()


@pytest.mark.parametrize(
    "pattern, message",
    [
        ("{code}/{yyyy}", "必须包含 {serial}"),
        ("{code}/{yyyy}-{serial:05d}-{unit}", "未知占位符"),
        ("{code/{serial}", "格式"),
    ],
)
def test_bad_patterns_are_refused_in_chinese(pattern, message):
    with pytest.raises(ValidationError) as error:
        index_numbers.validate_pattern(pattern)
    assert message in error.value.messages[0]


def test_bad_site_pattern_stops_approval_with_a_message(unit_b, make_entry):
    profile = SiteProfile.load()
    profile.index_number_pattern = "{code}-{yyyy}"
    profile.save()
    entry = make_entry(unit_b, state=EntryState.PENDING)
    with pytest.raises(workflow.WorkflowError, match="serial"):
        workflow.approve(entry, SYSTEM)
    entry.refresh_from_db()
    assert entry.state == EntryState.PENDING and not entry.index_number


def test_unit_without_any_code_cannot_publish(make_entry):
    from portal.models import PublishingUnit

    bureau = PublishingUnit.objects.create(name="无编码的单位", short_name="无编码", slug="nocode")
    entry = make_entry(bureau, state=EntryState.PENDING)
    with pytest.raises(workflow.WorkflowError, match="单位编码"):
        workflow.approve(entry, SYSTEM)
    assert not IndexCounter.objects.filter(unit=bureau).exists()


def test_database_refuses_a_duplicate_number(unit_b, make_entry):
    from django.db import IntegrityError, transaction

    first = make_entry(unit_b)
    second = make_entry(unit_b, state=EntryState.DRAFT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(pk=second.pk).update(index_number=first.index_number)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks (SELECT ... FOR UPDATE) need PostgreSQL; SQLite serialises writes",
)
@pytest.mark.django_db(transaction=True)
def test_parallel_publication_gives_distinct_serials(unit_b, category):
    """Eight reviewers approving at once: serials 1..8, no duplicate, no gap (PostgreSQL)."""
    # The counter row exists already, as it does after a unit's first publication of the year;
    # otherwise the racing INSERTs would serialise on their own and hide a missing lock.
    IndexCounter.objects.create(unit=unit_b, year=timezone.localdate().year, last_serial=0)
    entries = []
    for i in range(8):
        entry = Entry.objects.create(
            unit=unit_b, category=category, title=f"并发{i}", made_on=timezone.localdate()
        )
        workflow.submit(entry, SYSTEM)
        entries.append(entry)
    barrier = threading.Barrier(len(entries))
    errors = []

    def publish(entry):
        try:
            # Connect first: connecting is slower than publishing and would space the threads out.
            Entry.objects.filter(pk=entry.pk).exists()
            barrier.wait()
            workflow.approve(entry, SYSTEM)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(entry,)) for entry in entries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    serials = sorted(Entry.objects.filter(unit=unit_b).values_list("index_serial", flat=True))
    assert serials == list(range(1, 9))
    numbers = set(Entry.objects.filter(unit=unit_b).values_list("index_number", flat=True))
    assert len(numbers) == 8
