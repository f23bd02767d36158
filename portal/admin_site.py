from django.contrib import admin
from django.urls import reverse
from django.utils import timezone


class PortalAdminSite(admin.AdminSite):
    site_header = "政府信息公开平台 · 工作台"
    site_title = "政府信息公开平台"
    index_title = "工作台"

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
