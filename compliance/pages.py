"""Looking at public pages the way a visitor (or the inspectors' crawler) does: each page is
requested through the whole stack in-process, as an anonymous visitor over HTTPS on the site's
first allowed host, and read for its 47号 meta tags, its footer and its links."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings

# 国办发〔2017〕47号 annex: every page names the site and the column; article pages also the rest.
SITE_TAGS = ["SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnType"]
ARTICLE_TAGS = [
    "ArticleTitle",
    "PubDate",
    "ContentSource",
    "Keywords",
    "Author",
    "Description",
    "Url",
]


def site_host() -> str:
    for host in settings.ALLOWED_HOSTS:
        if host and host != "*" and not host.startswith("."):
            return host
    return "localhost"


class Fetcher:
    """fetch(path) -> (status, html); answers are remembered for the run."""

    def __init__(self):
        from django.test import Client

        extra = {"HTTP_HOST": site_host()}
        header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        if header:
            extra[header[0]] = header[1]
        self.client = Client(**extra)
        self.seen: dict[str, tuple[int, str]] = {}

    def __call__(self, path: str) -> tuple[int, str]:
        if path not in self.seen:
            try:
                response = self.client.get(path, secure=True)
            except Exception:  # a page that crashes is a broken page, not a broken self-check
                self.seen[path] = (500, "")
            else:
                body = "" if response.streaming else response.content.decode("utf-8", "replace")
                self.seen[path] = (response.status_code, body)
        return self.seen[path]


class _PageReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.links: list[str] = []
        self.in_footer = 0
        self.footer = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "meta" and values.get("name"):
            self.meta[values["name"]] = (values.get("content") or "").strip()
        elif tag == "a" and values.get("href"):
            self.links.append(values["href"])
        elif tag == "footer":
            self.in_footer += 1

    def handle_endtag(self, tag):
        if tag == "footer" and self.in_footer:
            self.in_footer -= 1

    def handle_data(self, data):
        if self.in_footer:
            self.footer.append(data)


def read(html: str) -> _PageReader:
    reader = _PageReader()
    reader.feed(html)
    return reader


def missing_meta(html: str, article: bool) -> list[str]:
    meta = read(html).meta
    wanted = SITE_TAGS + (ARTICLE_TAGS if article else [])
    return [name for name in wanted if not meta.get(name)]


def footer_text(html: str) -> str:
    return " ".join(" ".join(read(html).footer).split())


def internal_links(html: str) -> list[str]:
    """hrefs of an entry's body that point into this site, as paths."""
    hosts = {host.lower() for host in settings.ALLOWED_HOSTS if host and host != "*"}
    found = []
    for href in read(html).links:
        href = href.strip()
        parts = urlsplit(href)
        if parts.scheme in ("mailto", "tel", "javascript") or href.startswith("#"):
            continue
        if parts.scheme in ("http", "https") or href.startswith("//"):
            if (parts.hostname or "").lower() not in hosts:
                continue  # external links are not checked (no network from the self-check)
        elif not href.startswith("/"):
            continue
        path = parts.path or "/"
        found.append(path + (f"?{parts.query}" if parts.query else ""))
    return found
