"""满意度评价: once per answered message or request, 差评 followed up within 15 working days,
the outcome shown to the citizen, public figures per unit."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from applications import workflow as request_workflow
from applications.models import Result
from interaction import workflow
from interaction.models import Rating, RatingLevel
from tests.applications.conftest import register_on
from tests.interaction.conftest import at, submit_on
from tests.interaction.test_messages_public import _code_for, track

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]
D = dt.date


@pytest.fixture
def replied(unit_a, handler_a):
    message, _ = submit_on(D(2026, 3, 2), unit_a)
    with at(D(2026, 3, 4)):
        return workflow.reply(message, actor=handler_a, text="周六上午开放。")


def test_rate_a_replied_message_once_from_the_tracking_page(client, replied, handler_a):
    track(client, replied.number, _code_for(replied))
    page = client.get(reverse("interaction:track_detail")).content.decode()
    for label in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        assert label in page
    with at(D(2026, 3, 5)):
        response = client.post(
            reverse("interaction:track_rate"), {"level": "2", "comment": "答复太简单"}, follow=True
        )
    body = response.content.decode()
    assert "工作人员将在2026年03月26日前回访" in body
    rating = Rating.objects.get()
    assert rating.level == RatingLevel.DISSATISFIED and rating.unit == replied.unit
    assert rating.followup_due_on == D(2026, 3, 26)  # 15 working days
    with at(D(2026, 3, 5)):
        again = client.post(reverse("interaction:track_rate"), {"level": "5"}, follow=True)
    assert "只能评价一次" in again.content.decode()
    assert Rating.objects.count() == 1


def test_an_open_message_cannot_be_rated(client, message):
    track(client, message.number, _code_for(message))
    assert "提交评价" not in client.get(reverse("interaction:track_detail")).content.decode()
    response = client.post(reverse("interaction:track_rate"), {"level": "5"}, follow=True)
    assert "不能评价" in response.content.decode()
    assert not Rating.objects.exists()


def test_a_good_rating_needs_no_follow_up(replied):
    rating = workflow.rate_message(replied, level=RatingLevel.BASIC)
    assert rating.followup_due_on is None
    with pytest.raises(workflow.WorkflowError, match="需要回访"):
        workflow.record_followup(rating, actor=None, outcome="x")


def test_follow_up_in_the_admin_and_the_citizen_reads_it(client, login, replied, handler_a):
    with at(D(2026, 3, 5)):
        rating = workflow.rate_message(replied, level=RatingLevel.VERY_DISSATISFIED)
    staff = login(handler_a)
    listing = staff.get(reverse("admin:interaction_rating_changelist") + "?followup=open")
    assert replied.number in listing.content.decode()
    url = reverse("admin:interaction_rating_followup", args=[rating.pk])
    with at(D(2026, 3, 10)):
        assert (
            "请填写回访及整改情况"
            in staff.post(url, {"outcome": "", "on": "2026-03-10"}).content.decode()
        )
        staff.post(url, {"outcome": "已电话回访，补充说明了开放时间。", "on": "2026-03-10"})
    rating.refresh_from_db()
    assert rating.followup_done_on == D(2026, 3, 10) and rating.followup_on_time
    client.logout()
    track(client, replied.number, _code_for(replied))
    body = client.get(reverse("interaction:track_detail")).content.decode()
    assert "已电话回访，补充说明了开放时间。" in body and "回访及整改情况" in body


def test_another_units_handler_cannot_follow_up(login, replied, handler_b):
    rating = workflow.rate_message(replied, level=RatingLevel.DISSATISFIED)
    url = reverse("admin:interaction_rating_followup", args=[rating.pk])
    assert login(handler_b).get(url).status_code == 404


@pytest.fixture
def answered_request(unit_a, clerk_a):
    request = register_on(D(2026, 3, 2), unit_a, clerk_a)
    with at(D(2026, 3, 10)):
        return request_workflow.reply(
            request,
            actor=clerk_a,
            result=Result.DISCLOSED,
            legal_basis="",
            letter="予以公开。",
            files=[],
            delivery_route="online",
            delivered_on=D(2026, 3, 10),
            responsible_agency="",
        )


def _track_request(client, request):
    from portal import access_codes

    code = access_codes.new_code()
    type(request).objects.filter(pk=request.pk).update(
        access_code_hash=type(request).hash_access_code(code)
    )
    client.post(reverse("applications:track"), {"number": request.number, "code": code})


def test_rate_an_answered_request_from_its_tracking_page(client, login, answered_request, clerk_a):
    _track_request(client, answered_request)
    page = client.get(reverse("applications:track_detail")).content.decode()
    assert reverse("interaction:rate_request") in page
    with at(D(2026, 3, 11)):
        client.post(reverse("interaction:rate_request"), {"level": "1", "comment": "太慢"})
    rating = Rating.objects.get()
    assert rating.request == answered_request and rating.unit == answered_request.unit
    # The request handler follows it up.
    url = reverse("admin:interaction_rating_followup", args=[rating.pk])
    with at(D(2026, 3, 12)):
        login(clerk_a).post(url, {"outcome": "已回访并说明办理时限。", "on": "2026-03-12"})
    client.logout()
    _track_request(client, answered_request)
    body = client.get(reverse("interaction:rate_request")).content.decode()
    assert "非常不满意" in body and "已回访并说明办理时限。" in body


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks (SELECT ... FOR UPDATE) need PostgreSQL; SQLite serialises writes",
)
def test_rating_a_request_locks_the_request_row_only(answered_request):
    # It locked the unit's row as well (a join under FOR UPDATE), making the unit's other cases
    # and unit edits wait; the request's own steps lock `of=self` already.
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        workflow.rate_request(answered_request, level=RatingLevel.SATISFIED)
    locks = [q["sql"] for q in captured.captured_queries if "FOR UPDATE" in q["sql"]]
    assert locks and all('FOR UPDATE OF "applications_request"' in sql for sql in locks)


def test_rating_a_request_needs_its_tracking_session(client, answered_request):
    response = client.get(reverse("interaction:rate_request"))
    assert response.status_code == 302 and response.url == reverse("applications:track")
    client.post(reverse("interaction:rate_request"), {"level": "5"})
    assert not Rating.objects.exists()


def test_public_figures_per_unit(client, unit_a, unit_b, handler_a, handler_b, site_profile):
    levels = ["5", "5", "4", "3", "2"]
    for level in levels:
        message, _ = submit_on(D(2026, 3, 2), unit_a)
        with at(D(2026, 3, 4)):
            workflow.reply(message, actor=handler_a, text="答复")
            rating = workflow.rate_message(message, level=level)
        if rating.is_negative:
            with at(D(2026, 3, 6)):
                workflow.record_followup(rating, actor=handler_a, outcome="已回访")
    other, _ = submit_on(D(2026, 3, 2), unit_b)
    workflow.reply(other, actor=handler_b, text="答复")
    workflow.rate_message(other, level="1")
    response = client.get(reverse("interaction:satisfaction"), {"unit": "zwzx", "year": "2026"})
    figures = response.context["figures"]
    assert figures.count == 5
    assert {level: n for level, n, _ in figures.by_level} == {
        "5": 2,
        "4": 1,
        "3": 1,
        "2": 1,
        "1": 0,
    }
    assert figures.satisfied_share == 80.0
    assert (figures.followups_due, figures.followups_done, figures.followups_on_time) == (1, 1, 1)
    body = response.content.decode()
    assert "40.0%" in body and "80.0%" in body
