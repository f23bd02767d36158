"""Two app instances sharing PostgreSQL, Redis and the media folder behave as one site."""

from disclosure import workflow
from disclosure.models import Category, Entry
from portal.permissions import SYSTEM
from tests.conftest import PASSWORD
from tests.integration.conftest import Browser


def test_publication_on_one_instance_is_visible_on_the_other_at_once(
    instances, unit_b, site_profile
):
    first, second = instances(2)
    browser = Browser()
    for instance in (first, second):  # both have the home page cached now
        assert browser.get(instance.base + "/")[0] == 200
    entry = Entry.objects.create(
        unit=unit_b,
        category=Category.objects.get(slug="zhinan"),
        title="两台服务器同时可见的通知",
        made_on="2026-11-20",
    )
    workflow.submit(entry, SYSTEM)
    workflow.approve(entry, SYSTEM)
    for instance in (first, second):
        status, body, headers = browser.get(instance.base + "/")
        assert "两台服务器同时可见的通知" in body, instance.base
    workflow.withdraw(entry, SYSTEM, "撤回")
    for instance in (first, second):
        assert "两台服务器同时可见的通知" not in browser.get(instance.base + "/")[1], instance.base


def test_sessions_are_shared(instances, clerk_a, settings):
    # The instances check passwords with the production hasher, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    clerk_a.set_password(PASSWORD)
    clerk_a.save()
    first, second = instances(2)
    browser = Browser()
    status, _, _ = browser.post_form(
        first.base + "/admin/login/",
        {"username": "clerk_a", "password": PASSWORD, "next": "/admin/"},
    )
    assert status == 302
    status, body, _ = browser.get(second.base + "/admin/", follow=False)
    assert status == 200 and "clerk_a" in body


def test_rate_limits_are_shared(instances, unit_a):
    first, second = instances(2, RATE_LIMIT_LOOKUPS="3")
    browser = Browser()
    answers = []
    for instance in (first, second, first, second):
        status, body, _ = browser.post_form(
            instance.base + "/yishenqing/chaxun/",
            {"number": "YSQ-2026-999999", "code": "WRONGCODE"},
        )
        answers.append((status, "查询次数过多" in body))
    assert answers[:3] == [(200, False)] * 3
    assert answers[3][1] is True and answers[3][0] in (200, 429)
