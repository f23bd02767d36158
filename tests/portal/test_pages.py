from unittest import mock

import pytest

pytestmark = pytest.mark.django_db


def test_home_shows_unit_tree_and_footer(client, site_profile, unit_a, unit_b):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        "返回政府网首页",
        "返回信息公开专题首页",
        "当前位置",
        "安庆市人民政府",
        "安庆市数据资源局",
        "安庆市人民政府政务服务中心",
        "安庆市教育局",
        "依申请公开",
        "站内检索",
        "安庆市政务公开办公室主办",
        "运行维护：安庆市数据中心",
        "皖ICP备05003765号",
        "皖公网安备 34081102000277号",
        "技术支持：众和网络",
        "网站标识码：3408000001",
    ):
        assert text in body, text
    assert body.count("<h1") == 1
    assert '<a class="skip-link" href="#main">' in body


def test_home_hides_abolished_units(client, unit_a, unit_b):
    unit_b.is_active = False
    unit_b.save()
    assert "安庆市教育局" not in client.get("/").content.decode()
    # The abolished unit's page stays reachable for history.
    response = client.get("/unit/jyj/")
    assert response.status_code == 200 and "该单位已撤销" in response.content.decode()


def test_unit_page_has_breadcrumb_office_and_four_columns(client, site_profile, unit_a):
    response = client.get("/unit/zwzx/")
    body = response.content.decode()
    assert response.status_code == 200
    breadcrumb = body.split('aria-label="当前位置"')[1].split("</nav>")[0]
    assert (
        breadcrumb.index("首页")
        < breadcrumb.index("市政府")
        < breadcrumb.index("市数据资源局")
        < breadcrumb.index("市政务服务中心")
    )
    for column in ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报"):
        assert column in body
    assert "安庆市振风大道100号东部新城综合写字楼辅一楼" in body and "0556-5349772" in body


def test_home_query_count_does_not_grow_with_units(
    client, django_assert_max_num_queries, unit_a, unit_b
):
    from portal.models import PublishingUnit

    client.get("/")  # warm the site-profile cache
    with django_assert_max_num_queries(4):
        client.get("/")
    for i in range(20):
        PublishingUnit.objects.create(
            parent=unit_b, name=f"下属单位{i}", short_name=f"下属{i}", slug=f"sub-{i}"
        )
    with django_assert_max_num_queries(4):
        client.get("/")


def test_404_uses_site_layout(client, site_profile):
    response = client.get("/unit/no-such-unit/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body and "皖ICP备05003765号" in body


def test_500_page_in_site_layout(client, settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    client.raise_request_exception = False
    with mock.patch("portal.views.navigation.latest_items", side_effect=RuntimeError("boom")):
        response = client.get("/")
    assert response.status_code == 500
    assert "系统繁忙" in response.content.decode()


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_stays_ready_when_only_the_cache_fails(client):
    # Pages still render from the database: the load balancer must keep the instance.
    with mock.patch("portal.views.cache.set", side_effect=ConnectionError("down")):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "down"}


def test_liveness_consults_nothing(client):
    with mock.patch("portal.views.connection.cursor", side_effect=RuntimeError("db down")):
        response = client.get("/healthz/live")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_healthz_503_when_database_fails(client):
    with mock.patch("portal.views.connection.cursor", side_effect=RuntimeError("db down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_security_headers(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Disallow: /yishenqing/" in response.content.decode()


def test_robots_txt_does_not_reveal_a_custom_admin_path(client, settings):
    settings.ADMIN_PATH = "houtai-7f3k/"
    body = client.get("/robots.txt").content.decode()
    assert "houtai-7f3k" not in body and "admin" not in body


def test_admin_pages_ask_not_to_be_indexed(client):
    assert client.get("/admin/login/")["X-Robots-Tag"] == "noindex, nofollow"
    assert "X-Robots-Tag" not in client.get("/")


def test_unit_page_links_to_applying_to_this_unit(client, unit_a):
    body = client.get("/unit/zwzx/").content.decode()
    assert 'href="/yishenqing/shenqing/?unit=zwzx"' in body
    assert 'href="/nianbao/zwzx/"' in body
    form = client.get("/yishenqing/shenqing/?unit=zwzx").content.decode()
    assert f'<option value="{unit_a.pk}" selected>' in form
