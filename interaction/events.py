"""The words of a message's history, rendered from each event's kind and facts when shown.

Events keep only facts (unit ids, reason codes, dates); wording can be corrected here without
touching the append-only history. Citizens see the public kinds; staff see everything, with
internal notes.
"""

from dataclasses import dataclass

from interaction.models import MessageEventKind, RatingLevel, RejectReason
from portal.models import PublishingUnit

REMINDER_STAGES = {"before": "即将到期", "today": "今日到期", "overdue": "已超期"}


@dataclass
class Line:
    on: object
    title: str
    text: str
    actor: str
    note: str = ""


def _unit_names(events) -> dict[int, str]:
    ids = set()
    for event in events:
        for key in ("unit", "from_unit", "to_unit"):
            if isinstance(event.data.get(key), int):
                ids.add(event.data[key])
    return dict(PublishingUnit.objects.filter(pk__in=ids).values_list("pk", "name"))


def _describe(event, units: dict[int, str], for_staff: bool) -> str:
    data = event.data or {}
    kind = event.kind
    unit = units.get(data.get("unit"), "")
    if kind == MessageEventKind.SUBMITTED:
        return f"留言已提交至{unit}。" if unit else "留言已提交。"
    if kind == MessageEventKind.ACCEPTED:
        return "留言已受理，正在办理。"
    if kind == MessageEventKind.REJECTED:
        reason = RejectReason(data["reason"]).label if data.get("reason") else ""
        note = data.get("note") or ""
        return f"不予受理。理由：{reason}{'；' + note if note else ''}"
    if kind == MessageEventKind.TRANSFERRED:
        text = (
            f"留言由{units.get(data.get('from_unit'), '原单位')}转至"
            f"{units.get(data.get('to_unit'), '其他单位')}办理，答复期限不重新计算"
        )
        if data.get("due_on"):
            text += f"（答复期限：{data['due_on']}）"
        return text + "。"
    if kind == MessageEventKind.REPLY_SUBMITTED:
        return "答复已提交审核。"
    if kind == MessageEventKind.REPLY_RETURNED:
        return f"答复被退回修改：{data.get('note', '')}"
    if kind == MessageEventKind.REPLIED:
        text = f"{unit}已作出答复。" if unit else "已作出答复。"
        if for_staff and "workdays" in data:
            timing = "按期" if data.get("on_time") else "逾期"
            text += f"（用时{data['workdays']}个工作日，{timing}答复）"
        return text
    if kind == MessageEventKind.PUBLISHED:
        if data.get("first"):
            return "经您同意，留言（已隐去个人信息）和答复已在网站公开。"
        return "更新了公开的留言内容。"
    if kind == MessageEventKind.UNPUBLISHED:
        return f"取消公开：{data.get('note', '')}"
    if kind == MessageEventKind.REMINDED:
        return f"向办理人员发送到期提醒（{REMINDER_STAGES.get(data.get('stage'), '')}）。"
    if kind == MessageEventKind.RATED:
        level = RatingLevel(data["level"]).label if data.get("level") else ""
        return f"留言人评价：{level}。"
    if kind == MessageEventKind.FOLLOWED_UP:
        return "已登记回访及整改情况。"
    return ""


def history(message, *, for_staff: bool) -> list[Line]:
    events = list(message.events.order_by("created_at", "pk"))
    if not for_staff:
        events = [event for event in events if event.is_public]
    units = _unit_names(events)
    return [
        Line(
            on=event.on,
            title=event.get_kind_display(),
            text=_describe(event, units, for_staff),
            actor=event.actor_label if for_staff else "",
            note=(event.data.get("note") or "") if for_staff else "",
        )
        for event in events
    ]


def one(event, *, for_staff: bool = False) -> Line:
    """One event's line (for an e-mail)."""
    units = _unit_names([event])
    return Line(
        on=event.on,
        title=event.get_kind_display(),
        text=_describe(event, units, for_staff),
        actor=event.actor_label if for_staff else "",
    )
