"""文书模板: a unit's 单位管理员 edits the template of each kind of document, previews it with
sample data and saves it as a new version; earlier versions stay readable and can be restored."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from applications import documents
from applications.models import LetterKind, LetterTemplate
from portal import permissions
from portal.admin_readonly import ViewOnlyAdmin
from portal.admin_scoping import UnitScopedAdmin, units_where
from portal.models import PublishingUnit

EDIT = "applications.add_lettertemplate"


class TemplateForm(forms.Form):
    body = forms.CharField(label="模板正文", widget=forms.Textarea(attrs={"rows": 14, "cols": 90}))
    note = forms.CharField(label="修改说明", max_length=200, required=False)

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        errors = documents.check_template(self.kind, body)
        if errors:
            raise forms.ValidationError(errors)
        return body


@admin.register(LetterTemplate)
class LetterTemplateAdmin(ViewOnlyAdmin, UnitScopedAdmin, admin.ModelAdmin):
    """The versions, kept as they were saved; editing happens on the editor page, which checks the
    template first and saves a new version each time."""

    list_display = ["unit", "kind", "version", "created_at", "created_by", "note"]
    list_filter = ["unit", "kind"]
    list_select_related = ["unit", "created_by"]
    fields = ["unit", "kind", "version", "body", "note", "created_at", "created_by"]
    readonly_fields = fields
    change_list_template = "admin/applications/lettertemplate/change_list.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("editor/", wrap(self.editor_index), name="applications_lettertemplate_editor"),
            path(
                "editor/<int:unit_id>/<slug:kind>/",
                wrap(self.editor_view),
                name="applications_lettertemplate_edit",
            ),
            *super().get_urls(),
        ]

    def _editable_units(self, request):
        return units_where(request, EDIT).active().order_by("tree_id", "lft")

    def editor_index(self, request):
        units = list(self._editable_units(request))
        if not units:
            raise PermissionDenied
        chosen = next((u for u in units if str(u.pk) == request.GET.get("unit")), units[0])
        versions = dict(
            LetterTemplate.objects.filter(unit=chosen)
            .order_by("kind", "version")
            .values_list("kind", "version")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "文书模板",
            "units": units,
            "unit": chosen,
            "kinds": [(kind, label, versions.get(kind, 0)) for kind, label in LetterKind.choices],
        }
        return TemplateResponse(
            request, "admin/applications/lettertemplate/editor_index.html", context
        )

    def editor_view(self, request, unit_id, kind):
        unit = get_object_or_404(PublishingUnit, pk=unit_id)
        if not permissions.can(request.user, EDIT, unit):
            raise Http404("单位不存在或您不是该单位的单位管理员。")
        if kind not in LetterKind.values:
            raise Http404
        history = list(
            LetterTemplate.objects.filter(unit=unit, kind=kind)
            .select_related("created_by")
            .order_by("-version")
        )
        version, text = documents.current(unit, kind)
        start = request.GET.get("from")
        if start == "default":
            text = documents.default_text(kind)
        elif start:
            text = next((t.body for t in history if str(t.version) == start), text)
        form = TemplateForm(initial={"body": text}, kind=kind)
        preview = None
        if request.method == "POST":
            form = TemplateForm(request.POST, kind=kind)
            if form.is_valid():
                body = form.cleaned_data["body"]
                if "_save" in request.POST:
                    saved = self._save(request, unit, kind, body, form.cleaned_data["note"])
                    if saved:
                        messages.success(
                            request, f"已保存为第{saved.version}版，此后生成的文书使用该版本。"
                        )
                        return redirect(request.path)
                preview = documents.preview(unit, kind, body)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"文书模板：{unit.short_name} · {LetterKind(kind).label}",
            "unit": unit,
            "kind": kind,
            "version": version,
            "history": history,
            "form": form,
            "preview": preview,
            "variables": documents.variables(kind),
            "index_url": reverse("admin:applications_lettertemplate_editor") + f"?unit={unit.pk}",
        }
        return TemplateResponse(request, "admin/applications/lettertemplate/editor.html", context)

    @staticmethod
    def _save(request, unit, kind, body, note):
        try:
            with transaction.atomic():
                last = (
                    LetterTemplate.objects.filter(unit=unit, kind=kind)
                    .order_by("-version")
                    .values_list("version", flat=True)
                    .first()
                )
                return LetterTemplate.objects.create(
                    unit=unit,
                    kind=kind,
                    version=(last or 0) + 1,
                    body=body,
                    note=note,
                    created_by=request.user,
                )
        except IntegrityError:
            # Two administrators saved at the same moment: the constraint keeps the versions apart.
            messages.error(request, "其他人刚刚保存了该模板，请刷新后再修改。")
            return None
