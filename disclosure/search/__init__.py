"""Chinese full-text search of the catalog (see README, "Catalog and search").

`tokens` turns text into bigram tokens, `index` keeps the SearchDocument rows, `engine` runs a
search whose cost stays bounded however many entries match, `synonyms` expands equivalent terms
and `misses` counts the queries that found nothing.
"""

from disclosure.search.engine import Search, count_text
from disclosure.search.index import document_tokens, index_entry, rebuild
from disclosure.search.synonyms import synonym_terms
from disclosure.search.tokens import (
    MAX_QUERY_LENGTH,
    as_document,
    highlight,
    html_to_text,
    normalise_query,
    query_terms,
    query_tokens,
    tokenize,
)

__all__ = [
    "MAX_QUERY_LENGTH",
    "Search",
    "as_document",
    "count_text",
    "document_tokens",
    "highlight",
    "html_to_text",
    "index_entry",
    "normalise_query",
    "query_terms",
    "query_tokens",
    "rebuild",
    "synonym_terms",
    "tokenize",
]
