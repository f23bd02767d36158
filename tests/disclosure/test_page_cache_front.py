"""Cached pages answered in front of Django (portal.pagecache.PageCacheApplication, the WSGI
application gunicorn serves), measured in bench/: the same page, headers and invalidation as
through Django's handler, and everything the shortcut must not answer goes to Django."""

import io
import sys
from unittest import mock

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from disclosure import workflow
from portal import pagecache
from portal.permissions import SYSTEM

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_profile")]


class Answer:
    def __init__(self, status, headers, body, through_django):
        self.status_code = int(status.split()[0])
        self.headers = dict(headers)
        self.header_list = headers
        self.content = body
        self.through_django = through_django

    def __getitem__(self, name):
        return self.headers[name]


class WSGIClient:
    """GET requests straight to the WSGI application, as gunicorn makes them. Like Django's test
    client it keeps the test's database transaction open (no close_old_connections)."""

    def __init__(self, application):
        self.application = application

    def request(self, path, method="GET", host="testserver", **environ):
        path_info, _, query = path.partition("?")
        base = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path_info,
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "HTTP_HOST": host,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        base.update(environ)
        started = []
        seen = {}

        def on_start(**kwargs):
            started.append(True)

        def start_response(status, headers, exc_info=None):
            seen.update(status=status, headers=headers)

        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        request_started.connect(on_start)
        try:
            result = self.application(base, start_response)
            body = b"".join(result)
            if hasattr(result, "close"):
                result.close()
        finally:
            request_started.disconnect(on_start)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return Answer(seen["status"], seen["headers"], body, bool(started))

    def get(self, path, **environ):
        return self.request(path, **environ)


@pytest.fixture
def front():
    return WSGIClient(pagecache.PageCacheApplication(WSGIHandler()))


def test_gunicorn_serves_the_shortcut():
    from portal.wsgi import application

    assert isinstance(application, pagecache.PageCacheApplication)
    # Another middleware before the page cache would turn it off rather than be skipped.
    assert application.enabled


def test_a_hit_is_answered_before_django_with_the_same_page_and_headers(
    front, unit_b, make_entry, django_assert_num_queries
):
    make_entry(unit_b, title="前置缓存的通知")
    miss = front.get("/")
    assert miss.through_django and miss["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        hit = front.get("/")
    assert not hit.through_django
    assert hit.status_code == 200 and hit["X-Page-Cache"] == "hit"
    assert hit.content == miss.content
    assert "前置缓存的通知" in hit.content.decode()
    # Every header the page had through Django: the inner middleware's (CSP, frame denial)
    # stored with it, the outer SecurityMiddleware's added again.
    for name in (
        "Content-Type",
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Cache-Control",
        "Content-Length",
    ):
        assert hit[name] == miss[name], name
    assert sorted(name for name, _ in hit.header_list) == sorted(
        name for name, _ in miss.header_list
    )


def test_a_publication_and_a_withdrawal_show_at_once(
    front, unit_b, make_entry, django_capture_on_commit_callbacks
):
    front.get("/unit/jyj/"), front.get("/unit/jyj/")
    with django_capture_on_commit_callbacks(execute=True):
        entry = make_entry(unit_b, title="刚刚发布的公告")
    fresh = front.get("/unit/jyj/")
    assert fresh["X-Page-Cache"] == "miss" and "刚刚发布的公告" in fresh.content.decode()
    assert front.get("/unit/jyj/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.withdraw(entry, SYSTEM, "内容有误")
    assert "刚刚发布的公告" not in front.get("/unit/jyj/").content.decode()


def test_a_miss_is_looked_up_once(front, unit_b):
    with mock.patch.object(pagecache, "_lookup", wraps=pagecache._lookup) as lookup:
        assert front.get("/unit/jyj/")["X-Page-Cache"] == "miss"
        assert lookup.call_count == 1
        assert front.get("/unit/jyj/")["X-Page-Cache"] == "hit"
        assert lookup.call_count == 2


def test_conditional_requests_get_304_from_the_shortcut(front, unit_b, make_entry):
    entry = make_entry(unit_b, title="条件请求")
    page = front.get(entry.get_absolute_url())
    assert page["ETag"]
    again = front.get(entry.get_absolute_url(), HTTP_IF_NONE_MATCH=page["ETag"])
    assert again.status_code == 304 and again.content == b"" and not again.through_django


@pytest.mark.parametrize(
    "environ",
    [
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_COOKIE": "messages=abc"},
        {"REQUEST_METHOD": "HEAD"},
    ],
    ids=["session", "messages", "head"],
)
def test_what_the_shortcut_leaves_to_django(front, unit_b, environ):
    front.get("/"), front.get("/")  # stored
    answer = front.get("/", **environ)
    assert answer.through_django
    assert answer.status_code == 200


def test_a_visitor_with_a_session_gets_a_fresh_page(front, unit_b):
    front.get("/"), front.get("/")
    assert "X-Page-Cache" not in front.get("/", HTTP_COOKIE="sessionid=abc").headers


def test_a_host_django_refuses_is_refused(front, unit_b):
    front.get("/"), front.get("/")
    answer = front.get("/", host="evil.example")
    assert answer.through_django and answer.status_code == 400


def test_https_redirect_still_happens(front, unit_b, settings):
    front.get("/"), front.get("/")
    settings.SECURE_SSL_REDIRECT = True
    # Django's SecurityMiddleware reads its settings when the handler is built.
    answer = WSGIClient(pagecache.PageCacheApplication(WSGIHandler())).get("/")
    assert answer.through_django
    assert answer.status_code == 301 and answer["Location"].startswith("https://")


def test_pages_are_kept_per_scheme(front, unit_b, settings):
    """A page rendered for http carries http links (canonical, feeds): never served to https."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    front.get("/"), front.get("/")
    secure = front.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert secure["X-Page-Cache"] == "miss"


def test_cached_api_answers_count_against_the_rate_limit_once(front, unit_b, settings):
    settings.API_RATE_LIMIT = 3
    first = front.get("/api/v1/units/")
    assert first.through_django and first["X-Page-Cache"] == "miss"
    second = front.get("/api/v1/units/")
    assert not second.through_django and second["X-Page-Cache"] == "hit"
    for answer in (first, second):
        assert answer["Access-Control-Allow-Origin"] == "*"
        assert answer["Access-Control-Expose-Headers"] == "ETag, Last-Modified, Retry-After"
    # The miss counted once (in front of Django, not again in ApiMiddleware): a third is allowed.
    assert front.get("/api/v1/units/").status_code == 200
    refused = front.get("/api/v1/units/")
    assert refused.status_code == 429 and not refused.through_django
    assert refused["Retry-After"] == "60" and refused["Access-Control-Allow-Origin"] == "*"
    assert "请求过于频繁" in refused.content.decode()
    # Not cacheable answers (a preflight) still get the gate's answer through Django.
    preflight = front.request("/api/v1/units/", method="OPTIONS")
    assert preflight.through_django and preflight.status_code == 204


def test_an_owed_cache_flush_is_paid_by_django_first(front, unit_b, settings):
    front.get("/"), front.get("/")
    settings.CACHE_FLUSH_CHECK_SECONDS = 10
    from portal import cache as resilient

    resilient.reset()  # the next request is due to look for other processes' owed flushes
    assert front.get("/").through_django
