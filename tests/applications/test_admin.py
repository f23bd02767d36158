"""Staff processing in the admin: registration, actions, masking, access log, unit scope."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import workflow
from applications.documents import LEGAL_BASES
from applications.models import (
    DocumentSettings,
    EventKind,
    PersonalDataAccess,
    Request,
    Result,
    State,
)
from portal.models import CalendarYear, Role
from tests.applications.conftest import person_data, register_on
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db
BASE = "/admin/applications/request/"


def paper_post(unit, **fields):
    """The paper registration form as a clerk sends it (no appeals or complaints yet)."""
    return {
        "unit": unit.pk,
        "channel": "in_person",
        "received_on": dt.date.today().isoformat(),
        "applicant_type": "person",
        "info_description": "x",
        "medium": "paper",
        "delivery": "post",
        "appeals-TOTAL_FORMS": "0",
        "appeals-INITIAL_FORMS": "0",
        "complaints-TOTAL_FORMS": "0",
        "complaints-INITIAL_FORMS": "0",
        **fields,
    }


@pytest.fixture
def online(unit_a, private_media):
    request, _ = workflow.submit_online(unit_a, person_data())
    return request


def test_clerk_registers_a_paper_request(client, clerk_a, unit_a, private_media):
    client.force_login(clerk_a)
    response = client.post(
        BASE + "add/",
        {
            "unit": unit_a.pk,
            "channel": "post",
            "received_on": "2026-03-02",
            "late_reason": "补录纸质登记簿",
            "applicant_type": "person",
            "name": "王五",
            "id_type": "resident_id",
            "id_number": "11010519491231002X",
            "phone": "13800001111",
            "info_description": "2025年财政预算执行情况",
            "medium": "paper",
            "delivery": "post",
            "appeals-TOTAL_FORMS": "0",
            "appeals-INITIAL_FORMS": "0",
            "complaints-TOTAL_FORMS": "0",
            "complaints-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    assert response.status_code == 200
    request = Request.objects.get()
    assert request.state == State.PROCESSING and request.channel == "post"
    assert request.received_on == dt.date(2026, 3, 2) and request.due_on == dt.date(2026, 3, 30)
    registered = request.events.get(kind=EventKind.REGISTERED)
    assert registered.actor == clerk_a and registered.note == "补登原因：补录纸质登记簿"
    body = response.content.decode()
    assert request.number in body and "查询码" in body


def test_a_receipt_date_more_than_30_days_back_asks_for_a_reason(client, clerk_a, unit_a):
    """Issue 16: 收到申请日期 2020-01-02 silently made a request 1,701 working days overdue."""
    client.force_login(clerk_a)
    data = {
        "unit": unit_a.pk,
        "channel": "post",
        "received_on": "2020-01-02",
        "applicant_type": "person",
        "name": "王五",
        "phone": "13800001111",
        "info_description": "x",
        "medium": "paper",
        "delivery": "post",
        "appeals-TOTAL_FORMS": "0",
        "appeals-INITIAL_FORMS": "0",
        "complaints-TOTAL_FORMS": "0",
        "complaints-INITIAL_FORMS": "0",
    }
    body = client.post(BASE + "add/", data).content.decode()
    assert "请说明补登的原因" in body and not Request.objects.exists()
    with pytest.raises(workflow.WorkflowError, match="补登的原因"):
        workflow.register_paper(
            unit_a,
            actor=clerk_a,
            channel="post",
            received_on=dt.date(2020, 1, 2),
            data=person_data(),
        )


def test_registration_refuses_a_future_date_without_saving(client, clerk_a, unit_a):
    client.force_login(clerk_a)
    response = client.post(
        BASE + "add/",
        {
            "unit": unit_a.pk,
            "channel": "in_person",
            "received_on": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
            "applicant_type": "person",
            "name": "王五",
            "phone": "1",
            "info_description": "x",
            "medium": "paper",
            "delivery": "post",
            "appeals-TOTAL_FORMS": "0",
            "appeals-INITIAL_FORMS": "0",
            "complaints-TOTAL_FORMS": "0",
            "complaints-INITIAL_FORMS": "0",
        },
    )
    assert "不能晚于今天" in response.content.decode() and not Request.objects.exists()


def test_list_masks_personal_data_and_marks_overdue(client, clerk_a, unit_a, private_media):
    register_on(dt.date(2026, 3, 2), unit_a, clerk_a)  # due 2026-03-30
    client.force_login(clerk_a)
    with time_machine.travel(dt.datetime(2026, 4, 2, 10, tzinfo=dt.UTC)):
        body = client.get(BASE).content.decode()
    assert "张*丰" in body
    for private in ("张三丰", "13912345678", "11010519491231002X"):
        assert private not in body
    assert 'class="ysq-overdue"' in body and "已超期" in body


def test_change_page_hides_personal_data_and_shows_due_date_explanation(client, clerk_a, online):
    client.force_login(clerk_a)
    workflow.confirm(online, actor=clerk_a)
    body = client.get(f"{BASE}{online.pk}/change/").content.decode()
    assert "张三丰" not in body and "11010519491231002X" not in body
    assert "答复期限的计算" in body and "法定答复期限" in body
    assert "要求补正" in body and "延期答复" in body and "答复</a>" in body


def test_request_page_offers_no_save_buttons(client, clerk_a, online):
    # Every field is read-only (requests change only through the workflow actions), so 保存 and
    # 保存并增加另一个 did nothing but report a change that never happened.
    client.force_login(clerk_a)
    body = client.get(f"{BASE}{online.pk}/change/").content.decode()
    assert 'name="_save"' not in body and 'name="_addanother"' not in body
    assert 'name="_continue"' not in body
    assert "<h1>修改" not in body and "确认收到" in body
    # Registering a paper request still has its buttons.
    assert 'name="_save"' in client.get(f"{BASE}add/").content.decode()


def test_posting_the_request_page_changes_nothing_and_says_so(client, clerk_a, online):
    # Without a 保存 button a POST still came through (a stale tab): Django saved the request as
    # loaded, logged "没有字段被修改" and answered "已修改". Now nothing is saved or logged.
    from django.contrib.admin.models import LogEntry
    from django.contrib.messages import SUCCESS

    client.force_login(clerk_a)
    before = Request.objects.values().get(pk=online.pk)
    response = client.post(f"{BASE}{online.pk}/change/", {}, follow=True)
    assert response.redirect_chain == [(f"{BASE}{online.pk}/change/", 302)]
    notes = [(note.level, note.message) for note in response.context["messages"]]
    assert [level for level, _ in notes if level == SUCCESS] == []
    assert any("未作任何修改" in text for _, text in notes)
    assert not LogEntry.objects.exists()
    assert Request.objects.values().get(pk=online.pk) == before


def test_closing_for_a_missing_supplement_or_fee_is_offered_only_once_the_period_ran_out(
    client, clerk_a, unit_a, private_media
):
    # The button disagreed with the rule: 逾期未补正，终止 showed the moment a supplement was asked
    # for, and pressing it only earned "期限尚未届满".
    supplement = register_on(dt.date(2026, 3, 2), unit_a, clerk_a)
    fee = register_on(dt.date(2026, 3, 2), unit_a, clerk_a)
    with time_machine.travel(dt.datetime(2026, 3, 4, 10, tzinfo=dt.UTC)):
        workflow.request_supplement(supplement, actor=clerk_a, what="请说明", period_workdays=5)
        workflow.send_fee_notice(fee, actor=clerk_a, method="by_count", quantity=11)
    fee_notice = fee.events.get(kind=EventKind.FEE_NOTICE)
    for request, label, last_day in (
        (supplement, "逾期未补正，终止", dt.date(2026, 3, 11)),
        (fee, "逾期未缴费", fee_notice.until_on),
    ):
        for day, offered in ((last_day, False), (last_day + dt.timedelta(days=1), True)):
            with time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)):
                client.force_login(clerk_a)  # a day later the idle session has ended
                tools = client.get(f"{BASE}{request.pk}/change/").content.decode()
                tools = tools.split('class="object-tools"')[1].split("</ul>")[0]
            assert (label in tools) is offered, (label, day)


def test_opening_personal_data_is_logged(client, clerk_a, online):
    client.force_login(clerk_a)
    body = client.get(f"{BASE}{online.pk}/personal/").content.decode()
    assert "张三丰" in body and "11010519491231002X" in body
    log = PersonalDataAccess.objects.get()
    assert log.user == clerk_a and log.request == online and log.what == "查看申请人信息"


def test_actions_through_intermediate_forms(client, clerk_a, online):
    client.force_login(clerk_a)
    response = client.post(
        f"{BASE}{online.pk}/action/confirm/", {"on": dt.date.today().isoformat()}
    )
    assert response.status_code == 302
    online.refresh_from_db()
    assert online.state == State.PROCESSING
    # Extension beyond the law is refused with the workflow's message, nothing saved.
    body = client.post(
        f"{BASE}{online.pk}/action/extend/",
        {"workdays": 25, "approver": "王主任", "reason": "量大"},
    ).content.decode()
    assert "20" in body and not online.events.filter(kind=EventKind.EXTENDED).exists()
    client.post(
        f"{BASE}{online.pk}/action/extend/",
        {"workdays": 10, "approver": "王主任", "reason": "量大"},
    )
    assert online.events.filter(kind=EventKind.EXTENDED).count() == 1
    # 答复: "生成告知书" fills the letter from the category's template without replying yet.
    body = client.post(
        f"{BASE}{online.pk}/action/reply/",
        {"result": Result.PARTLY_DISCLOSED, "delivery_route": "online", "prefill": "1"},
    ).content.decode()
    assert "区分处理" in body
    online.refresh_from_db()
    assert online.state == State.PROCESSING
    response = client.post(
        f"{BASE}{online.pk}/action/reply/",
        {
            "result": Result.PARTLY_DISCLOSED,
            "delivery_route": "online",
            "letter": "张三丰：现部分公开。",
            "files": [
                SimpleUploadedFile("a.pdf", b"%PDF-1.4 a"),
                SimpleUploadedFile("b.pdf", b"%PDF-1.4 b"),
            ],
            "run": "1",
        },
    )
    assert response.status_code == 302
    online.refresh_from_db()
    assert online.state == State.REPLIED and online.documents.filter(kind="disclosed").count() == 2
    # An action not allowed in the current state sends the clerk back with a message.
    response = client.get(f"{BASE}{online.pk}/action/confirm/", follow=True)
    assert "不能确认收到" in response.content.decode()


def test_redirected_request_leaves_the_clerks_scope(client, clerk_a, unit_b, online):
    client.force_login(clerk_a)
    response = client.post(f"{BASE}{online.pk}/action/redirect/", {"to_unit": unit_b.pk})
    assert response.status_code == 302 and response.url == BASE
    assert client.get(f"{BASE}{online.pk}/change/").status_code == 404


@pytest.mark.parametrize(
    "suffix",
    ["change/", "action/confirm/", "personal/", "id-document/", "history/", "document/1/"],
)
def test_clerk_of_another_unit_gets_404(client, clerk_b, online, suffix):
    client.force_login(clerk_b)
    assert client.get(f"{BASE}{online.pk}/{suffix}").status_code == 404
    assert (
        client.post(f"{BASE}{online.pk}/action/confirm/", {"on": "2026-01-05"}).status_code == 404
    )
    online.refresh_from_db()
    assert online.state == State.SUBMITTED


def test_clerk_of_another_unit_never_sees_it_in_lists_filters_or_autocomplete(
    client, clerk_b, unit_a, online
):
    client.force_login(clerk_b)
    body = client.get(BASE).content.decode()
    assert online.number not in body and unit_a.name not in body
    assert online.number not in client.get(BASE + "dashboard/").content.decode()
    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "applications",
            "model_name": "appeal",
            "field_name": "request",
            "term": "YSQ",
        },
    )
    assert response.status_code == 200 and online.number not in response.content.decode()
    assert online.number not in client.get("/admin/applications/appeal/add/").content.decode()


def test_dashboard_counts(client, clerk_a, unit_a, private_media):
    register_on(dt.date(2026, 3, 2), unit_a, clerk_a)  # due 03-30
    register_on(dt.date(2026, 3, 17), unit_a, clerk_a)  # due 04-15 (Qingming skipped)
    workflow.submit_online(unit_a, person_data())
    client.force_login(clerk_a)
    with time_machine.travel(dt.datetime(2026, 4, 14, 10, tzinfo=dt.UTC)):
        body = client.get(BASE + "dashboard/").content.decode()
    row = body.split(unit_a.name)[1].split("</tr>")[0]
    cells = [c.split(">")[-1] for c in row.split("</a>")[:4]]
    assert cells == ["1", "1", "1", "0"]  # awaiting, due in 3 working days, overdue, late


def test_changelist_query_count_does_not_grow(
    client, clerk_a, unit_a, private_media, django_assert_max_num_queries
):
    register_on(dt.date(2026, 3, 2), unit_a, clerk_a)
    client.force_login(clerk_a)
    client.get(BASE)
    with django_assert_max_num_queries(20) as first:
        client.get(BASE)
    for day in range(3, 13):
        register_on(dt.date(2026, 3, day), unit_a, clerk_a)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(BASE)


def test_complaint_is_answered_by_the_body_above_not_the_unit(
    client, django_user_model, clerk_a, admin_a, bureau, online
):
    """Art. 51: the superior (here the unit above) handles it, not the unit complained about."""
    complaint = workflow.file_complaint(online, text="无人处理")
    assert complaint.handled_by == bureau
    url = f"/admin/applications/complaint/{complaint.pk}/change/"
    for user in (clerk_a, admin_a):
        client.force_login(user)
        assert client.get(url).status_code == 200  # the unit sees what it is accused of
        client.post(url, {"answer": "自己答复"})
        complaint.refresh_from_db()
        assert complaint.answer == ""
    bureau_admin = make_staff(django_user_model, "bureau_admin", bureau, Role.UNIT_ADMIN)
    client.force_login(bureau_admin)
    client.post(url, {"answer": "已督办"})
    complaint.refresh_from_db()
    assert complaint.answer == "已督办" and complaint.answered_by == bureau_admin


def test_complaint_goes_to_the_configured_competent_department(
    client, django_user_model, unit_b, online, mailoutbox, django_capture_on_commit_callbacks
):
    """Art. 51: a unit may name the 政府信息公开工作主管部门 instead of its superior."""
    DocumentSettings.objects.filter(unit=online.unit).update(complaint_unit=unit_b)
    b_admin = make_staff(django_user_model, "b_admin", unit_b, Role.UNIT_ADMIN)
    b_admin.email = "b-admin@example.gov.cn"
    b_admin.save()
    with django_capture_on_commit_callbacks(execute=True):
        complaint = workflow.file_complaint(online, text="无人处理")
    assert complaint.handled_by == unit_b
    assert [m.to for m in mailoutbox if "投诉" in m.subject] == [["b-admin@example.gov.cn"]]
    client.force_login(b_admin)
    url = f"/admin/applications/complaint/{complaint.pk}/change/"
    assert client.get(url).status_code == 200


def test_appeals_complaints_and_access_log_are_scoped(client, clerk_a, clerk_b, admin_a, online):
    appeal = online.appeals.create(kind="review", filed_on=dt.date(2026, 5, 1))
    complaint = workflow.file_complaint(online, text="投诉")
    client.force_login(admin_a)
    client.get(f"{BASE}{online.pk}/personal/")
    log = PersonalDataAccess.objects.get()
    assert client.get("/admin/applications/personaldataaccess/").status_code == 200
    client.force_login(clerk_b)
    for url in (
        f"/admin/applications/appeal/{appeal.pk}/change/",
        f"/admin/applications/complaint/{complaint.pk}/change/",
    ):
        assert client.get(url).status_code == 404, url
    assert online.number not in client.get("/admin/applications/appeal/").content.decode()
    assert online.number not in client.get("/admin/applications/complaint/").content.decode()
    assert client.get(f"/admin/applications/personaldataaccess/{log.pk}/change/").status_code in (
        403,
        404,
    )


def test_superuser_sees_every_unit(client, superuser, online):
    client.force_login(superuser)
    assert online.number in client.get(BASE).content.decode()
    assert client.get(f"{BASE}{online.pk}/personal/").status_code == 200


def test_appeal_recorded_on_the_request_page(client, clerk_a, online):
    client.force_login(clerk_a)
    workflow.confirm(online, actor=clerk_a)
    # An appeal lies against a decision: the section appears once there is one.
    workflow.reply(
        online, actor=clerk_a, result=Result.WITHHELD_STATE_SECRET, delivery_route="online"
    )
    # The section is the page's one editable part: it comes with its 保存 button.
    page = client.get(f"{BASE}{online.pk}/change/").content.decode()
    assert 'name="_save"' in page and 'name="_addanother"' not in page
    response = client.post(
        f"{BASE}{online.pk}/change/",
        {
            "appeals-TOTAL_FORMS": "1",
            "appeals-INITIAL_FORMS": "0",
            "appeals-0-kind": "litigation_direct",
            "appeals-0-filed_on": "2026-06-01",
            "appeals-0-outcome": "pending",
            "complaints-TOTAL_FORMS": "0",
            "complaints-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    appeal = online.appeals.get()
    assert appeal.kind == "litigation_direct" and appeal.closed_on is None
    online.refresh_from_db()
    assert online.state == State.REPLIED  # saving the page changes nothing else
    # Saving again without a change says so instead of "已修改".
    unchanged = {
        "appeals-TOTAL_FORMS": "1",
        "appeals-INITIAL_FORMS": "1",
        "appeals-0-id": str(appeal.pk),
        "appeals-0-request": str(online.pk),
        "appeals-0-kind": "litigation_direct",
        "appeals-0-filed_on": "2026-06-01",
        "appeals-0-outcome": "pending",
        "complaints-TOTAL_FORMS": "0",
        "complaints-INITIAL_FORMS": "0",
    }
    response = client.post(f"{BASE}{online.pk}/change/", unchanged, follow=True)
    # (after the first save's own message, not shown until now)
    assert [str(note) for note in response.context["messages"]][1:] == ["未作任何修改。"]
    assert online.appeals.get() == appeal


def test_report_tables_for_the_clerks_units_only(client, clerk_a, clerk_b, unit_a, private_media):
    request = register_on(dt.date(2025, 3, 2), unit_a, clerk_a)
    with time_machine.travel(dt.datetime(2025, 3, 20, 10, tzinfo=dt.UTC)):
        workflow.reply(
            request, actor=clerk_a, result=Result.WITHHELD_STATE_SECRET, delivery_route="post"
        )
    client.force_login(clerk_a)
    body = client.get(BASE + "report/", {"year": 2025}).content.decode()
    assert "三、收到和处理政府信息公开申请情况" in body and "四、政府信息公开行政复议" in body
    row = body.split("1.属于国家秘密</th>")[1].split("</tr>")[0]
    assert row.count("<td>1</td>") == 2  # 自然人 and 总计
    client.force_login(clerk_b)
    body = client.get(BASE + "report/", {"year": 2025, "unit": unit_a.pk}).content.decode()
    row = body.split("1.属于国家秘密</th>")[1].split("</tr>")[0]
    assert "<td>1</td>" not in row and unit_a.name not in body


def test_bad_action_input_is_an_error_not_a_500(client, clerk_a, online):
    client.force_login(clerk_a)
    workflow.confirm(online, actor=clerk_a)
    prefill = {"result": "9_9", "delivery_route": "post", "prefill": "1"}
    assert client.post(f"{BASE}{online.pk}/action/reply/", prefill).status_code == 200
    body = client.post(f"{BASE}{online.pk}/action/extend/", {"workdays": "abc"}).content.decode()
    assert "errorlist" in body
    assert client.get(f"{BASE}{online.pk}/action/no-such-action/").status_code == 404
    online.refresh_from_db()
    assert online.state == State.PROCESSING and online.events.count() == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "110105194912310021", "居民身份证号码无效"),
        ("credit_code", "91110000600037341X", "统一社会信用代码无效"),
    ],
)
def test_paper_registration_checks_identity_numbers(client, clerk_a, unit_a, field, value, message):
    client.force_login(clerk_a)
    data = paper_post(unit_a, name="王五", id_type="resident_id", phone="1", **{field: value})
    body = client.post(BASE + "add/", data).content.decode()
    assert message in body and not Request.objects.exists()


def test_staff_uploads_are_checked_by_content(client, clerk_a, online):
    # Released information goes to applicants: a program renamed .pdf is refused with a message,
    # the reply is not made, and the form comes back to be corrected.
    client.force_login(clerk_a)
    client.post(f"{BASE}{online.pk}/action/confirm/", {"on": dt.date.today().isoformat()})
    response = client.post(
        f"{BASE}{online.pk}/action/reply/",
        {
            "result": Result.DISCLOSED,
            "delivery_route": "online",
            "letter": "现予以公开。",
            "files": [
                SimpleUploadedFile("清单.pdf", b"%PDF-1.4 real"),
                SimpleUploadedFile("答复.pdf", b"MZ\x90\x00\x03 a program"),
            ],
            "run": "1",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "答复.pdf" in body and "不是允许的文件类型" in body
    online.refresh_from_db()
    assert online.state == State.PROCESSING and not online.documents.filter(kind="disclosed")


def test_the_reply_is_delivered_the_way_the_applicant_asked(client, clerk_a, online):
    client.force_login(clerk_a)
    client.post(f"{BASE}{online.pk}/action/confirm/", {"on": dt.date.today().isoformat()})
    form = client.get(f"{BASE}{online.pk}/action/reply/").context["form"]
    assert form["delivery_route"].value() == online.delivery


def test_request_page_warns_of_an_unconfirmed_year_until_confirmed(client, clerk_a, unit_a):
    """A deadline running into 2027 (not yet announced) warns on the request page itself."""
    request = register_on(dt.date(2026, 12, 21), unit_a, clerk_a)
    with time_machine.travel(dt.datetime(2026, 12, 22, 10, tzinfo=dt.UTC)):
        client.force_login(clerk_a)
        page = client.get(f"{BASE}{request.pk}/change/").content.decode()
        assert "2027年节假日安排尚未录入" in page and "请联系平台管理员录入并确认" in page
        CalendarYear.objects.create(year=2027)
        page = client.get(f"{BASE}{request.pk}/change/").content.decode()
    assert "2027年节假日安排尚未录入" not in page


def test_list_is_ordered_by_urgency(client, clerk_a, unit_a, private_media):
    """Overdue first, then by working days left; unconfirmed after them; closed ones last."""
    later = register_on(dt.date(2026, 3, 17), unit_a, clerk_a)  # due 04-15
    overdue = register_on(dt.date(2026, 3, 2), unit_a, clerk_a)  # due 03-30
    done = register_on(dt.date(2026, 3, 3), unit_a, clerk_a)
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, tzinfo=dt.UTC)):
        workflow.reply(
            done, actor=clerk_a, result=Result.WITHHELD_STATE_SECRET, delivery_route="post"
        )
        waiting, _code = workflow.submit_online(unit_a, person_data())
    client.force_login(clerk_a)
    with time_machine.travel(dt.datetime(2026, 4, 2, 10, tzinfo=dt.UTC)):
        body = client.get(BASE).content.decode()
    order = [r.number for r in (overdue, later, waiting, done)]
    positions = [body.index(number) for number in order]
    assert positions == sorted(positions), order
    # One date format: 2026-04-15, not 2026年4月15日.
    assert "2026-04-15" in body and "2026年4月15日" not in body


def test_a_once_only_step_is_no_longer_offered_after_use(client, clerk_a, online):
    # Art. 30 and 33: a supplement is asked for once, the deadline extended once; the action
    # list asks the workflow, so neither is offered (or accepted) a second time.
    client.force_login(clerk_a)
    change = f"{BASE}{online.pk}/change/"
    client.post(f"{BASE}{online.pk}/action/confirm/", {"on": dt.date.today().isoformat()})
    offered = lambda: [a.name for a in client.get(change).context["actions_available"]]  # noqa: E731
    assert "request_supplement" in offered() and "extend" in offered()
    client.post(
        f"{BASE}{online.pk}/action/request_supplement/", {"what": "文件名称", "period_workdays": 10}
    )
    client.post(
        f"{BASE}{online.pk}/action/receive_supplement/",
        {"on": dt.date.today().isoformat(), "text": "补"},
    )
    client.post(
        f"{BASE}{online.pk}/action/extend/",
        {"workdays": 10, "approver": "王主任", "reason": "量大"},
    )
    online.refresh_from_db()
    assert online.state == State.PROCESSING
    assert "request_supplement" not in offered() and "extend" not in offered()
    assert "reply" in offered()
    body = client.get(f"{BASE}{online.pk}/action/extend/", follow=True).content.decode()
    assert "只能延长一次" in body


def test_paper_registration_normalises_what_the_clerk_types(client, clerk_a, unit_a):
    # The desk uses the same fields as the online form: full-width and spaced numbers are fine.
    client.force_login(clerk_a)
    data = paper_post(
        unit_a,
        applicant_type="organisation",
        organisation_kind="business",
        name="某公司",
        credit_code="９１１１ ００００ ６０００ ３７３４ １ｌ",
        phone="０５５６－１２３４５６７",
        postcode="２４６０００",
    )
    assert client.post(BASE + "add/", data).status_code == 302
    request = Request.objects.get()
    assert (request.credit_code, request.phone, request.postcode) == (
        "91110000600037341L",
        "0556-1234567",
        "246000",
    )


def test_request_page_shows_only_the_sections_that_apply(client, clerk_a, online):
    """No 复议/诉讼 or 投诉 section on a request that has none and cannot have one yet."""
    client.force_login(clerk_a)
    change = f"{BASE}{online.pk}/change/"

    def formsets():
        return [f.formset.prefix for f in client.get(change).context["inline_admin_formsets"]]

    assert formsets() == []
    workflow.file_complaint(online, text="一直没有人处理")
    assert formsets() == ["complaints"]
    workflow.confirm(online, actor=clerk_a)
    workflow.reply(
        online, actor=clerk_a, result=Result.WITHHELD_STATE_SECRET, delivery_route="online"
    )
    assert formsets() == ["appeals", "complaints"]


@pytest.mark.django_db(transaction=True)
def test_files_of_a_rolled_back_reply_do_not_stay_on_disk(client, clerk_a, online, private_media):
    from unittest import mock

    from django.core.management import call_command

    client.force_login(clerk_a)
    client.post(f"{BASE}{online.pk}/action/confirm/", {"on": dt.date.today().isoformat()})
    reply = {
        "result": Result.DISCLOSED,
        "legal_basis": LEGAL_BASES[Result.DISCLOSED][1],
        "delivery_route": "online",
        "letter": "现予以公开。",
        "files": [SimpleUploadedFile("清单.pdf", b"%PDF-1.4 real")],
        "run": "1",
    }
    # Something fails after the files were written: the transaction rolls back.
    with mock.patch("applications.workflow._notify", side_effect=workflow.WorkflowError("出错")):
        response = client.post(f"{BASE}{online.pk}/action/reply/", reply)
    assert response.status_code == 200 and "出错" in response.content.decode()
    online.refresh_from_db()
    assert online.state == State.PROCESSING
    assert not online.documents.exclude(kind="receipt").exists()  # the receipt is from 确认收到
    assert not list((private_media / "documents").rglob("*.pdf"))
    # A committed reply keeps its file; the orphan listing finds nothing to report either way.
    reply["files"] = [SimpleUploadedFile("清单.pdf", b"%PDF-1.4 real")]
    assert client.post(f"{BASE}{online.pk}/action/reply/", reply).status_code == 302
    assert len(list((private_media / "documents").rglob("*.pdf"))) == 1
    out = io.StringIO()
    call_command("orphan_files", stdout=out, stderr=io.StringIO())
    assert out.getvalue() == ""
    stray = private_media / "documents" / "2026" / "stray.pdf"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"%PDF-1.4 left behind")
    call_command("orphan_files", stdout=out, stderr=io.StringIO())
    assert out.getvalue().strip() == "documents/2026/stray.pdf"


def test_clerk_prints_several_receipts_at_once(
    client, clerk_a, clerk_b, unit_a, unit_b, private_media
):
    """One PDF with the 受理回执 of each selected paper request (issue 11), in the clerk's units only."""
    from io import BytesIO

    from pypdf import PdfReader

    first = register_on(dt.date(2026, 3, 2), unit_a, clerk_a, name="王𫖮")
    second = register_on(dt.date(2026, 3, 3), unit_a, clerk_a, name="李四")
    other = register_on(dt.date(2026, 3, 3), unit_b, clerk_b, name="赵五")
    client.force_login(clerk_a)
    response = client.post(
        BASE,
        {"action": "print_receipts", "_selected_action": [first.pk, second.pk, other.pk]},
    )
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "受理回执" in text and "王𫖮" in text and "李四" in text
    assert "赵五" not in text  # another unit's request is not in the clerk's list
