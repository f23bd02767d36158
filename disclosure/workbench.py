"""What waits for a publisher or reviewer today: drafts to review, entries due or overdue for
publication (条例第二十六条, 20 working days), and this year's late publications. A panel of the
staff start page (portal.workbench)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from disclosure import timeliness
from disclosure.models import Entry, EntryState
from portal import permissions, workbench

VIEW = "disclosure.view_entry"
REVIEW = "disclosure.review_entry"


def panel_context(user, today=None) -> dict | None:
    if not permissions.has_anywhere(user, VIEW):
        return None
    today = today or timezone.localdate()
    scoped = Entry.objects.filter(unit__in=permissions.units_where(user, VIEW)).order_by()
    counts = scoped.aggregate(
        drafts=Count("pk", filter=Q(state=EntryState.DRAFT)),
        pending=Count("pk", filter=Q(state=EntryState.PENDING)),
        overdue=Count("pk", filter=timeliness.overdue_q(today)),
        due_soon=Count("pk", filter=timeliness.due_soon_q(today)),
        published=Count("pk", filter=Q(published_at__year=today.year)),
        late=Count("pk", filter=timeliness.late_q() & Q(published_at__year=today.year)),
    )
    changelist = reverse("admin:disclosure_entry_changelist")
    return {
        "template": "admin/disclosure/workbench_panel.html",
        "counts": counts,
        "reviewer": permissions.has_anywhere(user, REVIEW),
        "late_rate": round(100 * counts["late"] / counts["published"])
        if counts["published"]
        else 0,
        "changelist": changelist,
        "timeliness_url": reverse("admin:disclosure_entry_timeliness"),
        "due_soon_workdays": timeliness.DUE_SOON_WORKDAYS,
        "year": today.year,
    }


@workbench.register(order=20)
def entries_panel(request):
    return panel_context(request.user)
