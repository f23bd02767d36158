"""What waits for a request handler today: the requests of their units by urgency, counts by
state, and the cases where the ball is back with the unit (a supplement arrived, a fee was paid,
a consultation ended). A panel of the staff start page (portal.workbench)."""

import datetime as dt

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from applications.models import DUE_SOON_WORKDAYS, EventKind, Request, RequestEvent, State
from portal import permissions, workbench
from portal.personal_data import mask_name

VIEW = "applications.view_request"
URGENT_ROWS = 15

# The applicant or another body has answered; the unit must act next.
BACK_WITH_US = {
    EventKind.SUPPLEMENT_RECEIVED: "补正材料已到",
    EventKind.FEE_PAID: "费用已缴纳",
    EventKind.CONSULTATION_ENDED: "征求意见已结束",
}
# Events that record no step of the case itself.
_ASIDE = [
    EventKind.REMINDED,
    EventKind.COMPLAINT,
    EventKind.COMPLAINT_ANSWERED,
    EventKind.CODE_REISSUED,
]


def with_last_step(queryset):
    last = (
        RequestEvent.objects.filter(request=OuterRef("pk"))
        .exclude(kind__in=_ASIDE)
        .order_by("-created_at", "-pk")
        .values("kind")[:1]
    )
    return queryset.annotate(last_step=Subquery(last))


def back_with_us_q(kind: str | None = None) -> Q:
    kinds = [kind] if kind else list(BACK_WITH_US)
    return Q(state=State.PROCESSING, last_step__in=kinds)


def urgency_order():
    """Overdue first, then by due date (working days left); those without one after them."""
    from django.db.models import F

    return [F("due_on").asc(nulls_last=True), "submitted_at"]


def panel_context(user, today: dt.date | None = None) -> dict | None:
    if not permissions.has_anywhere(user, VIEW):
        return None
    today = today or timezone.localdate()
    scoped = Request.objects.filter(unit__in=permissions.units_where(user, VIEW))
    counts = with_last_step(scoped.order_by()).aggregate(
        **{state.value: Count("pk", filter=Q(state=state)) for state in State},
        overdue=Count("pk", filter=Request.objects.overdue_q(today)),
        due_soon=Count("pk", filter=Request.objects.due_soon_q(today)),
        **{f"back_{kind}": Count("pk", filter=back_with_us_q(kind)) for kind in BACK_WITH_US},
    )
    urgent = list(
        scoped.filter(state__in=[State.SUBMITTED, *State.open()])
        .select_related("unit")
        .order_by(*urgency_order())[:URGENT_ROWS]
    )
    for request in urgent:
        request.left = request.workdays_left(today)
        request.masked_name = mask_name(request.name)
        request.overdue_by = -request.left if request.left is not None and request.left < 0 else 0
    changelist = reverse("admin:applications_request_changelist")
    waiting = [("待确认收到", counts[State.SUBMITTED], f"{changelist}?state__exact=submitted")]
    waiting += [
        (label, counts[f"back_{kind}"], f"{changelist}?waiting={kind}")
        for kind, label in BACK_WITH_US.items()
    ]
    return {
        "template": "admin/applications/workbench_panel.html",
        "today": today,
        "waiting": waiting,
        "by_state": [
            (state.label, counts[state.value], f"{changelist}?state__exact={state.value}")
            for state in State
            if counts[state.value]
        ],
        "overdue": counts["overdue"],
        "due_soon": counts["due_soon"],
        "due_soon_workdays": DUE_SOON_WORKDAYS,
        "urgent": urgent,
        "open_total": sum(counts[s.value] for s in State.open()) + counts[State.SUBMITTED],
        "changelist": changelist,
    }


@workbench.register(order=10)
def requests_panel(request):
    return panel_context(request.user)
