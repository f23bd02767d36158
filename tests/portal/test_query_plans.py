"""Every list and every filter, public and staff, can be answered through an index (PostgreSQL).

Each page is requested as a visitor or a staff member would, every query it runs is captured and
EXPLAINed with sequential scans disabled: PostgreSQL then still chooses a sequential scan only
where no index can serve the query. Staff lists are walked filter by filter, following the links
of the admin's filter sidebar, so a filter added later is checked without touching this test.
Free-text search in the admin (LIKE '%…%') is the one thing no B-tree index serves; the public
search has its own test of the plans the planner really chooses (tests/disclosure/test_search.py).
"""

import io
import re
from html import unescape

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosure.guides.models import ServiceGuide
from disclosure.models import Category, Entry
from disclosure.reports.models import AnnualReport
from portal import pagecache
from portal.models import PublishingUnit, Role
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db

# The tables that grow with the years; the others hold a few dozen rows (units, categories...).
LARGE_TABLES = (
    "disclosure_entry",
    "disclosure_entryevent",
    "disclosure_searchdocument",
    "disclosure_searchmiss",
    "disclosure_attachment",
    "applications_request",
    "applications_requestevent",
    "applications_document",
    "applications_personaldataaccess",
    "reports_reportfigure",
    "django_admin_log",
    "portal_outboundemail",
)
_SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")
_FILTER_LINK = re.compile(r'<nav id="changelist-filter".*?</nav>', re.S)


def seq_scans(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")
    return [table for table in _SEQ_SCAN.findall(plan) if table in LARGE_TABLES]


def unindexed(client, url: str) -> list[str]:
    """The queries of one page view that no index can serve, as 'url: table: sql'."""
    pagecache.bump("all")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    problems = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        for table in seq_scans(sql):
            problems.append(f"{url}: {table}: {sql[:300]}")
    return problems


def filter_links(client, changelist: str) -> list[str]:
    html = client.get(changelist).content.decode()
    sidebar = _FILTER_LINK.search(html)
    if not sidebar:
        return []
    links = {unescape(href) for href in re.findall(r'href="(\?[^"]+)"', sidebar.group(0))}
    return [changelist + link for link in sorted(links)]


@pytest.fixture
def volume(db):
    if connection.vendor != "postgresql":
        pytest.skip("query plans are checked on PostgreSQL, as deployed")
    call_command("load_demo", stdout=io.StringIO())  # units, entries, requests, reports
    call_command("generate_entries", 1500, verbosity=0, stdout=io.StringIO())
    call_command("generate_requests", 800, verbosity=0, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def test_every_public_list_and_filter_has_an_index(client, volume):
    unit = PublishingUnit.objects.get(slug="zwzx")
    category = Category.objects.filter(entries__unit=unit).first()
    entry = Entry.objects.public().filter(unit=unit).first()
    report = AnnualReport.objects.published().first()
    year = entry.published_at.year
    urls = [
        "/",
        f"/unit/{unit.slug}/",
        f"/xxgk/{unit.slug}/",
        f"/xxgk/{unit.slug}/?year={year}",
        f"/xxgk/{unit.slug}/c/{category.slug}/",
        f"/xxgk/{unit.slug}/c/{category.slug}/?year={year}&page=2",
        entry.get_absolute_url(),
        f"/xxgk/{unit.slug}/rss.xml",
        f"/xxgk/fenlei/{category.slug}/rss.xml",
        "/sitemap.xml",
        f"/search/?q=政务&unit={unit.slug}&category={category.slug}&year={year}",
        "/nianbao/",
        f"/nianbao/{report.unit.slug}/",
        report.get_absolute_url(),
        "/yishenqing/tongji/",
        f"/yishenqing/tongji/?unit={unit.slug}",
        "/zhengce/",
        f"/zhengce/?type=normative&unit={unit.slug}&year={year}&validity=all&topic=政务",
        "/zhengce/export.csv?validity=repealed",
        f"/bszn/{unit.slug}/",
        f"/bszn/{unit.slug}/?q=许可",
        ServiceGuide.objects.published().filter(unit=unit).first().get_absolute_url(),
        "/api/v1/entries/",
        f"/api/v1/entries/?unit={unit.slug}&category={category.slug}&year={year}",
        f"/api/v1/entries/{entry.pk}/",
        "/api/v1/reports/",
    ]
    problems = [problem for url in urls for problem in unindexed(client, url)]
    assert not problems, "\n".join(problems)


def test_the_newest_public_change_is_read_from_an_index_end(volume):
    """The API's Last-Modified (EntryQuerySet.last_public_change), of the site and of a unit, is
    read from the end of one of its partial indexes, not from every row of the catalog. Which
    one a unit's takes is the planner's choice: with few units the site's, filtered, is as short
    a walk; with many, the unit's own."""
    unit = PublishingUnit.objects.get(slug="zwzx")
    for rows in (Entry.objects.all(), Entry.objects.filter(unit=unit)):
        with CaptureQueriesContext(connection) as captured:
            assert rows.last_public_change() is not None
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + captured[-1]["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Limit" in plan, plan
        assert re.search(r"Scan Backward using entry_(unit_)?public_changed ", plan), plan


def test_every_staff_list_and_filter_has_an_index(client, volume, superuser, django_user_model):
    # A superuser's lists cover every unit; a unit administrator's are scoped to a subtree.
    scoped = make_staff(
        django_user_model, "plans_admin", PublishingUnit.objects.get(slug="sjj"), Role.UNIT_ADMIN
    )
    pages = [
        reverse("admin:applications_request_dashboard"),
        reverse("admin:applications_request_report"),
        reverse("admin:disclosure_entry_timeliness"),
        reverse("admin:reports_annualreport_deadlines"),
    ]
    for model in admin.site._registry:
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        pages.append(changelist)
    problems = []
    for user in (superuser, scoped):
        client.force_login(user)
        for page in pages:
            if user is scoped and client.get(page).status_code != 200:
                continue  # a superuser's page only
            urls = [page, *filter_links(client, page)] if page.endswith("/") else [page]
            for url in urls:
                problems += unindexed(client, url)
    assert not problems, "\n".join(problems)
