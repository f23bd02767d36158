"""What the admins of rows reviewed before publication (entries, service guides) share: inlines
frozen once the row is submitted, the read-only review history, and the review box under the
change form (disclosure/templates/admin/disclosure/review_change_form.html) with the steps the
user may take now."""

from django.contrib import admin

from disclosure.models import EntryState
from portal.admin_scoping import UnitScopedInline


class DraftOnlyInline:
    """An inline of a reviewed row (an entry, a guide): editable only while the row is a draft,
    frozen once submitted so the reviewer approves what is published."""

    draft_state = EntryState.DRAFT

    def _editable(self, request, obj):
        return obj is None or obj.state == self.draft_state

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)


class ReviewEventInline(UnitScopedInline, admin.TabularInline):
    """The review history (a `disclosure.models.ReviewEvent`), read-only under its row."""

    extra = 0
    fields = ["at", "action", "from_state", "to_state", "actor", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class ReviewButtonsMixin:
    """Mixed into the row's admin: `review_actions(request, obj)` lists (value, label) of the
    steps offered in the review box, posted to the admin's `<pk>/workflow/` view."""

    def review_actions(self, request, obj) -> list[tuple[str, str]]:
        raise NotImplementedError

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id is not None:
            obj = self.get_queryset(request).filter(pk=object_id).first()
            if obj is not None:
                extra_context["workflow_actions"] = self.review_actions(request, obj)
        return super().changeform_view(request, object_id, form_url, extra_context)
