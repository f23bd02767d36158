"""Audit histories are append-only in the database itself, not only in the models' save()."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from applications import workflow
from applications.models import PersonalDataAccess, RequestEvent
from disclosure import workflow as disclosure_workflow
from disclosure.models import Category, Entry, EntryEvent
from tests.applications.conftest import person_data

pytestmark = pytest.mark.django_db


def refused(operation) -> bool:
    try:
        with transaction.atomic():
            operation()
    except DatabaseError:
        return True
    return False


@pytest.fixture
def history(unit_a, clerk_a, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    request, _ = workflow.submit_online(unit_a, person_data())
    workflow.confirm(request, actor=clerk_a, note="内部备注")
    PersonalDataAccess.objects.create(request=request, user=clerk_a, what="查看申请人信息")
    return request


def test_a_requests_history_cannot_be_rewritten(history):
    events = RequestEvent.objects.filter(request=history)
    before = list(events.values_list("pk", "kind", "note", "effective_on"))
    assert refused(lambda: events.update(note="改写"))
    assert refused(lambda: events.update(effective_on="2020-01-01"))
    if connection.vendor == "postgresql":
        assert refused(lambda: events.delete())
        assert refused(lambda: PersonalDataAccess.objects.all().delete())
    assert list(events.values_list("pk", "kind", "note", "effective_on")) == before
    assert refused(lambda: PersonalDataAccess.objects.update(what="无"))
    # Appending goes on as before.
    workflow.extend(history, actor=None, workdays=5, approver="王主任", reason="需要检索档案")
    assert events.count() == len(before) + 1


@pytest.fixture
def submitted_entry(unit_a, publisher_a):
    entry = Entry.objects.create(
        unit=unit_a,
        category=Category.objects.filter(is_active=True).first(),
        title="历史",
        made_on=dt.date.today(),
    )
    disclosure_workflow.submit(entry, publisher_a)
    return entry


def test_an_entrys_history_cannot_be_rewritten(submitted_entry):
    entry = submitted_entry
    events = EntryEvent.objects.filter(entry=entry)
    assert events.exists()
    assert refused(lambda: events.update(note="改写"))


def test_the_models_refuse_an_update_before_the_database_is_asked(history, submitted_entry):
    access = PersonalDataAccess.objects.get(request=history)
    access.what = "改写"
    with pytest.raises(ValueError, match="个人信息查看记录只能追加，不能修改"):
        access.save()
    with pytest.raises(ValueError, match="只能追加，不能删除"):
        access.delete()
    entry = submitted_entry
    event = EntryEvent.objects.filter(entry=entry).first()
    event.note = "改写"
    with pytest.raises(ValueError, match="办理记录只能追加，不能修改"):
        event.save()
    # A draft's history goes with the draft.
    entry.delete()
    assert not EntryEvent.objects.filter(pk=event.pk).exists()
