"""send_reminders (daily, idempotent), generate_requests (bulk), and the demo data."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from applications import history, statistics, workflow
from applications.models import (
    Appeal,
    ConsultationParty,
    EventKind,
    NumberCounter,
    Request,
    RequestEvent,
    Result,
    State,
)
from disclosure.reports.models import AnnualReport
from portal.models import PublishingUnit
from tests.applications.conftest import register_on

pytestmark = pytest.mark.django_db


def at(day):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC))


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_send_reminders_once_per_day_without_personal_data(
    unit_a, clerk_a, private_media, django_capture_on_commit_callbacks
):
    clerk_a.email = "clerk@example.gov.cn"
    clerk_a.save()
    soon = register_on(dt.date(2026, 3, 2), unit_a, clerk_a)  # due 03-30
    register_on(dt.date(2026, 3, 20), unit_a, clerk_a)  # due 04-20: not yet
    mail.outbox.clear()
    with at(dt.date(2026, 3, 26)), django_capture_on_commit_callbacks(execute=True):
        assert "已发送到期提醒 1 件" in run("send_reminders")
        assert "已发送到期提醒 0 件" in run("send_reminders")
    assert len(mail.outbox) == 1 and soon.number in mail.outbox[0].subject
    assert mail.outbox[0].to == ["clerk@example.gov.cn"]
    assert "张三丰" not in mail.outbox[0].body and "13912345678" not in mail.outbox[0].body
    with at(dt.date(2026, 3, 27)):
        assert "已发送到期提醒 1 件" in run("send_reminders")


def test_send_reminders_moves_a_paused_due_date_and_closes_expired(unit_a, clerk_a, private_media):
    paused = register_on(dt.date(2026, 3, 2), unit_a, clerk_a)
    with at(dt.date(2026, 3, 5)):
        workflow.start_consultation(
            paused,
            actor=clerk_a,
            party=ConsultationParty.THIRD_PARTY,
            third_party="安庆某某科技有限公司",
        )
    waiting = register_on(dt.date(2026, 3, 2), unit_a, clerk_a)
    with at(dt.date(2026, 3, 3)):
        workflow.request_supplement(waiting, actor=clerk_a, what="补正", period_workdays=5)
    with at(dt.date(2026, 3, 12)):
        run("send_reminders")  # without --close-expired nothing is closed
        assert Request.objects.get(pk=waiting.pk).state == State.SUPPLEMENT
        run("send_reminders", "--close-expired")
    paused.refresh_from_db()
    assert paused.due_on == dt.date(2026, 4, 7)  # 5 working days paused so far
    waiting.refresh_from_db()
    assert waiting.state == State.CLOSED and waiting.result == Result.OTHER_NO_SUPPLEMENT


def test_generate_requests_bulk_keeps_numbering_and_arithmetic(unit_a, unit_b):
    NumberCounter.objects.create(year=2025, last=5)
    out = run("generate_requests", "300", "--year", "2025")
    assert "共生成 300 件" in out
    numbers = list(Request.objects.order_by("serial").values_list("serial", flat=True))
    assert numbers == list(range(6, 306))
    assert NumberCounter.objects.get(year=2025).last == 305
    assert RequestEvent.objects.filter(kind=EventKind.RECEIVED).count() == 300
    table = statistics.section_three(PublishingUnit.objects.values_list("pk", flat=True), 2025)
    col = {row.key: row.values["total"] for row in table.rows}
    assert col["new"] == 300
    assert col["new"] + col["carried_in"] == col["results_total"] + col["carried_out"]


def test_demo_has_every_state_and_is_idempotent():
    call_command("load_demo", stdout=io.StringIO())
    states = set(Request.objects.values_list("state", flat=True))
    assert states == set(State.values)
    years = {r.year for r in Request.objects.all()}
    assert {2025, 2026} <= years
    assert Request.objects.filter(channel="online").exists()
    assert Request.objects.exclude(channel="online").exists()
    assert Appeal.objects.exists()
    assert Request.objects.overdue().exists() and Request.objects.replied_late().exists()
    count = Request.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert Request.objects.count() == count
    # The centre's 2016 report is filed in the centre's own catalog, not its parent bureau's.
    seed = AnnualReport.objects.get(unit__slug="zwzx", year=2016)
    assert seed.directory_unit.slug == "zwzx" and seed.entry.unit.slug == "zwzx"
    for request in Request.objects.all():
        assert history.replay(request)[0] == request.state, request.number
    # The checking command agrees over the whole demo: every state and due date from history.
    call_command("check_request_history", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_demo_sends_no_mail(mailoutbox):
    # Autocommit, as in `make run`: each workflow call's on_commit callbacks really run.
    call_command("load_demo", stdout=io.StringIO())
    assert Request.objects.exists() and mailoutbox == []
    request = Request.objects.filter(state=State.PROCESSING, due_on__gte=dt.date.today()).first()
    workflow.extend(request, actor="工作人员", workdays=5, approver="王主任", reason="核实")
    assert len(mailoutbox) == 1  # outside the demo, the applicant is told


def test_close_expired_waits_for_the_applicants_own_period(unit_a, clerk_a, private_media):
    """国办函〔2020〕109号第七条: 20 working days from the day after the applicant receives the
    notice; a posted notice not yet signed for, or still within its period, is not closed."""
    posted = register_on(dt.date(2026, 3, 2), unit_a, clerk_a, delivery="post")
    unsigned = register_on(dt.date(2026, 3, 2), unit_a, clerk_a, delivery="post")
    with at(dt.date(2026, 3, 5)):
        for request in (posted, unsigned):
            workflow.send_fee_notice(request, actor=clerk_a, method="by_count", quantity=11)
    with at(dt.date(2026, 3, 12)):
        workflow.record_fee_notice_received(posted, actor=clerk_a, received_on=dt.date(2026, 3, 12))
    # Counted from the sending day the period ended on 2 April; the applicant has until 10 April.
    with at(dt.date(2026, 4, 3)):
        assert "终止逾期未补正/未缴费申请 0 件" in run("send_reminders", "--close-expired")
    with at(dt.date(2026, 4, 13)):
        assert "终止逾期未补正/未缴费申请 1 件" in run("send_reminders", "--close-expired")
    posted.refresh_from_db()
    unsigned.refresh_from_db()
    assert posted.result == Result.OTHER_FEE_UNPAID
    assert unsigned.state == State.AWAITING_PAYMENT


def test_history_check_names_a_request_that_disagrees_with_its_events(unit_a, clerk_a):
    from django.core.management.base import CommandError

    request = register_on(dt.date(2026, 3, 2), unit_a, clerk_a)
    call_command("check_request_history", stdout=io.StringIO())
    Request.objects.filter(pk=request.pk).update(state=State.REPLIED)  # a bad repair by hand
    errors = io.StringIO()
    with pytest.raises(CommandError, match="1处"):
        call_command("check_request_history", stdout=io.StringIO(), stderr=errors)
    assert request.number in errors.getvalue() and "已答复" in errors.getvalue()
