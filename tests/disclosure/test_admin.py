import datetime as dt
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from disclosure import workflow
from disclosure.models import Attachment, Category, Entry, EntryAction, EntryState
from portal.permissions import SYSTEM
from tests.disclosure.conftest import pdf_bytes

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/disclosure/entry/"


def entry_form(unit, **overrides):
    data = {
        "unit": unit.pk,
        "category": Category.objects.get(slug="czyjs").pk,
        "title": "2025年部门预算公开",
        "summary": "部门预算",
        "body": "<p>预算说明</p><script>x()</script>",
        "document_number": "宜政服〔2025〕1号",
        "made_on": "2025-02-10",
        "keywords": "预算",
        "document_type": "other",
        "validity": "valid",
        "valid_from": "",
        "invalid_from": "",
        "attachments-TOTAL_FORMS": "1",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
        "attachments-0-name": "",
        "attachments-0-order": "0",
        "changes_made-TOTAL_FORMS": "0",
        "changes_made-INITIAL_FORMS": "0",
        "changes_made-MIN_NUM_FORMS": "0",
        "changes_made-MAX_NUM_FORMS": "1000",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_publisher_drafts_with_attachment_in_admin(login, unit_a, publisher_a):
    client = login(publisher_a)
    page = client.get(f"{CHANGELIST}add/")
    assert page.status_code == 200
    # The editor's import map is the only inline script, allowed by its hash in the CSP.
    body = page.content.decode()
    assert 'type="importmap"' in body and "django_prose_editor/editor.js" in body
    assert "'sha256-" in page["Content-Security-Policy"]
    data = entry_form(unit_a)
    data["attachments-0-file"] = SimpleUploadedFile("预算表.pdf", pdf_bytes())
    response = client.post(f"{CHANGELIST}add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = Entry.objects.get(title="2025年部门预算公开")
    assert entry.state == EntryState.DRAFT and entry.created_by == publisher_a
    assert entry.body == "<p>预算说明</p>"
    attachment = entry.attachments.get()
    assert attachment.kind == "pdf" and attachment.name == "预算表.pdf" and attachment.size > 0
    assert entry.events.get().action == EntryAction.CREATE
    # Back on the draft: the stored file is named, never linked (a draft's file has no URL).
    page = client.get(f"{CHANGELIST}{entry.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert attachment.file.name in body
    assert f'href="/media/{attachment.file.name}"' not in body
    # Submitted, the attachment is read-only: still named only; published, it links to the
    # public checked download.
    workflow.submit(entry, publisher_a)
    body = client.get(f"{CHANGELIST}{entry.pk}/change/").content.decode()
    assert attachment.file.name in body and attachment.get_absolute_url() not in body
    workflow.approve(entry, SYSTEM)
    body = client.get(f"{CHANGELIST}{entry.pk}/change/").content.decode()
    assert f'href="{attachment.get_absolute_url()}"' in body


def test_admin_refuses_exe_renamed_pdf_in_chinese(login, unit_a, publisher_a):
    data = entry_form(unit_a)
    data["attachments-0-file"] = SimpleUploadedFile("通知.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = login(publisher_a).post(f"{CHANGELIST}add/", data)
    assert response.status_code == 200
    assert "内容不是允许的文件类型" in response.content.decode()
    assert not Entry.objects.exists() and not Attachment.objects.exists()


def test_publisher_cannot_create_for_another_unit(login, unit_a, unit_b, publisher_a):
    response = login(publisher_a).post(f"{CHANGELIST}add/", entry_form(unit_b))
    assert response.status_code == 200 and not Entry.objects.exists()


def test_retired_category_cannot_be_chosen(login, unit_a, publisher_a):
    Category.objects.filter(slug="czyjs").update(is_active=False)
    response = login(publisher_a).post(f"{CHANGELIST}add/", entry_form(unit_a))
    assert "该分类已停用" in response.content.decode()


def test_workflow_buttons_submit_approve(login, unit_a, publisher_a, reviewer_a, make_entry):
    entry = make_entry(unit_a, state=EntryState.DRAFT)
    url = f"{CHANGELIST}{entry.pk}/workflow/"
    publisher = login(publisher_a)
    page = publisher.get(f"{CHANGELIST}{entry.pk}/change/").content.decode()
    assert 'value="submit"' in page and 'value="approve"' not in page
    publisher.post(url, {"action": "submit"})
    entry.refresh_from_db()
    assert entry.state == EntryState.PENDING
    # The publisher cannot approve, even by posting the form by hand.
    response = publisher.post(url, {"action": "approve"}, follow=True)
    assert "只有本单位的审核员或单位管理员才能审核发布" in response.content.decode()
    entry.refresh_from_db()
    assert entry.state == EntryState.PENDING
    reviewer = login(reviewer_a)
    page = reviewer.get(f"{CHANGELIST}{entry.pk}/change/").content.decode()
    assert 'value="approve"' in page and 'value="return"' in page
    response = reviewer.post(url, {"action": "approve", "note": "同意"}, follow=True)
    entry.refresh_from_db()
    assert entry.state == EntryState.PUBLISHED
    assert f"索引号：{entry.index_number}" in response.content.decode()


def test_reviewer_schedules_and_returns_with_reason(login, unit_a, reviewer_a, make_entry):
    client = login(reviewer_a)
    scheduled = make_entry(unit_a, state=EntryState.PENDING)
    when = timezone.localtime() + dt.timedelta(days=3)
    client.post(
        f"{CHANGELIST}{scheduled.pk}/workflow/",
        {"action": "approve", "publish_at": when.strftime("%Y-%m-%dT%H:%M")},
    )
    scheduled.refresh_from_db()
    assert scheduled.state == EntryState.PUBLISHED and not scheduled.is_public
    returned = make_entry(unit_a, state=EntryState.PENDING)
    response = client.post(
        f"{CHANGELIST}{returned.pk}/workflow/", {"action": "return"}, follow=True
    )
    assert "退回时必须说明理由" in response.content.decode()
    client.post(f"{CHANGELIST}{returned.pk}/workflow/", {"action": "return", "note": "缺附件"})
    returned.refresh_from_db()
    assert returned.state == EntryState.DRAFT
    assert returned.events.get(action=EntryAction.RETURN).note == "缺附件"


def test_bad_workflow_input_is_a_message_not_a_500(login, unit_a, reviewer_a, make_entry):
    entry = make_entry(unit_a, state=EntryState.PENDING)
    client = login(reviewer_a)
    for data in ({"action": "explode"}, {"action": "approve", "publish_at": "明天"}):
        response = client.post(f"{CHANGELIST}{entry.pk}/workflow/", data)
        assert response.status_code == 302
    assert client.get(f"{CHANGELIST}{entry.pk}/workflow/").status_code == 405


def test_bulk_actions_call_the_workflow(login, unit_a, reviewer_a, publisher_a, make_entry):
    drafts = [make_entry(unit_a, state=EntryState.DRAFT, title=f"草稿{i}") for i in range(3)]
    ids = [str(e.pk) for e in drafts]
    login(publisher_a).post(CHANGELIST, {"action": "submit_selected", "_selected_action": ids})
    assert set(Entry.objects.values_list("state", flat=True)) == {EntryState.PENDING}
    # A publisher is not offered the approve action at all.
    page = login(publisher_a).get(CHANGELIST).content.decode()
    assert "approve_selected" not in page and "submit_selected" in page
    reviewer = login(reviewer_a)
    reviewer.post(CHANGELIST, {"action": "approve_selected", "_selected_action": ids})
    serials = sorted(Entry.objects.values_list("index_serial", flat=True))
    assert serials == [1, 2, 3]
    response = reviewer.post(
        CHANGELIST, {"action": "approve_selected", "_selected_action": ids}, follow=True
    )
    assert "只有待审核的信息才能审核发布" in response.content.decode()
    reviewer.post(CHANGELIST, {"action": "withdraw_selected", "_selected_action": ids[:1]})
    assert Entry.objects.get(pk=ids[0]).state == EntryState.WITHDRAWN


def test_content_is_frozen_after_submission(login, unit_a, admin_a, make_entry):
    entry = make_entry(unit_a, body="<h2>一、总体情况</h2><p>正文<strong>加粗</strong></p>")
    page = login(admin_a).get(f"{CHANGELIST}{entry.pk}/change/").content.decode()
    assert 'name="title"' not in page and 'name="validity"' in page
    # The reviewer reads the body rendered, not as HTML source.
    assert "<h2>一、总体情况</h2>" in page and "&lt;h2&gt;" not in page


def test_timeliness_report(login, unit_a, unit_b, admin_a, make_entry):
    today = timezone.localdate()
    make_entry(
        unit_a, state=EntryState.DRAFT, title="早已超期", made_on=today - dt.timedelta(days=60)
    )
    make_entry(
        unit_a, state=EntryState.PENDING, title="快到期了", made_on=today - dt.timedelta(days=25)
    )
    make_entry(unit_a, state=EntryState.DRAFT, title="刚起草", made_on=today)
    make_entry(
        unit_b, state=EntryState.DRAFT, title="别的单位超期", made_on=today - dt.timedelta(days=90)
    )
    page = login(admin_a).get(f"{CHANGELIST}timeliness/").content.decode()
    overdue = page.split("已超期未发布")[1].split("即将到期")[0]
    soon = page.split("即将到期（")[1].split("各月发布")[0]
    assert "早已超期" in overdue and "快到期了" in soon
    assert "刚起草" not in page and "别的单位超期" not in page
    late_list = login(admin_a).get(f"{CHANGELIST}?timeliness=overdue").content.decode()
    assert "早已超期" in late_list and "刚起草" not in late_list


def test_published_late_counts_per_month(login, unit_a, admin_a, make_entry):
    import time_machine

    with time_machine.travel(dt.datetime(2024, 3, 20, 2, 0, tzinfo=dt.UTC), tick=False):
        make_entry(unit_a, title="按时", made_on=dt.date(2024, 3, 18))
        make_entry(unit_a, title="逾期", made_on=dt.date(2024, 1, 2))
    page = login(admin_a).get(f"{CHANGELIST}timeliness/").content.decode()
    assert re.search(r"<td>2024-03</td><td>2</td><td>1</td>", page), page
    listing = login(admin_a).get(f"{CHANGELIST}?timeliness=late").content.decode()
    assert "逾期" in listing and ">按时<" not in listing


def test_autocomplete_units_and_categories(login, unit_a, unit_b, publisher_a):
    client = login(publisher_a)
    params = {"app_label": "disclosure", "model_name": "entry", "field_name": "unit", "term": ""}
    units = client.get("/admin/autocomplete/", params)
    assert units.status_code == 200
    names = [r["text"] for r in json.loads(units.content)["results"]]
    assert names == ["安庆市人民政府政务服务中心"]
    Category.objects.filter(slug="ghjh").update(is_active=False)
    params["field_name"] = "category"
    params["term"] = "规划"
    categories = json.loads(client.get("/admin/autocomplete/", params).content)["results"]
    assert categories == []


def test_view_on_site_only_for_a_public_entry(login, unit_a, publisher_a, reviewer_a, make_entry):
    from tests.disclosure.test_attachments import _attach

    draft = make_entry(unit_a, state=EntryState.DRAFT, title="草稿")
    _attach(draft, "说明.pdf", pdf_bytes())
    client = login(publisher_a)
    body = client.get(f"{CHANGELIST}{draft.pk}/change/").content.decode()
    # Neither the entry nor its attachment offers a link that would be a 404.
    assert "viewsitelink" not in body and "/admin/r/" not in body
    published = make_entry(unit_a, title="已发布")
    body = client.get(f"{CHANGELIST}{published.pk}/change/").content.decode()
    assert "viewsitelink" in body
