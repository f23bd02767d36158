"""The policy-library parts of the entry form: which earlier documents a new one amends or
repeals (applied at its publication, disclosure/policy.py)."""

from django.contrib import admin

from disclosure.admin.review import DraftOnlyInline
from disclosure.models import DocumentChange
from portal.admin_scoping import UnitScopedInline


class DocumentChangeInline(DraftOnlyInline, UnitScopedInline, admin.TabularInline):
    model = DocumentChange
    fk_name = "document"
    extra = 0
    fields = ["target", "kind", "effective_on"]
    readonly_fields = ["effective_on"]
    autocomplete_fields = ["target"]
    verbose_name_plural = "本文件修改或废止的文件（发布时原文件有效性随之变更）"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("target")
