"""Staff tools for the catalog: categories (drag and drop), entries with review, import/export,
and the timeliness report. Every entry view is confined to the user's units (UnitScopedAdmin)."""

import base64
import hashlib
import re
import secrets

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from mptt.admin import DraggableMPTTAdmin

from disclosure import attachments, importing, timeliness, workflow
from disclosure.models import (
    Attachment,
    Category,
    Entry,
    EntryEvent,
    EntryState,
)
from portal.admin_scoping import UnitScopedAdmin, allowed_unit_ids, allowed_units
from portal.models import PublishingUnit, Role

# ---------------------------------------------------------------------------------------------
# Categories


@admin.register(Category)
class CategoryAdmin(DraggableMPTTAdmin):
    list_display = ["tree_actions", "indented_title", "slug", "column", "is_active"]
    list_display_links = ["indented_title"]
    list_filter = ["column", "is_active"]
    search_fields = ["name", "slug"]
    fields = ["parent", "name", "slug", "column", "order", "is_active"]
    mptt_level_indent = 24

    def get_search_results(self, request, queryset, search_term):
        # Autocomplete (the entry form) offers only categories still in use.
        if request.path.endswith("/autocomplete/"):
            queryset = queryset.filter(is_active=True)
        return super().get_search_results(request, queryset, search_term)

    def has_delete_permission(self, request, obj=None):
        # Retire instead (is_active): entries keep their category. Empty ones may go.
        if obj is not None and (obj.entries.exists() or obj.get_children().exists()):
            return False
        return super().has_delete_permission(request, obj)


# ---------------------------------------------------------------------------------------------
# Entries


class StoredFileInput(forms.ClearableFileInput):
    """The current file by name, without a link: attachments have no public URL (a draft's file
    must not be reachable); the entry page's checked download view serves them once published."""

    template_name = "disclosure/widgets/stored_file.html"

    def is_initial(self, value):
        return bool(value and getattr(value, "name", None))


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["file", "name", "order"]
        widgets = {"file": StoredFileInput}

    checked = None

    def clean(self):
        cleaned = super().clean()
        uploaded = cleaned.get("file")
        if uploaded is not None and "file" in self.changed_data:
            try:
                self.checked = attachments.check_upload(uploaded, display_name=uploaded.name)
            except ValidationError as error:
                self.add_error("file", error)
        return cleaned

    def save(self, commit=True):
        attachment = super().save(commit=False)
        if self.checked is not None:
            attachments.store(attachment, self.checked)
        if commit:
            attachment.save()
        return attachment


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentForm
    extra = 1
    view_on_site = False  # the 文件 column links the public download once there is one
    fields = ["file", "name", "order", "kind", "human_size"]
    readonly_fields = ["kind", "human_size"]

    @admin.display(description="大小")
    def human_size(self, obj):
        return attachments.human_size(obj.size) if obj and obj.pk else "—"

    @admin.display(description="文件")
    def stored_file(self, obj):
        # Attachments have no storage URL: once public, the checked download view serves them.
        if obj.entry.is_public:
            return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.name)
        return obj.file.name

    def get_fields(self, request, obj=None):
        if self._editable(request, obj):
            return self.fields
        return ["stored_file", *self.fields[1:]]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "stored_file"]

    def _editable(self, request, obj):
        return obj is None or obj.state == EntryState.DRAFT

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)


class EntryEventInline(admin.TabularInline):
    model = EntryEvent
    extra = 0
    fields = ["at", "action", "from_state", "to_state", "actor", "note"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "办理记录（谁、何时、做了什么）"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class EntryAdminForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = [
            "unit",
            "category",
            "title",
            "summary",
            "body",
            "document_number",
            "made_on",
            "keywords",
            "document_type",
            "validity",
            "valid_from",
            "invalid_from",
        ]

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
        value = self.value()
        if value and value.isdigit():
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
            soon = timeliness.add_workdays(today, timeliness.DUE_SOON_WORKDAYS)
            return queryset.unpublished().filter(due_on__gte=today, due_on__lte=soon)
        if self.value() == "overdue":
            return queryset.unpublished().filter(due_on__lt=today)
        if self.value() == "late":
            from django.db.models import F

            return queryset.exclude(published_at=None).filter(published_at__date__gt=F("due_on"))
        return queryset


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


# The editor's import map is an inline <script>; the CSP allows exactly that script by its hash.
_IMPORTMAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)


def _allow_importmap(response):
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    hashes = {
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for body in _IMPORTMAP.findall(getattr(response, "content", b""))
    }
    if hashes:
        response._csp_update = {"script-src": sorted(hashes)}
    return response


@admin.register(Entry)
class EntryAdmin(UnitScopedAdmin, admin.ModelAdmin):
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
    autocomplete_fields = ["unit", "category"]
    date_hierarchy = None
    list_per_page = 50
    inlines = [AttachmentInline, EntryEventInline]
    actions = ["submit_selected", "approve_selected", "withdraw_selected"]
    readonly_fields = ["state", "index_number", "published_at", "due_on", "created_by"]
    content_fields = [
        "unit",
        "category",
        "title",
        "summary",
        "body",
        "document_number",
        "made_on",
        "keywords",
        "document_type",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "unit",
                    "category",
                    "title",
                    "summary",
                    "body",
                ]
            },
        ),
        ("目录属性", {"fields": ["document_number", "made_on", "keywords", "document_type"]}),
        ("有效性", {"fields": ["validity", "valid_from", "invalid_from"]}),
        (
            "发布",
            {"fields": ["state", "index_number", "published_at", "due_on", "created_by"]},
        ),
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
            # Content is frozen once submitted; 有效性 may still change (a rule gets repealed).
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
        return request.user.has_perm("disclosure.review_entry")

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

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id is not None:
            entry = self.get_queryset(request).filter(pk=object_id).first()
            if entry is not None:
                extra_context["workflow_actions"] = self._available_actions(request, entry)
        return _allow_importmap(
            super().changeform_view(request, object_id, form_url, extra_context)
        )

    def _available_actions(self, request, entry):
        actions = []
        reviewer = workflow.can_review(request.user, entry.unit)
        if entry.state == EntryState.DRAFT and workflow.can_edit(request.user, entry.unit):
            actions.append(("submit", "提交审核"))
        if entry.state == EntryState.PENDING and reviewer:
            actions += [("approve", "审核通过"), ("return", "退回修改")]
        if entry.state == EntryState.PUBLISHED and reviewer:
            actions.append(("withdraw", "撤回"))
        return actions

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
                    # for_user() gives a superuser every unit, whatever the roles.
                    publishable = set(
                        allowed_units(request, roles=[Role.REVIEWER, Role.UNIT_ADMIN]).values_list(
                            "pk", flat=True
                        )
                    )
                    if not request.user.has_perm("disclosure.review_entry"):
                        publishable = set()
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
            else allowed_units(request).active()
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
        allowed = allowed_unit_ids(request) if not request.user.is_superuser else None
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


# Search: equivalent terms and queries without a result (their own module).
from disclosure.search import admin as search_admin  # noqa: E402, F401
