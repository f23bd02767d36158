"""Tokens: how Chinese text becomes searchable without a dictionary.

Chinese has no spaces between words, and a dictionary segmenter would miss the names, document
numbers and new terms that people search for in a government catalog. So every entry's search
document holds overlapping character bigrams (依申请公开 → 依申 申请 请公 公开), plus single
characters so one-character queries work, plus lower-cased Latin words and numbers. A query is
tokenised the same way and matches the entries holding all its tokens.
"""

import functools
import html
import re
import unicodedata

from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

# The standard library's escape (Django's gives the same text through a lazy-string wrapper that
# costs more than the escaping on a result list).
escape = html.escape

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


def _folded(text: str) -> str:
    """Full-width letters and digits (２０２４, typed with a Chinese input method) as their ASCII
    forms, compatibility ideographs as the unified ones: the same text, however it was typed."""
    return unicodedata.normalize("NFKC", text or "")


def tokenize(text: str, with_unigrams: bool = True) -> list[str]:
    """Distinct tokens in first-seen order."""
    seen: dict[str, None] = {}
    for run in _TOKEN_RUN.findall(_folded(text)):
        for token in _run_tokens(run, with_unigrams):
            seen.setdefault(token, None)
    return list(seen)


def as_document(tokens) -> str:
    """The stored form: leading and trailing spaces let SQLite match a whole token with
    LIKE '% token %' (PostgreSQL stores a text[], see SearchTokensField)."""
    return " " + " ".join(tokens) + " "


# HTML tags that come with text pasted from a web page or an editor (<b>通知</b>): their letters
# would become required words. Only tags with a Latin name: <政务公开> is a term.
_PASTED_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")


def normalise_query(query: str) -> str:
    query = _PASTED_TAG.sub(" ", query or "")
    return _SPACE.sub(" ", query.strip())[:MAX_QUERY_LENGTH]


def query_terms(query: str) -> list[str]:
    return [term for term in normalise_query(query).split(" ") if _TOKEN_RUN.search(_folded(term))]


def term_runs(term: str) -> list[str]:
    """The parts of a term that are matched, without its punctuation: 《政务公开》 → 政务公开."""
    return _TOKEN_RUN.findall(_folded(term))


def term_tokens(term: str) -> list[str]:
    return tokenize(term, with_unigrams=False)


def query_tokens(query: str) -> list[str]:
    """A query's tokens: bigrams of longer runs, the character itself for a one-character run."""
    tokens: dict[str, None] = {}
    for term in query_terms(query):
        for token in tokenize(term, with_unigrams=False):
            tokens.setdefault(token, None)
    return list(tokens)[:MAX_TOKENS]


@functools.lru_cache(maxsize=256)
def _hit_pattern(terms: tuple[str, ...]) -> re.Pattern | None:
    """Longest first, so 年度报告 is marked whole where 年度 is a term too. Built once per search
    (each result's title and snippet ask for it)."""
    if not terms:
        return None
    ordered = sorted(set(terms), key=len, reverse=True)
    return re.compile("|".join(re.escape(term) for term in ordered), re.IGNORECASE)


def highlight(text: str, terms: list[str], width: int = 120) -> str:
    """An HTML-escaped excerpt of `text` around the first hit of any of `terms` (the query's
    terms and their equivalents), each hit wrapped in <mark>."""
    text = text or ""
    pattern = _hit_pattern(tuple(terms))
    if pattern is None:
        return mark_safe(escape(text[:width]))  # noqa: S308 - escaped
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
