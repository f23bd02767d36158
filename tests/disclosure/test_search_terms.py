"""Search finds what people mean (issue 11): equivalent terms edited by staff, and the queries
that found nothing counted for them week by week."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from disclosure.models import Category, SearchDocument, SearchMiss, SearchSynonym
from portal import pagecache

pytestmark = pytest.mark.django_db


def titles(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return [entry.title for entry in response.context["page_obj"].object_list]


@pytest.fixture
def reports(unit_a, make_entry):
    # Seeded by the migration; a transactional test run before this one empties the table.
    SearchSynonym.objects.get_or_create(terms="年报 = 年度报告")
    nianbao = Category.objects.get(slug="nianbao")
    with time_machine.travel(dt.datetime(2024, 3, 1, 2, 0, tzinfo=dt.UTC), tick=False):
        make_entry(unit_a, title="2023年政府信息公开工作年度报告", category=nianbao)
    with time_machine.travel(dt.datetime(2017, 5, 22, 2, 0, tzinfo=dt.UTC), tick=False):
        make_entry(unit_a, title="2016年度政务公开年报", category=nianbao)


def test_nianbao_finds_the_annual_reports(client, reports):
    # Seeded by the migration: 年报 = 年度报告.
    assert titles(client, "年报") == ["2023年政府信息公开工作年度报告", "2016年度政务公开年报"]
    assert titles(client, "2023年报") == ["2023年政府信息公开工作年度报告"]
    body = client.get("/search/", {"q": "年报"}).content.decode()
    assert "<mark>年度报告</mark>" in body


def test_staff_edit_the_equivalent_terms(client, login, reviewer_a, unit_a, make_entry):
    make_entry(unit_a, title="防汛抗旱应急预案")
    assert titles(client, "抗洪") == []
    staff = login(reviewer_a)
    response = staff.post("/admin/disclosure/searchsynonym/add/", {"terms": "抗洪"})
    assert "请至少填写两个词" in response.content.decode()
    response = staff.post("/admin/disclosure/searchsynonym/add/", {"terms": "抗洪＝防汛"})
    assert response.status_code == 302
    assert SearchSynonym.objects.filter(terms="抗洪＝防汛").exists()
    staff.logout()
    # The cached empty page is not served again: the list is read afresh and the page re-rendered.
    assert titles(client, "抗洪") == ["防汛抗旱应急预案"]


def test_queries_without_result_are_counted_per_week(client, login, reviewer_a, unit_a, make_entry):
    with time_machine.travel(dt.datetime(2026, 3, 4, 2, 0, tzinfo=dt.UTC)):
        make_entry(unit_a, title="关于开展安全检查的通知")
        for _ in range(3):
            client.get("/search/", {"q": "公积金提取"})
        client.get("/search/", {"q": "  公积金提取 "})
        client.get("/search/", {"q": "落户"})
        # With a filter, an empty result may be the filter's doing: not counted.
        client.get("/search/", {"q": "医保", "year": "2020"})
        # Found something: not counted.
        client.get("/search/", {"q": "通知"})
        # A pasted paragraph is not a term to add.
        client.get("/search/", {"q": "无" * 60})
    misses = {(m.query, m.count, m.week) for m in SearchMiss.objects.all()}
    assert misses == {("公积金提取", 4, dt.date(2026, 3, 2)), ("落户", 1, dt.date(2026, 3, 2))}

    with time_machine.travel(dt.datetime(2026, 3, 5, 2, 0, tzinfo=dt.UTC)):
        page = login(reviewer_a).get("/admin/disclosure/searchmiss/").content.decode()
    assert page.index("公积金提取") < page.index("落户")
    with time_machine.travel(dt.datetime(2026, 3, 12, 2, 0, tzinfo=dt.UTC)):
        page = login(reviewer_a).get("/admin/disclosure/searchmiss/").content.decode()
        assert "公积金提取" not in page  # a new week starts empty
        last_week = login(reviewer_a).get("/admin/disclosure/searchmiss/?week=2026-03-02")
        assert "公积金提取" in last_week.content.decode()


def test_publishers_cannot_edit_the_terms(client, login, publisher_a):
    staff = login(publisher_a)
    assert staff.get("/admin/disclosure/searchsynonym/").status_code == 403
    assert staff.get("/admin/disclosure/searchmiss/").status_code == 200


def test_robots_let_the_public_request_pages_be_indexed(client):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /yishenqing/\n" not in body
    assert "Disallow: /yishenqing/shenqing/" in body
    assert "Disallow: /yishenqing/chaxun/" in body


def test_the_index_can_be_rebuilt(client, unit_a, make_entry):
    make_entry(unit_a, title="防汛抗旱应急预案")
    SearchDocument.objects.all().delete()
    assert titles(client, "防汛") == []
    call_command("rebuild_search_index", verbosity=0)
    assert SearchDocument.objects.count() == 1
    pagecache.bump("all")
    assert titles(client, "防汛") == ["防汛抗旱应急预案"]


def test_full_width_digits_and_letters_find_what_ascii_finds(client, unit_a, make_entry):
    """A Chinese input method types ２０２４ and ＰＭ２．５; titles hold either form."""
    make_entry(unit_a, title="2024年空气质量PM2.5监测报告")
    make_entry(unit_a, title="２０２５年度工作要点")
    assert titles(client, "２０２４") == ["2024年空气质量PM2.5监测报告"]
    assert titles(client, "ＰＭ２") == ["2024年空气质量PM2.5监测报告"]
    assert titles(client, "2025") == ["２０２５年度工作要点"]
    # Two terms separated by a full-width space are two terms.
    assert titles(client, "２０２４　空气") == ["2024年空气质量PM2.5监测报告"]
    page = client.get("/search/", {"q": "２０２４"}).content.decode()
    assert "<mark>2024</mark>年空气质量" in page


def test_html_tags_pasted_with_a_query_are_not_terms(client, unit_a, make_entry):
    make_entry(unit_a, title="关于防汛工作的通知")
    assert titles(client, "<b>防汛</b>") == ["关于防汛工作的通知"]
    assert titles(client, '<span class="x">防汛</span> 通知') == ["关于防汛工作的通知"]
    # Angle brackets around Chinese are not a tag: the term inside them is searched.
    assert titles(client, "<防汛>") == ["关于防汛工作的通知"]
    page = client.get("/search/", {"q": "<b>防汛</b>"}).content.decode()
    assert 'value="防汛"' in page and "&lt;b&gt;" not in page
