"""One function per transition: source states, the law's limits, events, e-mails after commit."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import history, workflow
from applications.models import (
    ConsultationParty,
    DocumentKind,
    EventKind,
    FeeMethod,
    Request,
    RequestEvent,
    Result,
    State,
)
from applications.workflow import WorkflowError
from portal.models import Role
from tests.applications.conftest import person_data, register_on
from tests.conftest import make_staff


def django_user_model():
    from django.contrib.auth import get_user_model

    return get_user_model()


pytestmark = pytest.mark.django_db
D = dt.date


def at(day):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC))


def test_online_submission_waits_for_confirmation(
    unit_a, clerk_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request, code = workflow.submit_online(unit_a, person_data())
    assert request.state == State.SUBMITTED and request.received_on is None
    assert request.number.startswith(f"YSQ-{request.year}-")
    assert request.check_access_code(code) and not request.check_access_code("AAAA-BBBB-CCCC")
    assert code not in request.access_code_hash
    # The applicant gets the code by e-mail (text and HTML); no personal data to the handlers.
    receipt = next(m for m in mailoutbox if m.to == ["zhangsan@example.com"])
    assert code in receipt.body and code in receipt.alternatives[0][0]


def test_confirmation_date_is_the_receipt_date(unit_a, clerk_a):
    with at(D(2026, 3, 2)):
        request, _ = workflow.submit_online(unit_a, person_data())
        request = workflow.confirm(request, actor=clerk_a)
    assert request.state == State.PROCESSING
    assert request.received_on == D(2026, 3, 2) and request.due_on == D(2026, 3, 30)
    event = request.events.get(kind=EventKind.RECEIVED)
    assert event.actor == clerk_a and event.public


def test_confirm_twice_is_refused(unit_a, clerk_a):
    request, _ = workflow.submit_online(unit_a, person_data())
    workflow.confirm(request, actor=clerk_a)
    with pytest.raises(WorkflowError, match="待确认|办理中"):
        workflow.confirm(request, actor=clerk_a)
    assert request.events.filter(kind=EventKind.RECEIVED).count() == 1


def test_redirect_before_confirmation_only(unit_a, unit_b, clerk_a):
    request, _ = workflow.submit_online(unit_a, person_data())
    request = workflow.redirect(request, actor=clerk_a, to_unit=unit_b)
    assert request.unit == unit_b and request.state == State.SUBMITTED
    workflow.confirm(request, actor=clerk_a)
    with pytest.raises(WorkflowError):
        workflow.redirect(request, actor=clerk_a, to_unit=unit_a)


def test_paper_request_is_received_on_its_registration_date(paper_request):
    assert paper_request.state == State.PROCESSING
    assert paper_request.due_on == D(2026, 3, 30)
    kinds = list(paper_request.events.values_list("kind", flat=True))
    assert kinds == [EventKind.REGISTERED, EventKind.RECEIVED]


def test_supplement_once_within_seven_working_days(unit_a, clerk_a, private_media):
    late = register_on(D(2026, 3, 2), unit_a, clerk_a)
    with at(D(2026, 3, 12)), pytest.raises(WorkflowError, match="7个工作日"):
        workflow.request_supplement(late, actor=clerk_a, what="请说明文件名称", period_workdays=10)

    request = register_on(D(2026, 3, 2), unit_a, clerk_a)
    with at(D(2026, 3, 4)):
        request = workflow.request_supplement(
            request, actor=clerk_a, what="请说明文件名称", period_workdays=10
        )
    assert request.state == State.SUPPLEMENT and request.due_on is None
    notice = request.events.get(kind=EventKind.SUPPLEMENT_REQUESTED)
    assert notice.until_on == D(2026, 3, 18)
    assert request.documents.filter(
        kind=DocumentKind.SUPPLEMENT_NOTICE, for_applicant=True
    ).exists()
    with at(D(2026, 3, 16)):
        request = workflow.receive_supplement(request, text="文件名称为……")
    assert request.state == State.PROCESSING and request.due_on == D(2026, 4, 14)
    with at(D(2026, 3, 17)), pytest.raises(WorkflowError, match="一次"):
        workflow.request_supplement(request, actor=clerk_a, what="再补", period_workdays=5)


def test_online_supplement_after_the_period_is_refused_and_expiry_closes_as_other_1(
    unit_a, clerk_a, private_media
):
    request = register_on(D(2026, 3, 2), unit_a, clerk_a)
    with at(D(2026, 3, 4)):
        workflow.request_supplement(request, actor=clerk_a, what="请说明", period_workdays=5)
    with at(D(2026, 3, 12)), pytest.raises(WorkflowError, match="期限已过"):
        workflow.receive_supplement(request, text="迟到的补正")
    with at(D(2026, 3, 11)), pytest.raises(WorkflowError, match="尚未届满"):
        workflow.supplement_expired(request)
    with at(D(2026, 3, 12)):
        request = workflow.supplement_expired(request)
    assert request.state == State.CLOSED and request.result == Result.OTHER_NO_SUPPLEMENT
    assert request.replied_on == D(2026, 3, 12)
    assert "逾期" in request.reply_letter


def test_consultation_pauses_the_clock(paper_request, clerk_a):
    with at(D(2026, 3, 5)):
        request = workflow.start_consultation(
            paper_request,
            actor=clerk_a,
            party=ConsultationParty.THIRD_PARTY,
            third_party="安庆某某科技有限公司",
        )
    assert request.state == State.CONSULTING
    with at(D(2026, 3, 12)):
        request = workflow.end_consultation(request, actor=clerk_a)
    assert request.state == State.PROCESSING and request.due_on == D(2026, 4, 7)


def test_extension_once_at_most_twenty_days(paper_request, clerk_a):
    with at(D(2026, 3, 20)):
        with pytest.raises(WorkflowError, match="1至20"):
            workflow.extend(
                paper_request, actor=clerk_a, workdays=21, approver="王主任", reason="量大"
            )
        request = workflow.extend(
            paper_request, actor=clerk_a, workdays=20, approver="王主任", reason="信息量大"
        )
        assert request.due_on == D(2026, 4, 28)
        assert request.documents.filter(kind=DocumentKind.EXTENSION_NOTICE).exists()
        with pytest.raises(WorkflowError, match="一次"):
            workflow.extend(request, actor=clerk_a, workdays=5, approver="王主任", reason="再延")


def test_extension_after_the_due_date_is_refused(paper_request, clerk_a):
    with at(D(2026, 3, 31)), pytest.raises(WorkflowError, match="已过"):
        workflow.extend(paper_request, actor=clerk_a, workdays=5, approver="王主任", reason="迟")


def test_fee_notice_pauses_until_payment(paper_request, clerk_a):
    with at(D(2026, 3, 5)):
        with pytest.raises(WorkflowError, match="不收费"):
            workflow.send_fee_notice(
                paper_request, actor=clerk_a, method=FeeMethod.BY_PAGES, quantity=30
            )
        request = workflow.send_fee_notice(
            paper_request, actor=clerk_a, method=FeeMethod.BY_PAGES, quantity=120
        )
    assert request.state == State.AWAITING_PAYMENT and request.fee_amount == 1100
    with at(D(2026, 3, 19)):
        request = workflow.record_payment(request, actor=clerk_a)
    # 国办函〔2020〕109号第七条: 5 to 19 March, both included, are 11 working days not counted.
    assert request.state == State.PROCESSING and request.due_on == D(2026, 4, 15)


def test_unpaid_fee_closes_as_other_2(paper_request, clerk_a):
    with at(D(2026, 3, 5)):
        workflow.send_fee_notice(
            paper_request, actor=clerk_a, method=FeeMethod.BY_COUNT, quantity=11
        )
    with at(D(2026, 4, 2)), pytest.raises(WorkflowError, match="尚未届满"):
        workflow.fee_expired(paper_request)
    with at(D(2026, 4, 3)):
        request = workflow.fee_expired(paper_request)
    assert request.result == Result.OTHER_FEE_UNPAID and request.state == State.CLOSED


def test_reply_partly_disclosed_with_file(
    paper_request, clerk_a, mailoutbox, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("方案.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    with at(D(2026, 3, 20)), django_capture_on_commit_callbacks(execute=True):
        request = workflow.reply(
            paper_request,
            actor=clerk_a,
            result=Result.PARTLY_DISCLOSED,
            files=[upload],
            delivery_route="online",
        )
    assert request.state == State.REPLIED and request.result == Result.PARTLY_DISCLOSED
    assert "第三十七条" in request.legal_basis and "区分处理" in request.reply_letter
    assert request.workdays_taken == 14 and not request.replied_late
    assert request.documents.filter(kind=DocumentKind.DISCLOSED).count() == 1
    assert any("作出答复" in m.subject for m in mailoutbox)


def test_reply_cannot_choose_the_expiry_results(paper_request, clerk_a):
    with pytest.raises(WorkflowError):
        workflow.reply(
            paper_request, actor=clerk_a, result=Result.OTHER_NO_SUPPLEMENT, delivery_route="post"
        )
    with pytest.raises(WorkflowError):
        workflow.reply(paper_request, actor=clerk_a, result="7_1", delivery_route="post")


def test_not_held_names_the_responsible_agency(paper_request, clerk_a):
    with at(D(2026, 3, 10)):
        request = workflow.reply(
            paper_request,
            actor=clerk_a,
            result=Result.UNABLE_NOT_HELD,
            responsible_agency="安庆市自然资源和规划局（0556-1234567）",
            delivery_route="post",
        )
    assert "安庆市自然资源和规划局" in request.reply_letter


def test_failed_transition_leaves_no_trace(
    paper_request, clerk_a, django_capture_on_commit_callbacks
):
    before = RequestEvent.objects.count()
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(WorkflowError):
        workflow.record_payment(paper_request, actor=clerk_a)
    assert RequestEvent.objects.count() == before and callbacks == []


def test_withdraw_and_archive(unit_a, clerk_a, paper_request):
    unconfirmed, _ = workflow.submit_online(unit_a, person_data())
    unconfirmed = workflow.withdraw(unconfirmed)
    assert unconfirmed.state == State.WITHDRAWN and unconfirmed.result == ""
    with at(D(2026, 3, 6)):
        request = workflow.withdraw(paper_request, reason="不再需要")
    assert request.result == Result.OTHER and request.replied_on == D(2026, 3, 6)
    request = workflow.archive(request, actor=clerk_a)
    assert request.state == State.ARCHIVED
    with pytest.raises(WorkflowError):
        workflow.withdraw(request)


def test_events_are_append_only(paper_request):
    event = paper_request.events.first()
    event.note = "changed"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_history_replays_to_state_and_due_date(paper_request, clerk_a):
    with at(D(2026, 3, 5)):
        workflow.start_consultation(
            paper_request, actor=clerk_a, party=ConsultationParty.OTHER_AGENCY
        )
    with at(D(2026, 3, 12)):
        workflow.end_consultation(paper_request, actor=clerk_a)
    with at(D(2026, 3, 20)):
        workflow.extend(paper_request, actor=clerk_a, workdays=10, approver="王主任", reason="量大")
    request = Request.objects.get(pk=paper_request.pk)
    assert history.replay(request) == (request.state, request.due_on)
    assert request.due_on == D(2026, 4, 21)


def test_complaint_and_answer(
    paper_request, admin_a, unit_admin_gov, bureau, mailoutbox, django_capture_on_commit_callbacks
):
    """Art. 51: the unit above (or the configured 主管部门) is told, not the unit complained about."""
    admin_a.email = "admin@example.gov.cn"
    admin_a.save()
    bureau_admin = make_staff(django_user_model(), "bureau_admin", bureau, Role.UNIT_ADMIN)
    bureau_admin.email = "bureau@example.gov.cn"
    bureau_admin.save()
    with django_capture_on_commit_callbacks(execute=True):
        complaint = workflow.file_complaint(paper_request, text="迟迟不答复")
    assert [m.to for m in mailoutbox if "投诉" in m.subject] == [["bureau@example.gov.cn"]]
    complaint = workflow.answer_complaint(complaint, actor=admin_a, answer="已督促办理")
    assert complaint.answer == "已督促办理"
    with pytest.raises(WorkflowError):
        workflow.answer_complaint(complaint, actor=admin_a, answer="again")


def test_reminder_is_sent_once_a_day(paper_request, clerk_a):
    assert workflow.remind(paper_request, on=D(2026, 3, 26)) is True
    assert workflow.remind(paper_request, on=D(2026, 3, 26)) is False
    assert workflow.remind(paper_request, on=D(2026, 3, 27)) is True


def test_handlers_are_told_of_a_new_request_without_personal_data(
    unit_a, clerk_a, mailoutbox, django_capture_on_commit_callbacks
):
    clerk_a.email = "clerk@example.gov.cn"
    clerk_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        request, _ = workflow.submit_online(unit_a, person_data())
    message = next(m for m in mailoutbox if m.to == ["clerk@example.gov.cn"])
    html = message.alternatives[0][0]
    assert request.number in message.subject and request.number in html
    for private in ("张三丰", "13912345678", "11010519491231002X", "zhangsan@example.com"):
        assert private not in message.body and private not in html


def test_a_unit_administrator_above_is_told_as_the_role_counts_there(
    django_user_model,
    government,
    bureau,
    unit_a,
    unit_b,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    # A 单位管理员 holds the role in the units below (portal.permissions.can), so may handle
    # their requests; the e-mails went to the unit's own staff only. Sibling units stay apart.
    def staff(name, unit, role):
        user = make_staff(django_user_model, name, unit, role)
        user.email = f"{name}@example.gov.cn"
        user.save()

    staff("gov_admin", government, Role.UNIT_ADMIN)
    staff("gov_handler", government, Role.HANDLER)  # a handler's role stays in its unit
    staff("bureau_admin", bureau, Role.UNIT_ADMIN)
    staff("b_admin", unit_b, Role.UNIT_ADMIN)
    staff("b_clerk", unit_b, Role.HANDLER)

    def told(unit):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            workflow.submit_online(unit, person_data())
        return sorted(address for m in mailoutbox for address in m.to if "gov.cn" in address)

    assert told(unit_b) == [
        "b_admin@example.gov.cn",
        "b_clerk@example.gov.cn",
        "gov_admin@example.gov.cn",
    ]
    assert told(bureau) == ["bureau_admin@example.gov.cn", "gov_admin@example.gov.cn"]


def test_no_mail_when_the_transaction_rolls_back(
    unit_a, mailoutbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        workflow.submit_online(unit_a, person_data())
        raise RuntimeError("boom")
    assert mailoutbox == [] and not Request.objects.exists()


def test_late_registered_paper_request_is_numbered_in_its_receipt_year(unit_a, clerk_a):
    with at(D(2027, 1, 4)):
        request, _ = workflow.register_paper(
            unit_a, actor=clerk_a, channel="post", received_on=D(2026, 12, 30), data=person_data()
        )
    assert request.number.startswith("YSQ-2026-") and request.year == 2026


def test_fee_notice_only_within_the_reply_period(paper_request, clerk_a):
    with at(D(2026, 3, 31)), pytest.raises(WorkflowError, match="答复期限内"):
        workflow.send_fee_notice(
            paper_request, actor=clerk_a, method=FeeMethod.BY_PAGES, quantity=50
        )


def test_count_of_applications_this_month_suggests_the_by_count_quantity(unit_a, clerk_a):
    from applications import fees

    requests = [register_on(D(2026, 3, day), unit_a, clerk_a) for day in (2, 3, 4)]
    register_on(D(2026, 4, 1), unit_a, clerk_a)  # next month: not counted
    assert [fees.applications_this_month(r) for r in requests] == [1, 2, 3]


def test_later_date_for_mass_applications(paper_request, clerk_a):
    with at(D(2026, 3, 10)):
        with pytest.raises(WorkflowError, match="晚于法定答复期限"):
            workflow.set_later_date(
                paper_request, actor=clerk_a, until=D(2026, 3, 20), reason="量大"
            )
        request = workflow.set_later_date(
            paper_request, actor=clerk_a, until=D(2026, 6, 30), reason="申请涉及300份文件"
        )
    assert request.due_on == D(2026, 6, 30)
    assert history.replay(request) == (State.PROCESSING, D(2026, 6, 30))


def test_posted_fee_notice_runs_from_the_day_the_applicant_received_it(unit_a, clerk_a):
    """国办函〔2020〕109号第七条: 20 working days from the day after receipt, not sending."""
    request = register_on(D(2026, 3, 2), unit_a, clerk_a, delivery="post")
    with at(D(2026, 3, 5)):
        request = workflow.send_fee_notice(
            request, actor=clerk_a, method=FeeMethod.BY_COUNT, quantity=11
        )
    # Not yet received: the applicant's period has not started, nothing can expire.
    assert workflow.fee_payment_until(request) is None
    with at(D(2026, 5, 6)), pytest.raises(WorkflowError, match="尚未登记申请人收到"):
        workflow.fee_expired(request)
    with at(D(2026, 3, 10)):
        with pytest.raises(WorkflowError, match="发出日期与今天之间"):
            workflow.record_fee_notice_received(request, actor=clerk_a, received_on=D(2026, 3, 4))
        workflow.record_fee_notice_received(request, actor=clerk_a, received_on=D(2026, 3, 9))
    assert workflow.fee_payment_until(request) == D(2026, 4, 7)  # 清明 4-6 April skipped
    # Counted from the sending day, the period would have ended on 2 April.
    with at(D(2026, 4, 7)), pytest.raises(WorkflowError, match="尚未届满"):
        workflow.fee_expired(request)
    with at(D(2026, 4, 8)):
        request = workflow.fee_expired(request)
    assert request.result == Result.OTHER_FEE_UNPAID


def test_online_fee_notice_is_received_the_day_it_is_sent(paper_request, clerk_a):
    with at(D(2026, 3, 5)):
        request = workflow.send_fee_notice(
            paper_request, actor=clerk_a, method=FeeMethod.BY_COUNT, quantity=11
        )
    assert workflow.fee_payment_until(request) == D(2026, 4, 2)


def test_third_party_period_runs_from_its_receipt_of_the_letter(paper_request, clerk_a):
    """Art. 32: 15 working days from the third party's receipt; then the time counts again."""
    with at(D(2026, 3, 3)):
        request = workflow.start_consultation(
            paper_request,
            actor=clerk_a,
            party=ConsultationParty.THIRD_PARTY,
            third_party="安庆某某科技有限公司",
        )
    with at(D(2026, 3, 6)):
        workflow.record_consultation_received(request, actor=clerk_a, received_on=D(2026, 3, 5))
        with pytest.raises(WorkflowError, match="已登记"):
            workflow.record_consultation_received(request, actor=clerk_a, received_on=D(2026, 3, 5))
    with at(D(2026, 5, 29)):
        request = workflow.end_consultation(request, actor=clerk_a)
    assert request.due_on == D(2026, 4, 23)


def test_another_agency_has_no_answer_period(paper_request, clerk_a):
    with at(D(2026, 3, 3)):
        request = workflow.start_consultation(
            paper_request, actor=clerk_a, party=ConsultationParty.OTHER_AGENCY
        )
        with pytest.raises(WorkflowError, match="无需登记"):
            workflow.record_consultation_received(request, actor=clerk_a, received_on=D(2026, 3, 3))
    with at(D(2026, 5, 29)):
        request = workflow.end_consultation(request, actor=clerk_a)
    assert request.due_on == D(2026, 6, 26)


@pytest.mark.django_db(transaction=True)
def test_an_identity_document_of_a_rolled_back_submission_is_removed(unit_a, private_media):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from portal import uploads

    def scan():
        return SimpleUploadedFile("scan.pdf", b"%PDF-1.4 id")

    kept, _code = workflow.submit_online(unit_a, person_data(), id_document=scan())
    with pytest.raises(RuntimeError), transaction.atomic():
        # The submission's own atomic block commits into an outer one that then fails.
        workflow.submit_online(unit_a, person_data(), id_document=scan())
        raise RuntimeError
    uploads.discard_rolled_back()
    stored = [p.name for p in (private_media / "id").rglob("*.pdf")]
    assert stored == [kept.id_document.name.rsplit("/", 1)[-1]]
