"""Chinese full-text search over title, summary, body and 文号.

Chinese has no spaces between words, and a dictionary segmenter would miss the names, document
numbers and new terms that people search for in a government catalog. So every entry stores a
search document of overlapping character bigrams (依申请公开 → 依申 申请 请公 公开), plus single
characters so one-character queries work, plus lower-cased Latin words and numbers. A query is
tokenised the same way and matches the entries holding all its tokens. The match is exact for
every query of any length, needs no dictionary and behaves the same on SQLite and PostgreSQL.

On PostgreSQL the document is a text[] column with a GIN index that answers the `@>` (contains
all) test, so a search never scans the table (migration 0004, tested with EXPLAIN). SQLite, for
development, stores the same tokens as a space-separated string and tests each one with LIKE.
"""

import html
import re

from django.db import connection
from django.db.models import BooleanField, Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex, Upper
from django.db.models.lookups import GreaterThan
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

MAX_QUERY_LENGTH = 100
MAX_TOKENS = 32

# CJK ideographs (unified, extension A, compatibility); a run of them is one bigram stream.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_RUN = re.compile(rf"[{_CJK}]+|[0-9a-z]+", re.IGNORECASE)
_IS_CJK = re.compile(rf"[{_CJK}]")
_SPACE = re.compile(r"\s+")


def html_to_text(value: str) -> str:
    """Plain text of a sanitised body, for the search document and snippets."""
    text = strip_tags(re.sub(r"<(br|/p|/h\d|/li|/tr|/td|/th)[^>]*>", " ", value or ""))
    return _SPACE.sub(" ", html.unescape(text)).strip()


def _run_tokens(run: str, with_unigrams: bool) -> list[str]:
    if not _IS_CJK.match(run):
        return [run.lower()]
    if len(run) == 1:
        return [run]
    tokens = [run[i : i + 2] for i in range(len(run) - 1)]
    if with_unigrams:
        tokens.extend(run)
    return tokens


def tokenize(text: str, with_unigrams: bool = True) -> list[str]:
    """Distinct tokens in first-seen order."""
    seen: dict[str, None] = {}
    for run in _TOKEN_RUN.findall(text or ""):
        for token in _run_tokens(run, with_unigrams):
            seen.setdefault(token, None)
    return list(seen)


def build_document(
    title: str, summary: str, body_html: str, document_number: str, body_text: str | None = None
) -> str:
    """`body_text` may be given when the caller already has the plain text (bulk generation)."""
    if body_text is None:
        body_text = html_to_text(body_html)
    text = " ".join([title or "", summary or "", body_text, document_number or ""])
    # Leading and trailing spaces let SQLite match a whole token with LIKE '% token %'.
    return " " + " ".join(tokenize(text)) + " "


def normalise_query(query: str) -> str:
    return _SPACE.sub(" ", (query or "").strip())[:MAX_QUERY_LENGTH]


def query_terms(query: str) -> list[str]:
    return [term for term in normalise_query(query).split(" ") if _TOKEN_RUN.search(term)]


def query_tokens(query: str) -> list[str]:
    """A query's tokens: bigrams of longer runs, the character itself for a one-character run."""
    tokens: dict[str, None] = {}
    for term in query_terms(query):
        for token in tokenize(term, with_unigrams=False):
            tokens.setdefault(token, None)
    return list(tokens)[:MAX_TOKENS]


def filter_queryset(queryset, query: str):
    """Entries matching every token of `query`, ranked: title hits, then summary/文号, then body;
    newer first within a rank. An empty query matches nothing."""
    tokens = query_tokens(query)
    if not tokens:
        return queryset.none()
    if connection.vendor == "postgresql":
        # search_document is text[] here, GIN-indexed (migration 0004).
        contains = RawSQL(
            "disclosure_entry.search_document @> %s::text[]",
            (tokens,),
            output_field=BooleanField(),
        )
        queryset = queryset.filter(contains)
    else:
        for token in tokens:
            queryset = queryset.filter(search_document__contains=f" {token} ")
    in_title, in_side, elsewhere = rank_conditions(query)
    return queryset.annotate(
        search_rank=Case(
            When(in_title, then=Value(2)),
            When(in_side, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("-search_rank", "-published_at", "-pk")


def rank_conditions(query: str) -> list[Q]:
    """The ranks as disjoint conditions, best first: every term in the title; every term in the
    summary or 文号; the rest (the body)."""
    title_all = Q()
    side_all = Q()
    for term in query_terms(query):
        title_all &= _holds("title", term)
        side_all &= _holds("summary", term) | _holds("document_number", term)
    return [title_all, side_all & ~title_all, ~title_all & ~side_all]


def _holds(field: str, term: str) -> Q:
    """Case-insensitive containment as strpos(), not LIKE: PostgreSQL guesses a LIKE '%…%' to
    match almost nothing and then ranks a broad query by sorting every match, where strpos()
    leaves it free to walk the published_at index and stop after one page."""
    return Q(GreaterThan(StrIndex(Upper(field), Upper(Value(term))), 0))


# Up to this many matches one query ranks and sorts them all (about 30 ms for 5,000); beyond,
# reading rank by rank along the published_at index is cheaper.
SORT_ALL_UP_TO = 10_000


class RankedIds:
    """The ids of the ranked `results` (from `filter_queryset`), sliced a page at a time (Django's
    Paginator takes it).

    A broad query (政务: 23,000 of 100,000 entries) is not sorted whole: each rank is read newest
    first on its own, twenty rows along the published_at index, and a rank is counted only when a
    page starts beyond its end.
    """

    def __init__(self, results, query: str):
        self._results = results
        self._count = None
        self._ranks = [
            results.filter(condition).order_by("-published_at", "-pk").values_list("pk", flat=True)
            for condition in rank_conditions(query)
        ]

    def count(self) -> int:
        if self._count is None:
            self._count = self._results.count()
        return self._count

    def __getitem__(self, window: slice) -> list[int]:
        if self.count() <= SORT_ALL_UP_TO:
            return list(self._results.values_list("pk", flat=True)[window])
        start, stop = window.start or 0, window.stop
        ids: list[int] = []
        rank_start = 0  # position of the current rank's first id in the whole ranking
        for rank in self._ranks:
            wanted = stop - start - len(ids)
            if wanted <= 0:
                break
            offset = start + len(ids) - rank_start
            rows = list(rank[offset : offset + wanted])
            ids.extend(rows)
            if len(rows) == wanted:
                break
            # Fewer rows than wanted: this rank ends here, or ended before the page began.
            rank_start += offset + len(rows) if rows or offset == 0 else rank.count()
        return ids


def highlight(text: str, query: str, width: int = 120) -> str:
    """An HTML-escaped excerpt of `text` around the first hit, each hit wrapped in <mark>."""
    terms = sorted(set(query_terms(query)), key=len, reverse=True)
    text = text or ""
    if not terms:
        return escape(text[:width])
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    first = pattern.search(text)
    start = 0
    if first and first.start() > width // 3:
        start = first.start() - width // 3
    excerpt = text[start : start + width]
    parts = []
    position = 0
    for match in pattern.finditer(excerpt):
        parts.append(escape(excerpt[position : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        position = match.end()
    parts.append(escape(excerpt[position:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308 - every piece is escaped
