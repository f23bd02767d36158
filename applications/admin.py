"""Staff processing of requests in the admin, confined to the user's units (UnitScopedAdmin).

Request fields are never edited directly: registration and every later step go through
`applications.workflow`, from an intermediate form per action. Applicant data is masked in lists
and shown only on a separate page whose every opening is logged.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from applications import admin_forms as forms
from applications import deadlines, fees, statistics, workflow
from applications.models import (
    APPLICANT_FIELDS,
    SOUGHT_FIELDS,
    Appeal,
    Complaint,
    ComplaintState,
    Document,
    PersonalDataAccess,
    Request,
    Result,
    State,
)
from applications.views import document_response
from portal import workdays
from portal.admin_scoping import UnitScopedAdmin, allowed_unit_ids
from portal.models import PublishingUnit

PERSONAL_PERMISSION = "applications.view_personal_data"


def mask(value: str, keep_start: int = 3, keep_end: int = 4) -> str:
    """Masked for lists: 110***********002X, 139****5678."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return value[:1] + "*" * (len(value) - 1)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_name(value: str) -> str:
    if len(value) <= 1:
        return "*"
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    states: tuple
    form: type
    run: Callable
    help: str = ""


ACTIONS = {
    action.name: action
    for action in [
        Action(
            "confirm",
            "确认收到",
            (State.SUBMITTED,),
            forms.ConfirmForm,
            lambda r, u, d: workflow.confirm(r, actor=u, received_on=d["on"], note=d["note"]),
        ),
        Action(
            "redirect",
            "转至其他单位",
            (State.SUBMITTED,),
            forms.RedirectForm,
            lambda r, u, d: workflow.redirect(r, actor=u, to_unit=d["to_unit"], note=d["note"]),
            "申请错投的，在确认收到前转至有关单位办理。",
        ),
        Action(
            "request_supplement",
            "要求补正",
            (State.PROCESSING,),
            forms.SupplementRequestForm,
            lambda r, u, d: workflow.request_supplement(
                r, actor=u, what=d["what"], period_workdays=d["period_workdays"]
            ),
            "只能一次，且须在收到申请之日起7个工作日内（第三十条）。",
        ),
        Action(
            "receive_supplement",
            "登记收到补正",
            (State.SUPPLEMENT,),
            forms.SupplementReceivedForm,
            lambda r, u, d: workflow.receive_supplement(
                r, actor=u, text=d["text"], file=d.get("file"), on=d["on"]
            ),
            "答复期限自收到补正之日起重新计算。",
        ),
        Action(
            "supplement_expired",
            "逾期未补正，终止",
            (State.SUPPLEMENT,),
            forms.NoteForm,
            lambda r, u, d: workflow.supplement_expired(r, actor=u),
            "计入“其他处理 1”。",
        ),
        Action(
            "start_consultation",
            "征求意见",
            (State.PROCESSING,),
            forms.ConsultationStartForm,
            lambda r, u, d: workflow.start_consultation(
                r, actor=u, party=d["party"], note=d["note"]
            ),
            "征求第三方或其他机关意见的时间不计入答复期限（最多15个工作日）。",
        ),
        Action(
            "end_consultation",
            "结束征求意见",
            (State.CONSULTING,),
            forms.ConsultationEndForm,
            lambda r, u, d: workflow.end_consultation(r, actor=u, note=d["note"], on=d["on"]),
        ),
        Action(
            "extend",
            "延期答复",
            (State.PROCESSING, State.CONSULTING),
            forms.ExtendForm,
            lambda r, u, d: workflow.extend(
                r, actor=u, workdays=d["workdays"], approver=d["approver"], reason=d["reason"]
            ),
            "经机构负责人同意，只能延长一次，最长20个工作日，并告知申请人（第三十三条）。",
        ),
        Action(
            "later_date",
            "确定合理期限",
            (State.PROCESSING, State.CONSULTING),
            forms.LaterDateForm,
            lambda r, u, d: workflow.set_later_date(
                r, actor=u, until=d["until"], reason=d["reason"]
            ),
            "申请人说明理由且合理、但明显超过本机关答复能力的大量申请，可确定延迟答复的合理期限（第三十五条）。",
        ),
        Action(
            "fee_notice",
            "收费通知",
            (State.PROCESSING,),
            forms.FeeNoticeForm,
            lambda r, u, d: workflow.send_fee_notice(
                r, actor=u, method=d["method"], quantity=d["quantity"]
            ),
            "按件或按量计收，只能选其一；自发出通知至缴费之日不计入期限。",
        ),
        Action(
            "record_payment",
            "登记缴费",
            (State.AWAITING_PAYMENT,),
            forms.DateForm,
            lambda r, u, d: workflow.record_payment(r, actor=u, on=d["on"]),
        ),
        Action(
            "fee_expired",
            "逾期未缴费，终止",
            (State.AWAITING_PAYMENT,),
            forms.NoteForm,
            lambda r, u, d: workflow.fee_expired(r, actor=u),
            "计入“其他处理 2”。",
        ),
        Action(
            "reply",
            "答复",
            (State.PROCESSING, State.CONSULTING),
            forms.ReplyForm,
            lambda r, u, d: workflow.reply(
                r,
                actor=u,
                result=d["result"],
                legal_basis=d["legal_basis"],
                letter=d["letter"],
                files=d["files"],
                delivery_route=d["delivery_route"],
                delivered_on=d["delivered_on"],
                responsible_agency=d["responsible_agency"],
            ),
        ),
        Action(
            "withdraw",
            "登记撤回",
            (State.SUBMITTED, *State.open()),
            forms.NoteForm,
            lambda r, u, d: workflow.withdraw(r, actor=u, reason=d["note"]),
            "申请人书面或当面撤回申请时登记。",
        ),
        Action(
            "archive",
            "归档",
            (State.REPLIED, State.CLOSED, State.WITHDRAWN),
            forms.NoteForm,
            lambda r, u, d: workflow.archive(r, actor=u, note=d["note"]),
        ),
    ]
}


class DueFilter(admin.SimpleListFilter):
    title = "答复期限"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", "已超期"), ("soon", "3个工作日内到期"), ("late", "逾期答复")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.overdue()
        if self.value() == "soon":
            return queryset.due_within(3)
        if self.value() == "late":
            return queryset.replied_late()
        return queryset


class AppealInline(admin.TabularInline):
    model = Appeal
    extra = 0
    fields = ["kind", "filed_on", "outcome", "closed_on", "note"]


class ComplaintInline(admin.TabularInline):
    model = Complaint
    extra = 0
    fields = ["created_at", "text", "state", "answer"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Request)
class RequestAdmin(UnitScopedAdmin, admin.ModelAdmin):
    unit_path = "unit"
    list_display = [
        "number",
        "unit_name",
        "applicant",
        "masked_phone",
        "channel",
        "state",
        "received_on",
        "due_display",
        "workdays_left_display",
    ]
    list_filter = ["state", DueFilter, "channel", "applicant_type", "unit", "result"]
    search_fields = ["number", "info_title"]
    list_select_related = ["unit"]
    date_hierarchy = "submitted_at"
    inlines = [AppealInline, ComplaintInline]
    form = forms.PaperRequestForm
    change_form_template = "admin/applications/request/change_form.html"
    change_list_template = "admin/applications/request/change_list.html"
    readonly_change_fields = [
        "number",
        "unit",
        "state",
        "channel",
        "submitted_at",
        "received_on",
        "due_on",
        "applicant_type",
        "organisation_kind",
        "masked_name",
        "masked_id",
        "masked_phone",
        *SOUGHT_FIELDS,
        "result",
        "legal_basis",
        "reply_letter",
        "responsible_agency",
        "replied_on",
        "delivery_route",
        "delivered_on",
        "workdays_taken",
        "fee_method",
        "fee_amount",
        "fee_paid_on",
    ]

    class Media:
        css = {"all": ["css/applications.css"]}

    # --- lists ----------------------------------------------------------------------------

    @admin.display(description="受理单位", ordering="unit__lft")
    def unit_name(self, obj):
        return obj.unit.short_name

    @admin.display(description="申请人")
    def applicant(self, obj):
        return f"{mask_name(obj.name)}（{obj.get_applicant_type_display()}）"

    @admin.display(description="姓名/名称")
    def masked_name(self, obj):
        return mask_name(obj.name)

    @admin.display(description="证件号码")
    def masked_id(self, obj):
        return mask(obj.id_number or obj.credit_code)

    @admin.display(description="联系电话")
    def masked_phone(self, obj):
        return mask(obj.phone)

    @admin.display(description="答复期限", ordering="due_on")
    def due_display(self, obj):
        if not obj.due_on:
            return "—"
        if obj.is_overdue():
            return format_html('<span class="ysq-overdue">{}（已超期）</span>', obj.due_on)
        if obj.replied_late:
            return format_html('<span class="ysq-overdue">{}（逾期答复）</span>', obj.due_on)
        return obj.due_on

    @admin.display(description="剩余工作日")
    def workdays_left_display(self, obj):
        left = obj.workdays_left()
        if left is None:
            return "—"
        css = "ysq-overdue" if left < 0 else ("ysq-soon" if left <= 3 else "")
        return format_html('<span class="{}">{}</span>', css, left)

    # --- forms: add = register a paper request; change = read-only + actions ----------------

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                ("受理", {"fields": ["unit", "channel", "received_on"]}),
                ("申请人", {"fields": [*APPLICANT_FIELDS, "id_document"]}),
                ("所需信息", {"fields": SOUGHT_FIELDS}),
            ]
        return [(None, {"fields": self.readonly_change_fields})]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_change_fields if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            kwargs["form"] = admin.ModelAdmin.form
            kwargs["fields"] = []
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return  # request fields change only through the workflow actions
        data = {name: form.cleaned_data.get(name) or "" for name in workflow.REQUEST_DATA_FIELDS}
        new, code = workflow.register_paper(
            form.cleaned_data["unit"],
            actor=request.user,
            channel=form.cleaned_data["channel"],
            received_on=form.cleaned_data["received_on"],
            data=data,
            id_document=form.cleaned_data.get("id_document"),
        )
        obj.pk, obj.number = new.pk, new.number
        messages.warning(
            request,
            f"已登记申请 {new.number}。查询码：{code}（只显示这一次，请告知申请人并提醒妥善保存）。",
        )

    def has_delete_permission(self, request, obj=None):
        return False  # the register is permanent; withdrawal and archiving are workflow steps

    # --- extra pages ----------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("dashboard/", wrap(self.dashboard_view), name="applications_request_dashboard"),
            path("report/", wrap(self.report_view), name="applications_request_report"),
            path(
                "<path:object_id>/action/<slug:action>/",
                wrap(self.action_view),
                name="applications_request_action",
            ),
            path(
                "<path:object_id>/personal/",
                wrap(self.personal_view),
                name="applications_request_personal",
            ),
            path(
                "<path:object_id>/id-document/",
                wrap(self.id_document_view),
                name="applications_request_id_document",
            ),
            path(
                "<path:object_id>/document/<int:document_id>/",
                wrap(self.document_view),
                name="applications_request_document",
            ),
            *super().get_urls(),
        ]

    def _scoped_object(self, request, object_id) -> Request:
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404("申请不存在或不在您的单位范围内。")
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra = dict(extra_context or {})
        if obj is not None:
            extra.update(self._processing_context(request, obj))
        return super().change_view(request, object_id, form_url, extra)

    def _processing_context(self, request, obj):
        today = timezone.localdate()
        can_act = self.has_change_permission(request, obj)
        return {
            "actions_available": [a for a in ACTIONS.values() if obj.state in a.states]
            if can_act
            else [],
            "deadline": deadlines.for_request(obj, today),
            "events": obj.events.select_related("actor").order_by("created_at", "pk"),
            "documents": obj.documents.all(),
            "can_see_personal": request.user.has_perm(PERSONAL_PERMISSION),
        }

    def action_view(self, request, object_id, action):
        obj = self._scoped_object(request, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        spec = ACTIONS.get(action)
        if spec is None:
            raise Http404
        change_url = reverse("admin:applications_request_change", args=[obj.pk])
        if obj.state not in spec.states:
            messages.error(
                request, f"该申请当前状态为“{obj.get_state_display()}”，不能{spec.label}。"
            )
            return redirect(change_url)
        if request.method == "POST" and spec.name == "reply" and "prefill" in request.POST:
            initial = request.POST.dict()
            if initial.get("result") in Result.values:
                initial["letter"] = workflow.default_letter(
                    obj, initial["result"], initial.get("responsible_agency", "")
                )
            form = spec.form(initial=initial)
        elif request.method == "POST":
            form = spec.form(request.POST, request.FILES)
            if form.is_valid():
                try:
                    updated = spec.run(obj, request.user, form.cleaned_data)
                except workflow.WorkflowError as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, f"{spec.label}：已完成。")
                    if self.get_queryset(request).filter(pk=updated.pk).exists():
                        return redirect(change_url)
                    return redirect("admin:applications_request_changelist")
        elif spec.name == "fee_notice":
            form = spec.form(initial={"quantity": fees.applications_this_month(obj)})
        elif spec.name == "reply":
            # Delivered the way the applicant asked for (Art. 40), unless staff change it.
            form = spec.form(initial={"delivery_route": obj.delivery})
        else:
            form = spec.form()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "form": form,
            "spec": spec,
            "title": f"{spec.label}：{obj.number}",
            "deadline": deadlines.for_request(obj, timezone.localdate()),
        }
        return TemplateResponse(request, "admin/applications/request/action.html", context)

    def personal_view(self, request, object_id):
        obj = self._scoped_object(request, object_id)
        if not request.user.has_perm(PERSONAL_PERMISSION):
            raise PermissionDenied
        PersonalDataAccess.objects.create(request=obj, user=request.user, what="查看申请人信息")
        rows = []
        for name in APPLICANT_FIELDS:
            field = Request._meta.get_field(name)
            value = getattr(obj, f"get_{name}_display")() if field.choices else getattr(obj, name)
            rows.append((field.verbose_name, value))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "rows": rows,
            "title": f"申请人信息：{obj.number}",
        }
        return TemplateResponse(request, "admin/applications/request/personal.html", context)

    def id_document_view(self, request, object_id):
        obj = self._scoped_object(request, object_id)
        if not request.user.has_perm(PERSONAL_PERMISSION) or not obj.id_document:
            raise Http404
        PersonalDataAccess.objects.create(request=obj, user=request.user, what="下载身份证明")
        name = obj.id_document.name.rsplit("/", 1)[-1]
        return FileResponse(obj.id_document.open("rb"), as_attachment=True, filename=name)

    def document_view(self, request, object_id, document_id):
        obj = self._scoped_object(request, object_id)
        document = get_object_or_404(Document, pk=document_id, request=obj)
        return document_response(document)

    def report_view(self, request):
        """Sections 三 and 四 of the annual report for the user's units, as the report will show them."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        allowed = (
            PublishingUnit.objects.all()
            if request.user.is_superuser
            else PublishingUnit.objects.filter(pk__in=allowed_unit_ids(request))
        ).order_by("tree_id", "lft")
        year, unit, subtree, unit_ids = _report_scope(request, allowed)
        four = statistics.section_four(unit_ids, year)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{year}年度政府信息公开工作年度报告数据（第三、四部分）",
            "year": year,
            "years": list(range(timezone.localdate().year, 2018, -1)),
            "units": allowed,
            "unit": unit,
            "subtree": subtree,
            "three": statistics.section_three(unit_ids, year),
            "four": [
                (label, [four[kind][o] for o in statistics.SECTION_FOUR_OUTCOMES])
                for kind, label in statistics.SECTION_FOUR_GROUPS
            ],
        }
        return TemplateResponse(request, "admin/applications/request/report.html", context)

    def dashboard_view(self, request):
        """Per unit: awaiting confirmation, due within 3 working days, overdue, replied late."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        soon = workdays.add_workdays(today, 3)
        open_states = State.open()
        scoped = self.get_queryset(request).order_by()
        rows = (
            scoped.values("unit_id")
            .annotate(
                awaiting=Count("pk", filter=Q(state=State.SUBMITTED)),
                due_soon=Count(
                    "pk", filter=Q(state__in=open_states, due_on__gte=today, due_on__lte=soon)
                ),
                overdue=Count("pk", filter=Q(state__in=open_states, due_on__lt=today)),
                replied_late=Count(
                    "pk",
                    filter=Q(replied_on__year=today.year, replied_on__gt=F("due_on")),
                ),
                open_count=Count("pk", filter=Q(state__in=open_states)),
            )
            .order_by("unit__tree_id", "unit__lft")
        )
        units = PublishingUnit.objects.in_bulk([row["unit_id"] for row in rows])
        unit_ids = allowed_unit_ids(request) if not request.user.is_superuser else set(units.keys())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "依申请公开工作台",
            "rows": [{**row, "unit": units[row["unit_id"]]} for row in rows],
            "today": today,
            "unit_count": len(unit_ids),
            "open_complaints": Complaint.objects.filter(
                request__in=scoped, state=ComplaintState.OPEN
            ).count(),
        }
        return TemplateResponse(request, "admin/applications/request/dashboard.html", context)


def _report_scope(request, allowed):
    """The year and units of the 年报 tables: one of the user's units (optionally its subtree)."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year - 1)
    except ValueError:
        year = today.year - 1
    year = min(max(year, 2008), today.year)
    unit = (
        allowed.filter(pk=request.GET.get("unit") or 0).first() if request.GET.get("unit") else None
    )
    subtree = request.GET.get("subtree") == "1"
    if unit is None:
        unit_ids = list(allowed.values_list("pk", flat=True))
    elif subtree:
        unit_ids = list(unit.subtree().filter(pk__in=allowed).values_list("pk", flat=True))
    else:
        unit_ids = [unit.pk]
    return year, unit, subtree, unit_ids


@admin.register(Appeal)
class AppealAdmin(UnitScopedAdmin, admin.ModelAdmin):
    unit_path = "request__unit"
    list_display = ["request", "kind", "filed_on", "outcome", "closed_on"]
    list_filter = ["kind", "outcome", "request__unit"]
    search_fields = ["request__number"]
    autocomplete_fields = ["request"]
    list_select_related = ["request"]
    date_hierarchy = "filed_on"


@admin.register(Complaint)
class ComplaintAdmin(UnitScopedAdmin, admin.ModelAdmin):
    """The unit's administrator answers; the applicant reads the answer on the track page."""

    unit_path = "request__unit"
    list_display = ["request", "created_at", "state", "answered_at"]
    list_filter = ["state", "request__unit"]
    search_fields = ["request__number"]
    list_select_related = ["request"]
    fields = ["request", "created_at", "text", "state", "answer", "answered_at", "answered_by"]
    readonly_fields = ["request", "created_at", "text", "state", "answered_at", "answered_by"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.state == ComplaintState.ANSWERED:
            return [*self.readonly_fields, "answer"]
        return self.readonly_fields

    def has_add_permission(self, request):
        return False  # complaints come from the applicant's track page

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change and "answer" in form.changed_data and obj.answer.strip():
            try:
                workflow.answer_complaint(obj, actor=request.user, answer=obj.answer)
            except workflow.WorkflowError as exc:
                messages.error(request, str(exc))


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(UnitScopedAdmin, admin.ModelAdmin):
    unit_path = "request__unit"
    list_display = ["at", "user", "request", "what"]
    list_filter = ["what"]
    search_fields = ["request__number", "user__username"]
    list_select_related = ["user", "request"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
