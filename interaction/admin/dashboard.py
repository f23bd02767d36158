"""The 互动交流 工作台: per unit what needs doing, and the alarms that come before the 3-month veto."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.template.response import TemplateResponse
from django.utils import timezone

from interaction import deadlines
from interaction.models import (
    CommentState,
    Consultation,
    ConsultationComment,
    MessageState,
    Rating,
)
from portal import workdays
from portal.models import PublishingUnit
from portal.permissions import units_where


class DashboardMixin:
    def dashboard_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        soon = workdays.add_workdays(today, deadlines.REMIND_BEFORE_WORKDAYS)
        alarm_before = today - timezone.timedelta(days=deadlines.ALARM_DAYS)
        open_states = MessageState.open()
        scoped = self.get_queryset(request).order_by()
        rows = (
            scoped.values("unit_id")
            .annotate(
                submitted=Count("pk", filter=Q(state=MessageState.SUBMITTED)),
                review=Count("pk", filter=Q(state=MessageState.REVIEW)),
                due_soon=Count(
                    "pk", filter=Q(state__in=open_states, due_on__gte=today, due_on__lte=soon)
                ),
                overdue=Count("pk", filter=Q(state__in=open_states, due_on__lt=today)),
                alarm=Count("pk", filter=Q(state__in=open_states, received_on__lt=alarm_before)),
                replied_late=Count(
                    "pk", filter=Q(replied_on__year=today.year, replied_on__gt=F("due_on"))
                ),
                to_publish=Count(
                    "pk",
                    filter=Q(
                        state=MessageState.REPLIED, consent_publish=True, published_at__isnull=True
                    ),
                ),
            )
            .order_by("unit__tree_id", "unit__lft")
        )
        units = PublishingUnit.objects.in_bulk([row["unit_id"] for row in rows])
        alarms = (
            scoped.older_than(deadlines.ALARM_DAYS, today)
            .select_related("unit")
            .order_by("received_on")
        )
        user = request.user
        ratings = Rating.objects.filter(unit__in=units_where(user, "interaction.view_rating"))
        consultations = Consultation.objects.filter(
            unit__in=units_where(user, "interaction.view_consultation")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "互动交流工作台",
            "today": today,
            "rows": [{**row, "unit": units[row["unit_id"]]} for row in rows],
            "alarms": [
                {
                    "message": m,
                    "days": (today - m.received_on).days,
                    "veto_on": deadlines.veto_on(m.received_on),
                }
                for m in alarms[:50]
            ],
            "alarm_days": deadlines.ALARM_DAYS,
            "followups_open": ratings.followups_open().count(),
            "followups_overdue": ratings.followups_overdue(today).count(),
            "without_adoption": list(consultations.closed_without_adoption(today)),
            "pending_comments": ConsultationComment.objects.filter(
                consultation__in=consultations, state=CommentState.PENDING
            ).count(),
        }
        return TemplateResponse(request, "admin/interaction/message/dashboard.html", context)
