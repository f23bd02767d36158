"""Staff login hardening: lockout, password strength, idle sessions, configurable admin path."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_repeated_failed_logins_lock_the_account(client, clerk_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(
            "/admin/login/", {"username": "clerk_a", "password": "wrong-password"}
        )
        assert response.status_code == 200
    # The failure that reaches the limit locks the account.
    response = client.post("/admin/login/", {"username": "clerk_a", "password": "wrong-password"})
    assert response.status_code == 429
    # Even the right password is refused now, with a Chinese explanation.
    response = client.post("/admin/login/", {"username": "clerk_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_correct_login_works_before_lockout(client, clerk_a):
    client.post("/admin/login/", {"username": "clerk_a", "password": "wrong-password"})
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "clerk_a", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(clerk_a.pk)


@pytest.mark.parametrize("weak", ["12345678901", "password123", "short1"])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_staff_sessions_expire_after_30_minutes_idle(settings, client, clerk_a):
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    client.force_login(clerk_a)
    client.get("/admin/")
    assert client.session.get_expiry_age() == 1800


def test_admin_changes_are_in_a_read_only_audit_log(client, superuser, unit_a, admin_a):
    client.force_login(admin_a)
    response = client.post(
        f"/admin/portal/publishingunit/{unit_a.pk}/change/",
        {
            "name": unit_a.name,
            "short_name": unit_a.short_name,
            "credit_code": "",
            "unit_code": "X1",
            "office_address": "新地址",
            "office_postcode": "",
            "office_hours": "",
            "office_phone": "",
            "office_fax": "",
            "office_email": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    client.force_login(superuser)
    log = client.get("/admin/admin/logentry/").content.decode()
    assert unit_a.name in log and "admin_a" in log
    entry_id = client.get("/admin/admin/logentry/").context["cl"].result_list[0].pk
    assert client.post(f"/admin/admin/logentry/{entry_id}/delete/").status_code == 403
    client.force_login(admin_a)
    assert client.get("/admin/admin/logentry/").status_code == 403
