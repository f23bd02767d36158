"""Staff tools for service guides: the structured form with its materials and steps, the
completeness of each guide, and the review buttons (disclosure/guides/workflow.py)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from disclosure.admin.attachments import StoredFileInput
from disclosure.admin.review import DraftOnlyInline, ReviewButtonsMixin, ReviewEventInline
from disclosure.guides import elements, workflow
from disclosure.guides.models import GuideEvent, GuideMaterial, GuideState, GuideStep, ServiceGuide
from portal import uploads
from portal.admin_scoping import UnitScopedAdmin, UnitScopedInline

# A material's blank form or filled sample: any document format, within ATTACHMENT_MAX_MB.
GUIDE_FORM = uploads.UploadPolicy(
    "表格", tuple(uploads.FileKind), uploads.CATALOG_ATTACHMENT.max_bytes, keep_name=True
)


class GuideMaterialForm(forms.ModelForm):
    """Blank forms and samples are checked by content like catalog attachments."""

    class Meta:
        model = GuideMaterial
        fields = ["order", "name", "form", "copies", "note", "blank_form", "sample"]
        widgets = {"blank_form": StoredFileInput, "sample": StoredFileInput}

    def clean(self):
        cleaned = super().clean()
        self.checked = {}
        for name in ("blank_form", "sample"):
            uploaded = cleaned.get(name)
            if uploaded and name in self.changed_data and hasattr(uploaded, "content_type"):
                try:
                    self.checked[name] = uploads.check(uploaded, GUIDE_FORM)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def save(self, commit=True):
        material = super().save(commit=False)
        for name, checked in getattr(self, "checked", {}).items():
            getattr(material, name).save(checked.name, checked.content, save=False)
            setattr(material, f"{name}_kind", checked.kind)
        if commit:
            material.save()
        return material


class _DraftOnlyInline(DraftOnlyInline):
    """Materials and steps are frozen once the guide is submitted, like an entry's content."""

    draft_state = GuideState.DRAFT


class GuideMaterialInline(_DraftOnlyInline, UnitScopedInline, admin.TabularInline):
    model = GuideMaterial
    form = GuideMaterialForm
    extra = 1
    verbose_name_plural = "申请材料（空白表格和示例样表按文件内容检查类型）"


class GuideStepInline(_DraftOnlyInline, UnitScopedInline, admin.TabularInline):
    model = GuideStep
    extra = 1
    fields = ["order", "name", "description", "time_limit"]
    verbose_name_plural = "办理流程（按顺序生成流程图）"


class GuideEventInline(ReviewEventInline):
    model = GuideEvent
    verbose_name_plural = "办理记录"


# The guide's own fields, declared once: the form's sections and what freezes on submission.
CONTENT_SECTIONS = [
    ("事项", ["unit", "name", "code", "item_type", "basis"]),
    ("实施机构", ["accepting_body", "deciding_body"]),
    ("申请", ["conditions"]),
    (
        "办理",
        [
            "window_service",
            "online_service",
            "online_url",
            "location",
            "hours",
            "legal_limit_days",
            "promised_limit_days",
            "visits",
        ],
    ),
    ("收费与结果", ["fees", "result", "delivery"]),
    ("咨询与监督", ["consult_phone", "complaint_phone", "faq"]),
]
CONTENT_FIELDS = [name for _, fields in CONTENT_SECTIONS for name in fields]


@admin.register(ServiceGuide)
class ServiceGuideAdmin(ReviewButtonsMixin, UnitScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "unit", "item_type", "state", "completeness_badge", "published_at"]
    list_filter = ["unit", "item_type", "state"]
    list_select_related = ["unit"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["unit"]
    inlines = [GuideMaterialInline, GuideStepInline, GuideEventInline]
    readonly_fields = ["state", "published_at", "element_report"]
    change_form_template = "admin/guides/serviceguide/change_form.html"
    fieldsets = [
        *((title, {"fields": fields}) for title, fields in CONTENT_SECTIONS),
        ("完整性与状态", {"fields": ["element_report", "state", "published_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("materials", "steps")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "online_url":
            kwargs["assume_scheme"] = "https"  # government service sites are served over HTTPS
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.state != GuideState.DRAFT:
            fields += CONTENT_FIELDS
        return fields

    @admin.display(description="完整度")
    def completeness_badge(self, obj):
        materials, steps = list(obj.materials.all()), list(obj.steps.all())
        missing = elements.missing_required(obj, materials, steps)
        score = elements.completeness(obj, materials, steps)
        if missing:
            return format_html(
                '<span style="color:#a50d0d">{}%，缺必备要素{}项</span>', score, len(missing)
            )
        return f"{score}%"

    @admin.display(description="要素检查")
    def element_report(self, obj):
        if obj is None or obj.pk is None:
            return "保存后显示。"
        required = elements.missing_required(obj)
        optional = elements.missing_optional(obj)
        parts = [format_html("完整度：<strong>{}%</strong>", elements.completeness(obj))]
        if required:
            parts.append(
                format_html(
                    '<p style="color:#a50d0d">缺少必备要素（发布前必须补齐）：{}</p>',
                    "、".join(e.label for e in required),
                )
            )
        else:
            parts.append(format_html("<p>{}</p>", "十项必备要素齐全。"))
        if optional:
            parts.append(format_html("<p>建议补充：{}</p>", "、".join(e.label for e in optional)))
        return format_html_join("", "{}", ((part,) for part in parts))

    def save_model(self, request, obj, form, change):
        creating = obj.pk is None
        if creating:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if creating:
            workflow.record_creation(obj, request.user)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None

    # -- workflow buttons ---------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<int:pk>/workflow/",
                self.admin_site.admin_view(require_POST(self.workflow_view)),
                name="guides_serviceguide_workflow",
            ),
            *super().get_urls(),
        ]

    def review_actions(self, request, guide):
        user, unit = request.user, guide.unit
        actions = []
        if guide.state == GuideState.DRAFT and workflow.can_edit(user, unit):
            actions.append(("submit", "提交审核"))
        if guide.state == GuideState.PENDING and workflow.can_review(user, unit):
            actions += [("approve", "审核通过并发布"), ("return", "退回修改")]
        if guide.state == GuideState.PUBLISHED and workflow.can_review(user, unit):
            actions.append(("withdraw", "撤回"))
        if guide.state == GuideState.WITHDRAWN and workflow.can_edit(user, unit):
            actions.append(("revise", "重新编辑"))
        return actions

    def workflow_view(self, request, pk):
        guide = get_object_or_404(self.get_queryset(request).select_related("unit"), pk=pk)
        action = request.POST.get("action", "")
        note = request.POST.get("note", "")[:1000]
        steps = {
            "submit": (lambda: workflow.submit(guide, request.user), "已提交审核。"),
            "approve": (lambda: workflow.approve(guide, request.user, note), "已审核发布。"),
            "return": (lambda: workflow.return_guide(guide, request.user, note), "已退回修改。"),
            "withdraw": (lambda: workflow.withdraw(guide, request.user, note), "已撤回。"),
            "revise": (lambda: workflow.revise(guide, request.user), "已转为草稿，可以修改。"),
        }
        if action not in steps:
            self.message_user(request, "未知的操作。", messages.ERROR)
        else:
            run, done = steps[action]
            try:
                run()
            except (workflow.GuideError, PermissionDenied) as error:
                self.message_user(request, str(error) or "您没有权限执行此操作。", messages.ERROR)
            else:
                self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:guides_serviceguide_change", args=[guide.pk]))
