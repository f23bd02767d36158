import pytest

from disclosure import navigation
from disclosure.models import Category
from portal import pagecache

pytestmark = pytest.mark.django_db


def test_unit_columns_show_latest_items_per_column(client, unit_a, unit_b, make_entry):
    make_entry(unit_a, title="本单位公开指南", category=Category.objects.get(slug="zhinan"))
    for i in range(8):
        make_entry(unit_a, title=f"统计信息{i}", category=Category.objects.get(slug="tjxx"))
    make_entry(unit_b, title="其他单位的指南", category=Category.objects.get(slug="zhinan"))
    columns = navigation.unit_columns(unit_a)
    assert [c.title for c in columns] == navigation.COLUMN_TITLES
    guide, rules, proactive, reports = columns
    assert [e.title for e in guide.items] == ["本单位公开指南"]
    assert rules.items == [] and reports.items == []
    assert len(proactive.items) == navigation.ITEMS_PER_COLUMN
    assert proactive.items[0].title == "统计信息7"  # newest first
    assert guide.url == "/xxgk/zwzx/c/zhinan/"
    body = client.get("/unit/zwzx/").content.decode()
    assert "本单位公开指南" in body and "其他单位的指南" not in body
    assert 'href="/xxgk/zwzx/c/fdzdgknr/"' in body


def test_home_lists_latest_public_items(client, unit_a, unit_b, make_entry):
    make_entry(unit_a, title="政务中心最新通知")
    make_entry(unit_b, title="教育局最新通知")
    body = client.get("/").content.decode()
    assert "政务中心最新通知" in body and "教育局最新通知" in body
    assert body.index("教育局最新通知") < body.index("政务中心最新通知")


def test_home_and_unit_page_query_counts_are_fixed(
    client, unit_a, make_entry, django_assert_max_num_queries
):
    make_entry(unit_a)
    client.get("/")
    client.get("/unit/zwzx/")
    # Measure the pages as rendered, not as served from the page cache.
    pagecache.bump("all")
    with django_assert_max_num_queries(4):
        client.get("/")
    # Unit, ancestors, children, and one short query per column (four).
    with django_assert_max_num_queries(7) as unit_page:
        client.get("/unit/zwzx/")
    unit_page_queries = len(unit_page.captured_queries)
    assert unit_page_queries > 0
    for i in range(25):
        make_entry(unit_a, title=f"通知{i}", category=Category.objects.get(slug="zhinan"))
    client.get("/")
    pagecache.bump("all")
    with django_assert_max_num_queries(4):
        client.get("/")
    with django_assert_max_num_queries(unit_page_queries):
        client.get("/unit/zwzx/")


def test_columns_follow_the_category_column_not_its_name(client, unit_a, make_entry):
    # A superuser renaming the guide's category (or adding a sub-column) must not hide it.
    guide = Category.objects.get(slug="zhinan")
    guide.name = "公开指南"
    guide.save()
    make_entry(unit_a, title="本单位公开指南", category=guide)
    columns = navigation.unit_columns(unit_a)
    assert [c.title for c in columns][0] == "政府信息公开指南"
    assert [e.title for e in columns[0].items] == ["本单位公开指南"]
    assert columns[0].url == "/xxgk/zwzx/c/zhinan/"
