"""Staff processing of requests in the admin, confined to the user's units (UnitScopedAdmin).

Request fields are never edited directly: registration and every later step go through
`applications.workflow`, from an intermediate form per action. Applicant data is masked in lists
and shown only on a separate page whose every opening is logged."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, F, Q, Value, When
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode

from applications import admin_forms as forms
from applications import deadlines, workbench, workflow
from applications.admin import search
from applications.admin.actions import ACTIONS
from applications.admin.common import PERSONAL_PERMISSION, PersonalLookupGuard
from applications.admin.views import DESK_CODE_KEY, RequestPagesMixin
from applications.models import (
    APPLICANT_FIELDS,
    DUE_SOON_WORKDAYS,
    SOUGHT_FIELDS,
    Appeal,
    ApplicantType,
    Complaint,
    Request,
    State,
)
from portal import permissions, workdays
from portal.admin_readonly import WorkflowChangePage
from portal.admin_scoping import UnitScopedAdmin, UnitScopedInline
from portal.personal_data import mask, mask_name


class DueFilter(admin.SimpleListFilter):
    title = "答复期限"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "已超期"),
            ("soon", f"{DUE_SOON_WORKDAYS}个工作日内到期"),
            ("late", "逾期答复"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.overdue()
        if self.value() == "soon":
            return queryset.due_soon()
        if self.value() == "late":
            return queryset.replied_late()
        return queryset


class FoundFilter(admin.SimpleListFilter):
    """`?found=<key>`: the requests of a 按申请人查找 kept in the session (the term itself never
    in the URL). Still within the list's unit scope and the units where the user may see personal
    data, whatever the session holds. An unknown or expired key filters nothing (the list says so).
    """

    title = "按申请人查找"
    parameter_name = "found"
    # The banner above the list says what is shown and how to clear it.
    template = "admin/applications/request/found_filter.html"

    def lookups(self, request, model_admin):
        self.found = search.remembered(request, self.value()) if self.value() else None
        return [] if self.found is None else [(self.value(), "查找结果")]

    def queryset(self, request, queryset):
        if self.found is None:
            return queryset
        ids, _rows = self.found
        return search.within_reach(request, queryset).filter(pk__in=ids)


class AppealInline(UnitScopedInline, admin.TabularInline):
    model = Appeal
    extra = 0
    fields = ["kind", "filed_on", "outcome", "closed_on", "note"]


def may_have_appeal(obj) -> bool:
    """复议/诉讼 lie against a decision (a reply or a termination) or against no reply in time."""
    return obj.state in (State.REPLIED, State.CLOSED, State.ARCHIVED) or obj.is_overdue()


class ComplaintInline(UnitScopedInline, admin.TabularInline):
    model = Complaint
    extra = 0
    fields = ["created_at", "text", "state", "answer"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class WaitingFilter(admin.SimpleListFilter):
    """The ball is back with the unit: a supplement arrived, a fee was paid, a consultation ended."""

    title = "等待本单位办理"
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return list(workbench.BACK_WITH_US.items())

    def queryset(self, request, queryset):
        if self.value() in workbench.BACK_WITH_US:
            return workbench.with_last_step(queryset).filter(workbench.back_with_us_q(self.value()))
        return queryset


@admin.register(Request)
class RequestAdmin(
    RequestPagesMixin, PersonalLookupGuard, WorkflowChangePage, UnitScopedAdmin, admin.ModelAdmin
):
    unit_path = "unit"
    empty_value_display = "—"
    # Fits a 1280 px screen with the due date and the working days left in view (issue 11);
    # the unit column only for staff of several units, the phone number only on the case page.
    list_display = [
        "number",
        "unit_name",
        "applicant",
        "channel",
        "state",
        "received_on",
        "due_display",
        "workdays_left_display",
    ]
    actions = ["print_receipts"]
    list_filter = [
        "state",
        DueFilter,
        WaitingFilter,
        "channel",
        "applicant_type",
        "unit",
        "result",
        FoundFilter,
    ]
    # Never applicant fields: a GET search puts its term in the URL (history, access logs,
    # Referer). Applicants are found by the POST form 按申请人查找 (applications/admin/search.py).
    search_fields = ["number", "info_title"]
    search_help_text = "按申请编号、所需信息名称查找。"
    list_select_related = ["unit"]
    date_hierarchy = "submitted_at"
    inlines = [AppealInline, ComplaintInline]

    def get_inlines(self, request, obj):
        # Only what applies: no 复议/诉讼 section before there is anything to appeal against, no
        # 投诉 section without a complaint (citizens file them; staff do not add them).
        if obj is None:
            return []
        inlines = []
        if may_have_appeal(obj) or obj.appeals.exists():
            inlines.append(AppealInline)
        if obj.complaints.exists():
            inlines.append(ComplaintInline)
        return inlines

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

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if self.visible_units(request)[:2].count() <= 1:
            columns.remove("unit_name")
        return columns

    def get_ordering(self, request):
        # By urgency: open requests first, the earliest due date first (overdue ones lead, those
        # still without a due date after them); then closed ones, newest first.
        is_open = Q(state__in=State.open())
        return [
            Case(When(is_open, then=Value(0)), default=Value(1)).asc(),
            Case(When(is_open, then=F("due_on")), default=None).asc(nulls_last=True),
            "-submitted_at",
        ]

    @admin.display(description="受理单位", ordering="unit__lft")
    def unit_name(self, obj):
        return obj.unit.short_name

    @admin.display(description="申请人")
    def applicant(self, obj):
        kind = "个人" if obj.applicant_type == ApplicantType.PERSON else "组织"
        return format_html('{}<br><span class="quiet">{}</span>', mask_name(obj.name), kind)

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
            return format_html('<span class="ysq-overdue">{}<br>（已超期）</span>', obj.due_on)
        if obj.replied_late:
            return format_html('<span class="ysq-overdue">{}<br>（逾期答复）</span>', obj.due_on)
        return obj.due_on

    @admin.display(description="剩余工作日")
    def workdays_left_display(self, obj):
        left = obj.workdays_left()
        if left is None:
            return "—"
        css = "ysq-overdue" if obj.is_overdue() else ("ysq-soon" if obj.is_due_soon() else "")
        return format_html('<span class="{}">{}</span>', css, left)

    def changelist_view(self, request, extra_context=None):
        term = request.GET.get(SEARCH_VAR, "")
        if request.method == "GET" and term and search.looks_personal(term):
            # Typed into the search box by habit: not searched, and taken out of the address bar
            # before it spreads to every link, the history and the Referer.
            params = request.GET.copy()
            del params[SEARCH_VAR]
            messages.warning(
                request,
                "搜索框只按申请编号、所需信息名称查找。按申请人联系电话、证件号码查找请使用"
                "“按申请人查找”（查找内容不会出现在地址栏中）。",
            )
            return redirect(request.path + (f"?{params.urlencode()}" if params else ""))
        extra = dict(extra_context or {})
        extra["applicant_lookup"] = search.may_search(request)
        key = request.GET.get(FoundFilter.parameter_name)
        if key:
            found = search.remembered(request, key)
            if found is None:
                extra["applicant_lookup_expired"] = True
            else:
                params = request.GET.copy()
                del params[FoundFilter.parameter_name]
                params.pop("p", None)
                ids, rows = found
                extra["applicant_found"] = {
                    "count": rows,
                    "listed": len(ids) if rows > len(ids) else None,
                    "clear_url": request.path + (f"?{params.urlencode()}" if params else ""),
                }
        return super().changelist_view(request, extra)

    def lookup_view(self, request):
        """按申请人查找 (POST): the term is logged, the ids found kept in the session, and the list
        opened with their random key only (303, so a reload does not search again)."""
        changelist = reverse("admin:applications_request_changelist")
        if request.method != "POST":
            return redirect(changelist)
        if not search.may_search(request):
            raise PermissionDenied
        try:
            term = search.clean_term(request.POST.get("term", ""))
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return HttpResponseRedirect(changelist, status=303)
        if search.is_request_number(term):
            # A 申请编号 is no personal data: the ordinary search finds it.
            target = f"{changelist}?{urlencode({SEARCH_VAR: term})}"
        else:
            ids, rows = search.find(request, self.get_queryset(request), term)
            key = search.remember(request, ids, rows)
            target = f"{changelist}?{urlencode({FoundFilter.parameter_name: key})}"
        return HttpResponseRedirect(target, status=303)

    # --- forms: add = register a paper request; change = read-only + actions ----------------

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                ("受理", {"fields": ["unit", "channel", "received_on", "late_reason"]}),
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
            late_reason=form.cleaned_data.get("late_reason") or "",
        )
        obj.pk, obj.number = new.pk, new.number
        # Shown once, on the next page, where the 受理回执 carrying it is printed.
        request.session[DESK_CODE_KEY.format(pk=new.pk)] = code
        messages.success(request, f"已登记申请 {new.number}。请打印受理回执交申请人。")

    def response_add(self, request, obj, post_url_continue=None):
        return redirect("admin:applications_request_registered", obj.pk)

    def has_delete_permission(self, request, obj=None):
        return False  # the register is permanent; withdrawal and archiving are workflow steps

    # --- extra pages ----------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("dashboard/", wrap(self.dashboard_view), name="applications_request_dashboard"),
            path("report/", wrap(self.report_view), name="applications_request_report"),
            path("lookup/", wrap(self.lookup_view), name="applications_request_lookup"),
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
            path(
                "<path:object_id>/registered/",
                wrap(self.registered_view),
                name="applications_request_registered",
            ),
            path(
                "<path:object_id>/receipt/",
                wrap(self.receipt_view),
                name="applications_request_receipt",
            ),
            *super().get_urls(),
        ]

    def _scoped_object(self, request, object_id) -> Request:
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404("申请不存在或不在您的单位范围内。")
        return obj

    def editable_on_page(self, request, obj):
        # Only the 复议/诉讼 records, once there is a decision to appeal against; the request
        # itself changes through the actions above the record.
        return AppealInline in self.get_inlines(request, obj) and self.has_change_permission(
            request, obj
        )

    def page_context(self, request, obj):
        today = timezone.localdate()
        can_act = self.has_change_permission(request, obj)
        deadline = deadlines.for_request(obj, today)
        can_edit_calendar = request.user.has_perm("portal.change_calendarday")
        return {
            "title": "办理政府信息公开申请",
            "request_calendar_warnings": [
                workdays.unconfirmed_warning(year, can_edit_calendar)
                for year in deadline.unconfirmed_years
            ],
            "actions_available": [ACTIONS[name] for name in workflow.available(obj, ACTIONS)]
            if can_act
            else [],
            "deadline": deadline,
            "events": obj.events.select_related("actor").order_by("created_at", "pk"),
            "documents": obj.documents.all(),
            "can_see_personal": permissions.can(request.user, PERSONAL_PERMISSION, obj.unit),
        }
