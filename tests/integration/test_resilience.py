"""Services failing under a live site: Redis stopped, PostgreSQL restarted under load."""

import io
import re
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.db import close_old_connections, connection
from PIL import Image

from applications.models import Request
from tests.integration.conftest import Browser, may_restart_services

REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
    "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log",
]  # fmt: skip


def wait_until(check, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if check():
                return True
        except Exception:  # noqa: S110 - a service coming back answers errors first
            pass
        time.sleep(0.5)
    return False


def redis_up() -> bool:
    return (
        subprocess.run(
            ["redis-cli", "-p", "6379", "ping"], capture_output=True, text=True
        ).stdout.strip()
        == "PONG"
    )


@pytest.fixture
def redis_stopped():
    may_restart_services()
    subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], capture_output=True)
    assert wait_until(lambda: not redis_up(), 10)
    yield
    Path("/var/lib/redis").mkdir(parents=True, exist_ok=True)
    Path("/var/log/redis").mkdir(parents=True, exist_ok=True)
    subprocess.run(REDIS_START, check=True)
    assert wait_until(redis_up, 20)


def test_pages_render_and_forms_work_with_redis_stopped(instances, unit_a, site_profile, request):
    (site,) = instances(1)
    browser = Browser()
    assert browser.get(site.base + "/")[0] == 200
    request.getfixturevalue("redis_stopped")
    for path in (
        "/",
        "/unit/zwzx/",
        "/xxgk/zwzx/",
        "/search/?q=%E6%94%BF%E5%8A%A1",
        "/yishenqing/",
    ):
        status, _, _ = browser.get(site.base + path)
        assert status == 200, path
    status, body, _ = browser.post_form(
        site.base + "/yishenqing/chaxun/", {"number": "YSQ-2026-000001", "code": "X"}
    )
    assert status == 200 and "申请编号或查询码不正确" in body  # rate limit let it through
    # Ready all the same: the load balancer keeps an instance that renders from the database.
    status, body, _ = browser.get(site.base + "/healthz")
    assert status == 200 and '"cache": "down"' in body


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()


def _submit(site, unit) -> str | None:
    """One online application; the 申请编号 when it was accepted, None when it was refused."""
    browser = Browser()
    status, form, _ = browser.get(site.base + "/yishenqing/shenqing/", timeout=5)
    if status != 200:
        return None
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    started = re.search(r'name="started" value="([^"]+)"', form).group(1)
    fields = {
        "csrfmiddlewaretoken": token, "started": started, "unit": unit.pk, "applicant_type": "person",
        "person_name": "韧性测试", "id_type": "resident_id", "id_number": "11010519491231002X",
        "person_phone": "13912345678", "person_address": "安庆市迎江区人民路1号",
        "info_description": "韧性测试所需的政府信息。", "medium": "paper", "delivery": "post", "declaration": "on",
    }  # fmt: skip
    status, _, headers = browser.post_multipart(
        site.base + "/yishenqing/shenqing/",
        fields,
        {"id_document": ("id.png", _png(), "image/png")},
        timeout=5,
    )
    if status != 302:
        return None
    status, receipt, _ = browser.get(site.base + "/yishenqing/shenqing/wancheng/", timeout=5)
    found = re.search(r"YSQ-\d{4}-\d{6}", receipt)
    return found.group(0) if found else "accepted-without-receipt"


def test_postgres_restart_under_load_loses_no_accepted_submission(instances, unit_a, site_profile):
    may_restart_services()
    (site,) = instances(1, RATE_LIMIT_SUBMISSIONS="100000", DB_CONN_MAX_AGE="60")
    accepted, refused = [], []
    stop = threading.Event()

    def load():
        while not stop.is_set():
            try:
                number = _submit(site, unit_a)
            except Exception:
                number = None
            (accepted if number else refused).append(number)

    workers = [threading.Thread(target=load) for _ in range(3)]
    for worker in workers:
        worker.start()
    time.sleep(3)
    version = subprocess.run(
        ["ls", "/etc/postgresql"], capture_output=True, text=True
    ).stdout.split()[0]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True
    )
    time.sleep(4)
    stop.set()
    for worker in workers:
        worker.join(timeout=30)

    # The site came back by itself: health checks of pooled connections replaced the dead ones.
    assert wait_until(lambda: Browser().get(site.base + "/healthz")[0] == 200, 30)
    after = [_submit(site, unit_a) for _ in range(4)]
    assert all(after), "submissions are not accepted again after the restart"
    close_old_connections()
    connection.close()
    numbered = [number for number in accepted + after if number.startswith("YSQ-")]
    assert len(numbered) >= 3 and refused, "the restart was not under load"
    stored = set(Request.objects.values_list("number", flat=True))
    assert set(numbered) <= stored, "an accepted submission was lost"
    # A submission accepted (302) whose receipt page fell into the outage is stored all the same.
    assert len(stored) >= len(accepted) + len(after)
    # Nothing half-saved: every request has its number, its receipt event and its file.
    for saved in Request.objects.prefetch_related("events"):
        assert saved.number and saved.events.exists() and saved.id_document, saved.pk
