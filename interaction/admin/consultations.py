"""意见征集 for staff: drafts with checked attachments, publication, moderation of comments and the
采纳情况 after closing."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from interaction import uploads, workflow
from interaction.admin.common import CitizenLookupGuard, ScopedAdmin, UnitScopedInline
from interaction.admin_forms import AdoptionForm
from interaction.models import (
    CommentState,
    Consultation,
    ConsultationAttachment,
    ConsultationComment,
    ConsultationState,
)
from portal import uploads as checked_uploads
from portal.admin_actions import Step, action_page
from portal.admin_readonly import WorkflowChangePage
from portal.personal_data import mask, mask_name

CHANGE = "interaction.change_consultation"


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = ConsultationAttachment
        fields = ["name", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            self.checked = checked_uploads.check(upload, uploads.CONSULTATION_ATTACHMENT)
        return upload

    def save(self, commit=True):
        obj = super().save(commit=False)
        checked = getattr(self, "checked", None)
        if checked is not None:
            obj.kind = checked.kind
            obj.size = checked.size
            obj.name = obj.name or checked.name
            obj.file.save(checked.name, checked.content, save=False)
        if commit:
            obj.save()
        return obj


class AttachmentInline(UnitScopedInline, admin.TabularInline):
    model = ConsultationAttachment
    form = AttachmentForm
    extra = 1
    fields = ["name", "file"]

    # A published draft is what citizens commented on: its files stay as they were.
    def has_add_permission(self, request, obj=None):
        return _draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _draft(obj) and super().has_delete_permission(request, obj)


def _draft(consultation) -> bool:
    return consultation is None or consultation.state == ConsultationState.DRAFT


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["unit", "title", "text", "opens_on", "closes_on", "short_period_reason"]

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on"):
            try:
                workflow.check_period(
                    data["opens_on"], data["closes_on"], data.get("short_period_reason", "")
                )
            except workflow.WorkflowError as exc:
                raise ValidationError(str(exc)) from None
        return data


ADOPTION = Step(
    "adoption",
    "公布意见采纳情况",
    AdoptionForm,
    lambda consultation, user, data: workflow.publish_adoption(
        consultation, actor=user, text=data["text"]
    ),
    success="意见采纳情况已公布。",
)


@admin.register(Consultation)
class ConsultationAdmin(ScopedAdmin, admin.ModelAdmin):
    form = ConsultationForm
    inlines = [AttachmentInline]
    list_display = [
        "title",
        "unit",
        "state",
        "opens_on",
        "closes_on",
        "comment_count",
        "adoption_published_on",
    ]
    list_filter = ["state", "unit"]
    search_fields = ["title"]
    list_select_related = ["unit"]
    date_hierarchy = "opens_on"
    change_form_template = "admin/interaction/consultation/change_form.html"

    @admin.display(description="意见数")
    def comment_count(self, obj):
        return obj.comments.count()

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.state != ConsultationState.DRAFT:
            return [*ConsultationForm.Meta.fields, "state", "published_at", "adoption"]
        return []

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.state == ConsultationState.DRAFT
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/publish/",
                wrap(self.publish_view),
                name="interaction_consultation_publish",
            ),
            path(
                "<path:object_id>/adoption/",
                wrap(self.adoption_view),
                name="interaction_consultation_adoption",
            ),
            *super().get_urls(),
        ]

    def _object(self, request, object_id) -> Consultation:
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("意见征集不存在或不在您的单位范围内。")
        if not self.may(request, CHANGE, obj):
            raise PermissionDenied
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra = dict(extra_context or {})
        if obj is not None:
            today = timezone.localdate()
            may_change = self.may(request, CHANGE, obj)
            extra.update(
                {
                    "can_publish": may_change and obj.state == ConsultationState.DRAFT,
                    "can_adopt": may_change
                    and obj.state == ConsultationState.PUBLISHED
                    and obj.is_closed(today)
                    and obj.adoption_published_on is None,
                    "comments": obj.comments.all(),
                }
            )
        return super().change_view(request, object_id, form_url, extra)

    def publish_view(self, request, object_id):
        obj = self._object(request, object_id)
        change_url = reverse("admin:interaction_consultation_change", args=[obj.pk])
        if request.method != "POST":
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": obj,
                "title": f"发布意见征集：{obj.title}",
                "change_url": change_url,
            }
            return TemplateResponse(request, "admin/interaction/consultation/publish.html", context)
        try:
            workflow.publish_consultation(obj, actor=request.user)
        except workflow.WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "意见征集已发布。")
        return redirect(change_url)

    def adoption_view(self, request, object_id):
        obj = self._object(request, object_id)
        counts = {state: obj.comments.filter(state=state).count() for state in CommentState}
        return action_page(
            self,
            request,
            obj,
            ADOPTION,
            error=workflow.WorkflowError,
            template="admin/interaction/consultation/adoption.html",
            extra_context={
                "counts": [(CommentState(state).label, n) for state, n in counts.items()]
            },
        )


@admin.register(ConsultationComment)
class ConsultationCommentAdmin(
    CitizenLookupGuard, WorkflowChangePage, ScopedAdmin, admin.ModelAdmin
):
    """Moderated by the list's actions; the page only shows the comment."""

    unit_path = "consultation__unit"
    list_display = ["consultation", "created_at", "author", "excerpt", "state"]
    list_filter = ["state"]
    list_select_related = ["consultation"]
    search_fields = ["consultation__title"]
    date_hierarchy = "created_at"
    actions = ["publish_selected", "reject_selected"]
    fields = ["consultation", "created_at", "author", "text", "state", "moderated_at"]
    readonly_fields = fields

    @admin.display(description="提交人")
    def author(self, obj):
        return f"{mask_name(obj.name)} {mask(obj.phone)}".strip()

    @admin.display(description="意见")
    def excerpt(self, obj):
        return obj.text[:60] + ("…" if len(obj.text) > 60 else "")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _moderate(self, request, queryset, publish):
        done = 0
        for comment in queryset.select_related("consultation__unit"):
            if not self.may(request, "interaction.change_consultationcomment", comment):
                continue
            try:
                workflow.moderate_comment(comment, actor=request.user, publish=publish)
            except workflow.WorkflowError:
                continue
            done += 1
        messages.success(request, f"已审核 {done} 条意见。")

    @admin.action(description="公开所选意见", permissions=["change"])
    def publish_selected(self, request, queryset):
        self._moderate(request, queryset, True)

    @admin.action(description="所选意见不予公开", permissions=["change"])
    def reject_selected(self, request, queryset):
        self._moderate(request, queryset, False)
