"""Staff work with Redis unreachable: every write path saves, with a warning in the log."""

import pytest
from django.test import override_settings

from disclosure.models import Entry, EntryState
from tests.disclosure.test_admin import CHANGELIST, entry_form
from tests.portal.test_resilience import DEAD_REDIS

pytestmark = pytest.mark.django_db


@override_settings(CACHES=DEAD_REDIS)
def test_staff_save_submit_approve_and_withdraw_with_redis_down(
    login, unit_a, admin_a, caplog, django_capture_on_commit_callbacks
):
    client = login(admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{CHANGELIST}add/", entry_form(unit_a))
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = Entry.objects.get(title="2025年部门预算公开")
    workflow_url = f"{CHANGELIST}{entry.pk}/workflow/"
    for action, state in (
        ("submit", EntryState.PENDING),
        ("approve", EntryState.PUBLISHED),
        ("withdraw", EntryState.WITHDRAWN),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(workflow_url, {"action": action, "note": "停机测试"})
        assert response.status_code == 302, (action, response.content.decode()[:2000])
        entry.refresh_from_db()
        assert entry.state == state, action
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{CHANGELIST}{entry.pk}/change/", entry_form(unit_a, title="停机时修改的标题")
        )
    assert response.status_code in (200, 302)
    assert "cache unavailable" in caplog.text
    assert "cache invalidation lost" in caplog.text
    # The public side still answers, from the database.
    assert client.get("/xxgk/zwzx/").status_code == 200
