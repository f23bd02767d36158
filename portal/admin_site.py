from django.contrib import admin
from django.utils import timezone


class PortalAdminSite(admin.AdminSite):
    site_header = "政府信息公开平台 · 工作台"
    site_title = "政府信息公开平台"
    index_title = "工作台"

    def each_context(self, request):
        context = super().each_context(request)
        if request.user.is_authenticated and request.user.is_staff:
            from portal.workdays import calendar_warnings

            context["calendar_warnings"] = calendar_warnings(timezone.localdate())
        return context
