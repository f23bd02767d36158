"""The entry admin's own pages: a workflow step, import, export and the timeliness report."""

import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from disclosure import importing, timeliness, workflow
from portal.admin_scoping import unit_ids_where, units_where
from portal.models import PublishingUnit


class WorkflowForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("submit", "提交审核"),
            ("approve", "审核通过"),
            ("return", "退回"),
            ("withdraw", "撤回"),
        ]
    )
    publish_at = forms.DateTimeField(
        label="定时发布时间",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    note = forms.CharField(label="说明/理由", required=False, max_length=1000)


class EntryPagesMixin:
    """Mixed into EntryAdmin."""

    def workflow_view(self, request, pk):
        entry = get_object_or_404(self.get_queryset(request).select_related("unit"), pk=pk)
        form = WorkflowForm(request.POST)
        change_url = reverse("admin:disclosure_entry_change", args=[entry.pk])
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    self.message_user(request, error, messages.ERROR)
            return HttpResponseRedirect(change_url)
        action = form.cleaned_data["action"]
        note = form.cleaned_data["note"]
        try:
            if action == "submit":
                workflow.submit(entry, request.user)
                done = "已提交审核。"
            elif action == "approve":
                workflow.approve(entry, request.user, form.cleaned_data["publish_at"], note)
                done = f"已审核通过，索引号：{entry.index_number}。"
            elif action == "return":
                workflow.return_entry(entry, request.user, note)
                done = "已退回修改。"
            else:
                workflow.withdraw(entry, request.user, note)
                done = "已撤回。"
        except (workflow.WorkflowError, PermissionDenied) as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    # Import: upload → preview with every row's errors → confirm (all or nothing).
    _IMPORT_SESSION_KEY = "disclosure-import"

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "导入公开信息",
            "headers": importing.HEADERS,
            "required": importing.REQUIRED,
        }
        if request.method == "POST" and request.POST.get("token"):
            return self._import_confirm(request)
        if request.method == "POST":
            upload = request.FILES.get("file")
            if upload is None:
                context["file_error"] = "请选择要导入的XLSX或CSV文件。"
            else:
                try:
                    rows = importing.read_rows(upload)
                except importing.ImportFileError as error:
                    context["file_error"] = str(error)
                else:
                    units = self._import_units(request)
                    # Rows already published elsewhere keep their 索引号 only where the user may
                    # review (publish) themselves.
                    publishable = unit_ids_where(request, "disclosure.review_entry")
                    cleaned, errors = importing.validate(rows, units, publishable)
                    context.update(
                        rows=[(n, rows[n - 2], errors.get(n, [])) for n in range(2, len(rows) + 2)],
                        error_count=len(errors),
                        total=len(rows),
                    )
                    if not errors:
                        token = secrets.token_urlsafe(16)
                        request.session[self._IMPORT_SESSION_KEY] = {
                            "token": token,
                            "rows": cleaned,
                        }
                        context["token"] = token
        return TemplateResponse(request, "admin/disclosure/entry/import.html", context)

    def _import_units(self, request):
        units = (
            PublishingUnit.objects.all()
            if request.user.is_superuser
            else units_where(request, "disclosure.add_entry").active()
        )
        lookup = {}
        for unit in units:
            for key in (unit.name, unit.short_name, unit.slug):
                lookup.setdefault(key, unit)
        return lookup

    def _import_confirm(self, request):
        pending = request.session.get(self._IMPORT_SESSION_KEY) or {}
        changelist = reverse("admin:disclosure_entry_changelist")
        if pending.get("token") != request.POST.get("token"):
            self.message_user(request, "导入已过期，请重新上传文件。", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:disclosure_entry_import"))
        # Re-check the scope: the session could outlive a change of the user's roles.
        allowed = (
            unit_ids_where(request, "disclosure.add_entry")
            if not request.user.is_superuser
            else None
        )
        if allowed is not None and any(row["unit_id"] not in allowed for row in pending["rows"]):
            raise PermissionDenied
        try:
            created = importing.save(pending["rows"], request.user)
        except (ValidationError, workflow.WorkflowError) as error:
            message = "；".join(getattr(error, "messages", [str(error)]))
            self.message_user(request, f"导入失败，未保存任何信息：{message}", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:disclosure_entry_import"))
        del request.session[self._IMPORT_SESSION_KEY]
        self.message_user(request, f"已导入{len(created)}条信息。", messages.SUCCESS)
        return HttpResponseRedirect(changelist)

    def export_view(self, request, fmt):
        if fmt not in ("xlsx", "csv"):
            raise Http404
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        queryset = changelist.get_queryset(request)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        if fmt == "xlsx":
            response = HttpResponse(
                importing.export_xlsx(queryset),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            response = HttpResponse(importing.export_csv(queryset), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="entries-{stamp}.{fmt}"'
        return response

    def timeliness_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = timeliness.report(self.get_queryset(request))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "公开时效（条例第二十六条）",
            "rows": rows,
            "due_soon_days": timeliness.DUE_SOON_WORKDAYS,
        }
        return TemplateResponse(request, "admin/disclosure/entry/timeliness.html", context)
