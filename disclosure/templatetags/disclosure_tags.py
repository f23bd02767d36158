from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from disclosure.search import count_text
from portal.uploads import human_size

register = template.Library()


@register.filter
def file_size(value) -> str:
    return human_size(int(value or 0))


# The search page's long lists, built here rather than in template loops: a page of results with
# its filters has several hundred options, links and fields, and rendering each through template
# variables was a third of an uncached search's time (bench/, "search mix").


@register.simple_tag
def select_options(choices, selected) -> str:
    """<option> elements for (value, label) pairs; the one equal to `selected` (compared as
    text) is marked selected."""
    chosen = "" if selected in (None, "") else str(selected)
    return mark_safe(  # noqa: S308 - every value and label is escaped here
        "".join(
            f'<option value="{escape(str(value))}"{" selected" if str(value) == chosen else ""}>'
            f"{escape(str(label))}</option>"
            for value, label in choices
        )
    )


@register.simple_tag
def facet_items(links, estimated) -> str:
    """<li> links of one search facet: (label, count, query string, selected); estimated counts
    read like the estimated total (约 4,100)."""
    current = ' aria-current="true"'
    return mark_safe(  # noqa: S308 - every value and label is escaped here
        "\n".join(
            f'<li><a href="?{escape(query)}"{current if selected else ""}>'
            f'{escape(str(label))}</a> <span class="meta">{count_text(count, estimated)}</span></li>'
            for label, count, query, selected in links
        )
    )


@register.simple_tag
def search_results(entries) -> str:
    """<li> items of a page of search results (disclosure.search.results.page_results prepared
    each entry's url, highlighted title_html and snippet, which are already escaped)."""
    items = []
    for entry in entries:
        published = timezone.localtime(entry.published_at)
        snippet = f'\n    <p class="snippet">{entry.snippet}</p>' if entry.snippet else ""
        number = f" · {escape(entry.document_number)}" if entry.document_number else ""
        items.append(
            f'<li>\n    <h2><a href="{escape(entry.url)}">{entry.title_html}</a></h2>{snippet}\n'
            f'    <p class="meta">{escape(entry.unit.name)} · {escape(entry.category.name)} · '
            f"索引号 {escape(entry.index_number)}{number} · "
            f'<time datetime="{published.isoformat()}">{ymd(published)}</time></p>\n  </li>'
        )
    return mark_safe("\n".join(items))  # noqa: S308 - every value is escaped here or in page_results


def ymd(value) -> str:
    """What |date:"Y-m-d" gives, without Django's format lookup (about 20 µs a call)."""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
