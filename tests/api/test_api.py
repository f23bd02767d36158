"""The public read-only API (/api/v1/) and the open-data downloads (/shuju/)."""

import datetime as dt
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from api.schema import OBJECTS, conforms
from applications import workflow as request_workflow
from disclosure import policy
from disclosure import workflow as entry_workflow
from disclosure.models import Attachment, Entry, EntryState, SearchSynonym
from disclosure.reports import figures, tables
from disclosure.reports import workflow as report_workflow
from disclosure.reports.models import AnnualReport
from portal import pagecache
from portal.permissions import SYSTEM
from tests.applications.conftest import person_data

pytestmark = pytest.mark.django_db
D = dt.timedelta


def get(client, path, **params):
    response = client.get(path, params)
    assert response["Content-Type"].startswith("application/json"), path
    return response, json.loads(response.content)


@pytest.fixture
def site(unit_a, unit_b, bureau, clerk_a, make_entry):
    """Public entries beside every kind the public must not see, a report published and one not,
    and a request carrying an applicant's personal data."""
    bureau.credit_code = "11340800MB01234565"
    bureau.save()
    SearchSynonym.objects.get_or_create(terms="信息公开 = 政务公开")  # seeded by the migration
    with time_machine.travel(dt.datetime(2025, 6, 1, 2, 0, tzinfo=dt.UTC), tick=False):
        public = make_entry(
            unit_a, title="关于政务公开工作的通知", document_number="宜政办〔2025〕3号"
        )
    older = make_entry(
        unit_b, title="义务教育招生工作方案", validity="expired", invalid_from=dt.date(2026, 1, 1)
    )
    Attachment.objects.create(
        entry=public, file="attachments/a.pdf", name="附件一.pdf", kind="pdf", size=9
    )
    make_entry(unit_a, title="草稿中的政务公开通知", state=EntryState.DRAFT)
    make_entry(unit_a, title="待审核的政务公开通知", state=EntryState.PENDING)
    make_entry(unit_a, title="已撤回的政务公开通知", state=EntryState.WITHDRAWN)
    make_entry(
        unit_a,
        title="定时发布的政务公开通知",
        publish_at=timezone.now() + dt.timedelta(days=2),
    )
    published = AnnualReport.objects.create(unit=unit_a, year=2025, overview="<p>总体情况。</p>")
    figures.apply_computed(published)
    report_workflow.publish(published, SYSTEM, published_on=dt.date(2026, 1, 20))
    AnnualReport.objects.create(unit=unit_b, year=2025, overview="<p>草稿年报。</p>")
    request_workflow.register_paper(
        unit_a,
        actor=clerk_a,
        channel="in_person",
        received_on=timezone.localdate(),
        data=person_data(),
    )
    return {"public": public, "older": older, "report": published}


HIDDEN = [
    "草稿中的",
    "待审核的",
    "已撤回的",
    "定时发布的",
    "草稿年报",
    "张三丰",
    "13912345678",
    "11010519491231002X",
    "zhangsan@example.com",
    "人民路1号",
]


def every_answer(client, site):
    year = timezone.localdate().year
    paths = [
        "/api/v1/",
        "/api/v1/units/",
        "/api/v1/entries/",
        "/api/v1/entries/?q=政务公开",
        "/api/v1/entries/?q=通知&unit=zwzx",
        f"/api/v1/entries/{site['public'].pk}/",
        "/api/v1/reports/",
        "/api/v1/reports/zwzx/2025/",
        f"/api/v1/statistics/{year}/",
        f"/api/v1/statistics/{year}/?unit=zwzx",
        "/api/v1/openapi.json",
        "/shuju/mulu/zwzx.csv",
        "/shuju/mulu/zwzx.json",
        f"/shuju/tongji/{year}.csv",
        f"/shuju/tongji/{year}.json",
        "/shuju/",
        "/api/v1/docs/",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        yield path, body.decode("utf-8-sig")


def test_nothing_unpublished_and_no_personal_data(client, site):
    for path, body in every_answer(client, site):
        for hidden in HIDDEN:
            assert hidden not in body, (path, hidden)


def test_answers_match_their_declared_schema(client, site):
    checks = {
        "/api/v1/units/": "UnitList",
        "/api/v1/entries/": "EntryList",
        "/api/v1/entries/?q=政务公开": "EntryList",
        f"/api/v1/entries/{site['public'].pk}/": "EntryDetail",
        "/api/v1/reports/": "ReportList",
        "/api/v1/reports/zwzx/2025/": "ReportDetail",
        f"/api/v1/statistics/{timezone.localdate().year}/": "Statistics",
    }
    for path, name in checks.items():
        _, data = get(client, path)
        assert conforms(data, name) == [], path
    schema = get(client, "/api/v1/openapi.json")[1]
    assert schema["openapi"].startswith("3.1")
    assert set(schema["components"]["schemas"]) == set(OBJECTS)
    assert "/api/v1/entries/{id}/" in schema["paths"]
    docs = client.get("/api/v1/docs/").content.decode()
    assert "GET /api/v1/entries/" in docs and "count_is_estimate" in docs


def test_units_are_a_tree(client, site):
    _, data = get(client, "/api/v1/units/")
    (top,) = data["results"]
    assert top["slug"] == "anqing"
    children = {child["slug"]: child for child in top["children"]}
    assert set(children) == {"sjj", "jyj"}
    assert [c["slug"] for c in children["sjj"]["children"]] == ["zwzx"]


def test_entries_filters_search_and_detail(client, site):
    report = "安庆市人民政府政务服务中心2025年政府信息公开工作年度报告"  # filed in the catalog
    _, data = get(client, "/api/v1/entries/")
    assert [e["title"] for e in data["results"]] == [
        "义务教育招生工作方案",
        report,
        "关于政务公开工作的通知",
    ]
    assert data["count"] is None and data["next"] is None
    _, data = get(client, "/api/v1/entries/", unit="zwzx")
    assert [e["title"] for e in data["results"]] == [report, "关于政务公开工作的通知"]
    _, data = get(client, "/api/v1/entries/", validity="expired")
    assert [e["title"] for e in data["results"]] == ["义务教育招生工作方案"]
    _, data = get(client, "/api/v1/entries/", year="2025")
    assert [e["title"] for e in data["results"]] == ["关于政务公开工作的通知"]
    _, data = get(client, "/api/v1/entries/", q="政务公开")  # 政务公开 = 信息公开: the report too
    assert (data["count"], data["count_is_estimate"]) == (2, False)
    _, data = get(client, "/api/v1/entries/", q="宜政办")
    assert (data["count"], data["count_is_estimate"]) == (1, False)
    assert data["results"][0]["document_number"] == "宜政办〔2025〕3号"
    _, detail = get(client, f"/api/v1/entries/{site['public'].pk}/")
    assert detail["attachments"] == [
        {
            "name": "附件一.pdf",
            "kind": "pdf",
            "size": 9,
            "url": f"http://testserver/fujian/{site['public'].attachments.get().pk}/",
        }
    ]
    draft = site["public"].unit.entries.get(title="草稿中的政务公开通知")
    response, data = get(client, f"/api/v1/entries/{draft.pk}/")
    assert (
        response.status_code == 404
        and data == {"error": "No Entry matches the given query."}
        or data["error"]
    )


@pytest.mark.parametrize(
    "params",
    [
        {"unit": "nope"},
        {"category": "nope"},
        {"year": "20x5"},
        {"validity": "old"},
        {"limit": "0"},
        {"limit": "101"},
        {"cursor": "!!!"},
        {"q": "通知", "cursor": "bm9wZQ"},
    ],
)
def test_bad_parameters_are_a_400_in_chinese(client, site, params):
    response, data = get(client, "/api/v1/entries/", **params)
    assert response.status_code == 400
    assert any("\u4e00" <= ch <= "\u9fff" for ch in data["error"])


def test_cursor_pagination_walks_every_entry_once(client, unit_a, make_entry):
    made = set()
    for n in range(7):
        with time_machine.travel(dt.datetime(2026, 1, 1 + n % 3, 2, 0, tzinfo=dt.UTC), tick=False):
            made.add(make_entry(unit_a, title=f"通知第{n}号").pk)
    for params in ({"limit": 3}, {"limit": 3, "q": "通知"}):
        seen, url = [], "/api/v1/entries/"
        while url:
            _, data = get(client, url, **params) if url == "/api/v1/entries/" else get(client, url)
            seen += [e["id"] for e in data["results"]]
            url = data["next"] and data["next"].replace("http://testserver", "")
        assert len(seen) == len(set(seen)) == 7 and set(seen) == made, params


def test_reports_as_numbers(client, site):
    _, data = get(client, "/api/v1/reports/")
    assert [(r["unit"], r["year"]) for r in data["results"]] == [("zwzx", 2025)]
    _, report = get(client, "/api/v1/reports/zwzx/2025/")
    assert len(report["figures"]) == len(tables.ALL_KEYS)
    assert all(isinstance(f["value"], float) for f in report["figures"])
    assert report["sections"]["overview"] == "<p>总体情况。</p>"
    assert client.get("/api/v1/reports/jyj/2025/").status_code == 404  # not published


def test_statistics_are_the_public_figures(client, site):
    year = timezone.localdate().year
    _, data = get(client, f"/api/v1/statistics/{year}/", unit="zwzx")
    assert data["received"] == 1 and data["written"] == 1
    assert get(client, f"/api/v1/statistics/{year}/", unit="jyj")[1]["received"] == 0
    assert client.get("/api/v1/statistics/1999/").status_code == 404


def test_conditional_get_cors_and_cache(client, site):
    path = f"/api/v1/entries/{site['public'].pk}/"
    first = client.get(path)
    assert first["Access-Control-Allow-Origin"] == "*"
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(path)
    assert again["X-Page-Cache"] == "hit" and again["Access-Control-Allow-Origin"] == "*"
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    # Units and statistics have no time of their own: no Last-Modified to go stale, the ETag only.
    for other in ("/api/v1/units/", f"/api/v1/statistics/{timezone.localdate().year}/"):
        response = client.get(other)
        assert response["ETag"] and not response.has_header("Last-Modified"), other
    preflight = client.options(path, HTTP_ORIGIN="https://example.org")
    assert preflight.status_code == 204 and "GET" in preflight["Access-Control-Allow-Methods"]
    assert client.post(path).status_code == 405


def test_entry_lists_are_newer_after_any_change_to_what_they_may_show(
    client, site, unit_b, make_entry, django_capture_on_commit_callbacks
):
    """A list's Last-Modified is the newest change of the public entries of its unit (or of the
    site), not the newest of the rows it shows: after a withdrawal, a 有效性 change or a
    scheduled publication, a client sending only If-Modified-Since gets the new list, not a 304;
    the ETag follows the content."""
    now, today = timezone.now(), timezone.localdate()
    expiring = make_entry(unit_b, title="三日后失效的暂行办法", invalid_from=today + D(days=3))
    scheduled = Entry.objects.get(title="定时发布的政务公开通知")  # due in two days
    paths = [
        "/api/v1/entries/",
        "/api/v1/entries/?unit=zwzx",
        "/api/v1/entries/?validity=valid",
        "/api/v1/entries/?unit=jyj&limit=1",
    ]
    seen = {path: client.get(path) for path in paths}
    for path, response in seen.items():
        assert client.get(path, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304

    def since_last_time(path, changed_at=None):
        """The answer to a client that sends the Last-Modified it was given last time."""
        response = client.get(path, HTTP_IF_MODIFIED_SINCE=seen[path]["Last-Modified"])
        if changed_at is None:
            assert response.status_code == 304, path
            return ""
        assert response.status_code == 200, path
        assert response["ETag"] != seen[path]["ETag"], path
        assert response["Last-Modified"] == http_date(changed_at.timestamp()), path
        seen[path] = response
        return response.content.decode()

    # An older entry of 市政务服务中心 is withdrawn: the lists it was on lose it.
    withdrawn_at = now + D(days=1)
    with time_machine.travel(withdrawn_at, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            entry_workflow.withdraw(site["public"], SYSTEM, "内容有误")
        for path in paths[:3]:
            assert "关于政务公开工作的通知" not in since_last_time(path, withdrawn_at)
        since_last_time("/api/v1/entries/?unit=jyj&limit=1")  # another unit's list: unchanged

    # The scheduled entry's time comes; no row changes, yet it heads the lists.
    with time_machine.travel(scheduled.published_at + D(hours=1), tick=False):
        for path in paths[:3]:
            assert "定时发布的政务公开通知" in since_last_time(path, scheduled.published_at)
        detail = client.get(f"/api/v1/entries/{scheduled.pk}/")
        assert detail["Last-Modified"] == http_date(scheduled.published_at.timestamp())

    # A 失效日期 comes: the entry leaves the list of valid documents and changes in the others.
    expired_at = timezone.make_aware(dt.datetime.combine(expiring.invalid_from, dt.time(0, 5)))
    with time_machine.travel(expired_at, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert policy.apply_due_changes() == 1
        assert "三日后失效" not in since_last_time("/api/v1/entries/?validity=valid", expired_at)
        for path in ("/api/v1/entries/", "/api/v1/entries/?unit=jyj&limit=1"):
            results = {
                e["title"]: e for e in json.loads(since_last_time(path, expired_at))["results"]
            }
            assert results["三日后失效的暂行办法"]["validity"] == "expired"
        since_last_time("/api/v1/entries/?unit=zwzx")

    # A search answer follows synonyms and ranking too: it carries only the ETag.
    searched = client.get("/api/v1/entries/", {"q": "通知"})
    assert searched["ETag"] and not searched.has_header("Last-Modified")


def test_report_list_is_newer_after_a_report_is_withdrawn(
    client, site, unit_b, django_capture_on_commit_callbacks
):
    earlier = AnnualReport.objects.create(unit=unit_b, year=2024, overview="<p>总体情况。</p>")
    figures.apply_computed(earlier)
    report_workflow.publish(earlier, SYSTEM, published_on=dt.date(2025, 1, 20))
    before = client.get("/api/v1/reports/")
    assert len(json.loads(before.content)["results"]) == 2
    withdrawn_at = timezone.now() + D(days=1)
    with time_machine.travel(withdrawn_at, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            report_workflow.unpublish(site["report"], SYSTEM, "数据有误")
        response = client.get("/api/v1/reports/", HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    assert response.status_code == 200 and response["ETag"] != before["ETag"]
    assert response["Last-Modified"] == http_date(withdrawn_at.timestamp())
    assert [r["year"] for r in json.loads(response.content)["results"]] == [2024]


def queries(client, path) -> int:
    client.get(path)  # what is cached beside pages (the search's equivalent terms) is warm
    pagecache.bump("all")
    # The unit and category lists an answer names its entries from are read once per
    # generation of "all" (pagecache.memo), here by another answer.
    client.get("/api/v1/entries/?limit=1")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        assert response.status_code == 200 and response["X-Page-Cache"] == "miss", path
    return len(captured)


def test_queries_do_not_grow_with_the_entries(client, site, unit_a, unit_b, make_entry):
    public = site["public"]
    paths = {
        "/api/v1/units/": 1,
        "/api/v1/entries/": 2,  # the page, the newest change
        # The unit, the categories, the page, the newest change.
        "/api/v1/entries/?unit=zwzx&category=jgzn&validity=valid&year=2025": 4,
        # The unit, the survey (every match: a small index), the rows.
        "/api/v1/entries/?q=通知&unit=zwzx": 3,
        f"/api/v1/entries/{public.pk}/": 2,  # the entry, its attachments
        "/api/v1/reports/": 1,
        "/api/v1/reports/zwzx/2025/": 2,  # the report, its figures
    }
    assert {path: queries(client, path) for path in paths} == paths
    for n in range(4):
        make_entry(unit_a, title=f"政务公开通知{n}")
        make_entry(unit_b, title=f"撤回的通知{n}", state=EntryState.WITHDRAWN)
        make_entry(unit_a, title=f"定时的通知{n}", publish_at=timezone.now() + D(days=1))
        Attachment.objects.create(
            entry=public, file=f"attachments/{n}.pdf", name=f"附件{n}.pdf", kind="pdf", size=9
        )
    assert {path: queries(client, path) for path in paths} == paths


def test_per_client_rate_limit_counts_cached_answers(client, site, settings):
    settings.API_RATE_LIMIT = 3
    codes = [client.get("/api/v1/units/").status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    response = client.get("/api/v1/units/")
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "每分钟最多 3 次" in json.loads(response.content)["error"]
    # Another client is not affected.
    assert client.get("/api/v1/units/", REMOTE_ADDR="10.9.8.7").status_code == 200


def test_opendata_files(client, site):
    year = timezone.localdate().year
    page = client.get("/shuju/").content.decode()
    assert 'href="/shuju/mulu/zwzx.csv"' in page and f'href="/shuju/tongji/{year}.json"' in page
    response = client.get("/shuju/mulu/zwzx.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert text[0].startswith("索引号,名称,信息分类")
    assert len(text) == 3 and "关于政务公开工作的通知" in text[2]
    data = json.loads(b"".join(client.get("/shuju/mulu/zwzx.json").streaming_content))
    assert [e["title"] for e in data["entries"]][1:] == ["关于政务公开工作的通知"]
    stats = json.loads(client.get(f"/shuju/tongji/{year}.json").content)
    assert stats["total"]["received"] == 1
    assert client.get("/shuju/tongji/1999.csv").status_code == 404
    assert client.get("/shuju/mulu/nope.csv").status_code == 404


def test_a_renamed_unit_or_category_shows_in_the_next_answer(
    client, site, unit_a, django_capture_on_commit_callbacks
):
    """Entries are named from unit and category lists kept while "all" holds: a rename bumps it."""
    public = site["public"]
    for path in ("/api/v1/entries/", "/api/v1/entries/?q=政务公开"):
        _, data = get(client, path)
        assert any(row["unit_name"] == unit_a.name for row in data["results"])
    with django_capture_on_commit_callbacks(execute=True):
        unit_a.name = "安庆市政务服务管理局"
        unit_a.save()
        public.category.name = "机构与职能"
        public.category.save()
    for path in ("/api/v1/entries/", "/api/v1/entries/?q=政务公开"):
        _, data = get(client, path)
        row = next(row for row in data["results"] if row["id"] == public.pk)
        assert row["unit_name"] == "安庆市政务服务管理局" and row["category_name"] == "机构与职能"
        assert row["url"] == f"http://testserver{public.get_absolute_url()}"
        assert row["api_url"] == f"http://testserver{reverse('api:entry', args=[public.pk])}"
