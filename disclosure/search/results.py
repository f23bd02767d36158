"""What a page of search results shows: the twenty entries' fields in one query, each title and
snippet highlighted, each address built.

One hand-written query rather than the ORM's two (the fields, then the bodies of the entries
whose summary holds no hit): on an uncached search the query building cost more than the reading.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import connections, router

from disclosure.catalog import EntryAddresses
from disclosure.search.engine import aware
from disclosure.search.tokens import highlight, html_to_text


@dataclass(slots=True)
class Result:
    """An entry as a result shows it (templatetags disclosure_tags.search_results)."""

    pk: int
    title: str
    summary: str
    index_number: str
    document_number: str
    published_at: dt.datetime
    unit_id: int
    category_id: int
    unit: object = None
    category: object = None
    url: str = ""
    title_html: str = ""
    snippet: str = ""


def page_results(ids: list[int], terms: list[str], units, categories) -> list[Result]:
    """The entries `ids` in that order (those no longer public are left out by the caller's
    search, not here), with `terms` marked. `units` and `categories` are those the page already
    holds; one created since is loaded."""
    from disclosure.models import Category, Entry
    from portal.models import PublishingUnit

    if not ids:
        return []
    using = router.db_for_read(Entry)
    connection = connections[using]
    lowered = list(dict.fromkeys(term.lower() for term in terms))
    # The body only for an entry whose summary holds no hit: its snippet comes from the body.
    function = "strpos" if connection.vendor == "postgresql" else "instr"
    hit_in_summary = " OR ".join([f"{function}(lower(summary), %s) > 0"] * len(lowered)) or "FALSE"
    # Only fixed fragments are spliced in (a model's table); every value is a parameter.
    sql = (
        "SELECT id, title, summary, index_number, document_number, published_at, unit_id, "
        f"category_id, CASE WHEN {hit_in_summary} THEN NULL ELSE body END "
        f"FROM {Entry._meta.db_table} WHERE id IN ({', '.join(['%s'] * len(ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*lowered, *ids])
        rows = cursor.fetchall()
    found, bodies = {}, {}
    for *values, body in rows:
        values[5] = aware(values[5])
        found[values[0]] = Result(*values)
        if body is not None:
            bodies[values[0]] = body
    unit_by_pk = {u.pk: u for u in units}
    category_by_pk = {c.pk: c for c in categories}
    address = EntryAddresses()
    results = [found[pk] for pk in ids if pk in found]
    for result in results:
        result.unit = unit_by_pk.get(result.unit_id) or PublishingUnit.objects.get(
            pk=result.unit_id
        )
        result.category = category_by_pk.get(result.category_id) or Category.objects.get(
            pk=result.category_id
        )
        result.url = address(result.unit, result.pk)
        result.title_html = highlight(result.title, terms, width=300)
        source = result.summary
        if result.pk in bodies:
            source = f"{source} {html_to_text(bodies[result.pk])}"
        result.snippet = highlight(source, terms)
    return results
