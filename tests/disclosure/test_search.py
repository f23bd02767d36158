import datetime as dt
import zlib

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from disclosure import search
from disclosure.models import Category, EntryState
from disclosure.search import engine, index

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
    body = client.get("/search/", {"q": '"依申请<政务>&'}).content.decode()
    assert "<政务>" not in body and "&quot;依申请&lt;政务&gt;&amp;" in body


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


@pytest.fixture(params=["exact", "sampled"])
def engine_mode(request, monkeypatch):
    """ "exact": few matches, read whole and sorted. "sampled": every entry carries every sample
    mark and any sample counts as broad, so the count is estimated and ranks are walked."""
    if request.param == "sampled":
        monkeypatch.setattr(
            index, "sample_marks", lambda entry_id: [f"~{r}" for r in index.SAMPLE_RATES]
        )
        monkeypatch.setattr(engine, "MIN_SAMPLE", 1)
        monkeypatch.setattr(engine, "EXACT_UP_TO", 0)
    return request.param


def test_pages_walk_the_ranking_across_rank_boundaries(
    client, unit_a, make_entry, settings, engine_mode
):
    # Title hits newest first, then summary/文号 hits, then body hits. Pages that straddle a rank
    # boundary or start beyond one must still line up exactly, whether the ranks are sorted
    # whole or walked newest first.
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
    body = client.get("/search/", {"q": "水务"}).content.decode()
    if engine_mode == "sampled":
        assert "找到 约 66,000 条" in body  # 16 sampled matches at one in 4096
    else:
        assert "找到 16 条" in body


def test_a_walk_that_falls_short_reads_the_rank_whole(client, unit_a, make_entry, engine_mode):
    # Broad by its sample, but all its matches are old: the newest entries hold none of them.
    with time_machine.travel(dt.datetime(2019, 5, 1, 2, 0, tzinfo=dt.UTC), tick=False):
        old = [make_entry(unit_a, title=f"防汛预案第{n}号").title for n in range(3)]
    for n in range(5):
        make_entry(unit_a, title=f"其他通知{n}")
    assert result_titles(client, "防汛") == list(reversed(old))
    assert result_titles(client, {"q": "防汛", "year": "2019"}) == list(reversed(old))
    assert result_titles(client, {"q": "防汛", "unit": "zwzx"}) == list(reversed(old))


def test_a_broad_rank_is_read_from_its_latest_years_when_they_hold_the_page(
    client, unit_a, make_entry, settings, monkeypatch
):
    """A rank too sparse to walk is read from its newest years only when the survey expects
    them to hold the page; when they hold fewer, the rank is read whole. Either way the page is
    the same as a whole read gives."""
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(
        index, "sample_marks", lambda entry_id: [f"~{r}" for r in index.SAMPLE_RATES]
    )
    monkeypatch.setattr(engine, "MIN_SAMPLE", 1)
    monkeypatch.setattr(engine, "EXACT_UP_TO", 0)
    monkeypatch.setattr(engine, "MAX_WALK", 0)  # never walk: every rank is read
    settings.CATALOG_PAGE_SIZE = 5
    this_year = timezone.localdate().year
    titles = []
    for year, count in ((this_year - 2, 3), (this_year - 1, 4), (this_year, 6)):
        for n in range(count):
            moment = dt.datetime(year, 3, 1 + n, 2, 0, tzinfo=dt.UTC)
            with time_machine.travel(moment, tick=False):
                titles.append(make_entry(unit_a, title=f"河道清淤公告{year}-{n}").title)
    expected = list(reversed(titles))

    with CaptureQueriesContext(connection) as captured:
        assert result_titles(client, {"q": "清淤"}) == expected[:5]
    # This year's six title hits hold the first page: only this year was read.
    reads = [q["sql"] for q in captured.captured_queries if "disclosure_searchdocument" in q["sql"]]
    assert any(f"y:{this_year}" in sql for sql in reads)
    assert not any(f"y:{this_year - 1}" in sql for sql in reads)
    # The second page reaches into last year: this year falls short, the rank is read whole.
    assert result_titles(client, {"q": "清淤", "page": 2}) == expected[5:10]
    assert result_titles(client, {"q": "清淤", "page": 3}) == expected[10:]


@pytest.mark.parametrize("marked", ["one", "all"])
def test_pages_of_an_estimated_count_follow_the_results_not_the_estimate(
    client, unit_a, make_entry, settings, monkeypatch, marked
):
    """An estimate may be far off either way: every match must be reachable page by page, the
    last page has no 下一页, and a page past the end does not claim the query found nothing
    (12 matches; one of them sampled: "约 4 条"; all of them: "约 48 条")."""
    settings.CATALOG_PAGE_SIZE = 5
    monkeypatch.setattr(engine, "MIN_SAMPLE", 1)
    monkeypatch.setattr(engine, "EXACT_UP_TO", 0)
    monkeypatch.setattr(engine, "SAMPLE_RATES", (4,))
    sampled = set()
    monkeypatch.setattr(
        index, "sample_marks", lambda entry_id: ["~4"] if entry_id in sampled else []
    )
    entries = [make_entry(unit_a, title=f"河道清淤公告{n}") for n in range(12)]
    for entry in entries if marked == "all" else entries[:1]:
        sampled.add(entry.pk)
        index.index_entry(entry)
    expected = [entry.title for entry in reversed(entries)]

    seen = []
    for number in (1, 2, 3):
        response = client.get("/search/", {"q": "清淤", "page": number})
        page = response.content.decode()
        assert "找到 约" in page
        seen += [entry.title for entry in response.context["page_obj"].object_list]
        assert ('rel="next"' in page) == (number < 3), number
        assert "尾页" not in page
    assert seen == expected
    past = client.get("/search/", {"q": "清淤", "page": 4}).content.decode()
    assert "未找到" not in past and "没有更多" in past
    assert 'href="?q=%E6%B8%85%E6%B7%A4&amp;page=1"' in past


def test_facets_count_and_filter(client, corpus, unit_a, make_entry):
    make_entry(
        unit_a, title="依申请公开废止文件", validity="repealed", invalid_from=dt.date(2024, 1, 1)
    )
    response = client.get("/search/", {"q": "依申请公开"})
    facets = dict(response.context["facets"])
    assert [(label, n) for label, n, _, _ in facets["发布机构"]] == [
        ("安庆市人民政府政务服务中心", 3),
        ("安庆市教育局", 1),
    ]
    assert [(label, n) for label, n, _, _ in facets["有效性"]] == [("现行有效", 3), ("已废止", 1)]
    assert [label for label, _, _, _ in facets["发布年份"]] == sorted(
        [label for label, _, _, _ in facets["发布年份"]], reverse=True
    )
    # A facet is a link that adds its filter to the query.
    repealed = next(query for label, _, query, _ in facets["有效性"] if label == "已废止")
    response = client.get("/search/?" + repealed)
    assert [e.title for e in response.context["page_obj"].object_list] == ["依申请公开废止文件"]
    assert result_titles(client, {"q": "依申请公开", "validity": "valid"}) == [
        "依申请公开指南",
        "办事指南",
        "关于做好政务公开工作的通知",
    ]
    assert client.get("/search/", {"q": "依申请公开", "validity": "bogus"}).status_code == 200


def test_search_uses_the_indexes_on_postgresql(client):
    """On 30,000 entries every search query is answered through the GIN index (the survey and a
    small rank read whole) or the published_at index (the walk of a broad rank), as the planner
    chooses them by itself; and a broad count is an estimate close to the truth."""
    if connection.vendor != "postgresql":
        pytest.skip("GIN index exists only on PostgreSQL")
    import io
    import re

    from django.test.utils import CaptureQueriesContext

    from disclosure.models import SearchDocument
    from portal import demo, pagecache

    demo.load(io.StringIO())  # the seven demo units, as in the benchmark
    call_command("generate_entries", 30000, verbosity=0)
    plans = []
    for query in ("依申请公开", "年报", "政务", "关于", "市教育局 财政局", "统计公报 2020"):
        pagecache.bump("all")
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/search/", {"q": query})
        assert response.status_code == 200
        for sql in [q["sql"] for q in captured.captured_queries]:
            if "disclosure_searchdocument" in sql and sql.lstrip().startswith("SELECT"):
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN " + sql)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                assert "Seq Scan on disclosure_searchdocument" not in plan, (query, plan)
                plans.append(plan)
    assert any("Bitmap Index Scan on searchdoc_tokens_gin" in plan for plan in plans)
    assert any("Index Scan using searchdoc_published" in plan for plan in plans)
    # A sample read looks in the small partial index of the sparse samples.
    assert any("Bitmap Index Scan on searchdoc_sample_gin" in plan for plan in plans)
    marked = SearchDocument.objects.filter(sample_rate__gte=index.INDEXED_SAMPLE_RATE).count()
    assert 0.8 < marked * index.INDEXED_SAMPLE_RATE / SearchDocument.objects.count() < 1.25
    # The rows stay narrow (the token arrays live in the TOAST table), the ranking text inline.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_relation_size('disclosure_searchdocument') / count(*), "
            "sum(pg_column_size(ranking)) * 1.0 / sum(octet_length(ranking)) "
            "FROM disclosure_searchdocument"
        )
        row_bytes, ranking_ratio = cursor.fetchone()
    assert row_bytes < 1024 and ranking_ratio > 0.95, (row_bytes, ranking_ratio)

    response = client.get("/search/", {"q": "关于"})
    shown = int(
        re.search(r"找到 约 ([\d,]+) 条", response.content.decode()).group(1).replace(",", "")
    )
    true = SearchDocument.objects.count()
    assert abs(shown - true) < true * 0.3


def test_each_result_links_to_its_entry_page_with_its_filters_and_facets(
    client, unit_a, unit_b, make_entry
):
    """Result links, filter options and facet links are built outside template loops: each
    must still say what the page shows, escaped."""
    entries = [make_entry(unit, title=f"水务<公告>{n}") for n, unit in enumerate([unit_a, unit_b])]
    response = client.get("/search/", {"q": "水务", "year": timezone.localdate().year})
    page = response.content.decode()
    for entry in entries:
        assert f'<a href="{entry.get_absolute_url()}">' in page
        assert client.get(entry.get_absolute_url()).status_code == 200
    assert "&lt;公告&gt;" in page and "<公告>" not in page
    year = timezone.localdate().year
    assert f'<option value="{year}" selected>{year}年</option>' in page
    assert f'<option value="{unit_a.slug}">{unit_a.name}</option>' in page
    # A facet link sets its filter and keeps the others, in place.
    assert f'href="?q=%E6%B0%B4%E5%8A%A1&amp;year={year}&amp;unit={unit_b.slug}"' in page
    assert f'<time datetime="{timezone.localtime(entries[0].published_at).isoformat()}">' in page


def test_a_pasted_title_with_punctuation_is_found_and_highlighted(client, unit_a, make_entry):
    make_entry(unit_a, title="关于政务公开工作的通知")
    for query in ("《政务公开》", "“政务公开”", "政务公开。", "（政务）"):
        page = client.get("/search/", {"q": query}).content.decode()
        assert "关于<mark>政务" in page, query


def test_estimated_facet_counts_read_like_the_estimated_total(
    client, unit_a, make_entry, monkeypatch
):
    monkeypatch.setattr(
        index, "sample_marks", lambda entry_id: [f"~{r}" for r in index.SAMPLE_RATES]
    )
    monkeypatch.setattr(engine, "MIN_SAMPLE", 1)
    monkeypatch.setattr(engine, "EXACT_UP_TO", 0)
    for n in range(16):
        make_entry(unit_a, title=f"水务公告{n}")
    page = client.get("/search/", {"q": "水务"}).content.decode()
    assert "找到 约 66,000 条" in page
    assert f'{unit_a.name}</a> <span class="meta">约 66,000</span>' in page


def test_sample_marks_are_nested_and_kept_for_rows_indexed_before_the_finer_marks():
    """One entry in r carries ~r; every entry with a mark carries all denser ones; the marks up to
    ~256 are those entries had before ~1024 and ~4096 were added (their rows were not rewritten)."""
    counts = dict.fromkeys(index.SAMPLE_RATES, 0)
    for entry_id in range(1, 200_001):
        marks = index.sample_marks(entry_id)
        rates = [int(mark[1:]) for mark in marks]
        assert rates == list(index.SAMPLE_RATES[: len(rates)]), entry_id
        before = zlib.crc32(str(entry_id).encode()) & 255
        assert [r for r in rates if r <= 256] == [r for r in (4, 16, 64, 256) if before < 256 // r]
        for rate in rates:
            counts[rate] += 1
        # The column the partial index is defined on says the sparsest of them.
        assert index.sample_rate(entry_id) == (rates[-1] if rates else 1)
    for rate, n in counts.items():
        assert 0.8 < n * rate / 200_000 < 1.25, (rate, n)
