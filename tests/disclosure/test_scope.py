"""A clerk of unit B never sees unit A's entries: lists, filters, autocompletes, detail URLs."""

import json

import pytest

from disclosure.models import EntryState
from portal.models import Role
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/disclosure/entry/"


@pytest.fixture
def publisher_b(django_user_model, unit_b):
    return make_staff(django_user_model, "publisher_b", unit_b, Role.PUBLISHER)


@pytest.fixture
def entries(unit_a, unit_b, make_entry):
    return {
        "a_draft": make_entry(unit_a, state=EntryState.DRAFT, title="甲单位草稿"),
        "a_public": make_entry(unit_a, title="甲单位已发布"),
        "b_draft": make_entry(unit_b, state=EntryState.DRAFT, title="乙单位草稿"),
    }


def test_changelist_shows_only_own_unit(login, publisher_b, entries):
    body = login(publisher_b).get(CHANGELIST).content.decode()
    assert "乙单位草稿" in body
    assert "甲单位草稿" not in body and "甲单位已发布" not in body


def test_unit_filter_offers_only_own_units(login, publisher_b, unit_admin_gov, entries):
    body = login(publisher_b).get(CHANGELIST).content.decode()
    filters = body.split('id="changelist-filter"')[1]
    assert "安庆市人民政府政务服务中心" not in filters
    # A 单位管理员 of the government sees its whole subtree in the filter.
    body = login(unit_admin_gov).get(CHANGELIST).content.decode()
    filters = body.split('id="changelist-filter"')[1]
    assert "安庆市教育局" in filters and "安庆市人民政府政务服务中心" in filters


def test_filtering_by_another_unit_shows_nothing(login, publisher_b, unit_a, entries):
    body = login(publisher_b).get(f"{CHANGELIST}?unit__id__exact={unit_a.pk}").content.decode()
    assert "甲单位" not in body


def test_search_does_not_cross_units(login, publisher_b, entries):
    body = login(publisher_b).get(f"{CHANGELIST}?q=甲单位").content.decode()
    assert "甲单位草稿" not in body


@pytest.mark.parametrize("suffix", ["change/", "delete/", "history/"])
def test_detail_urls_of_other_units_are_404(login, publisher_b, entries, suffix):
    pk = entries["a_draft"].pk
    assert login(publisher_b).get(f"{CHANGELIST}{pk}/{suffix}").status_code == 404


def test_workflow_url_of_other_unit_is_404(login, publisher_b, entries):
    pk = entries["a_draft"].pk
    response = login(publisher_b).post(f"{CHANGELIST}{pk}/workflow/", {"action": "submit"})
    assert response.status_code == 404
    entries["a_draft"].refresh_from_db()
    assert entries["a_draft"].state == EntryState.DRAFT


def test_bulk_action_ignores_other_units_ids(login, publisher_b, entries):
    ids = [str(entries["a_draft"].pk), str(entries["b_draft"].pk)]
    login(publisher_b).post(CHANGELIST, {"action": "submit_selected", "_selected_action": ids})
    entries["a_draft"].refresh_from_db()
    entries["b_draft"].refresh_from_db()
    assert entries["a_draft"].state == EntryState.DRAFT
    assert entries["b_draft"].state == EntryState.PENDING


def test_unit_autocomplete_is_scoped(login, publisher_b, entries):
    params = {
        "app_label": "disclosure",
        "model_name": "entry",
        "field_name": "unit",
        "term": "安庆",
    }
    results = json.loads(login(publisher_b).get("/admin/autocomplete/", params).content)["results"]
    assert [r["text"] for r in results] == ["安庆市教育局"]


def test_export_is_scoped(login, publisher_b, entries):
    content = login(publisher_b).get(f"{CHANGELIST}export/csv/").content.decode("utf-8-sig")
    assert "乙单位草稿" in content and "甲单位" not in content


def test_timeliness_report_is_scoped(login, publisher_b, unit_a, make_entry):
    import datetime as dt

    make_entry(unit_a, state=EntryState.DRAFT, title="甲超期", made_on=dt.date(2020, 1, 2))
    assert "甲超期" not in login(publisher_b).get(f"{CHANGELIST}timeliness/").content.decode()


def test_clerk_without_catalog_role_has_no_entry_admin(login, clerk_b, entries):
    assert login(clerk_b).get(CHANGELIST).status_code == 403
