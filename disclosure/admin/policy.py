"""The policy-library parts of the entry form: which earlier documents a new one amends or
repeals (applied at its publication, disclosure/policy.py)."""

from django.contrib import admin

from disclosure.models import DocumentChange, EntryState
from portal.admin_scoping import UnitScopedInline


class DocumentChangeInline(UnitScopedInline, admin.TabularInline):
    model = DocumentChange
    fk_name = "document"
    extra = 0
    fields = ["target", "kind", "effective_on"]
    readonly_fields = ["effective_on"]
    autocomplete_fields = ["target"]
    verbose_name_plural = "本文件修改或废止的文件（发布时原文件有效性随之变更）"

    def _editable(self, obj):
        return obj is None or obj.state == EntryState.DRAFT

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(obj)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("target")
