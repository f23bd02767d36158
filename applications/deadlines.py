"""The reply deadline (Art. 30-33, 42): computed here and only here, from the event history.

Counting starts the working day after the receipt date. A supplement restarts the clock from the
day it arrives; consulting a third party or another agency pauses it (Art. 33 para. 2: the time
consulting does not count); a fee notice pauses it from its issue to payment; one extension adds
at most 20 working days.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from applications.models import ConsultationParty, EventKind
from portal.workdays import (
    add_workdays,
    skipped_days,
    swapped_workdays,
    unconfirmed_years,
    workdays_between,
)

STATUTORY_WORKDAYS = 20
MAX_EXTENSION_WORKDAYS = 20
# Art. 32: the third party answers within 15 working days of receiving the consultation letter;
# later it is no longer waited for, so the pause ends there. Art. 34 (another agency) sets no
# period, so that pause lasts until the answer is recorded.
THIRD_PARTY_REPLY_WORKDAYS = 15
SUPPLEMENT_NOTICE_WITHIN_WORKDAYS = 7
# 《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）第七条: the applicant pays within 20
# working days counted from the day after receiving the fee notice.
FEE_PAYMENT_WORKDAYS = 20


@dataclass
class Pause:
    label: str
    start: dt.date
    end: dt.date | None
    workdays: int
    # The day after which the pause stops counting (a third party's answer period has run out).
    capped_on: dt.date | None = None


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
    swapped: list[tuple[dt.date, str]] = field(default_factory=list)
    # Years of the period whose 调休 swaps nobody has confirmed yet: the date may still move.
    unconfirmed_years: list[int] = field(default_factory=list)
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
            cap = (
                f"（第三方答复期限至{pause.capped_on:%Y-%m-%d}，此后的时间计入期限）"
                if pause.capped_on
                else ""
            )
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
        if self.swapped:
            days = "、".join(f"{day:%m-%d}（{reason}）" for day, reason in self.swapped)
            lines.append(f"期间计为工作日的调休周末：{days}。")
        return lines


@dataclass
class _OpenPause:
    label: str
    start: dt.date
    # The fee pause counts its first day too (国办函〔2020〕109号第七条: from the day the notice is
    # issued to the day of payment); a consultation pause counts the days after the letter.
    count_start: bool = False
    third_party: bool = False
    capped_on: dt.date | None = None

    def close(self, end: dt.date) -> Pause:
        last = min(end, self.capped_on) if self.capped_on else end
        first = self.start - dt.timedelta(days=1) if self.count_start else self.start
        days = max(workdays_between(first, last), 0)
        capped = self.capped_on if self.capped_on and end > self.capped_on else None
        return Pause(self.label, self.start, end, days, capped)


def compute(events: Iterable, today: dt.date) -> Deadline:
    """Replay `events` (oldest first; each has kind, effective_on, payload) into the due date."""
    base_on = None
    base_label = ""
    extension = 0
    pauses: list[Pause] = []
    open_pause: _OpenPause | None = None
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
            party = ConsultationParty(
                (event.payload or {}).get("party", ConsultationParty.THIRD_PARTY)
            )
            open_pause = _OpenPause(
                f"征求{party.label}意见",
                event.effective_on,
                third_party=party == ConsultationParty.THIRD_PARTY,
            )
        elif kind == EventKind.CONSULTATION_RECEIVED and open_pause and open_pause.third_party:
            open_pause.capped_on = third_party_reply_due(event.effective_on)
        elif kind == EventKind.FEE_NOTICE:
            open_pause = _OpenPause("收费通知至缴费", event.effective_on, count_start=True)
        elif kind in (EventKind.CONSULTATION_ENDED, EventKind.FEE_PAID) and open_pause:
            pauses.append(open_pause.close(event.effective_on))
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
        pause = open_pause.close(max(today, open_pause.start))
        pause.end = None
        deadline.pauses.append(pause)
        deadline.paused_now = True
    deadline.due_on = add_workdays(base_on, deadline.total_workdays)
    if later_on and later_on > deadline.due_on:
        # Art. 35: a reasonable mass application beyond the unit's capacity gets a later date.
        deadline.due_on, deadline.later_on = later_on, later_on
    deadline.skipped = skipped_days(base_on, deadline.due_on)
    deadline.swapped = swapped_workdays(base_on, deadline.due_on)
    deadline.unconfirmed_years = unconfirmed_years(base_on, deadline.due_on)
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
    """The last day to pay: 20 working days counted from the day after the applicant receives the
    notice (国办函〔2020〕109号第七条), not from the day it was sent."""
    return add_workdays(notice_received_on, FEE_PAYMENT_WORKDAYS)


def third_party_reply_due(letter_received_on: dt.date) -> dt.date:
    """Art. 32: the third party's last day to answer, 15 working days after it receives the letter."""
    return add_workdays(letter_received_on, THIRD_PARTY_REPLY_WORKDAYS)
