import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from disclosure import search
from disclosure.models import Category, Entry, EntryState

pytestmark = pytest.mark.django_db


def test_tokenizer_makes_overlapping_bigrams_and_unigrams():
    assert search.tokenize("依申请公开", with_unigrams=False) == ["依申", "申请", "请公", "公开"]
    assert set(search.tokenize("年报")) == {"年报", "年", "报"}
    assert search.tokenize("宜政办〔2017〕12号 PDF", with_unigrams=False) == [
        "宜政",
        "政办",
        "2017",
        "12",
        "号",
        "pdf",
    ]
    assert search.query_tokens("政") == ["政"]
    assert search.query_tokens("  ") == []


@pytest.fixture
def corpus(unit_a, unit_b, make_entry):
    with time_machine.travel(dt.datetime(2022, 4, 1, 2, 0, tzinfo=dt.UTC), tick=False):
        old_body = make_entry(
            unit_a,
            title="关于做好政务公开工作的通知",
            body="<p>各单位要按时办理<strong>依申请公开</strong>事项。</p>",
        )
    with time_machine.travel(dt.datetime(2024, 4, 1, 2, 0, tzinfo=dt.UTC), tick=False):
        title_hit = make_entry(
            unit_b,
            title="依申请公开指南",
            summary="如何提出申请",
            category=Category.objects.get(slug="zhinan"),
        )
        report = make_entry(
            unit_a,
            title="2023年政府信息公开工作年报",
            category=Category.objects.get(slug="nianbao"),
            document_number="宜政服〔2024〕5号",
        )
        new_body = make_entry(
            unit_a, title="办事指南", body="<p>网上也可以依申请公开。</p>", keywords="办事"
        )
    make_entry(unit_a, title="依申请公开草稿", state=EntryState.DRAFT)
    return {"old_body": old_body, "title_hit": title_hit, "report": report, "new_body": new_body}


def result_titles(client, query):
    response = client.get("/search/", {"q": query} if isinstance(query, str) else query)
    assert response.status_code == 200
    return [entry.title for entry in response.context["page_obj"].object_list]


def test_yishenqing_ranks_title_hits_first_then_newer(client, corpus):
    assert result_titles(client, "依申请公开") == [
        "依申请公开指南",
        "办事指南",
        "关于做好政务公开工作的通知",
    ]


def test_nianbao_and_zhengwu(client, corpus):
    assert result_titles(client, "年报") == ["2023年政府信息公开工作年报"]
    assert result_titles(client, "政务") == ["关于做好政务公开工作的通知"]


def test_single_character_and_document_number(client, corpus):
    assert "2023年政府信息公开工作年报" in result_titles(client, "报")
    assert result_titles(client, "宜政服〔2024〕5号") == ["2023年政府信息公开工作年报"]


def test_bigrams_must_all_match(client, corpus):
    assert result_titles(client, "公开申请依") == []  # same characters, other order
    assert result_titles(client, "教育收费") == []


def test_drafts_are_never_found(client, corpus):
    assert "依申请公开草稿" not in result_titles(client, "草稿")


def test_filters_by_unit_category_and_year(client, corpus):
    assert result_titles(client, {"q": "依申请公开", "unit": "jyj"}) == ["依申请公开指南"]
    assert result_titles(client, {"q": "依申请公开", "category": "zhinan"}) == ["依申请公开指南"]
    assert result_titles(client, {"q": "依申请公开", "year": "2022"}) == [
        "关于做好政务公开工作的通知"
    ]
    # The proactive column includes its sub-columns.
    assert result_titles(client, {"q": "依申请公开", "category": "fdzdgknr"}) == [
        "办事指南",
        "关于做好政务公开工作的通知",
    ]


def test_snippets_are_highlighted_and_escaped(client, unit_a, make_entry):
    make_entry(
        unit_a,
        title="<script>alert(1)</script>依申请公开",
        body="<p>前文&lt;img src=x onerror=alert(1)&gt;依申请公开的办理流程</p>",
    )
    body = client.get("/search/", {"q": "依申请公开"}).content.decode()
    assert "<mark>依申请公开</mark>" in body
    assert "<script>alert(1)</script>" not in body and "<img src=x" not in body
    assert "&lt;script&gt;" in body and "&lt;img src=x" in body


def test_query_is_echoed_escaped(client, corpus):
    body = client.get("/search/", {"q": '<b>"依申请'}).content.decode()
    assert "<b>&quot;" not in body and "&lt;b&gt;" in body


@pytest.mark.parametrize(
    "params",
    [{"q": "政务", "year": "x"}, {"q": "政务", "page": "abc"}, {"q": "x" * 500}, {"q": ""}],
)
def test_bad_input_never_500(client, corpus, params):
    assert client.get("/search/", params).status_code == 200


def test_search_query_count_is_fixed(
    client, corpus, unit_a, make_entry, django_assert_max_num_queries
):
    client.get("/search/", {"q": "政务"})
    # Units, categories, the count, the ranked ids (one query per rank reached, three at most,
    # when the matches are many), the page's rows.
    with django_assert_max_num_queries(7) as before:
        client.get("/search/", {"q": "公开"})
    queries = len(before.captured_queries)
    assert queries > 0  # rendered, not served from the page cache
    for i in range(15):
        make_entry(unit_a, title=f"政务公开第{i}期")
    with django_assert_max_num_queries(queries):
        client.get("/search/", {"q": "公开"})


def test_search_uses_the_gin_index_on_postgresql():
    """No sequential scan of the entries, even for 政务 (in about a quarter of all entries)."""
    if connection.vendor != "postgresql":
        pytest.skip("GIN index exists only on PostgreSQL")
    import io

    from portal import demo

    demo.load(io.StringIO())  # the seven demo units, as in the benchmark
    call_command("generate_entries", 30000, verbosity=0)
    for query in ("依申请公开", "年报", "政务"):
        # As the search view runs them: the page of results and the count.
        page_plan = Entry.objects.public().search(query)[:20].explain()
        count_plan = Entry.objects.public().search(query).values("pk").explain()
        for plan in (page_plan, count_plan):
            assert "Bitmap Index Scan on entry_search_tokens_gin" in plan, plan
            assert "Seq Scan on disclosure_entry" not in plan, plan


@pytest.mark.parametrize("sort_all_up_to", [10_000, 0], ids=["sorted-whole", "rank-by-rank"])
def test_pages_walk_the_ranking_across_rank_boundaries(
    client, unit_a, make_entry, settings, monkeypatch, sort_all_up_to
):
    # Title hits newest first, then summary/文号 hits, then body hits. Few matches are sorted in one
    # query; many are read rank by rank, where pages that straddle a boundary or start beyond one
    # must still line up exactly.
    monkeypatch.setattr(search, "SORT_ALL_UP_TO", sort_all_up_to)
    settings.CATALOG_PAGE_SIZE = 5
    start = dt.datetime(2025, 1, 1, 2, 0, tzinfo=dt.UTC)
    made = {"title": [], "side": [], "body": []}
    for n in range(16):
        kind = ("title", "side", "body")[n % 3] if n < 12 else "body"
        fields = {
            "title": {"title": f"水务公告{n}"},
            "side": {"title": f"通告{n}", "summary": "涉及水务的说明"},
            "body": {"title": f"通告{n}", "body": "<p>正文提到水务。</p>"},
        }[kind]
        with time_machine.travel(start + dt.timedelta(days=n), tick=False):
            made[kind].append(make_entry(unit_a, **fields).title)
    expected = [title for kind in ("title", "side", "body") for title in reversed(made[kind])]

    # Four title hits, four summary hits, eight body hits: page 1 straddles the first boundary,
    # page 2 the second, page 3 starts beyond both ranks (each page is computed afresh).
    walked = []
    for page in range(1, 5):
        walked += result_titles(client, {"q": "水务", "page": page})
    assert walked == expected
