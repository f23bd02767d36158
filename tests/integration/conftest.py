"""Live gunicorn instances against the test database, for scale-out and resilience tests.

These run only on PostgreSQL with Redis (as in CI's second pass): several processes must share
one database and one cache. Tests that stop or restart a service also need RESILIENCE_TESTS=1 or
CI=true, so a developer's own services are never restarted by surprise.
"""

import functools
import http.client
import http.cookiejar
import os
import re
import shutil
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
    """A minimal client: cookies, CSRF tokens from forms, no redirects followed unless asked.

    `source` connects from another loopback address (127.0.0.2...), so a proxy in front sees
    distinct clients; `headers` are sent with every request (a forged X-Forwarded-For).
    """

    def __init__(self, source=None, headers=None):
        self.jar = http.cookiejar.CookieJar()
        self.source = source
        self.headers = dict(headers or {})

    def _opener(self, follow=True):
        handlers = [urllib.request.HTTPCookieProcessor(self.jar)]
        if self.source:
            source = self.source

            class FromSource(urllib.request.HTTPHandler):
                def http_open(self, req):
                    connection = functools.partial(
                        http.client.HTTPConnection, source_address=(source, 0)
                    )
                    return self.do_open(connection, req)

            handlers.append(FromSource)
        if not follow:

            class NoRedirect(urllib.request.HTTPRedirectHandler):
                def redirect_request(self, *args, **kwargs):
                    return None

            handlers.append(NoRedirect)
        return urllib.request.build_opener(*handlers)

    def request(self, url, data=None, follow=True, timeout=10):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, headers={"Referer": url, **self.headers})
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
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": url,
                **self.headers,
            },
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
        # A loaded test machine would trip the production 50 ms timeout at random.
        CACHE_TIMEOUT_MS="2000",
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


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_config(upstream_port: int, listen_port: int, folder: Path) -> str:
    """deploy/nginx.conf's proxy location as shipped, on a private port, without TLS, as the
    current user; everything else in the file (TLS, media) is not what these tests prove."""
    shipped = (ROOT / "deploy" / "nginx.conf").read_text()
    location = re.search(r"\n    location / \{.*?\n    \}", shipped, re.S).group(0)
    body_size = re.search(r"client_max_body_size [^;]+;", shipped).group(0)
    temp = " ".join(
        f"{kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""
daemon off;
master_process off;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    {temp}
    upstream portal_app {{ server 127.0.0.1:{upstream_port} fail_timeout=0; }}
    server {{
        listen 127.0.0.1:{listen_port};
        {body_size}
        {location}
    }}
}}
"""


@pytest.fixture
def behind_nginx(tmp_path):
    """Start nginx with deploy/nginx.conf's proxy block in front of an instance; returns its URL."""
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (apt-get install nginx)")
    started = []

    def _start(instance: Instance) -> str:
        folder = tmp_path / f"nginx-{len(started)}"
        folder.mkdir()
        port = free_port()
        config = folder / "nginx.conf"
        config.write_text(nginx_config(instance.port, port, folder))
        process = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started.append(process)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return f"http://127.0.0.1:{port}"
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(process.stderr.read().decode()) from None
                time.sleep(0.1)
        raise RuntimeError("nginx did not start")

    yield _start
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
