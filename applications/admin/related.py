"""Appeals (复议/诉讼), complaints and the personal-data access log."""

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Q

from applications import workflow
from applications.admin.common import PersonalLookupGuard
from applications.models import (
    Appeal,
    Complaint,
    ComplaintState,
    PersonalDataAccess,
)
from portal import permissions
from portal.admin_readonly import ViewOnlyAdmin, WorkflowChangePage
from portal.admin_scoping import UnitScopedAdmin, unit_ids_where
from portal.models import UnitMembership


@admin.register(Appeal)
class AppealAdmin(PersonalLookupGuard, UnitScopedAdmin, admin.ModelAdmin):
    personal_paths = ("request__",)
    unit_path = "request__unit"
    list_display = ["request", "kind", "filed_on", "outcome", "closed_on"]
    list_filter = ["kind", "outcome", "request__unit"]
    search_fields = ["request__number"]
    autocomplete_fields = ["request"]
    list_select_related = ["request"]
    date_hierarchy = "filed_on"


@admin.register(Complaint)
class ComplaintAdmin(PersonalLookupGuard, WorkflowChangePage, UnitScopedAdmin, admin.ModelAdmin):
    """The body Art. 51 names (the unit's superior or the 政府信息公开工作主管部门) answers; the
    unit complained about sees the complaint but does not handle it. The applicant reads the
    answer on the track page."""

    personal_paths = ("request__",)
    # Answering is asked of the handling body's unit; reading also of the request's unit.
    unit_path = "handled_by"
    list_display = ["request", "created_at", "handled_by", "state", "answered_at"]
    list_filter = ["state", "handled_by"]
    search_fields = ["request__number"]
    list_select_related = ["request", "handled_by"]
    fields = [
        "request",
        "handled_by",
        "created_at",
        "text",
        "state",
        "answer",
        "answered_at",
        "answered_by",
    ]
    readonly_fields = [
        "request",
        "handled_by",
        "created_at",
        "text",
        "state",
        "answered_at",
        "answered_by",
    ]

    def scope_queryset(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        unit_ids = unit_ids_where(request, self.perm("view"), self.perm("change"))
        return queryset.filter(Q(handled_by__in=unit_ids) | Q(request__unit__in=unit_ids))

    def has_view_permission(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().has_view_permission(request, obj)
        return any(
            permissions.can(request.user, perm, unit)
            for perm in (self.perm("view"), self.perm("change"))
            for unit in (obj.handled_by, obj.request.unit)
            if unit is not None
        )

    def editable_on_page(self, request, obj):
        return obj.state != ComplaintState.ANSWERED  # the answer, once

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
class PersonalDataAccessAdmin(
    PersonalLookupGuard, ViewOnlyAdmin, UnitScopedAdmin, admin.ModelAdmin
):
    """Openings of a request's personal data, in the request's unit; searches by applicant data
    (no request) are seen by the administrators of the searcher's units."""

    unit_path = "request__unit"
    personal_paths = ("request__",)
    personal_fields = frozenset({"query"})
    list_display = ["at", "user", "request", "what", "query", "rows"]
    fields = ["request", "user", "at", "what", "query", "rows"]
    list_filter = ["what"]
    search_fields = ["request__number", "user__username"]
    list_select_related = ["user", "request"]
    date_hierarchy = "at"

    def scope_queryset(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        units = unit_ids_where(request, self.perm("view"))
        searched_by_member = UnitMembership.objects.filter(user=OuterRef("user"), unit__in=units)
        return queryset.filter(
            Q(request__unit__in=units) | Q(request__isnull=True) & Exists(searched_by_member)
        )

    def unit_of(self, obj):
        # A search row belongs to no unit: its visibility is the list's scope above.
        return obj.request.unit if obj.request_id else None

    def has_view_permission(self, request, obj=None):
        if obj is not None and obj.request_id is None:
            return self.in_scope(request, obj)
        return super().has_view_permission(request, obj)
