from html import escape

from django import template
from django.utils.safestring import mark_safe

from disclosure.search import count_text
from portal.uploads import human_size

register = template.Library()


@register.filter
def file_size(value) -> str:
    return human_size(int(value or 0))


# The search page's long lists, built here rather than in template loops: a page of results with
# its filters has several hundred options and links, and rendering each through template
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


# Django's date filter resolves the format through the localisation machinery on every call
# (about 20 µs); a result list shows two dates per entry. These give the same text directly.


@register.filter(expects_localtime=True)
def iso_datetime(value) -> str:
    """What |date:"c" gives: the local time in ISO 8601."""
    return value.isoformat() if value else ""


@register.filter(expects_localtime=True)
def ymd(value) -> str:
    """What |date:"Y-m-d" gives."""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}" if value else ""
