"""Live gunicorn instances against the test database, for scale-out and resilience tests.

These run only on PostgreSQL with Redis (as in CI's second pass): several processes must share
one database and one cache. Tests that stop or restart a service also need RESILIENCE_TESTS=1 or
CI=true, so a developer's own services are never restarted by surprise.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def may_restart_services():
    if os.environ.get("CI") != "true" and os.environ.get("RESILIENCE_TESTS") != "1":
        pytest.skip(
            "stops and restarts PostgreSQL / Redis: only with CI=true or RESILIENCE_TESTS=1"
        )


def needs_postgres_and_redis():
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs PostgreSQL and Redis (DATABASE_URL=postgres://…, REDIS_URL)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Instance:
    """One gunicorn process of the site, and a cookie-keeping HTTP client for it."""

    def __init__(self, port: int, process: subprocess.Popen):
        self.port = port
        self.process = process
        self.base = f"http://127.0.0.1:{port}"

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Browser:
    """A minimal client: cookies, CSRF tokens from forms, no redirects followed unless asked."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()

    def _opener(self, follow=True):
        handlers = [urllib.request.HTTPCookieProcessor(self.jar)]
        if not follow:

            class NoRedirect(urllib.request.HTTPRedirectHandler):
                def redirect_request(self, *args, **kwargs):
                    return None

            handlers.append(NoRedirect)
        return urllib.request.build_opener(*handlers)

    def request(self, url, data=None, follow=True, timeout=10):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, headers={"Referer": url})
        try:
            with self._opener(follow).open(req, timeout=timeout) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), dict(error.headers)

    def get(self, url, **kwargs):
        return self.request(url, **kwargs)

    def post_multipart(self, url, fields, files, follow=False, timeout=10):
        boundary = "----portal-integration"
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, content, mime) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {mime}\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        req = urllib.request.Request(
            url,
            data=b"".join(parts),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": url},
        )
        try:
            with self._opener(follow).open(req, timeout=timeout) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), dict(error.headers)

    def post_form(self, url, data, follow=False):
        """GET the form first for its CSRF token, then POST it."""
        status, body, _ = self.get(url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        return self.request(url, {"csrfmiddlewaretoken": token, **data}, follow=follow)


def start_instance(env_overrides=None, media=None) -> Instance:
    port = free_port()
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DEBUG="1",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        REDIS_URL=settings.REDIS_URL,
        ALLOWED_HOSTS="127.0.0.1",
        PORT=str(port),
        HOST="127.0.0.1",
        WEB_CONCURRENCY="2",
        LOG_LEVEL="WARNING",
        FORM_MIN_FILL_SECONDS="0",
    )
    if media:
        env.update(MEDIA_ROOT=str(media / "media"), PRIVATE_MEDIA_ROOT=str(media / "private"))
    env.update(env_overrides or {})
    process = subprocess.Popen(
        [GUNICORN, "-c", "deploy/gunicorn.conf.py", "--access-logfile", "/dev/null", "portal.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    instance = Instance(port, process)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{instance.base}/healthz", timeout=2):
                return instance
        except Exception:
            time.sleep(0.3)
    instance.stop()
    raise RuntimeError("gunicorn did not start")


@pytest.fixture
def instances(transactional_db, tmp_path):
    needs_postgres_and_redis()
    started = []

    def _start(count=1, **env):
        for _ in range(count):
            started.append(start_instance(env, media=tmp_path))
        return started[-count:]

    yield _start
    for instance in started:
        instance.stop()
