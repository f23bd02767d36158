from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.urls import reverse
from django.utils import timezone


class ScopedAutocompleteJsonView(AutocompleteJsonView):
    """Offers only what the form asking for it may choose: the rows of the units where the user may
    add or change the form's model (portal.admin_scoping), not every row the user may see."""

    def get_queryset(self):
        from portal.admin_scoping import UnitScopedAdmin

        queryset = super().get_queryset()
        source_admin = self.admin_site._registry.get(self.source_field.model)
        if isinstance(source_admin, UnitScopedAdmin):
            queryset = source_admin.autocomplete_choices(self.request, self.source_field, queryset)
        return queryset


class PortalAdminSite(admin.AdminSite):
    site_header = "政府信息公开平台 · 工作台"
    site_title = "政府信息公开平台"
    index_title = "工作台"

    def index(self, request, extra_context=None):
        from portal import workbench

        context = {"workbench_panels": workbench.panels_for(request), **(extra_context or {})}
        return super().index(request, context)

    def autocomplete_view(self, request):
        return ScopedAutocompleteJsonView.as_view(admin_site=self)(request)

    def each_context(self, request):
        context = super().each_context(request)
        user = request.user
        if user.is_authenticated and user.is_staff:
            from portal.workdays import calendar_warnings

            # Those who keep the calendar see the warning on every page until they act; the
            # others, who cannot, see it on the 工作台 only.
            can_edit = user.has_perm("portal.change_calendarday")
            if can_edit or request.path == reverse("admin:index"):
                context["calendar_warnings"] = calendar_warnings(timezone.localdate(), can_edit)
        return context
