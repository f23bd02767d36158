"""满意度评价 for staff: the ratings of their units and the follow-up (回访) of each 差评."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from django.utils import timezone

from interaction import workflow
from interaction.admin.common import ScopedAdmin
from interaction.admin_forms import FollowupForm
from interaction.models import Rating
from portal.admin_actions import Step, action_page
from portal.admin_readonly import WorkflowChangePage


class FollowupFilter(admin.SimpleListFilter):
    title = "回访"
    parameter_name = "followup"

    def lookups(self, request, model_admin):
        return [("open", "待回访"), ("overdue", "回访已超期"), ("done", "已回访")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.followups_open()
        if self.value() == "overdue":
            return queryset.followups_overdue()
        if self.value() == "done":
            return queryset.filter(followup_done_on__isnull=False)
        return queryset


FOLLOWUP = Step(
    "followup",
    "登记回访情况",
    FollowupForm,
    lambda rating, user, data: workflow.record_followup(
        rating, actor=user, outcome=data["outcome"], on=data["on"]
    ),
    success="回访情况已登记。",
)


@admin.register(Rating)
class RatingAdmin(WorkflowChangePage, ScopedAdmin, admin.ModelAdmin):
    list_display = ["subject", "unit", "level", "rated_on", "followup_due_on", "followup_done_on"]
    list_filter = ["level", FollowupFilter, "unit"]
    list_select_related = ["unit", "message", "request"]
    search_fields = ["message__number", "request__number"]
    date_hierarchy = "rated_on"
    change_form_template = "admin/interaction/rating/change_form.html"
    fields = [
        "subject",
        "unit",
        "level",
        "comment",
        "rated_on",
        "followup_due_on",
        "followup_done_on",
        "followup_outcome",
        "followup_by",
    ]
    readonly_fields = fields

    @admin.display(description="评价对象")
    def subject(self, obj):
        if obj.message_id:
            return f"留言 {obj.message.number}"
        return f"依申请公开 {obj.request.number}"

    def has_add_permission(self, request):
        return False  # citizens rate from their tracking pages

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<path:object_id>/followup/",
                self.admin_site.admin_view(self.followup_view),
                name="interaction_rating_followup",
            ),
            *super().get_urls(),
        ]

    def page_context(self, request, obj):
        can_follow_up = (
            obj.followup_due_on is not None
            and obj.followup_done_on is None
            and self.may(request, "interaction.change_rating", obj)
        )
        return {"can_follow_up": can_follow_up}

    def followup_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("评价不存在或不在您的单位范围内。")
        if not self.may(request, "interaction.change_rating", obj):
            raise PermissionDenied
        return action_page(
            self,
            request,
            obj,
            FOLLOWUP,
            initial={"on": timezone.localdate()},
            error=workflow.WorkflowError,
            template="admin/interaction/rating/followup.html",
        )
