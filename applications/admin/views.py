"""The request admin's own pages: an action's form, the personal-data page, files, the 年报 tables
and the dashboard."""

import io

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from applications import deadlines, fees, statistics, workflow
from applications.admin.actions import ACTIONS
from applications.admin.common import PERSONAL_PERMISSION
from applications.models import (
    APPLICANT_FIELDS,
    DUE_SOON_WORKDAYS,
    Complaint,
    ComplaintState,
    Document,
    DocumentKind,
    PersonalDataAccess,
    Request,
    Result,
    State,
)
from applications.views import document_pdf, document_response
from portal import permissions, personal_data, scope
from portal.admin_actions import action_page
from portal.admin_scoping import unit_ids_where
from portal.models import PublishingUnit

DESK_CODE_KEY = "desk-code-{pk}"


def log_opening(obj: Request, user, what: str) -> None:
    PersonalDataAccess.objects.create(request=obj, user=user, what=what)


class RequestPagesMixin(personal_data.PersonalDataPage):
    """Mixed into RequestAdmin; each page checks the unit scope through `_scoped_object`."""

    def registered_view(self, request, object_id):
        """After paper registration: the 查询码 once, and the 受理回执 to print with it."""
        obj = self._scoped_object(request, object_id)
        code = request.session.pop(DESK_CODE_KEY.format(pk=obj.pk), "")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "code": code,
            "receipt": obj.documents.filter(kind=DocumentKind.RECEIPT).first(),
            "title": f"登记完成：{obj.number}",
        }
        return TemplateResponse(request, "admin/applications/request/registered.html", context)

    def receipt_view(self, request, object_id):
        """The 受理回执 with the 查询码 typed back from the registration page (never stored)."""
        obj = self._scoped_object(request, object_id)
        receipt = obj.documents.filter(kind=DocumentKind.RECEIPT).first()
        code = request.POST.get("code", "") if request.method == "POST" else ""
        if receipt is None or not code or not obj.check_access_code(code):
            messages.error(request, "查询码不正确，无法打印带查询码的受理回执。")
            return redirect("admin:applications_request_change", obj.pk)
        response = HttpResponse(document_pdf(receipt, code=code), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{obj.number}-receipt.pdf"'
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="打印所选申请的受理回执（一个PDF）")
    def print_receipts(self, request, queryset):
        """Several 受理回执 at once, e.g. for a day's post; the 查询码 stays the one given at the
        desk (it is never stored), so these copies say where the applicant has it."""
        from pypdf import PdfWriter

        receipts = (
            Document.objects.filter(request__in=queryset, kind=DocumentKind.RECEIPT)
            .select_related("request")
            .order_by("request__number")
        )
        writer = PdfWriter()
        numbers = []
        for receipt in receipts:
            writer.append(io.BytesIO(document_pdf(receipt)))
            numbers.append(receipt.request.number)
        if not numbers:
            self.message_user(
                request, "所选申请没有受理回执（网上申请在确认收到后生成）。", messages.WARNING
            )
            return None
        buffer = io.BytesIO()
        writer.write(buffer)
        response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="receipts.pdf"'
        response["Cache-Control"] = "no-store"
        return response

    def action_view(self, request, object_id, action):
        obj = self._scoped_object(request, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        spec = ACTIONS.get(action)
        if spec is None:
            raise Http404
        refusal = workflow.refusal(obj, spec.name)
        form, initial = None, {}
        if refusal:
            pass
        elif request.method == "POST" and spec.name == "reply" and "prefill" in request.POST:
            initial = request.POST.dict()
            if initial.get("result") in Result.values:
                initial["letter"] = workflow.default_letter(
                    obj, initial["result"], initial.get("responsible_agency", "")
                )
            form = spec.form(initial=initial)
        elif spec.name == "fee_notice":
            initial = {"quantity": fees.applications_this_month(obj)}
        elif spec.name == "reply":
            # Delivered the way the applicant asked for (Art. 40), unless staff change it.
            initial = {"delivery_route": obj.delivery}
        return action_page(
            self,
            request,
            obj,
            spec,
            refusal=refusal,
            initial=initial,
            form=form,
            error=workflow.WorkflowError,
            template="admin/applications/request/action.html",
            extra_context={"deadline": deadlines.for_request(obj, timezone.localdate())},
        )

    personal_page_permission = PERSONAL_PERMISSION
    personal_page_fields = APPLICANT_FIELDS
    personal_page_title = "申请人信息"
    personal_page_template = "admin/applications/request/personal.html"

    def log_personal_opening(self, obj, user):
        log_opening(obj, user, "查看申请人信息")

    def id_document_view(self, request, object_id):
        obj = self._scoped_object(request, object_id)
        if not permissions.can(request.user, PERSONAL_PERMISSION, obj.unit) or not obj.id_document:
            raise Http404
        log_opening(obj, request.user, "下载身份证明")
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
        allowed = self.visible_units(request).order_by("tree_id", "lft")
        # The tables of the year a report is being written for: last year by default.
        years = scope.years(
            request, default=timezone.localdate().year - 1, first=statistics.FIRST_YEAR
        )
        year, chosen = years.year, scope.units(request, allowed)
        four = statistics.section_four(chosen.ids, year)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{year}年度政府信息公开工作年度报告数据（第三、四部分）",
            "year": year,
            "years": years.choices,
            "units": allowed,
            "unit": chosen.unit,
            "subtree": chosen.subtree,
            "three": statistics.section_three(chosen.ids, year),
            "four": [
                (label, [four[kind][o] for o in statistics.SECTION_FOUR_OUTCOMES])
                for kind, label in statistics.SECTION_FOUR_GROUPS
            ],
        }
        return TemplateResponse(request, "admin/applications/request/report.html", context)

    def dashboard_view(self, request):
        """Per unit: awaiting confirmation, due soon, overdue, replied late this year."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        scoped = self.get_queryset(request).order_by()
        rows = (
            scoped.values("unit_id")
            .annotate(
                awaiting=Count("pk", filter=Q(state=State.SUBMITTED)),
                due_soon=Count("pk", filter=Request.objects.due_soon_q(today)),
                overdue=Count("pk", filter=Request.objects.overdue_q(today)),
                replied_late=Count(
                    "pk",
                    filter=Request.objects.replied_late_q() & Q(replied_on__year=today.year),
                ),
                open_count=Count("pk", filter=Q(state__in=State.open())),
            )
            .order_by("unit__tree_id", "unit__lft")
        )
        units = PublishingUnit.objects.in_bulk([row["unit_id"] for row in rows])
        unit_count = (
            len(units) if request.user.is_superuser else self.visible_units(request).count()
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "依申请公开工作台",
            "rows": [{**row, "unit": units[row["unit_id"]]} for row in rows],
            "today": today,
            "due_soon_workdays": DUE_SOON_WORKDAYS,
            "unit_count": unit_count,
            # Complaints this user's units handle (Art. 51), not those about them.
            "open_complaints": Complaint.objects.filter(state=ComplaintState.OPEN)
            .filter(
                **(
                    {}
                    if request.user.is_superuser
                    else {
                        "handled_by__in": unit_ids_where(request, "applications.change_complaint")
                    }
                )
            )
            .count(),
        }
        return TemplateResponse(request, "admin/applications/request/dashboard.html", context)
