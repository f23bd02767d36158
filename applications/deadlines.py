"""The reply deadline (Art. 30-33, 42): computed here and only here, from the event history.

Counting starts the working day after the receipt date. A supplement restarts the clock from the
day it arrives; consultations of a third party or another agency pause it (at most 15 working
days each); a fee notice pauses it until payment; one extension adds at most 20 working days.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from applications.models import ConsultationParty, EventKind
from portal.workdays import add_workdays, skipped_days, workdays_between

STATUTORY_WORKDAYS = 20
MAX_EXTENSION_WORKDAYS = 20
MAX_CONSULTATION_WORKDAYS = 15
SUPPLEMENT_NOTICE_WITHIN_WORKDAYS = 7
FEE_PAYMENT_WORKDAYS = 20


@dataclass
class Pause:
    label: str
    start: dt.date
    end: dt.date | None
    workdays: int
    capped: bool = False


@dataclass
class Deadline:
    due_on: dt.date | None
    base_on: dt.date | None = None
    base_label: str = ""
    extension_workdays: int = 0
    pauses: list[Pause] = field(default_factory=list)
    paused_now: bool = False
    awaiting_supplement: bool = False
    skipped: list[tuple[dt.date, str]] = field(default_factory=list)
    later_on: dt.date | None = None

    @property
    def total_workdays(self) -> int:
        return STATUTORY_WORKDAYS + self.extension_workdays + sum(p.workdays for p in self.pauses)

    def explanation(self) -> list[str]:
        """How the date was reached, in plain Chinese, for staff and the applicant."""
        if self.base_on is None:
            return ["申请尚未确认收到，答复期限自确认收到之日的次日起算。"]
        lines = [f"{self.base_label}：{self.base_on:%Y-%m-%d}，次日起算。"]
        if self.awaiting_supplement:
            lines.append("等待申请人补正：收到补正材料后重新起算20个工作日。")
            return lines
        lines.append(f"法定答复期限：{STATUTORY_WORKDAYS}个工作日。")
        for pause in self.pauses:
            end = f"{pause.end:%Y-%m-%d}" if pause.end else "至今（尚未结束）"
            cap = f"（最多计{MAX_CONSULTATION_WORKDAYS}个工作日）" if pause.capped else ""
            lines.append(
                f"{pause.label}：{pause.start:%Y-%m-%d} 至 {end}，不计入期限 {pause.workdays} 个工作日{cap}。"
            )
        if self.extension_workdays:
            lines.append(f"延期答复：{self.extension_workdays}个工作日。")
        if self.later_on:
            lines.append(
                "申请数量、频次明显超过本机关答复能力，已告知申请人合理答复期限（第三十五条）。"
            )
        if self.due_on:
            prefix = "暂定答复期限" if self.paused_now else "答复期限"
            total = "" if self.later_on else f"（共{self.total_workdays}个工作日）"
            lines.append(f"{prefix}：{self.due_on:%Y-%m-%d}{total}。")
        if self.skipped:
            days = "、".join(f"{day:%m-%d}（{reason}）" for day, reason in self.skipped)
            lines.append(f"期间不计的非工作日：{days}。")
        return lines


def _pause_workdays(start: dt.date, end: dt.date, cap: int | None) -> tuple[int, bool]:
    days = max(workdays_between(start, end), 0)
    if cap is not None and days > cap:
        return cap, True
    return days, False


def compute(events: Iterable, today: dt.date) -> Deadline:
    """Replay `events` (oldest first; each has kind, effective_on, payload) into the due date."""
    base_on = None
    base_label = ""
    extension = 0
    pauses: list[Pause] = []
    open_pause: tuple[str, dt.date, int | None] | None = None
    awaiting_supplement = False
    later_on = None
    for event in events:
        kind = event.kind
        if kind == EventKind.RECEIVED:
            base_on, base_label = event.effective_on, "收到申请"
            pauses, open_pause, awaiting_supplement = [], None, False
        elif kind == EventKind.SUPPLEMENT_REQUESTED:
            awaiting_supplement = True
        elif kind == EventKind.SUPPLEMENT_RECEIVED:
            # Art. 30: the period runs from the receipt of the supplemented application.
            base_on, base_label = event.effective_on, "收到补正后的申请"
            pauses, open_pause, awaiting_supplement = [], None, False
        elif kind == EventKind.CONSULTATION_STARTED:
            party = (event.payload or {}).get("party", ConsultationParty.THIRD_PARTY)
            label = f"征求{ConsultationParty(party).label}意见"
            open_pause = (label, event.effective_on, MAX_CONSULTATION_WORKDAYS)
        elif kind == EventKind.FEE_NOTICE:
            open_pause = ("收费通知至缴费", event.effective_on, None)
        elif kind in (EventKind.CONSULTATION_ENDED, EventKind.FEE_PAID) and open_pause:
            label, start, cap = open_pause
            days, capped = _pause_workdays(start, event.effective_on, cap)
            pauses.append(Pause(label, start, event.effective_on, days, capped))
            open_pause = None
        elif kind == EventKind.EXTENDED:
            extension += int((event.payload or {}).get("workdays", 0))
        elif kind == EventKind.LATER_DATE:
            later_on = event.until_on
    if base_on is None:
        return Deadline(due_on=None)
    deadline = Deadline(
        due_on=None,
        base_on=base_on,
        base_label=base_label,
        extension_workdays=extension,
        pauses=pauses,
        awaiting_supplement=awaiting_supplement,
    )
    if awaiting_supplement:
        return deadline
    if open_pause:
        # Provisional: as if the pause ended today; it moves forward each working day it lasts.
        label, start, cap = open_pause
        days, capped = _pause_workdays(start, max(today, start), cap)
        deadline.pauses.append(Pause(label, start, None, days, capped))
        deadline.paused_now = True
    deadline.due_on = add_workdays(base_on, deadline.total_workdays)
    if later_on and later_on > deadline.due_on:
        # Art. 35: a reasonable mass application beyond the unit's capacity gets a later date.
        deadline.due_on, deadline.later_on = later_on, later_on
    deadline.skipped = skipped_days(base_on, deadline.due_on)
    return deadline


def for_request(request, today: dt.date) -> Deadline:
    return compute(request.events.order_by("created_at", "pk"), today)


def workdays_taken(deadline: Deadline, replied_on: dt.date) -> int:
    """Working days from receipt to reply, not counting the pauses (for the median in 统计结果)."""
    if deadline.base_on is None:
        return 0
    paused = sum(p.workdays for p in deadline.pauses)
    return max(workdays_between(deadline.base_on, replied_on) - paused, 0)


def supplement_notice_allowed(received_on: dt.date, on: dt.date) -> bool:
    """Art. 30: the supplement is asked for within 7 working days of receipt."""
    return workdays_between(received_on, on) <= SUPPLEMENT_NOTICE_WITHIN_WORKDAYS


def fee_payment_due(notice_received_on: dt.date) -> dt.date:
    """The last day to pay: 20 working days counted from the day after the notice arrives."""
    return add_workdays(notice_received_on, FEE_PAYMENT_WORKDAYS)
