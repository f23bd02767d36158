"""What waits for a 留言办理员 or reviewer today: messages to accept, replies to approve, due soon,
overdue, open over 60 days (long before the 3-month veto), and 差评 to follow up. A panel of the
staff start page (portal.workbench)."""

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from interaction import deadlines
from interaction.models import Message, MessageState, Rating
from portal import permissions, workbench, workdays

VIEW = "interaction.view_message"
REVIEW = "interaction.review_reply"


def panel_context(user, today=None) -> dict | None:
    if not permissions.has_anywhere(user, VIEW):
        return None
    today = today or timezone.localdate()
    soon = workdays.add_workdays(today, deadlines.REMIND_BEFORE_WORKDAYS)
    open_states = MessageState.open()
    scoped = Message.objects.filter(unit__in=permissions.units_where(user, VIEW)).order_by()
    counts = scoped.aggregate(
        submitted=Count("pk", filter=Q(state=MessageState.SUBMITTED)),
        review=Count("pk", filter=Q(state=MessageState.REVIEW)),
        due_soon=Count("pk", filter=Q(state__in=open_states, due_on__gte=today, due_on__lte=soon)),
        overdue=Count("pk", filter=Q(state__in=open_states, due_on__lt=today)),
        alarm=Count(
            "pk",
            filter=Q(
                state__in=open_states,
                received_on__lt=today - dt.timedelta(days=deadlines.ALARM_DAYS),
            ),
        ),
    )
    followups = Rating.objects.filter(
        unit__in=permissions.units_where(user, "interaction.view_rating")
    ).followups_open()
    return {
        "template": "admin/interaction/workbench_panel.html",
        "counts": counts,
        "followups": followups.count(),
        "reviewer": permissions.has_anywhere(user, REVIEW),
        "changelist": reverse("admin:interaction_message_changelist"),
        "dashboard": reverse("admin:interaction_message_dashboard"),
        "ratings": reverse("admin:interaction_rating_changelist"),
        "alarm_days": deadlines.ALARM_DAYS,
        "soon_workdays": deadlines.REMIND_BEFORE_WORKDAYS,
    }


@workbench.register(order=30)
def messages_panel(request):
    return panel_context(request.user)
