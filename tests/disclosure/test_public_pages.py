import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from disclosure.models import Category, Entry, EntryState, Validity

pytestmark = pytest.mark.django_db


def test_entry_page_follows_the_seed_page(client, site_profile, unit_a, make_entry):
    with time_machine.travel(dt.datetime(2017, 5, 22, 2, 0, tzinfo=dt.UTC), tick=False):
        entry = make_entry(
            unit_a,
            category=Category.objects.get(slug="nianbao"),
            title="安庆市人民政府政务服务中心2016年度政务公开年报",
            summary="2016年度政府信息公开工作情况。",
            body="<h2>一、主要做法和成效</h2><p>全年主动公开信息826条。</p>",
            document_number="宜政服〔2017〕3号",
            keywords="年报 政务公开",
            made_on=dt.date(2017, 5, 19),
        )
    response = client.get(f"/xxgk/zwzx/{entry.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    breadcrumb = body.split('aria-label="当前位置"')[1].split("</nav>")[0]
    order = ["首页", "市政府", "市数据资源局", "市政务服务中心", "信息公开目录", "政府信息公开年报"]
    positions = [breadcrumb.index(text) for text in order]
    assert positions == sorted(positions)
    assert "<h1" in body and body.count("<h1") == 1
    assert "发布单位：市政务服务中心" in body and "发布时间：" in body and "2017-05-22" in body
    for label, value in [
        ("索引号", "003408002/201705-00001"),
        ("信息分类", "政府信息公开年报"),
        ("发布机构", "安庆市人民政府政务服务中心"),
        ("生成日期", "2017-05-19"),
        ("文号", "宜政服〔2017〕3号"),
        ("主题词", "年报 政务公开"),
        ("有效性", "有效"),
    ]:
        assert f'<th scope="row" role="rowheader">{label}</th>' in body and value in body, label
    assert "<h2>一、主要做法和成效</h2>" in body
    assert "data-print" in body and "js/disclosure.js" in body
    assert "<script>" not in body  # CSP: no inline scripts


def test_repealed_entry_shows_validity_dates(client, unit_a, make_entry):
    entry = make_entry(
        unit_a,
        validity=Validity.REPEALED,
        valid_from=dt.date(2019, 1, 1),
        invalid_from=dt.date(2023, 6, 30),
    )
    body = client.get(entry.get_absolute_url()).content.decode()
    assert "废止" in body and "2019-01-01起施行" in body and "2023-06-30废止" in body


@pytest.mark.parametrize("state", [EntryState.DRAFT, EntryState.PENDING, EntryState.WITHDRAWN])
def test_unpublished_entries_are_404(client, unit_a, make_entry, state):
    entry = make_entry(unit_a, state=state)
    assert client.get(f"/xxgk/zwzx/{entry.pk}/").status_code == 404


def test_entry_under_another_units_url_is_404(client, unit_a, unit_b, make_entry):
    entry = make_entry(unit_a)
    assert client.get(f"/xxgk/jyj/{entry.pk}/").status_code == 404


def test_catalog_lists_newest_first_with_counts_and_only_public(client, unit_a, unit_b, make_entry):
    budget = Category.objects.get(slug="czyjs")
    with time_machine.travel(dt.datetime(2023, 3, 1, 2, 0, tzinfo=dt.UTC), tick=False):
        make_entry(unit_a, title="旧的通知")
    with time_machine.travel(dt.datetime(2024, 3, 1, 2, 0, tzinfo=dt.UTC), tick=False):
        make_entry(unit_a, title="预算公开", category=budget)
    make_entry(unit_a, title="草稿不公开", state=EntryState.DRAFT)
    make_entry(unit_a, title="定时未到", publish_at=timezone.now() + dt.timedelta(days=1))
    make_entry(unit_b, title="别的单位的通知")
    body = client.get("/xxgk/zwzx/").content.decode()
    assert body.index("预算公开") < body.index("旧的通知")
    assert "草稿不公开" not in body and "定时未到" not in body and "别的单位的通知" not in body
    assert '财政预决算</a> <span class="count">（1）' in body
    assert '法定主动公开内容</a> <span class="count">（2）' in body
    assert "003408002/202403-00001" in body


def test_catalog_category_and_year_filters(client, unit_a, make_entry):
    budget = Category.objects.get(slug="czyjs")
    with time_machine.travel(dt.datetime(2023, 3, 1, 2, 0, tzinfo=dt.UTC), tick=False):
        make_entry(unit_a, title="二三年预算", category=budget)
    with time_machine.travel(dt.datetime(2024, 3, 1, 2, 0, tzinfo=dt.UTC), tick=False):
        make_entry(unit_a, title="二四年预算", category=budget)
        make_entry(unit_a, title="二四年机构")
    body = client.get("/xxgk/zwzx/c/czyjs/").content.decode()
    assert "二三年预算" in body and "二四年预算" in body and "二四年机构" not in body
    body = client.get("/xxgk/zwzx/c/czyjs/?year=2024").content.decode()
    assert "二四年预算" in body and "二三年预算" not in body
    assert '<option value="2023">2023年（1）</option>' in body


@pytest.mark.parametrize("query", ["year=abc", "year=99999999999", "page=-1", "page=zz", "page=99"])
def test_catalog_ignores_bad_parameters(client, unit_a, make_entry, query):
    make_entry(unit_a)
    assert client.get(f"/xxgk/zwzx/?{query}").status_code == 200


def test_catalog_pagination(client, settings, unit_a, make_entry):
    settings.CATALOG_PAGE_SIZE = 5
    for i in range(7):
        make_entry(unit_a, title=f"第{i}号通知")
    page1 = client.get("/xxgk/zwzx/").content.decode()
    page2 = client.get("/xxgk/zwzx/?page=2").content.decode()
    assert "共 7 条" in page1 and "第6号通知" in page1 and "第0号通知" not in page1
    assert "第0号通知" in page2 and 'rel="prev"' in page2


def test_unknown_unit_or_category_is_404(client, unit_a):
    assert client.get("/xxgk/nope/").status_code == 404
    assert client.get("/xxgk/zwzx/c/nope/").status_code == 404


def test_catalog_and_entry_query_counts_do_not_grow(
    client, unit_a, make_entry, django_assert_max_num_queries
):
    entry = make_entry(unit_a)
    client.get("/xxgk/zwzx/")  # warm the site-profile cache
    # Unit, catalog figures (cached until an entry changes), categories, ancestors, one page.
    with django_assert_max_num_queries(5):
        client.get("/xxgk/zwzx/")
    with django_assert_max_num_queries(4):
        client.get("/xxgk/zwzx/")  # the figures now come from the cache
    with django_assert_max_num_queries(4):
        client.get(entry.get_absolute_url())
    for i in range(30):
        make_entry(unit_a, title=f"更多{i}", category=Category.objects.get(slug="tjxx"))
    for url in ("/xxgk/zwzx/", "/xxgk/zwzx/c/fdzdgknr/?year=2026&page=2"):
        with django_assert_max_num_queries(5):
            client.get(url)
    with django_assert_max_num_queries(4):
        client.get(entry.get_absolute_url())


def test_catalog_figures_follow_publication(
    client, unit_a, make_entry, django_capture_on_commit_callbacks
):
    make_entry(unit_a, title="第一条")
    body = client.get("/xxgk/zwzx/").content.decode()
    assert '机构职能</a> <span class="count">（1）' in body
    with django_capture_on_commit_callbacks(execute=True):
        make_entry(unit_a, title="第二条")
    body = client.get("/xxgk/zwzx/").content.decode()
    assert '机构职能</a> <span class="count">（2）' in body


def test_public_queryset_excludes_future_and_unpublished(unit_a, make_entry):
    public = make_entry(unit_a)
    make_entry(unit_a, state=EntryState.PENDING)
    make_entry(unit_a, publish_at=timezone.now() + dt.timedelta(hours=1))
    assert list(Entry.objects.public()) == [public]
