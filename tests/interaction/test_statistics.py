"""The 年度 figures of 互动交流 for the 网站工作年度报表, from interaction.statistics alone."""

import datetime as dt

import pytest
from django.utils import timezone

from interaction import statistics, workflow
from interaction.models import CommentState, Consultation, ConsultationState, RejectReason
from tests.interaction.conftest import at, submit_on

pytestmark = pytest.mark.django_db
D = dt.date


def reply_on(message, handler, day):
    with at(day):
        return workflow.reply(message, actor=handler, text="答复")


def test_annual_figures(unit_a, unit_b, handler_a, handler_b):
    # Received in 2025, answered in 2026: counts as answered in 2026, not received.
    carried, _ = submit_on(D(2025, 12, 29), unit_a)
    carried = reply_on(carried, handler_a, D(2026, 1, 5))
    on_time, _ = submit_on(D(2026, 3, 2), unit_a)
    reply_on(on_time, handler_a, D(2026, 3, 4))  # 2 working days
    with at(D(2026, 3, 5)):
        workflow.publish(
            on_time,
            actor=handler_a,
            public_subject="周末办理",
            public_text="周六是否开放？",
            public_reply="开放。",
        )
    late, _ = submit_on(D(2026, 3, 2), unit_a)
    reply_on(late, handler_a, D(2026, 3, 20))  # 14 working days, due 03-16
    rejected, _ = submit_on(D(2026, 6, 1), unit_a)
    workflow.reject(rejected, actor=handler_a, reason=RejectReason.DUPLICATE)
    submit_on(D(2026, 12, 30), unit_a)  # still open at the year's end
    late_reply, _ = submit_on(D(2026, 12, 28), unit_a)
    reply_on(late_reply, handler_a, D(2027, 1, 4))  # open at the end of 2026
    submit_on(D(2026, 5, 6), unit_b)  # another unit

    consultation = Consultation.objects.create(
        unit=unit_a,
        title="征求意见稿",
        text="全文",
        opens_on=D(2026, 4, 1),
        closes_on=D(2026, 5, 5),
        state=ConsultationState.PUBLISHED,
        published_at=timezone.now(),
        adoption="采纳1条",
        adoption_published_on=D(2026, 5, 10),
    )
    for state in (CommentState.PUBLISHED, CommentState.PUBLISHED, CommentState.REJECTED):
        consultation.comments.create(
            name="王五", text="意见", state=state, moderated_at=timezone.now()
        )
    Consultation.objects.create(
        unit=unit_a, title="草稿不计", text="全文", opens_on=D(2026, 7, 1), closes_on=D(2026, 8, 1)
    )

    figures = statistics.annual([unit_a.pk], 2026)
    assert figures.messages_received == 5
    assert figures.messages_answered == 3  # carried, on_time, late
    assert figures.messages_answered_on_time == 2
    # 12-30, 12-31 and 01-04 (a 调休 Sunday) and 01-05 are working days; 元旦 is not.
    assert carried.workdays_taken == 4
    assert figures.average_workdays == round((4 + 2 + 14) / 3, 1)
    assert figures.messages_published == 1
    assert figures.messages_rejected == 1
    assert figures.messages_open_at_year_end == 2
    assert figures.consultations == 1
    assert figures.consultation_comments == 3
    assert figures.consultation_comments_published == 2
    assert figures.consultations_with_adoption == 1

    both = statistics.annual([unit_a.pk, unit_b.pk], 2026)
    assert both.messages_received == 6
    assert statistics.annual([unit_b.pk], 2025).messages_received == 0


def test_a_year_without_anything_is_zero(unit_a):
    figures = statistics.annual([unit_a.pk], 2026)
    assert figures.messages_received == 0 and figures.average_workdays is None
