"""互动交流 in the self-check (compliance.registry): findings for messages left unanswered, and the
六、互动交流 section of the 网站工作年度报表.

The 检查指标 fail a site outright when a 政务咨询 message stays unanswered for more than 3 months;
long before that, messages open for more than 60 days and messages past their due date deduct.
"""

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from compliance.registry import (
    AnnualSection,
    Finding,
    Metric,
    register_annual_section,
    register_check,
    register_kind,
)
from interaction import deadlines, statistics
from interaction.models import Message, MessageKind

VETO = "message_unanswered_3_months"
ALARM = "message_open_60_days"
OVERDUE = "message_overdue"

register_kind(
    VETO,
    "政务咨询留言超过3个月未答复",
    points=10,
    cap=10,
    veto_at=1,
    veto_label="政务咨询留言超过3个月未答复",
)
register_kind(ALARM, f"留言超过{deadlines.ALARM_DAYS}日未答复", points=2, cap=10)
register_kind(OVERDUE, "留言超过答复期限未答复", points=1, cap=10)


def _admin_list(unit_id, due) -> str:
    query = urlencode({"unit__id__exact": unit_id, "due": due})
    return f"{reverse('admin:interaction_message_changelist')}?{query}"


def messages(scope):
    """Open messages per unit: past the 3-month veto (咨询), open over 60 days, past their due date."""
    names = {unit.pk: unit.short_name for unit in scope.units}
    open_messages = Message.objects.open().filter(unit__in=scope.unit_ids)
    veto_before = deadlines.add_months(scope.today, -deadlines.VETO_MONTHS)
    vetoed = open_messages.filter(kind=MessageKind.CONSULT, received_on__lt=veto_before)
    for message in vetoed.order_by("received_on")[:50]:
        yield Finding(
            VETO,
            f"{names[message.unit_id]}：咨询留言{message.number}自{message.received_on:%Y-%m-%d}起"
            "超过3个月未答复",
            reverse("admin:interaction_message_change", args=[message.pk]),
            unit_id=message.unit_id,
        )
    counted = [
        (
            ALARM,
            open_messages.older_than(deadlines.ALARM_DAYS, scope.today),
            "alarm",
            f"超过{deadlines.ALARM_DAYS}日未答复",
        ),
        (OVERDUE, open_messages.overdue(scope.today), "overdue", "超过答复期限未答复"),
    ]
    for kind, queryset, due, what in counted:
        rows = queryset.values("unit").annotate(n=Count("pk")).order_by()
        for row in rows:
            yield Finding(
                kind,
                f"{names[row['unit']]}：{row['n']}件留言{what}",
                _admin_list(row["unit"], due),
                unit_id=row["unit"],
                weight=row["n"],
            )
    figures = statistics.annual(scope.unit_ids, scope.today.year)
    scope.metrics.append(Metric("本年收到留言", f"{figures.messages_received}件"))
    scope.metrics.append(
        Metric(
            "本年答复留言",
            f"{figures.messages_answered}件（按期{figures.messages_answered_on_time}件）",
        )
    )
    scope.metrics.append(Metric("目前未答复留言", f"{open_messages.count()}件"))


def annual_section(year, units):
    figures = statistics.annual([unit.pk for unit in units], year)
    average = "—" if figures.average_workdays is None else figures.average_workdays
    return AnnualSection(
        "六、互动交流",
        [
            ("收到留言（件）", figures.messages_received),
            ("办结留言（件）", figures.messages_answered),
            ("其中按期答复（件）", figures.messages_answered_on_time),
            ("平均办理时间（工作日）", average),
            ("公开答复（件）", figures.messages_published),
            ("不予受理（件）", figures.messages_rejected),
            ("年末未答复（件）", figures.messages_open_at_year_end),
            ("征集调查期数（期）", figures.consultations),
            ("收到意见数量（条）", figures.consultation_comments),
            ("公开意见（条）", figures.consultation_comments_published),
            ("公布采纳情况（期）", figures.consultations_with_adoption),
        ],
    )


# registry.register_* return None: registered here, not as decorators, so the functions stay callable.
register_check(messages)
register_annual_section(annual_section)
