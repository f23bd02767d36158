"""Equivalent terms (年报 = 年度报告), edited by staff as SearchSynonym rows.

A query term that contains one member of a group also matches with that member replaced by each
of the others: 年报 finds "…年度报告", and 2023年报 finds "2023年度报告".
"""

import re

from django.core.cache import cache

MAX_ALTERNATIVES = 6
_SEPARATORS = re.compile(r"[\s=＝,，、;；]+")
_CACHE_KEY = "search:synonym-groups"


def synonym_terms(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for term in _SEPARATORS.split(text or ""):
        if term:
            seen.setdefault(term.lower(), None)
    return list(seen)


def groups() -> list[list[str]]:
    found = cache.get(_CACHE_KEY)
    if found is None:
        from disclosure.models import SearchSynonym

        found = [row.term_list() for row in SearchSynonym.objects.all()]
        cache.set(_CACHE_KEY, found, 600)
    return found


def forget() -> None:
    """After a change of the list (disclosure.signals)."""
    cache.delete(_CACHE_KEY)


def alternatives(term: str, synonym_groups: list[list[str]]) -> list[str]:
    """`term` first, then its variants through every group, at most MAX_ALTERNATIVES."""
    found: dict[str, None] = {term: None}
    lowered = term.lower()
    for group in synonym_groups:
        for member in group:
            if member in lowered:
                for other in group:
                    found.setdefault(lowered.replace(member, other), None)
    return list(found)[:MAX_ALTERNATIVES]
