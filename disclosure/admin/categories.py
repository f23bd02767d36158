"""The catalog's category tree: one for every unit, edited by superusers only."""

from django.contrib import admin
from mptt.admin import DraggableMPTTAdmin

from disclosure.models import (
    Category,
)


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
