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


def test_publication_and_withdrawal_show_at_once(
    client, unit_b, make_entry, django_capture_on_commit_callbacks
):
    client.get("/"), client.get("/unit/jyj/")  # cached, without the entry
    with django_capture_on_commit_callbacks(execute=True):
        entry = make_entry(unit_b, title="新发布的招生政策")
    for url in ("/", "/unit/jyj/"):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "新发布的招生政策" in response.content.decode(), url
    with django_capture_on_commit_callbacks(execute=True):
        workflow.withdraw(entry, SYSTEM, "内容有误")
    for url in ("/", "/unit/jyj/"):
        assert "新发布的招生政策" not in client.get(url).content.decode(), url


def test_a_change_elsewhere_keeps_other_units_cached(
    client, unit_a, unit_b, make_entry, django_capture_on_commit_callbacks
):
    client.get("/unit/zwzx/"), client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
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


def test_catalog_entry_and_search_are_cached_and_refreshed(
    client, unit_b, make_entry, django_capture_on_commit_callbacks
):
    entry = make_entry(unit_b, title="招生工作通知")
    for url in ("/xxgk/jyj/", entry.get_absolute_url(), "/search/?q=招生"):
        assert client.get(url)["X-Page-Cache"] == "miss", url
        assert client.get(url)["X-Page-Cache"] == "hit", url
    with django_capture_on_commit_callbacks(execute=True):
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


def test_pages_are_invalidated_when_the_change_commits_not_before(
    client, unit_b, make_entry, django_capture_on_commit_callbacks
):
    # Bumped inside the transaction, a page rendered before the commit (from the old rows, by
    # another connection) would be stored under the new generation and stay stale.
    client.get("/unit/jyj/")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_entry(unit_b, title="尚未提交的通知")
        assert client.get("/unit/jyj/")["X-Page-Cache"] == "hit"
    assert callbacks
    for callback in callbacks:
        callback()
    response = client.get("/unit/jyj/")
    assert response["X-Page-Cache"] == "miss"
    assert "尚未提交的通知" in response.content.decode()


def test_a_scheduled_publication_refreshes_the_catalog_counts(client, unit_b, make_entry):
    make_entry(unit_b, title="已发布")
    soon = timezone.now() + dt.timedelta(seconds=30)
    make_entry(unit_b, title="半分钟后发布", publish_at=soon)
    body = client.get("/xxgk/jyj/").content.decode()
    assert '机构职能</a> <span class="count">（1）' in body
    with time_machine.travel(soon + dt.timedelta(seconds=1)):
        body = client.get("/xxgk/jyj/").content.decode()
    assert "半分钟后发布" in body
    assert '机构职能</a> <span class="count">（2）' in body


def test_the_sitemap_follows_publication_and_withdrawal(
    client, unit_b, make_entry, django_capture_on_commit_callbacks
):
    client.get("/sitemap-entries.xml")
    with django_capture_on_commit_callbacks(execute=True):
        entry = make_entry(unit_b, title="进入网站地图")
    assert entry.get_absolute_url() in client.get("/sitemap-entries.xml").content.decode()
    assert client.get("/sitemap-entries.xml")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.withdraw(entry, SYSTEM, "撤回")
    assert entry.get_absolute_url() not in client.get("/sitemap-entries.xml").content.decode()


def test_a_tree_rebuild_invalidates_every_page(
    client, unit_a, unit_b, django_capture_on_commit_callbacks
):
    from disclosure.models import Category
    from portal.models import PublishingUnit

    client.get("/"), client.get("/unit/jyj/")
    # A rebuild writes in bulk, without signals.
    PublishingUnit.objects.filter(pk=unit_b.pk).update(name="安庆市教育体育局")
    with django_capture_on_commit_callbacks(execute=True):
        PublishingUnit.rebuild_tree()
    for url in ("/", "/unit/jyj/"):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "安庆市教育体育局" in response.content.decode(), url
    with django_capture_on_commit_callbacks(execute=True):
        Category.rebuild_tree()
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_the_search_page_reuses_units_and_categories_until_they_change(
    client, unit_b, make_entry, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """Uncached searches share the unit and category lists and the site profile within one
    generation of "all"; renaming a unit or a category, or changing the profile, shows at the
    next search, in the filters, the results and the footer."""
    from portal.models import SiteProfile

    entry = make_entry(unit_b, title="关于招生工作的通知")
    client.get("/search/?q=招生")  # fills the shared lists
    # The survey (every match: a small index) and the entries with the bodies they need: no
    # units, no categories, no profile.
    with django_assert_num_queries(2):
        response = client.get("/search/?q=招生工作")
    assert response["X-Page-Cache"] == "miss"
    with django_capture_on_commit_callbacks(execute=True):
        unit_b.name = "市教育体育局"
        unit_b.save()
        entry.category.name = "招生信息"
        entry.category.save()
        profile = SiteProfile.load()
        profile.icp_number = "皖ICP备99999999号"
        profile.save()
    response = client.get("/search/?q=招生工作")
    assert response["X-Page-Cache"] == "miss"
    page = response.content.decode()
    assert page.count("市教育体育局") >= 3  # the unit filter, its facet and the result
    assert "招生信息" in page
    assert "皖ICP备99999999号" in page


def test_resolved_paths_kept_per_process_are_bounded(client):
    """Each path's view is resolved once per process; paths no page has (over 200 characters)
    are not kept, so a crawler cannot fill a worker's memory with them."""
    from portal import pagecache

    client.get("/")
    kept = pagecache._cacheable_view.cache_info().currsize
    for n in range(20):
        assert client.get("/xxgk/" + "a" * 300 + f"{n}/").status_code == 404
    assert pagecache._cacheable_view.cache_info().currsize == kept
    assert pagecache._cacheable_view.cache_info().maxsize == 4096
