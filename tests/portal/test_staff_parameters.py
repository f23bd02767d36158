"""Staff pages answer bad query parameters with 400 or ignore them, never a 500; every staff page
checks its permission."""

import pytest

from disclosure.models import Category, Entry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query", ["?unit=abc", "?unit=1.5", "?year=abc&unit=", "?unit=99999999999"]
)
def test_request_report_ignores_a_bad_unit(client, clerk_a, query):
    client.force_login(clerk_a)
    response = client.get("/admin/applications/request/report/" + query)
    assert response.status_code == 200 and response.context["unit"] is None


@pytest.fixture
def entry(unit_a):
    return Entry.objects.create(
        unit=unit_a,
        category=Category.objects.get(slug="jgzn"),
        title="年度筛选",
        made_on="2025-03-01",
    )


@pytest.mark.parametrize("year", ["0", "99999", "00000", "1"])
@pytest.mark.parametrize("url", ["/admin/disclosure/entry/", "/admin/disclosure/entry/export/csv/"])
def test_entry_list_and_export_ignore_an_impossible_year(client, publisher_a, entry, url, year):
    client.force_login(publisher_a)
    response = client.get(url, {"year": year})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert "年度筛选" in response.content.decode("utf-8-sig")


def test_entry_list_filters_by_a_real_year(client, publisher_a, entry):
    client.force_login(publisher_a)
    assert "年度筛选" in client.get("/admin/disclosure/entry/", {"year": "2025"}).content.decode()
    assert (
        "年度筛选" not in client.get("/admin/disclosure/entry/", {"year": "2024"}).content.decode()
    )


def test_report_deadlines_need_the_report_permission(client, clerk_a, admin_a):
    client.force_login(clerk_a)
    assert client.get("/admin/reports/annualreport/deadlines/").status_code == 403
    client.force_login(admin_a)
    response = client.get("/admin/reports/annualreport/deadlines/")
    assert response.status_code == 200 and len(response.context["rows"]) == 1
