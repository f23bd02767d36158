"""A staff user who appears in a history is deactivated, never deleted (histories are append-only
in the database: deleting would have to rewrite them)."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from disclosure import workflow
from disclosure.models import Category, Entry, EntryEvent

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def with_history(publisher_a, unit_a):
    entry = Entry.objects.create(
        unit=unit_a,
        category=Category.objects.get(slug="jgzn"),
        title="历史",
        made_on=dt.date.today(),
    )
    workflow.submit(entry, publisher_a)
    return publisher_a


def test_deleting_a_user_with_a_history_deactivates_them(client, superuser, with_history):
    client.force_login(superuser)
    url = f"/admin/auth/user/{with_history.pk}/delete/"
    page = client.get(url)
    assert page.status_code == 200 and "不能删除" in page.content.decode()
    response = client.post(url, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert "不能删除：已停用该账号" in response.content.decode()
    with_history.refresh_from_db()
    assert not with_history.is_active
    assert EntryEvent.objects.filter(actor=with_history).exists()


def test_bulk_delete_deactivates_those_with_a_history(client, superuser, with_history):
    fresh = User.objects.create_user(username="fresh", is_staff=True)
    client.force_login(superuser)
    response = client.post(
        "/admin/auth/user/",
        {
            "action": "delete_selected",
            "_selected_action": [with_history.pk, fresh.pk],
            "post": "yes",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert not User.objects.filter(pk=fresh.pk).exists()
    with_history.refresh_from_db()
    assert not with_history.is_active


def test_a_user_without_history_is_deleted(client, superuser):
    fresh = User.objects.create_user(username="fresh", is_staff=True)
    client.force_login(superuser)
    client.post(f"/admin/auth/user/{fresh.pk}/delete/", {"post": "yes"})
    assert not User.objects.filter(pk=fresh.pk).exists()
