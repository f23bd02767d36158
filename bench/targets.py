"""Pick the benchmark's pages from the bench database and count each page's queries.

Prints one line per target: name, path, queries (rendered, page cache bypassed), the path of a wrk
Lua script for POST targets (empty for GET), and the median time of one uncached rendering in
milliseconds (in-process, without the network and gunicorn; "-" for POST targets). Run by bench/run.py with the bench environment.
"""

import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from applications import workflow  # noqa: E402
from applications.models import ApplicantType, DeliveryRoute, Medium  # noqa: E402
from disclosure.guides.models import ServiceGuide  # noqa: E402
from disclosure.models import Entry  # noqa: E402
from disclosure.reports.models import AnnualReport  # noqa: E402
from interaction.models import Message  # noqa: E402
from portal import pagecache  # noqa: E402
from portal.models import PublishingUnit  # noqa: E402

settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def lua_post(path: str, body: bytes, cookie: str, content_type: str) -> str:
    """A wrk script that POSTs a fixed body with a CSRF cookie (bytes escaped for Lua)."""
    escaped = "".join(f"\\{byte}" for byte in body)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            f'wrk.method = "POST"\nwrk.path = "{path}"\nwrk.body = "{escaped}"\n'
            f'wrk.headers["Content-Type"] = "{content_type}"\n'
            f'wrk.headers["Cookie"] = "{cookie}"\n'
        )
    return script.name


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = "----portalbench7c1e"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content, mime) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {mime}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def png() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()


def measure_render(client: Client, path: str, repeat: int = 7) -> tuple[int, float]:
    """Queries and median wall time (ms) of one rendering, page cache bypassed, in-process."""
    pagecache.bump("all")
    client.get(path)  # warm the site profile, generation keys and PostgreSQL's buffers
    times = []
    for _ in range(repeat):
        pagecache.bump("all")
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return len(queries), statistics.median(times)


def optional_targets() -> list[tuple[str, str]]:
    """Pages of content the generators do not make, only load_demo: measured where the bench
    database holds some (a published guide, a published message), left out where it holds none."""
    targets = []
    # The unit with the most published guides (load_demo's: 市政务服务中心).
    busiest = (
        ServiceGuide.objects.published()
        .values("unit__slug")
        .annotate(guides=Count("pk"))
        .order_by("-guides", "unit__slug")
        .first()
    )
    if busiest is not None:
        targets.append(("API guides of a unit", f"/api/v1/guides/?unit={busiest['unit__slug']}"))
    if Message.objects.published().exists():
        targets.append(("API messages", "/api/v1/messages/"))
    return targets


def main() -> None:
    from urllib.parse import urlencode

    client = Client()
    unit = PublishingUnit.objects.get(slug="zwzx")
    # The newest entry with a page of its own (a report or a guide filed in the catalog redirects).
    entry = next(
        e
        for e in Entry.objects.public().filter(unit=unit).order_by("-published_at")[:50]
        if client.get(e.get_absolute_url()).status_code == 200
    )
    report = AnnualReport.objects.published().filter(format="2021").order_by("-year").first()
    targets = [
        ("home", "/"),
        ("unit catalog", f"/xxgk/{unit.slug}/"),
        ("entry page", entry.get_absolute_url()),
        ("search 政务公开", "/search/?" + urlencode({"q": "政务公开"})),
        # One bigram found in about a quarter of all entries: the broadest common query.
        ("search 政务", "/search/?" + urlencode({"q": "政务"})),
        ("annual report", report.get_absolute_url()),
        ("API entries of a unit", f"/api/v1/entries/?unit={unit.slug}"),
        ("API search 政务", "/api/v1/entries/?" + urlencode({"q": "政务"})),
        ("API entry", f"/api/v1/entries/{entry.pk}/"),
    ]
    targets += optional_targets()
    for name, path in targets:
        queries, render_ms = measure_render(client, path)
        print(f"{name}\t{path}\t{queries}\t\t{render_ms:.1f}")

    # POST targets share one CSRF cookie and token, as one browser would.
    page = client.get("/yishenqing/chaxun/")
    token = client.cookies["csrftoken"].value
    cookie = f"csrftoken={token}"
    _, code = workflow.submit_online(
        unit,
        {
            "applicant_type": ApplicantType.PERSON,
            "name": "压力测试",
            "id_type": "resident_id",
            "id_number": "11010519491231002X",
            "phone": "13912345678",
            "info_description": "压力测试所需的信息。",
            "medium": Medium.EMAIL,
            "delivery": DeliveryRoute.ONLINE,
        },
    )
    tracked = unit.requests.order_by("-pk").first()
    body = urlencode(
        {"csrfmiddlewaretoken": token, "number": tracked.number, "code": code}
    ).encode()
    script = lua_post("/yishenqing/chaxun/", body, cookie, "application/x-www-form-urlencoded")
    print(f"track lookup\t/yishenqing/chaxun/\t-\t{script}\t-")

    form = client.get("/yishenqing/shenqing/").content.decode()
    started = re.search(r'name="started" value="([^"]+)"', form).group(1)
    fields = {
        "csrfmiddlewaretoken": token,
        "started": started,
        "unit": unit.pk,
        "applicant_type": ApplicantType.PERSON,
        "person_name": "压力测试",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "person_phone": "13912345678",
        "person_address": "安庆市迎江区人民路1号",
        "info_description": "压力测试所需的政府信息。",
        "medium": Medium.PAPER,
        "delivery": DeliveryRoute.POST,
        "declaration": "on",
    }
    assert page.status_code == 200
    body, content_type = multipart(fields, {"id_document": ("id.png", png(), "image/png")})
    script = lua_post("/yishenqing/shenqing/", body, cookie, content_type)
    print(f"online submission\t/yishenqing/shenqing/\t-\t{script}\t-")


if __name__ == "__main__":
    main()
