"""Every staff page and action × persona: a role counts only in the unit where it is held.

Each persona holds roles in units A and B (siblings under the 市政府); each case is tried on A's and
on B's object. The expected answer is read from the table below: the case is allowed in a unit
exactly when the persona's role there is one of the roles the case needs (a 单位管理员 of the 市政府
covers both units, a superuser everything).
"""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications import workflow as request_workflow
from applications.models import Complaint, PersonalDataAccess, Request, State
from disclosure import workflow as entry_workflow
from disclosure.models import Category, Entry, EntryState
from disclosure.reports.models import AnnualReport, ReportFormat, ReportState
from portal.models import Role, UnitMembership
from portal.permissions import SYSTEM
from tests.applications.conftest import person_data
from tests.disclosure.conftest import png_bytes

pytestmark = pytest.mark.django_db

P, R, H, UA = Role.PUBLISHER, Role.REVIEWER, Role.HANDLER, Role.UNIT_ADMIN
REQ = "/admin/applications/request/"
ENTRY = "/admin/disclosure/entry/"
REPORT = "/admin/reports/annualreport/"

# persona -> {unit key: role}; "gov" is the 市政府 above both units.
PERSONAS = {
    "handler_a": {"a": H},
    "publisher_a_handler_b": {"a": P, "b": H},
    "reviewer_a_publisher_b": {"a": R, "b": P},
    "publisher_a_admin_b": {"a": P, "b": UA},
    "admin_gov": {"gov": UA},
    "superuser": None,
}


class World:
    """One request, draft, pending entry and report in each of units A and B."""

    def __init__(self, units, settings, tmp_path):
        settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
        self.units = units
        self.category = Category.objects.get(slug="jgzn")
        self.request, self.draft, self.pending, self.report = {}, {}, {}, {}
        for key in ("a", "b"):
            unit = units[key]
            self.request[key], _ = request_workflow.submit_online(
                unit,
                person_data(),
                id_document=SimpleUploadedFile("id.png", png_bytes(), "image/png"),
            )
            self.draft[key] = self._entry(unit, f"草稿{key}")
            self.pending[key] = self._entry(unit, f"待审{key}")
            entry_workflow.submit(self.pending[key], SYSTEM)
            self.report[key] = AnnualReport.objects.create(
                unit=unit, year=2025, format=ReportFormat.LEGACY, body="<p>年报正文。</p>"
            )

    def _entry(self, unit, title):
        return Entry.objects.create(
            unit=unit,
            category=self.category,
            title=f"{title}号通知",
            made_on=timezone.localdate() - dt.timedelta(days=2),
        )


# --- the cases: each returns whether the persona got to do it -------------------------------


def request_list(client, w, k):
    response = client.get(REQ)
    return response.status_code == 200 and w.request[k] in response.context["cl"].result_list


def request_change(client, w, k):
    return client.get(f"{REQ}{w.request[k].pk}/change/").status_code == 200


def personal_page(client, w, k):
    response = client.get(f"{REQ}{w.request[k].pk}/personal/")
    return response.status_code == 200 and "11010519491231002X" in response.content.decode()


def personal_link_shown(client, w, k):
    response = client.get(f"{REQ}{w.request[k].pk}/change/")
    return response.status_code == 200 and response.context["can_see_personal"]


def id_document(client, w, k):
    return client.get(f"{REQ}{w.request[k].pk}/id-document/").status_code == 200


def confirm(client, w, k):
    client.post(
        f"{REQ}{w.request[k].pk}/action/confirm/",
        {"on": timezone.localdate().isoformat(), "note": ""},
    )
    w.request[k].refresh_from_db()
    return w.request[k].state == State.PROCESSING


def register_paper(client, w, k):
    client.post(
        f"{REQ}add/",
        {
            "unit": w.units[k].pk,
            "channel": "post",
            "received_on": timezone.localdate().isoformat(),
            "applicant_type": "person",
            "name": "王五",
            "phone": "13800001111",
            "info_description": "登记测试",
            "medium": "paper",
            "delivery": "post",
            "appeals-TOTAL_FORMS": "0",
            "appeals-INITIAL_FORMS": "0",
            "complaints-TOTAL_FORMS": "0",
            "complaints-INITIAL_FORMS": "0",
        },
    )
    return Request.objects.filter(unit=w.units[k], info_description="登记测试").exists()


def request_report(client, w, k):
    response = client.get(f"{REQ}report/", {"unit": w.units[k].pk})
    return response.status_code == 200 and response.context["unit"] == w.units[k]


def dashboard(client, w, k):
    response = client.get(f"{REQ}dashboard/")
    return response.status_code == 200 and any(
        row["unit"] == w.units[k] for row in response.context["rows"]
    )


def complaint_page(client, w, k):
    complaint = Complaint.objects.create(request=w.request[k], text="投诉内容")
    return client.get(f"/admin/applications/complaint/{complaint.pk}/change/").status_code == 200


def access_log(client, w, k):
    row = PersonalDataAccess.objects.create(
        request=w.request[k], user=w.root, what="查看申请人信息"
    )
    response = client.get("/admin/applications/personaldataaccess/")
    return response.status_code == 200 and row in response.context["cl"].result_list


def appeal_request_offered(client, w, k):
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "applications", "model_name": "appeal", "field_name": "request", "term": ""},
    )
    return response.status_code == 200 and w.request[k].number in response.content.decode()


def entry_list(client, w, k):
    response = client.get(ENTRY)
    return response.status_code == 200 and w.draft[k] in response.context["cl"].result_list


def entry_change(client, w, k):
    return client.get(f"{ENTRY}{w.draft[k].pk}/change/").status_code == 200


def entry_add(client, w, k):
    client.post(
        f"{ENTRY}add/",
        {
            "unit": w.units[k].pk,
            "category": w.category.pk,
            "title": "新增测试",
            "summary": "",
            "body": "<p>正文</p>",
            "document_number": "",
            "made_on": timezone.localdate().isoformat(),
            "keywords": "",
            "document_type": "other",
            "validity": "valid",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "changes_made-TOTAL_FORMS": "0",
            "changes_made-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    return Entry.objects.filter(unit=w.units[k], title="新增测试").exists()


def entry_submit(client, w, k):
    client.post(f"{ENTRY}{w.draft[k].pk}/workflow/", {"action": "submit"})
    w.draft[k].refresh_from_db()
    return w.draft[k].state == EntryState.PENDING


def entry_bulk_submit(client, w, k):
    client.post(ENTRY, {"action": "submit_selected", "_selected_action": [w.draft[k].pk]})
    w.draft[k].refresh_from_db()
    return w.draft[k].state == EntryState.PENDING


def entry_approve(client, w, k):
    client.post(f"{ENTRY}{w.pending[k].pk}/workflow/", {"action": "approve"})
    w.pending[k].refresh_from_db()
    return w.pending[k].state == EntryState.PUBLISHED


def entry_bulk_approve(client, w, k):
    client.post(ENTRY, {"action": "approve_selected", "_selected_action": [w.pending[k].pk]})
    w.pending[k].refresh_from_db()
    return w.pending[k].state == EntryState.PUBLISHED


def entry_export(client, w, k):
    response = client.get(f"{ENTRY}export/csv/")
    return response.status_code == 200 and w.draft[k].title in response.content.decode("utf-8-sig")


def attachment_add(client, w, k):
    response = client.get(f"{ENTRY}{w.draft[k].pk}/change/")
    if response.status_code != 200:
        return False
    [inline] = [
        f
        for f in response.context["inline_admin_formsets"]
        if f.opts.model.__name__ == "Attachment"
    ]
    return inline.has_add_permission


def entry_history_shown(client, w, k):
    response = client.get(f"{ENTRY}{w.draft[k].pk}/change/")
    return response.status_code == 200 and any(
        f.opts.model.__name__ == "EntryEvent" for f in response.context["inline_admin_formsets"]
    )


def entry_unit_offered(client, w, k):
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "disclosure", "model_name": "entry", "field_name": "unit", "term": ""},
    )
    names = (
        {row["text"] for row in json.loads(response.content)["results"]}
        if response.status_code == 200
        else set()
    )
    return w.units[k].name in names


def report_change(client, w, k):
    return client.get(f"{REPORT}{w.report[k].pk}/change/").status_code == 200


def report_publish(client, w, k):
    client.post(f"{REPORT}{w.report[k].pk}/publish/")
    w.report[k].refresh_from_db()
    return w.report[k].state == ReportState.PUBLISHED


def unit_edit(client, w, k):
    response = client.get(f"/admin/portal/publishingunit/{w.units[k].pk}/change/")
    return response.status_code == 200 and response.context["has_change_permission"]


def members_listed(client, w, k):
    response = client.get("/admin/portal/unitmembership/")
    return response.status_code == 200 and any(
        m.unit == w.units[k] for m in response.context["cl"].result_list
    )


# case -> the roles that allow it in a unit
CASES = {
    request_list: {H, UA},
    request_change: {H, UA},
    personal_page: {H, UA},
    personal_link_shown: {H, UA},
    id_document: {H, UA},
    confirm: {H, UA},
    register_paper: {H, UA},
    request_report: {H, UA},
    dashboard: {H, UA},
    complaint_page: {H, UA},
    access_log: {UA},
    appeal_request_offered: {H, UA},
    entry_list: {P, R, UA},
    entry_change: {P, R, UA},
    entry_add: {P, UA},
    entry_submit: {P, R, UA},
    entry_bulk_submit: {P, R, UA},
    entry_approve: {R, UA},
    entry_bulk_approve: {R, UA},
    entry_export: {P, R, UA},
    attachment_add: {P, UA},
    entry_history_shown: {P, R, UA},
    entry_unit_offered: {P, R, UA},
    report_change: {UA},
    report_publish: {UA},
    unit_edit: {UA},
    members_listed: {UA},
}


def expected(persona: str, case, key: str) -> bool:
    roles = PERSONAS[persona]
    if roles is None or roles.get("gov") == UA:
        return True
    return roles.get(key) in CASES[case]


@pytest.fixture
def world(government, bureau, unit_a, unit_b, settings, tmp_path, django_user_model):
    w = World({"a": unit_a, "b": unit_b}, settings, tmp_path)
    w.root = django_user_model.objects.create_superuser(username="root", password="x")
    bystander = django_user_model.objects.create_user(username="bystander", password="x")
    for unit in (unit_a, unit_b):
        UnitMembership.objects.create(user=bystander, unit=unit, role=P)
    w.government = government
    return w


def make_persona(name, w, django_user_model):
    roles = PERSONAS[name]
    if roles is None:
        return w.root
    user = django_user_model.objects.create_user(username=name, password="x")
    for key, role in roles.items():
        unit = w.government if key == "gov" else w.units[key]
        UnitMembership.objects.create(user=user, unit=unit, role=role)
    user.refresh_from_db()
    return user


@pytest.mark.parametrize("case", list(CASES), ids=lambda case: case.__name__)
@pytest.mark.parametrize("persona", list(PERSONAS))
def test_role_matrix(client, world, django_user_model, persona, case):
    client.force_login(make_persona(persona, world, django_user_model))
    got = {key: case(client, world, key) for key in ("a", "b")}
    want = {key: expected(persona, case, key) for key in ("a", "b")}
    assert got == want
