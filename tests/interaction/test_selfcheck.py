"""互动交流 in the self-check: overdue messages, the 60-day alarm and the 3-month veto, and the
六、互动交流 section of the 网站工作年度报表."""

import datetime as dt

import pytest

from compliance import annual, registry, scoring
from interaction import selfcheck, workflow
from interaction.models import MessageKind
from tests.interaction.conftest import submit_on

pytestmark = pytest.mark.django_db
D = dt.date


def check(units, today):
    scope = registry.Scope(units=units, site_wide=False, today=today)
    findings = list(selfcheck.messages(scope))
    return findings, scoring.score(findings), scope.metrics


def test_a_consultation_unanswered_for_three_months_fails_the_site(unit_a, unit_b):
    submit_on(D(2026, 1, 5), unit_a, kind=MessageKind.CONSULT)
    submit_on(D(2026, 1, 5), unit_a, kind=MessageKind.SUGGEST)  # not 政务咨询: no veto
    submit_on(D(2026, 3, 30), unit_b)  # due in April, after 清明

    findings, score, _ = check([unit_a, unit_b], D(2026, 4, 5))
    # 90 days: alarmed and overdue, not yet 3 months; B's message is not due yet.
    assert {f.kind for f in findings} == {selfcheck.ALARM, selfcheck.OVERDUE}
    assert not score.vetoed

    findings, score, metrics = check([unit_a, unit_b], D(2026, 4, 20))
    kinds = [f.kind for f in findings]
    assert kinds.count(selfcheck.VETO) == 1
    assert score.vetoed and score.value == 0
    alarm = next(f for f in findings if f.kind == selfcheck.ALARM)
    assert alarm.weight == 2 and alarm.unit_id == unit_a.pk
    assert "due=alarm" in alarm.url
    overdue = [f for f in findings if f.kind == selfcheck.OVERDUE]
    assert {(f.unit_id, f.weight) for f in overdue} == {(unit_a.pk, 2), (unit_b.pk, 1)}
    assert any(m.label == "目前未答复留言" and m.value == "3件" for m in metrics)


def test_answered_messages_are_no_finding(unit_a, handler_a):
    message, _ = submit_on(D(2026, 1, 5), unit_a)
    workflow.reply(message, actor=handler_a, text="答复")
    findings, score, _ = check([unit_a], D(2026, 6, 1))
    assert findings == [] and score.value == 100


def test_annual_report_has_the_interaction_section(unit_a, handler_a):
    message, _ = submit_on(D(2026, 3, 2), unit_a)
    workflow.reply(message, actor=handler_a, text="答复")
    sections = {section.title: dict(section.rows) for section in annual.report(2026)}
    rows = sections["六、互动交流"]
    assert rows["收到留言（件）"] == 1 and rows["办结留言（件）"] == 1
    assert "留言办理、征集调查、在线访谈" not in rows  # the placeholder is gone
