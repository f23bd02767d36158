"""长者模式 (the large-text, high-contrast mode) without scripts: the `?mode=elder` query parameter.

The page HTML depends only on its URL, never on the visitor, so the page cache (keyed by the full
URL) stores the elder variant under its own key and the plain page stays shared. With scripts the
choice is remembered in localStorage by static/js/access.js instead.
"""

from django import template

register = template.Library()

PARAM, VALUE = "mode", "elder"


def elder_requested(request) -> bool:
    return request is not None and request.GET.get(PARAM) == VALUE


@register.simple_tag(takes_context=True)
def elder_mode(context) -> bool:
    return elder_requested(context.get("request"))


@register.simple_tag(takes_context=True)
def elder_toggle_url(context, on: bool) -> str:
    """This page's URL with the elder parameter added (`on`) or removed, other parameters kept."""
    request = context.get("request")
    if request is None:
        return "/?mode=elder" if on else "/"
    query = request.GET.copy()
    query.pop(PARAM, None)
    if on:
        query[PARAM] = VALUE
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path
