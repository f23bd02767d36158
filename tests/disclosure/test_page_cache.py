"""Anonymous pages come from the shared cache, and every change shows at once."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from disclosure import workflow
from disclosure.models import EntryState
from portal.permissions import SYSTEM

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_profile")]


def test_home_and_unit_pages_are_cached_for_anonymous_visitors(client, unit_b, make_entry):
    make_entry(unit_b, title="已缓存的通知")
    first = client.get("/")
    second = client.get("/")
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert "已缓存的通知" in second.content.decode()
    assert client.get("/unit/jyj/")["X-Page-Cache"] == "miss"
    assert client.get("/unit/jyj/")["X-Page-Cache"] == "hit"


def test_staff_never_get_cached_pages(client, unit_b, clerk_b):
    client.get("/")
    client.force_login(clerk_b)
    assert "X-Page-Cache" not in client.get("/")


def test_publication_and_withdrawal_show_at_once(client, unit_b, make_entry):
    client.get("/"), client.get("/unit/jyj/")  # cached, without the entry
    entry = make_entry(unit_b, title="新发布的招生政策")
    for url in ("/", "/unit/jyj/"):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "新发布的招生政策" in response.content.decode(), url
    workflow.withdraw(entry, SYSTEM, "内容有误")
    for url in ("/", "/unit/jyj/"):
        assert "新发布的招生政策" not in client.get(url).content.decode(), url


def test_a_change_elsewhere_keeps_other_units_cached(client, unit_a, unit_b, make_entry):
    client.get("/unit/zwzx/")
    make_entry(unit_b, title="教育局的通知")
    assert client.get("/unit/zwzx/")["X-Page-Cache"] == "hit"
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_scheduled_entry_appears_when_its_time_comes(client, unit_b, make_entry):
    later = timezone.now() + dt.timedelta(hours=2)
    make_entry(unit_b, title="定时发布的公告", publish_at=later)
    assert "定时发布的公告" not in client.get("/").content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"
    with time_machine.travel(later + dt.timedelta(minutes=1)):
        response = client.get("/")
    assert "定时发布的公告" in response.content.decode()


def test_pending_entries_do_not_reach_the_cache(client, unit_b, make_entry):
    make_entry(unit_b, state=EntryState.PENDING, title="待审核的通知")
    assert "待审核的通知" not in client.get("/").content.decode()


def test_catalog_entry_and_search_are_cached_and_refreshed(client, unit_b, make_entry):
    entry = make_entry(unit_b, title="招生工作通知")
    for url in ("/xxgk/jyj/", entry.get_absolute_url(), "/search/?q=招生"):
        assert client.get(url)["X-Page-Cache"] == "miss", url
        assert client.get(url)["X-Page-Cache"] == "hit", url
    workflow.withdraw(entry, SYSTEM, "撤回")
    assert "招生工作通知" not in client.get("/xxgk/jyj/").content.decode()
    assert client.get(entry.get_absolute_url()).status_code == 404
    assert "招生工作通知" not in client.get("/search/?q=招生").content.decode()


def test_entry_page_answers_conditional_requests(client, unit_b, make_entry):
    entry = make_entry(unit_b, title="条件请求")
    response = client.get(entry.get_absolute_url())
    assert response.status_code == 200 and response["Last-Modified"]
    again = client.get(entry.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304


def test_a_hit_runs_no_query_and_keeps_every_security_header(
    client, unit_b, make_entry, django_assert_num_queries
):
    make_entry(unit_b, title="安全头")
    stored = client.get("/unit/jyj/")
    with django_assert_num_queries(0):
        hit = client.get("/unit/jyj/")
    assert hit["X-Page-Cache"] == "hit"
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Permissions-Policy",
    ):
        assert hit[header] == stored[header], header
    assert hit.content == stored.content


def test_visitors_with_a_session_always_get_a_fresh_page(client, unit_b, make_entry):
    make_entry(unit_b, title="会话")
    client.get("/"), client.get("/")
    client.cookies["sessionid"] = "whatever"
    assert "X-Page-Cache" not in client.get("/")
    del client.cookies["sessionid"]
    client.cookies["messages"] = "pending"
    assert "X-Page-Cache" not in client.get("/")


@pytest.mark.urls("tests.disclosure.page_cache_urls")
def test_pages_that_set_a_cookie_are_never_stored(client):
    # A page holding a form hands out a CSRF cookie: every visitor must get one afresh.
    first = client.get("/form/")
    assert "csrftoken" in first.cookies
    assert "X-Page-Cache" not in client.get("/form/")
    assert client.get("/plain/")["X-Page-Cache"] == "miss"
    assert client.get("/plain/")["X-Page-Cache"] == "hit"


def test_the_cache_key_carries_the_host(client, unit_b, make_entry, settings):
    settings.ALLOWED_HOSTS = ["a.example.gov.cn", "b.example.gov.cn"]
    make_entry(unit_b, title="两个域名")
    assert client.get("/", HTTP_HOST="a.example.gov.cn")["X-Page-Cache"] == "miss"
    assert client.get("/", HTTP_HOST="b.example.gov.cn")["X-Page-Cache"] == "miss"
    assert client.get("/", HTTP_HOST="evil.example.com").status_code == 400
