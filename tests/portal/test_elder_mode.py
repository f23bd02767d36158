"""长者模式 without scripts: ?mode=elder renders the mode's class into the page, and the page cache
(keyed by the full URL) keeps that variant apart from the shared normal page."""

import re

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_profile")]

ELDER_HTML = '<html lang="zh-CN" class="elder">'


def toggle(body: str) -> tuple[str, str]:
    link = re.search(
        r'<a class="elder-toggle" id="elder-toggle" href="([^"]*)"[^>]*>([^<]*)</a>', body
    )
    return link.group(1).replace("&amp;", "&"), link.group(2)


def test_query_parameter_gives_the_mode_and_does_not_poison_the_cached_page(client, unit_b):
    normal = client.get("/")
    assert normal["X-Page-Cache"] == "miss"
    body = normal.content.decode()
    assert '<html lang="zh-CN">' in body and "noindex" not in body
    assert toggle(body) == ("/?mode=elder", "长者模式")
    # The mode is applied by the site's own script; nothing inline (CSP), nothing per visitor.
    assert "js/access.js" in body and "<script>" not in body

    elder = client.get("/?mode=elder")
    assert elder["X-Page-Cache"] == "miss"
    body = elder.content.decode()
    assert ELDER_HTML in body
    assert '<meta name="robots" content="noindex">' in body  # one indexed copy of each page
    assert toggle(body) == ("/", "退出长者模式")

    again = client.get("/")
    assert again["X-Page-Cache"] == "hit" and ELDER_HTML not in again.content.decode()
    elder_again = client.get("/?mode=elder")
    assert elder_again["X-Page-Cache"] == "hit" and ELDER_HTML in elder_again.content.decode()


def test_toggle_link_keeps_the_other_query_parameters(client, unit_b):
    body = client.get("/search/", {"q": "招生", "page": "2"}).content.decode()
    assert toggle(body)[0] == "/search/?q=%E6%8B%9B%E7%94%9F&page=2&mode=elder"
    body = client.get("/search/", {"q": "招生", "mode": "elder"}).content.decode()
    assert ELDER_HTML in body and toggle(body)[0] == "/search/?q=%E6%8B%9B%E7%94%9F"


@pytest.mark.parametrize(
    "path", ["/unit/jyj/", "/xxgk/jyj/", "/nianbao/", "/yishenqing/", "/yishenqing/shenqing/"]
)
def test_every_public_layout_offers_the_mode_and_read_aloud(client, unit_b, path):
    body = client.get(path + "?mode=elder").content.decode()
    assert ELDER_HTML in body
    assert 'id="read-aloud"' in body and "hidden>朗读本页</button>" in body  # shown by the script


def test_unknown_mode_value_is_the_normal_page(client, unit_b):
    assert ELDER_HTML not in client.get("/?mode=<script>").content.decode()
