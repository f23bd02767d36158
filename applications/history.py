"""The event history alone gives a request's state and due date: an integrity check of the
cached `Request.state` / `Request.due_on` (`manage.py check_request_history`)."""

import datetime as dt

from django.utils import timezone

from applications import deadlines
from applications.models import EventKind, State

# The state each event leads to; an event not listed leaves the state as it was.
STATE_AFTER = {
    EventKind.SUBMITTED: State.SUBMITTED,
    EventKind.REGISTERED: State.PROCESSING,
    EventKind.RECEIVED: State.PROCESSING,
    EventKind.SUPPLEMENT_REQUESTED: State.SUPPLEMENT,
    EventKind.SUPPLEMENT_RECEIVED: State.PROCESSING,
    EventKind.SUPPLEMENT_EXPIRED: State.CLOSED,
    EventKind.CONSULTATION_STARTED: State.CONSULTING,
    EventKind.CONSULTATION_ENDED: State.PROCESSING,
    EventKind.FEE_NOTICE: State.AWAITING_PAYMENT,
    EventKind.FEE_PAID: State.PROCESSING,
    EventKind.FEE_EXPIRED: State.CLOSED,
    EventKind.REPLIED: State.REPLIED,
    EventKind.WITHDRAWN: State.WITHDRAWN,
    EventKind.ARCHIVED: State.ARCHIVED,
}


def replay(request) -> tuple[str | None, dt.date | None]:
    """The state and due date that the event history alone gives."""
    events = list(request.events.all())  # Meta.ordering: as they happened (prefetch-friendly)
    state = None
    for event in events:
        state = STATE_AFTER.get(event.kind) or state
    last_day = max((e.effective_on for e in events), default=timezone.localdate())
    return state, deadlines.compute(events, last_day).due_on


def disagreements(request) -> list[str]:
    """What the stored request says that its history does not (empty when they agree)."""
    state, due_on = replay(request)
    problems = []
    if state != request.state:
        problems.append(
            f"状态为“{request.get_state_display()}”，办理记录推出“{State(state).label if state else '无'}”"
        )
    # A paused clock's provisional due date moves each working day (send_reminders refreshes it).
    paused = request.state in (State.CONSULTING, State.AWAITING_PAYMENT)
    if not paused and due_on != request.due_on:
        problems.append(f"答复期限为{request.due_on}，办理记录推出{due_on}")
    return problems
