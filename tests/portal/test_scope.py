"""The year and unit of statistics and report pages: one reading of ?year=, ?unit=, ?subtree=1;
a bad value is ignored, never a 500 (issue #10 §6)."""

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

BAD = ["year=0", "year=99999", "year=abc", "year=２０２５", "unit=abc", "unit=99999999999999999"]


@pytest.mark.parametrize("query", BAD)
def test_bad_parameters_are_ignored_on_the_staff_report_tables(client, clerk_a, query):
    client.force_login(clerk_a)
    response = client.get(f"/admin/applications/request/report/?{query}")
    assert response.status_code == 200
    last_year = timezone.localdate().year - 1
    assert response.context["year"] == last_year and response.context["unit"] is None


@pytest.mark.parametrize("query", [*BAD, "unit=%3Cscript%3E&subtree=1"])
def test_bad_parameters_are_ignored_on_the_public_statistics(client, unit_a, query):
    for url in ("/yishenqing/tongji/", "/yishenqing/tongji.csv"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200


@pytest.mark.parametrize("query", BAD)
def test_bad_parameters_are_ignored_on_the_year_overview(client, unit_a, query):
    response = client.get(f"/nianbao/?{query}")
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year - 1


def test_a_unit_and_its_subtree_are_chosen_by_the_same_rule_everywhere(
    client, clerk_a, government, unit_a
):
    # The public page picks a unit by its slug, the staff page by its id; both add the subtree.
    stats = client.get(f"/yishenqing/tongji/?unit={government.slug}&subtree=1")
    assert stats.context["unit"] == government and stats.context["subtree"] is True
    client.force_login(clerk_a)
    report = client.get(f"/admin/applications/request/report/?unit={unit_a.pk}&year=2024")
    assert report.context["unit"] == unit_a and report.context["year"] == 2024


@pytest.mark.parametrize("query", ["year=0", "year=99999", "year=abc"])
def test_bad_year_on_the_entry_list_and_its_export(client, publisher_a, query):
    client.force_login(publisher_a)
    for url in ("/admin/disclosure/entry/", "/admin/disclosure/entry/export/csv/"):
        assert client.get(f"{url}?{query}").status_code in (200, 302, 400)
