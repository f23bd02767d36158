"""互动交流 through the self-check registry: messages unanswered past their due date or for more
than 60 days, the 单项否决 of a 政务咨询 unanswered for more than 3 months (检查指标), and the
interaction figures of the 政府网站工作年度报表. Registered by ComplianceConfig only when the
interaction app is installed; it shows how an app contributes (README, Self-check)."""

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from compliance.registry import (
    AnnualSection,
    Finding,
    register_annual_section,
    register_check,
    register_kind,
)

register_kind("message_overdue", "留言超过答复期限未答复", 1, 10)
register_kind("message_alarm", "留言超过60日未答复", 2, 10)
register_kind(
    "consult_unanswered",
    "政务咨询留言超过3个月未答复",
    5,
    20,
    veto_at=1,
    veto_label="政务咨询留言超过3个月未答复",
)


def _messages_url(unit_id, due) -> str:
    url = reverse("admin:interaction_message_changelist")
    return f"{url}?{urlencode({'due': due, 'unit__id__exact': unit_id})}"


@register_check
def messages(scope):
    from interaction import deadlines
    from interaction.models import Message, MessageKind

    names = {unit.pk: unit.short_name for unit in scope.units}
    mine = Message.objects.filter(unit__in=scope.unit_ids)

    def per_unit(queryset):
        return queryset.values("unit").annotate(n=Count("pk")).order_by().values_list("unit", "n")

    for unit_id, n in per_unit(mine.overdue(scope.today)):
        yield Finding(
            "message_overdue",
            f"{names[unit_id]}：{n}条留言已超过答复期限仍未答复",
            _messages_url(unit_id, "overdue"),
            unit_id=unit_id,
            weight=n,
        )
    for unit_id, n in per_unit(mine.older_than(deadlines.ALARM_DAYS, scope.today)):
        yield Finding(
            "message_alarm",
            f"{names[unit_id]}：{n}条留言超过{deadlines.ALARM_DAYS}日未答复",
            _messages_url(unit_id, "alarm"),
            unit_id=unit_id,
            weight=n,
        )
    # "超过3个月未答复": received before this day three months ago (interaction.deadlines.veto_on).
    veto_before = deadlines.add_months(scope.today, -deadlines.VETO_MONTHS)
    consults = (
        mine.open()
        .filter(kind=MessageKind.CONSULT, received_on__lt=veto_before)
        .only("pk", "number", "unit_id", "received_on")
    )
    for message in consults:
        yield Finding(
            "consult_unanswered",
            f"{names[message.unit_id]}：咨询留言{message.number}自{message.received_on:%Y-%m-%d}受理，超过3个月未答复",
            reverse("admin:interaction_message_change", args=[message.pk]),
            unit_id=message.unit_id,
        )


@register_annual_section
def interaction_figures(year, units):
    from interaction import statistics

    figures = statistics.annual([unit.pk for unit in units], year)
    average = figures.average_workdays
    return AnnualSection(
        "六、互动交流",
        [
            ("收到留言（条）", figures.messages_received),
            ("办结留言（条）", figures.messages_answered),
            ("其中按期答复（条）", figures.messages_answered_on_time),
            ("平均办理时间（工作日）", f"{average:.1f}" if average is not None else "—"),
            ("公开答复（条）", figures.messages_published),
            ("不予受理（条）", figures.messages_rejected),
            ("年末未办结（条）", figures.messages_open_at_year_end),
            ("征集调查期数", figures.consultations),
            ("收到意见（条）", figures.consultation_comments),
            ("公开意见（条）", figures.consultation_comments_published),
            ("公布采纳情况期数", figures.consultations_with_adoption),
        ],
    )
