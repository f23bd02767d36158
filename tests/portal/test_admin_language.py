"""No English in the staff admin where people read or screen readers speak (issue 11): headings,
table headers (the admin index's visually hidden ones included), labels, buttons, image
alternatives and ARIA labels, on the index and every change list a superuser opens."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin

from disclosure.reports.models import AnnualReport

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_profile")]

# Abbreviations and names that are the Chinese UI's own words too.
ALLOWED = {
    "CSV",
    "XLSX",
    "Excel",
    "PDF",
    "HTML",
    "ICP",
    "GET",
    "POST",
    "HTTP",
    "Accept",
    "SHA",
    "RSS",
    "Axes",
}
WORD = re.compile(r"[A-Za-z]{3,}")


class _Labels(HTMLParser):
    """Text of headings, header cells, labels, buttons and legends, plus a11y attributes."""

    TEXT_TAGS = {"h1", "h2", "h3", "label", "legend", "caption", "button", "summary"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.in_thead = 0
        self.found: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "thead":
            self.in_thead += 1
        for name in ("alt", "aria-label", "title", "placeholder"):
            value = attrs.get(name) or ""
            if value.startswith("选择此对象执行操作 - "):
                value = ""  # the rest is the object's own name: data, not the UI
            self._check(value, f"{tag}@{name}")
        if tag == "input" and attrs.get("type") in ("submit", "button"):
            self._check(attrs.get("value"), "input@value")
        if tag not in ("input", "img", "br", "meta", "link"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "thead":
            self.in_thead -= 1
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if "script" in self.stack or "style" in self.stack:
            return
        if self.TEXT_TAGS & set(self.stack) or (self.in_thead and "th" in self.stack):
            self._check(data, "/".join(self.stack[-2:]))

    def _check(self, text, where):
        for word in WORD.findall(text or ""):
            if word not in ALLOWED:
                self.found.add(f"{where}: {text.strip()[:60]}")


def english_labels(html: str) -> set[str]:
    parser = _Labels()
    parser.feed(html)
    return parser.found


def test_admin_index_and_change_lists_are_in_chinese(client, superuser, unit_a):
    # One row in the report list, so its column headers ("Display title" before) are drawn.
    AnnualReport.objects.create(unit=unit_a, year=2025)
    client.force_login(superuser)
    pages = ["/admin/"]
    for model in admin.site._registry:
        meta = model._meta
        pages.append(f"/admin/{meta.app_label}/{meta.model_name}/")
    problems = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        found = english_labels(response.content.decode())
        if found:
            problems[url] = sorted(found)
    assert problems == {}


def test_hidden_headers_of_the_admin_index_are_read_in_chinese(client, superuser):
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()
    assert "Model name" not in html and "Add link" not in html
    assert '<th scope="col">模型名称</th>' in html


def test_login_protection_app_has_a_chinese_name(client, superuser):
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()
    assert "登录保护" in html and ">Axes<" not in html


def test_permission_names_read_in_chinese_on_the_user_page(client, superuser):
    client.force_login(superuser)
    html = client.get(f"/admin/auth/user/{superuser.pk}/change/").content.decode()
    assert "Can add" not in html and "Can view" not in html
    assert "依申请公开 | 政府信息公开申请 | 查看政府信息公开申请" in html


def test_selection_widget_speaks_chinese(client, superuser):
    """The user page's permission picker (Django's SelectFilter2) reads its words from jsi18n."""
    client.force_login(superuser)
    catalog = client.get("/admin/jsi18n/").content.decode()
    # The catalog is JSON inside a script: non-ASCII characters come escaped.
    assert '"Choose all %s": ' + json.dumps("全选%s") in catalog
    assert json.dumps("然后点击“选择”箭头按钮")[1:-1] in catalog
    html = client.get(f"/admin/auth/user/{superuser.pk}/change/").content.decode()
    assert "Hold down" not in html
