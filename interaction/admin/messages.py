"""Staff handling of messages: masked lists, a read-only page with the action links, one page per
action (each runs one workflow step), the personal-data page and the attachment (each opening
logged), and the log of those openings."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import FileResponse, Http404
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html

from interaction import deadlines, events, workflow
from interaction.admin.actions import ACTIONS
from interaction.admin.common import CitizenLookupGuard, ScopedAdmin
from interaction.admin.dashboard import DashboardMixin
from interaction.models import Message, SenderDataAccess, SenderDataAccessKind
from portal.admin_actions import action_page
from portal.admin_readonly import ViewOnlyAdmin, WorkflowChangePage
from portal.personal_data import PersonalDataPage, mask, mask_name

PERSONAL = "interaction.view_message_personal"


class DueFilter(admin.SimpleListFilter):
    title = "答复期限"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [
            ("soon", f"{deadlines.REMIND_BEFORE_WORKDAYS}个工作日内到期"),
            ("overdue", "已超期"),
            ("alarm", f"超过{deadlines.ALARM_DAYS}日未答复"),
            ("late", "逾期答复"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "soon":
            return queryset.due_within(deadlines.REMIND_BEFORE_WORKDAYS, today)
        if self.value() == "overdue":
            return queryset.overdue(today)
        if self.value() == "alarm":
            return queryset.older_than(deadlines.ALARM_DAYS, today)
        if self.value() == "late":
            return queryset.filter(replied_on__gt=F("due_on"))
        return queryset


class PublishedFilter(admin.SimpleListFilter):
    title = "公开"
    parameter_name = "published"

    def lookups(self, request, model_admin):
        return [("yes", "已公开"), ("consent", "同意公开、尚未公开"), ("faq", "常见问题")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(published_at__isnull=False)
        if self.value() == "consent":
            return queryset.filter(consent_publish=True, state="replied", published_at__isnull=True)
        if self.value() == "faq":
            return queryset.filter(is_faq=True)
        return queryset


@admin.register(Message)
class MessageAdmin(
    DashboardMixin,
    PersonalDataPage,
    CitizenLookupGuard,
    WorkflowChangePage,
    ScopedAdmin,
    admin.ModelAdmin,
):
    list_display = [
        "number",
        "unit_name",
        "kind",
        "subject",
        "citizen",
        "state",
        "received_on",
        "due_display",
        "published_display",
    ]
    list_filter = ["state", DueFilter, "kind", PublishedFilter, "unit"]
    search_fields = ["number", "subject"]
    list_select_related = ["unit"]
    date_hierarchy = "submitted_at"
    change_form_template = "admin/interaction/message/change_form.html"
    change_list_template = "admin/interaction/message/change_list.html"
    readonly_fields = [
        "number",
        "unit",
        "kind",
        "state",
        "subject",
        "text",
        "citizen",
        "consent_publish",
        "submitted_at",
        "received_on",
        "due_on",
        "reject_reason",
        "reject_note",
        "draft_reply",
        "reply",
        "replied_on",
        "reply_unit",
        "workdays_taken",
        "published_at",
        "is_faq",
        "public_subject",
        "public_text",
        "public_reply",
    ]
    fields = readonly_fields

    @admin.display(description="办理单位", ordering="unit__lft")
    def unit_name(self, obj):
        return obj.unit.short_name

    @admin.display(description="留言人")
    def citizen(self, obj):
        return f"{mask_name(obj.name)} {mask(obj.phone)}"

    @admin.display(description="答复期限", ordering="due_on")
    def due_display(self, obj):
        if not obj.is_open:
            return format_html("{}", f"{obj.due_on:%Y-%m-%d}")
        today = timezone.localdate()
        if deadlines.alarm(obj.received_on, today):
            css, note = "ly-alarm", f"超过{deadlines.ALARM_DAYS}日"
        elif obj.is_overdue(today):
            css, note = "ly-overdue", "已超期"
        elif deadlines.reminder_due(obj.due_on, today):
            css, note = "ly-soon", "即将到期"
        else:
            css, note = "", ""
        return format_html('<span class="{}">{} {}</span>', css, f"{obj.due_on:%Y-%m-%d}", note)

    @admin.display(description="公开", boolean=True)
    def published_display(self, obj):
        return obj.is_published

    class Media:
        css = {"all": ["css/interaction-admin.css"]}

    def has_add_permission(self, request):
        return False  # messages come from the public form

    def has_delete_permission(self, request, obj=None):
        return False  # the register is permanent

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("dashboard/", wrap(self.dashboard_view), name="interaction_message_dashboard"),
            path(
                "<path:object_id>/action/<slug:action>/",
                wrap(self.action_view),
                name="interaction_message_action",
            ),
            path(
                "<path:object_id>/personal/",
                wrap(self.personal_view),
                name="interaction_message_personal",
            ),
            path(
                "<path:object_id>/attachment/",
                wrap(self.attachment_view),
                name="interaction_message_attachment",
            ),
            *super().get_urls(),
        ]

    def _scoped_object(self, request, object_id) -> Message:
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("留言不存在或不在您的单位范围内。")
        return obj

    def _available(self, request, obj):
        return [
            action
            for action in ACTIONS.values()
            if action.available(obj) and self.may(request, action.perm, obj)
        ]

    def page_context(self, request, obj):
        # Nothing is edited here: every change is an action page.
        return {
            "actions_available": self._available(request, obj),
            "history": events.history(obj, for_staff=True),
            "can_see_personal": self.may(request, PERSONAL, obj),
            "veto_on": deadlines.veto_on(obj.received_on),
        }

    def action_view(self, request, object_id, action):
        obj = self._scoped_object(request, object_id)
        spec = ACTIONS.get(action)
        if spec is None:
            raise Http404
        if not self.may(request, spec.perm, obj):
            raise PermissionDenied
        refusal = ""
        if not spec.available(obj):
            refusal = f"该留言当前状态为“{obj.get_state_display()}”，不能{spec.label}。"
        return action_page(
            self,
            request,
            obj,
            spec,
            refusal=refusal,
            initial=spec.initial(obj),
            error=workflow.WorkflowError,
            template="admin/interaction/message/action.html",
        )

    personal_page_permission = PERSONAL
    personal_page_fields = ["name", "phone", "email"]
    personal_page_title = "留言人信息"
    personal_page_template = "admin/interaction/message/personal.html"

    def log_personal_opening(self, obj, user):
        SenderDataAccess.objects.create(message=obj, user=user, what=SenderDataAccessKind.SENDER)

    def attachment_view(self, request, object_id):
        obj = self._scoped_object(request, object_id)
        if not obj.attachment:
            raise Http404
        try:
            handle = obj.attachment.open("rb")
        except FileNotFoundError:
            raise Http404("文件不存在。") from None
        # The citizen's own file: logged as an opening of their data, once it is there to send.
        SenderDataAccess.objects.create(
            message=obj, user=request.user, what=SenderDataAccessKind.ATTACHMENT
        )
        name = obj.attachment.name.rsplit("/", 1)[-1]
        return FileResponse(handle, as_attachment=True, filename=f"{obj.number}-{name}")


@admin.register(SenderDataAccess)
class SenderDataAccessAdmin(CitizenLookupGuard, ViewOnlyAdmin, ScopedAdmin, admin.ModelAdmin):
    """Openings of a message sender's data, in the message's unit (单位管理员; superusers all)."""

    unit_path = "message__unit"
    personal_paths = ("message__",)
    list_display = ["at", "user", "message", "what"]
    list_filter = ["what"]
    search_fields = ["message__number", "user__username"]
    list_select_related = ["user", "message"]
    date_hierarchy = "at"
    fields = ["message", "user", "at", "what"]
