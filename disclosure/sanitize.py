"""Rich-text sanitising for entry bodies (nh3).

Text pasted from Word keeps its structure (headings, lists, tables, bold) and loses everything
that could run or restyle the page: scripts, styles, event handlers, Office XML, comments.
"""

import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "ul", "ol", "li", "blockquote", "hr", "a",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
}

# Content of these is dropped with the tag: Word's <xml> blocks and <title> would otherwise leak
# their text into the page.
DROP_WITH_CONTENT = {"script", "style", "xml", "head", "title", "template", "noscript", "iframe"}

_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS | {"h1"},
    clean_content_tags=DROP_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)

# The entry title is the page's only <h1>; a pasted top-level heading becomes an <h2>.
_H1 = re.compile(r"<(/?)h1>")
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|\u00a0)*</p>")


def clean_html(html: str) -> str:
    if not html:
        return ""
    cleaned = _CLEANER.clean(html)
    cleaned = _H1.sub(r"<\1h2>", cleaned)
    cleaned = _EMPTY_PARAGRAPH.sub("", cleaned)
    return cleaned.strip()
