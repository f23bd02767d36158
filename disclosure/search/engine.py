"""A search over the index (SearchDocument) whose cost does not grow with the number of matches.

Every condition is a containment test on the GIN-indexed token array: the query's bigrams (and
those of equivalent terms), the filters (u:unit, y:year, c:category, v:validity) and the sample
marks. What a search reads from the table stays bounded:

- **Count and facets** come from a sample: first the matches that carry the sparsest mark worth
  reading for the index's size (~256 at 100,000 entries, ~4096 at a million); a broad query
  (关于: every entry) is estimated from those few hundred rows ("约 100,000 条"). A denser mark
  follows only when that sample is too small, and a query with up to about EXACT_UP_TO matches is
  read whole and counted exactly. The sparse marks (~16 and rarer) have a partial GIN index of
  their own (searchdoc_sample_gin), whose short posting lists make those reads cheap.
- **The page** is ranked title hits, then 摘要/文号 hits, then body hits, newest first within
  each. A rank estimated to hold many matches is read by walking the newest entries (at most
  MAX_WALK rows) and keeping those that match; a small rank is read through the index and sorted,
  from its latest years only (y: tokens) when the survey expects them to hold the page, else whole.
  Only when a broad rank's matches all lie far back in time (a year's worth of 2019 documents)
  does the walk fall short, and that rank is then read the same way.
"""

import datetime as dt
import itertools
import math
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.functional import cached_property

from disclosure.search import synonyms
from disclosure.search.index import INDEXED_SAMPLE_RATE, SAMPLE_RATES
from disclosure.search.tokens import MAX_TOKENS, query_terms, term_runs, term_tokens

# A query with up to about this many matches is counted exactly and sorted whole (up to twice as
# many when the first sample suggests no more than that).
EXACT_UP_TO = 500
# An estimate rests on at least this many sampled matches (about ±15 %).
MIN_SAMPLE = 40
START_SAMPLE = 100
MAX_WALK = 5000
MAX_COMBINATIONS = 8

TITLE, SIDE, BODY = 2, 1, 0
RANKS = (TITLE, SIDE, BODY)
# (in the title, in the summary/文号) of every row of a rank read by its own condition.
_KNOWN_RANK = {TITLE: ("TRUE", "FALSE"), SIDE: ("FALSE", "TRUE"), BODY: ("FALSE", "FALSE")}


class _Sql:
    """Containment tests on a token column, for PostgreSQL (text[] + GIN) or SQLite (LIKE)."""

    def __init__(self, vendor: str):
        self.postgres = vendor == "postgresql"

    def all_of(self, tokens, column: str = "tokens") -> tuple[str, list]:
        if self.postgres:
            return f"{column} @> %s::text[]", [list(tokens)]
        return "(" + " AND ".join([f"{column} LIKE %s"] * len(tokens)) + ")", [
            f"% {token} %" for token in tokens
        ]

    def any_of(self, tokens, column: str = "tokens") -> tuple[str, list]:
        if self.postgres:
            return f"{column} && %s::text[]", [list(tokens)]
        return "(" + " OR ".join([f"{column} LIKE %s"] * len(tokens)) + ")", [
            f"% {token} %" for token in tokens
        ]

    def either(self, token_sets, column: str = "tokens") -> tuple[str, list]:
        return self._either(self.all_of, token_sets, column)

    def all_in_text(self, tokens, column: str) -> tuple[str, list]:
        """Every token in a space-separated text column (`ranking`): a substring search per
        token, which on a row that fails stops at the first token, several times cheaper than
        testing a text[] for containment (every element compared)."""
        function = "strpos" if self.postgres else "instr"
        return "(" + " AND ".join([f"{function}({column}, %s) > 0"] * len(tokens)) + ")", [
            f" {token} " for token in tokens
        ]

    def either_in_text(self, token_sets, column: str) -> tuple[str, list]:
        return self._either(self.all_in_text, token_sets, column)

    @staticmethod
    def _either(test, token_sets, column) -> tuple[str, list]:
        parts, params = [], []
        for tokens in token_sets:
            sql, values = test(tokens, column)
            parts.append(sql)
            params += values
        return "(" + " OR ".join(parts) + ")", params


@dataclass(slots=True)
class Row:
    """One match as the index row gives it (a search reads a few hundred: kept lean)."""

    entry_id: int
    published_at: dt.datetime
    unit_id: int
    category_id: int
    year: int
    validity: str
    in_title: bool
    in_side: bool

    @property
    def rank(self) -> int:
        return TITLE if self.in_title else SIDE if self.in_side else BODY


@dataclass
class Survey:
    """The matches read to count: all of them (rate 1) or those carrying the mark ~rate."""

    rate: int
    rows: list[Row] = field(default_factory=list)

    def scaled(self, n: int) -> int:
        return n * self.rate

    def rank_estimate(self, rank: int) -> int:
        return self.scaled(sum(1 for row in self.rows if row.rank == rank))

    def index_yield(self, rank: int) -> int:
        """About how many rows the index hands over when a rank is read whole: the title or
        summary matches (the better ranks are then filtered out on the rows), or every match."""
        if rank == TITLE:
            return self.scaled(sum(1 for row in self.rows if row.in_title))
        if rank == SIDE:
            return self.scaled(sum(1 for row in self.rows if row.in_side))
        return self.scaled(len(self.rows))


def aware(value) -> dt.datetime:
    """SQLite returns a raw datetime column as text (UTC)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)


def _ranked(rows) -> list[Row]:
    """Best rank first, newest first within it (the entry id breaks ties, so the order is total)."""
    return sorted(rows, key=lambda row: (row.rank, row.published_at, row.entry_id), reverse=True)


class Search:
    """The public entries matching a query, with optional filters. Django's Paginator takes it
    (`count()` and slices of entry ids)."""

    def __init__(
        self, query: str, *, unit=None, year=None, category_ids=None, validity=None, now=None
    ):
        from disclosure.models import SearchDocument

        self.terms = query_terms(query)
        groups = synonyms.groups() if self.terms else []
        self.alternatives = [synonyms.alternatives(term, groups) for term in self.terms]
        self.combinations = self._combinations()
        self.unit = unit
        self.year = year
        self.filters = []
        if unit is not None:
            self.filters.append(f"u:{unit.pk}")
        if year is not None:
            self.filters.append(f"y:{year}")
        self.validity = validity or None
        if validity:
            self.filters.append(f"v:{validity}")
        self.category_ids = sorted(category_ids) if category_ids else None
        self.now = now or timezone.now()
        self.table = SearchDocument._meta.db_table
        self.using = router.db_for_read(SearchDocument)
        self.sql = _Sql(connections[self.using].vendor)
        self._rank_rows: dict[int, list[Row]] = {}

    @property
    def highlight_terms(self) -> list[str]:
        """What is marked in titles and snippets: each term and its equivalents, without the
        punctuation a pasted title brings (《…》, quotes), which matching ignores too."""
        return [
            run
            for alternatives in self.alternatives
            for alternative in alternatives
            for run in term_runs(alternative)
        ]

    def _combinations(self) -> list[list[str]]:
        """The query as alternatives of token sets: every term, or one of its equivalents."""
        per_term = [
            [tokens for tokens in (term_tokens(alt) for alt in alts) if tokens]
            for alts in self.alternatives
        ]
        if not per_term or not all(per_term):
            return []
        combinations = []
        for choice in itertools.islice(itertools.product(*per_term), MAX_COMBINATIONS):
            tokens = list(dict.fromkeys(token for tokens in choice for token in tokens))
            combinations.append(tokens[:MAX_TOKENS])
        return combinations

    # ---- SQL ----------------------------------------------------------------------------------

    def _match(self, *marks: str, field: str = "") -> tuple[str, list]:
        """Every term (or an equivalent) and every filter, plus `marks`; with `field` ("t:" or
        "s:") the terms must also be in the title or the summary/文号. One containment test per
        alternative, so the GIN index answers all of it."""
        sql, params = self.sql.either(
            [
                tokens + self.filters + list(marks) + [field + t for t in tokens if field]
                for tokens in self.combinations
            ]
        )
        if self.category_ids:
            any_sql, any_params = self.sql.any_of([f"c:{pk}" for pk in self.category_ids])
            sql, params = f"{sql} AND {any_sql}", params + any_params
        return sql, params

    def _in_field(self, prefix: str) -> tuple[str, list]:
        """Every term (or an equivalent) in the title ("t:") or in the summary or 文号 ("s:"),
        tested on the short `ranking` text (the same test on `tokens` costs several times
        more: it scans the whole document's array)."""
        return self.sql.either_in_text(
            [[prefix + token for token in tokens] for tokens in self.combinations], "ranking"
        )

    def _rank_condition(self, rank: int) -> tuple[str, list]:
        """The rows of one rank, as a condition whose positive part the GIN index answers: the
        field tokens join the match tokens in one containment test per alternative."""
        title_sql, title_params = self._in_field("t:")
        side_sql, side_params = self._in_field("s:")
        if rank == TITLE:
            return self._match(field="t:")
        if rank == SIDE:
            sql, params = self._match(field="s:")
            return f"{sql} AND NOT {title_sql}", params + title_params
        sql, params = self._match()
        return f"{sql} AND NOT {title_sql} AND NOT {side_sql}", params + title_params + side_params

    def _walked_rank_condition(self, rank: int) -> tuple[str, list]:
        """One rank's test on rows already read (a walk): the filters on their columns, the
        title and summary ranks on `ranking` alone; only the body rank reads `tokens`."""
        sql, params = "TRUE", []
        if self.validity:
            sql, params = "validity = %s", [self.validity]
        if self.category_ids:
            marks = ", ".join(["%s"] * len(self.category_ids))
            sql, params = f"{sql} AND category_id IN ({marks})", params + self.category_ids
        title_sql, title_params = self._in_field("t:")
        if rank == TITLE:
            return f"{sql} AND {title_sql}", params + title_params
        side_sql, side_params = self._in_field("s:")
        if rank == SIDE:
            return f"{sql} AND {side_sql} AND NOT {title_sql}", params + side_params + title_params
        body_sql, body_params = self.sql.either(self.combinations)
        return (
            f"{sql} AND {body_sql} AND NOT {title_sql} AND NOT {side_sql}",
            params + body_params + title_params + side_params,
        )

    def _query(self, sql: str, params: list, *, index_only: bool = False) -> list[tuple]:
        ops = connections[self.using].ops
        params = [
            ops.adapt_datetimefield_value(value) if isinstance(value, dt.datetime) else value
            for value in params
        ]
        with connections[self.using].cursor() as cursor:
            if index_only and self.sql.postgres:
                # A broad query read whole: the planner would scan the table (and its TOASTed
                # token arrays) instead of the GIN index.
                with transaction.atomic(using=self.using):
                    cursor.execute("SELECT set_config('enable_seqscan', 'off', true)")
                    cursor.execute(sql, params)
                    return cursor.fetchall()
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _rows(self, rate: int = 1, rank: int | None = None, index_only=False, years=None):
        """The matches (those carrying the sample mark ~rate, unless rate is 1), or with `rank`
        the matches of that rank; with `years` (y: tokens) those published in one of them."""
        if rank is None:
            match_sql, match_params = self._match(*([f"~{rate}"] if rate > 1 else []))
            if rate >= INDEXED_SAMPLE_RATE:
                # Lets the planner use the small partial index searchdoc_sample_gin (the rate
                # is one of SAMPLE_RATES, an integer).
                match_sql = f"{match_sql} AND sample_rate >= {int(rate)}"
            title_sql, title_params = self._in_field("t:")
            side_sql, side_params = self._in_field("s:")
        else:
            # The rank's own condition already says where the terms are.
            match_sql, match_params = self._rank_condition(rank)
            title_sql, side_sql = _KNOWN_RANK[rank]
            title_params, side_params = [], []
        if years:
            years_sql, years_params = self.sql.any_of(years)
            match_sql, match_params = f"{match_sql} AND {years_sql}", match_params + years_params
        # Only fixed fragments are spliced in; every value is a parameter.
        sql = (
            "SELECT entry_id, published_at, unit_id, category_id, year, validity, "
            f"{title_sql}, {side_sql} "
            f"FROM {self.table} WHERE published_at <= %s AND {match_sql}"
        )
        params = title_params + side_params + [self.now] + match_params
        found = self._query(sql, params, index_only=index_only)
        if self.sql.postgres:  # aware datetimes and booleans already
            return [Row(*values) for values in found]
        return [
            Row(entry_id, aware(published_at), *rest[:4], bool(rest[4]), bool(rest[5]))
            for entry_id, published_at, *rest in found
        ]

    # ---- count and facets ---------------------------------------------------------------------

    @cached_property
    def indexed_total(self) -> int:
        """Read once per search: the survey and each rank's walk size themselves by it."""
        return _indexed_total(self.using)

    @cached_property
    def survey(self) -> Survey:
        """Two reads at most in the usual case: the sample of the sparsest mark worth reading for
        an index of this size, then (unless it was enough) the sample of the mark expected to
        hold enough matches, or every match when the first sample says they are surely few."""
        if not self.combinations:
            return Survey(1)
        if self.indexed_total <= 2 * EXACT_UP_TO:
            return Survey(1, self._rows())  # a small index: every match is few
        # A term in every entry gives at least START_SAMPLE rows at the first mark read.
        first = max(
            (r for r in SAMPLE_RATES if self.indexed_total / r >= START_SAMPLE),
            default=SAMPLE_RATES[-1],
        )
        estimate = None
        for rate in reversed(SAMPLE_RATES):
            if rate > first:
                continue
            if estimate is not None and estimate / rate < MIN_SAMPLE and rate != SAMPLE_RATES[0]:
                continue  # this mark would hold too few of them: go denser at once
            rows = self._rows(rate)
            sampled = len(rows)
            if sampled >= MIN_SAMPLE and sampled * rate > EXACT_UP_TO:
                return Survey(rate, rows)
            # A generous upper bound of the matches (about 97 %): few, surely? Read them all.
            if (sampled + 2 * math.sqrt(sampled) + 3) * rate <= 2 * EXACT_UP_TO:
                break
            estimate = max(sampled, 1) * rate
        return Survey(1, self._rows())

    @property
    def is_estimate(self) -> bool:
        return self.survey.rate > 1

    def count(self) -> int:
        return self.survey.scaled(len(self.survey.rows))

    def facets(self) -> dict[str, list[tuple[object, int]]]:
        """{"unit" | "year" | "category" | "validity": [(value, count)]}, largest first (years
        newest first); counts are estimates when `is_estimate`."""
        rows = self.survey.rows
        counted = {
            "unit": Counter(row.unit_id for row in rows),
            "year": Counter(row.year for row in rows),
            "category": Counter(row.category_id for row in rows),
            "validity": Counter(row.validity for row in rows),
        }
        result = {
            name: [(value, self.survey.scaled(n)) for value, n in counter.most_common()]
            for name, counter in counted.items()
        }
        result["year"].sort(reverse=True)
        return result

    # ---- the ranked ids -----------------------------------------------------------------------

    def matching_ids(self) -> list[int]:
        """Every match, unranked (small result sets: tests, exports)."""
        if not self.combinations:
            return []
        return [row.entry_id for row in self._rows(index_only=True)]

    def __getitem__(self, window: slice) -> list[int]:
        start, stop = window.start or 0, window.stop
        survey = self.survey
        if survey.rate == 1:
            return [row.entry_id for row in _ranked(survey.rows)[start:stop]]
        ids: list[int] = []
        rank_start = 0  # position of the current rank's first id in the whole ranking
        for rank in RANKS:
            wanted = stop - start - len(ids)
            if wanted <= 0:
                break
            offset = start + len(ids) - rank_start
            rows = self._rank_window(rank, offset, wanted)
            ids.extend(rows)
            if len(rows) == wanted:
                break
            # Fewer rows than wanted: this rank ends here, or ended before the page began.
            if rows or offset == 0:
                rank_start += offset + len(rows)
            else:
                rank_start += len(self._whole_rank(rank))
        return ids

    def _rank_window(self, rank: int, offset: int, wanted: int) -> list[int]:
        if rank not in self._rank_rows:
            # Walk unless the whole rank is much smaller than the walk: a walked row costs about
            # a quarter of a row read whole (checked on `ranking`, never sent or sorted), and a
            # rare rank is read whole rather than searched for among thousands of rows.
            density = max(self.survey.rank_estimate(rank), 1) / max(self.indexed_total, 1)
            limit = min(MAX_WALK, max(200, int(3 * (offset + wanted) / density)))
            if limit < 4 * self.survey.index_yield(rank):
                found = self._walk(rank, offset, wanted, limit)
                if len(found) == wanted:
                    return found
        newest = self._newest_of_rank(rank, offset + wanted)
        if newest is not None:
            return [row.entry_id for row in newest[offset : offset + wanted]]
        return [row.entry_id for row in self._whole_rank(rank)[offset : offset + wanted]]

    def _newest_of_rank(self, rank: int, count: int) -> list[Row] | None:
        """At least the rank's `count` newest rows, read from its latest years only, when the
        survey expects them to hold twice that many: a rank of a thousand matches over a decade
        is then read a year or two deep, not whole. None when they might not hold enough (or
        would be every year): the rank is read whole."""
        if self.year is not None:
            return None  # one year already
        by_year = Counter(row.year for row in self.survey.rows if row.rank == rank)
        expected, since = 0, None
        for year in sorted(by_year, reverse=True):
            expected += self.survey.scaled(by_year[year])
            if expected >= 2 * count + MIN_SAMPLE:
                since = year
                break
        if since is None or since <= min(by_year):
            return None
        # Every year from `since` on: a later year missing from the sample may still hold rows.
        years = [f"y:{year}" for year in range(since, timezone.localtime(self.now).year + 1)]
        rows = _ranked(self._rows(rank=rank, index_only=True, years=years))
        return rows if len(rows) >= count else None

    def _whole_rank(self, rank: int) -> list[Row]:
        if rank not in self._rank_rows:
            self._rank_rows[rank] = _ranked(self._rows(rank=rank, index_only=True))
        return self._rank_rows[rank]

    def _walk(self, rank: int, offset: int, wanted: int, limit: int) -> list[int]:
        """The rank's newest matches among the `limit` newest entries in scope, walked along the
        published_at index; a filter on the walked rows cannot use (or mislead) the GIN index."""
        scope, scope_params = ["published_at <= %s"], [self.now]
        if self.unit is not None:
            scope.append("unit_id = %s")
            scope_params.append(self.unit.pk)
        if self.year is not None:
            first = timezone.make_aware(dt.datetime(self.year, 1, 1))
            scope.append("published_at >= %s AND published_at < %s")
            scope_params += [first, first.replace(year=self.year + 1)]
        rank_sql, rank_params = self._walked_rank_condition(rank)
        # Only fixed fragments are spliced in; every value is a parameter.
        sql = (
            "SELECT entry_id FROM ("
            f"SELECT entry_id, published_at, validity, category_id, tokens, ranking "
            f"FROM {self.table} WHERE {' AND '.join(scope)} "
            "ORDER BY published_at DESC, entry_id DESC LIMIT %s"
            f") walk WHERE {rank_sql} "
            "ORDER BY published_at DESC, entry_id DESC LIMIT %s OFFSET %s"
        )
        params = scope_params + [limit] + rank_params + [wanted, offset]
        return [entry_id for (entry_id,) in self._query(sql, params)]


def count_text(n: int, estimated: bool) -> str:
    """How a number of results reads: 1,234, or, estimated, 约 43,000 (two significant digits)."""
    if not estimated:
        return f"{n:,}"
    if n >= 100:
        step = 10 ** (len(str(n)) - 2)
        n = round(n / step) * step
    return f"约 {n:,}"


# Up to this many index rows are counted; above it PostgreSQL's own estimate (kept by ANALYZE)
# stands for the number.
COUNTED_UP_TO = 10_000


def _indexed_total(using: str) -> int:
    """About how many entries are indexed (it sizes the first sample and the walks), kept for
    five minutes: a small index counted (a bounded count, a millisecond), a large one from the
    planner's statistics, which cost no count but may be stale after a bulk change."""
    key = f"search:indexed-total:{using}"
    total = cache.get(key)
    if total is None:
        from disclosure.models import SearchDocument

        table = SearchDocument._meta.db_table
        with connections[using].cursor() as cursor:
            # Only fixed fragments are spliced in (a model's table); the limit is a parameter.
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {table} "  # noqa: S608
                "ORDER BY entry_id LIMIT %s) AS head",
                [COUNTED_UP_TO],
            )
            total = cursor.fetchone()[0]
            if total >= COUNTED_UP_TO:
                if connections[using].vendor == "postgresql":
                    cursor.execute(
                        "SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table]
                    )
                else:
                    cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - a model's table
                total = max(total, cursor.fetchone()[0])
        cache.set(key, total, 300)
    return total
