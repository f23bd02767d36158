import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from disclosure import workflow
from disclosure.models import Entry, EntryAction, EntryState
from portal.permissions import SYSTEM

pytestmark = pytest.mark.django_db


def events(entry):
    return list(entry.events.order_by("at", "pk").values_list("action", "from_state", "to_state"))


def test_publisher_submits_reviewer_approves(unit_a, publisher_a, reviewer_a, make_entry):
    entry = make_entry(unit_a, state=EntryState.DRAFT)
    workflow.submit(entry, publisher_a)
    assert entry.state == EntryState.PENDING
    workflow.approve(entry, reviewer_a, note="同意发布")
    entry.refresh_from_db()
    assert entry.state == EntryState.PUBLISHED and entry.index_number and entry.is_public
    assert events(entry) == [
        (EntryAction.SUBMIT, EntryState.DRAFT, EntryState.PENDING),
        (EntryAction.APPROVE, EntryState.PENDING, EntryState.PUBLISHED),
    ]
    approval = entry.events.get(action=EntryAction.APPROVE)
    assert approval.actor == reviewer_a and approval.note == "同意发布"


def test_publisher_cannot_approve(unit_a, publisher_a, make_entry):
    entry = make_entry(unit_a, state=EntryState.PENDING)
    with pytest.raises(PermissionDenied):
        workflow.approve(entry, publisher_a)
    entry.refresh_from_db()
    assert entry.state == EntryState.PENDING


def test_reviewer_of_another_unit_cannot_approve(unit_b, reviewer_a, make_entry):
    entry = make_entry(unit_b, state=EntryState.PENDING)
    with pytest.raises(PermissionDenied):
        workflow.approve(entry, reviewer_a)


def test_unit_admin_above_may_approve(unit_a, unit_admin_gov, make_entry):
    entry = make_entry(unit_a, state=EntryState.PENDING)
    workflow.approve(entry, unit_admin_gov)
    assert entry.state == EntryState.PUBLISHED


def test_clerk_cannot_submit(unit_a, clerk_a, make_entry):
    entry = make_entry(unit_a, state=EntryState.DRAFT)
    with pytest.raises(PermissionDenied):
        workflow.submit(entry, clerk_a)


def test_return_needs_a_reason_and_goes_back_to_draft(unit_a, reviewer_a, make_entry):
    entry = make_entry(unit_a, state=EntryState.PENDING)
    with pytest.raises(workflow.WorkflowError, match="理由"):
        workflow.return_entry(entry, reviewer_a, "  ")
    workflow.return_entry(entry, reviewer_a, "文号有误")
    entry.refresh_from_db()
    assert entry.state == EntryState.DRAFT
    event = entry.events.get(action=EntryAction.RETURN)
    assert event.note == "文号有误" and event.actor == reviewer_a


@pytest.mark.parametrize(
    "state, transition",
    [
        (EntryState.DRAFT, "approve"),
        (EntryState.DRAFT, "withdraw"),
        (EntryState.PENDING, "submit"),
        (EntryState.PUBLISHED, "submit"),
        (EntryState.PUBLISHED, "approve"),
        (EntryState.WITHDRAWN, "approve"),
        (EntryState.WITHDRAWN, "withdraw"),
    ],
)
def test_transitions_check_the_source_state(unit_a, make_entry, state, transition):
    entry = make_entry(unit_a, state=state)
    before = entry.events.count()
    with pytest.raises(workflow.WorkflowError, match="只有"):
        getattr(workflow, transition)(entry, SYSTEM)
    entry.refresh_from_db()
    assert entry.state == state and entry.events.count() == before


def test_stale_instance_cannot_publish_twice(unit_a, make_entry):
    entry = make_entry(unit_a, state=EntryState.PENDING)
    stale = Entry.objects.get(pk=entry.pk)
    workflow.approve(entry, SYSTEM)
    with pytest.raises(workflow.WorkflowError):
        workflow.approve(stale, SYSTEM)  # the locked row, not the stale copy, decides
    assert Entry.objects.get(pk=entry.pk).index_serial == 1


def test_scheduled_publication_is_hidden_until_its_time(client, unit_a, make_entry):
    at = timezone.now() + dt.timedelta(days=2)
    entry = make_entry(unit_a, publish_at=at, title="定时发布的通知")
    assert entry.state == EntryState.PUBLISHED and entry.index_number
    assert not Entry.objects.public().filter(pk=entry.pk).exists()
    assert entry.events.filter(action=EntryAction.SCHEDULE).exists()
    assert client.get(f"/xxgk/zwzx/{entry.pk}/").status_code == 404
    with time_machine.travel(at + dt.timedelta(minutes=1)):
        assert Entry.objects.public().filter(pk=entry.pk).exists()
        assert client.get(f"/xxgk/zwzx/{entry.pk}/").status_code == 200


def test_scheduled_time_in_the_past_is_refused(unit_a, make_entry):
    entry = make_entry(unit_a, state=EntryState.PENDING)
    with pytest.raises(workflow.WorkflowError, match="不能早于"):
        workflow.approve(entry, SYSTEM, publish_at=timezone.now() - dt.timedelta(hours=2))


def test_withdraw_hides_the_entry(
    client, unit_a, reviewer_a, make_entry, django_capture_on_commit_callbacks
):
    entry = make_entry(unit_a)
    assert client.get(entry.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        workflow.withdraw(entry, reviewer_a, "内容有误")
    assert client.get(entry.get_absolute_url()).status_code == 404
    assert entry.events.get(action=EntryAction.WITHDRAW).note == "内容有误"
