"""The entry admin: lists, the edit form and its review actions."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from disclosure import timeliness, workflow
from disclosure.admin.attachments import AttachmentInline, EntryEventInline
from disclosure.admin.pages import EntryPagesMixin
from disclosure.admin.policy import DocumentChangeInline
from disclosure.admin.review import ReviewButtonsMixin
from disclosure.models import (
    Entry,
    EntryState,
)
from portal import permissions
from portal.admin_scoping import UnitScopedAdmin

# The entry's fields, declared once: the form, the fieldsets and what freezes on submission.
CONTENT_FIELDS = ["unit", "category", "title", "summary", "body"]
CATALOG_FIELDS = ["document_number", "made_on", "keywords", "document_type", "interprets"]
VALIDITY_FIELDS = ["validity", "valid_from", "invalid_from"]
PUBLICATION_FIELDS = ["state", "index_number", "published_at", "due_on", "created_by"]


class EntryAdminForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = [*CONTENT_FIELDS, *CATALOG_FIELDS, *VALIDITY_FIELDS]

    def clean_category(self):
        category = self.cleaned_data["category"]
        if "category" in self.changed_data and not category.is_active:
            raise ValidationError("该分类已停用，请选择其他分类。")
        return category


class YearFilter(admin.SimpleListFilter):
    title = "生成年度"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        this_year = timezone.localdate().year
        return [(str(year), f"{year}年") for year in range(this_year, this_year - 10, -1)]

    def queryset(self, request, queryset):
        # A typed-in year outside the calendar (?year=0, ?year=99999) is ignored, not a 500.
        value = self.value() or ""
        if value.isdigit() and 1900 <= int(value) <= 9999:
            return queryset.filter(made_on__year=int(value))
        return queryset


class TimelinessFilter(admin.SimpleListFilter):
    title = "时效（第二十六条）"
    parameter_name = "timeliness"

    def lookups(self, request, model_admin):
        return [("due_soon", "即将到期"), ("overdue", "已超期未发布"), ("late", "逾期发布")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "due_soon":
            return queryset.filter(timeliness.due_soon_q(today))
        if self.value() == "overdue":
            return queryset.filter(timeliness.overdue_q(today))
        if self.value() == "late":
            return queryset.filter(timeliness.late_q())
        return queryset


@admin.register(Entry)
class EntryAdmin(ReviewButtonsMixin, EntryPagesMixin, UnitScopedAdmin, admin.ModelAdmin):
    form = EntryAdminForm
    list_display = [
        "title",
        "unit",
        "category",
        "state",
        "index_number",
        "made_on",
        "published_at",
        "validity",
        "timeliness_badge",
    ]
    list_filter = [
        "unit",
        "category",
        "state",
        YearFilter,
        "validity",
        "document_type",
        TimelinessFilter,
    ]
    list_select_related = ["unit", "category"]
    search_fields = ["title", "index_number", "document_number", "keywords"]
    autocomplete_fields = ["unit", "category", "interprets"]
    date_hierarchy = None
    list_per_page = 50
    inlines = [AttachmentInline, DocumentChangeInline, EntryEventInline]
    actions = ["submit_selected", "approve_selected", "withdraw_selected"]
    readonly_fields = PUBLICATION_FIELDS
    # Frozen once submitted; 有效性 may still change (a rule gets repealed).
    content_fields = [*CONTENT_FIELDS, *CATALOG_FIELDS]
    fieldsets = [
        (None, {"fields": CONTENT_FIELDS}),
        ("目录属性", {"fields": CATALOG_FIELDS}),
        ("有效性", {"fields": VALIDITY_FIELDS}),
        ("发布", {"fields": PUBLICATION_FIELDS}),
    ]

    # -- display ------------------------------------------------------------------------------

    @admin.display(description="时效")
    def timeliness_badge(self, obj):
        today = timezone.localdate()
        if obj.published_at:
            if obj.published_late:
                return format_html('<span style="color:#a50d0d">{}</span>', "逾期发布")
            return "按时"
        if obj.state == EntryState.WITHDRAWN:
            return "—"
        if obj.due_on < today:
            return format_html('<strong style="color:#a50d0d">已超期（{}）</strong>', obj.due_on)
        return f"应于{obj.due_on:%Y-%m-%d}前发布"

    # -- permissions and forms ----------------------------------------------------------------

    def view_on_site(self, obj):
        # Only a public entry has a page: for a draft the link would be a 404.
        return obj.get_absolute_url() if obj.is_public else None

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.state != EntryState.DRAFT:
            fields += [f for f in self.content_fields if f != "body"] + ["rendered_body"]
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.state == EntryState.DRAFT:
            return fieldsets
        # The reviewer reads the body as it will appear, not as HTML source.
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        "rendered_body" if field == "body" else field for field in options["fields"]
                    ],
                },
            )
            for name, options in fieldsets
        ]

    @admin.display(description="正文")
    def rendered_body(self, obj):
        # Sanitised by nh3 on every save (Entry.save), so it is safe to render.
        return mark_safe(obj.body)  # noqa: S308

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            workflow.record_creation(obj, request.user)

    # -- bulk actions -------------------------------------------------------------------------

    def _run(self, request, queryset, transition, done_label, **kwargs):
        done, failed = 0, []
        for entry in queryset.select_related("unit"):
            try:
                transition(entry, request.user, **kwargs)
                done += 1
            except (workflow.WorkflowError, PermissionDenied) as error:
                failed.append(f"{entry.title}：{error}")
        if done:
            self.message_user(request, f"已{done_label}{done}条信息。", messages.SUCCESS)
        for message in failed[:20]:
            self.message_user(request, message, messages.ERROR)

    @admin.action(description="提交审核所选信息", permissions=["change"])
    def submit_selected(self, request, queryset):
        self._run(request, queryset, workflow.submit, "提交审核")

    @admin.action(description="审核通过并发布所选信息", permissions=["review"])
    def approve_selected(self, request, queryset):
        self._run(request, queryset, workflow.approve, "审核发布")

    @admin.action(description="撤回所选信息", permissions=["review"])
    def withdraw_selected(self, request, queryset):
        self._run(request, queryset, workflow.withdraw, "撤回", reason="批量撤回")

    def has_review_permission(self, request):
        # Offered where the user reviews in some unit; each entry's unit is checked by the workflow.
        return permissions.has_anywhere(request.user, "disclosure.review_entry")

    # -- extra views --------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/workflow/",
                wrap(require_POST(self.workflow_view)),
                name="disclosure_entry_workflow",
            ),
            path("import/", wrap(self.import_view), name="disclosure_entry_import"),
            path(
                "export/<str:fmt>/",
                wrap(self.export_view),
                name="disclosure_entry_export",
            ),
            path("timeliness/", wrap(self.timeliness_view), name="disclosure_entry_timeliness"),
            *super().get_urls(),
        ]

    def review_actions(self, request, entry):
        actions = []
        reviewer = workflow.can_review(request.user, entry.unit)
        if entry.state == EntryState.DRAFT and workflow.can_edit(request.user, entry.unit):
            actions.append(("submit", "提交审核"))
        if entry.state == EntryState.PENDING and reviewer:
            actions += [("approve", "审核通过"), ("return", "退回修改")]
        if entry.state == EntryState.PUBLISHED and reviewer:
            actions.append(("withdraw", "撤回"))
        return actions
