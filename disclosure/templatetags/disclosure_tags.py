from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

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
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if str(value) == chosen else "", label) for value, label in choices),
    )


@register.simple_tag
def facet_items(links, estimated) -> str:
    """<li> links of one search facet: (label, count, query string, selected)."""
    about = "约" if estimated else ""
    return format_html_join(
        "\n",
        '<li><a href="?{}"{}>{}</a> <span class="meta">{}{}</span></li>',
        (
            (query, mark_safe(' aria-current="true"') if selected else "", label, about, count)
            for label, count, query, selected in links
        ),
    )
