"""The self-check pages in the staff admin: one per unit (单位管理员) and the site-wide one
(superusers), the CSV, a re-run button and the 政府网站工作年度报表 (page and spreadsheet).

Viewing never runs the checks (they request pages and read every entry's links): the page shows the
day's stored result from `manage.py run_selfcheck`, and 重新检查 runs them on demand.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from compliance import annual, selfcheck
from compliance.models import Snapshot
from portal.admin_readonly import ViewOnlyAdmin
from portal.charts import bar_chart
from portal.models import PublishingUnit
from portal.permissions import can, has_anywhere, units_where

PERM = "compliance.view_snapshot"


@admin.register(Snapshot)
class SnapshotAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    def has_view_permission(self, request, obj=None):
        return has_anywhere(request.user, PERM)

    def has_module_permission(self, request):
        return has_anywhere(request.user, PERM)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("recheck/", wrap(require_POST(self.recheck_view)), name="compliance_recheck"),
            path("export.csv", wrap(self.export_view), name="compliance_export"),
            path("annual/", wrap(self.annual_view), name="compliance_annual"),
            path("annual.xlsx", wrap(self.annual_xlsx_view), name="compliance_annual_xlsx"),
            *super().get_urls(),
        ]

    # -- which scope ----------------------------------------------------------------------------

    def _units(self, request):
        return units_where(request.user, PERM).active().order_by("tree_id", "lft")

    def _scope(self, request, source) -> PublishingUnit | None:
        """The unit asked for (checked), or the site for a superuser who asked for none."""
        slug = source.get("unit", "")
        if not slug and request.user.is_superuser:
            return None
        units = self._units(request)
        unit = units.filter(slug=slug).first() if slug else units.first()
        if unit is None or not can(request.user, PERM, unit):
            raise PermissionDenied
        return unit

    def _page_url(self, unit) -> str:
        url = reverse("admin:compliance_snapshot_changelist")
        return f"{url}?unit={unit.slug}" if unit else url

    # -- pages ----------------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        unit = self._scope(request, request.GET)
        today = timezone.localdate()
        snapshot = Snapshot.objects.filter(unit=unit, taken_on=today).first()
        if snapshot is None:
            snapshot = Snapshot.objects.filter(unit=unit).order_by("-taken_on").first()
        result = selfcheck.from_snapshot(snapshot) if snapshot else None
        weeks = selfcheck.trend(unit, today)
        chart = None
        if weeks:
            chart = bar_chart(
                [(f"{week:%m-%d}起", score) for week, score in weeks],
                "近12周自查得分",
                unit="分",
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"网站自查：{unit.name if unit else '全站'}",
            "unit": unit,
            "units": self._units(request),
            "site_allowed": request.user.is_superuser,
            "result": result,
            "snapshot": snapshot,
            "is_today": bool(snapshot and snapshot.taken_on == today),
            "chart": chart,
            "weeks": weeks,
        }
        return TemplateResponse(request, "admin/compliance/selfcheck.html", context)

    def recheck_view(self, request):
        unit = self._scope(request, request.POST)
        result = selfcheck.run(unit)
        selfcheck.store(result)
        self.message_user(
            request, f"已重新检查：{result.score.value}分，发现{len(result.findings)}个问题。"
        )
        return HttpResponseRedirect(self._page_url(unit))

    def export_view(self, request):
        unit = self._scope(request, request.GET)
        snapshot = Snapshot.objects.filter(unit=unit).order_by("-taken_on").first()
        if snapshot is None:
            self.message_user(request, "尚无自查结果，请先检查。", messages.WARNING)
            return HttpResponseRedirect(self._page_url(unit))
        body = selfcheck.to_csv(selfcheck.from_snapshot(snapshot), selfcheck.trend(unit))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        name = unit.slug if unit else "site"
        response["Content-Disposition"] = (
            f'attachment; filename="selfcheck-{name}-{snapshot.taken_on:%Y%m%d}.csv"'
        )
        return response

    def _year(self, request) -> int:
        raw = request.GET.get("year", "")
        this_year = timezone.localdate().year
        if raw.isdigit() and 2008 <= int(raw) <= this_year:
            return int(raw)
        return this_year - 1 if timezone.localdate().month <= 3 else this_year

    def annual_view(self, request):
        if not request.user.is_superuser:
            raise PermissionDenied
        year = self._year(request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"政府网站工作年度报表（{year}年度）",
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
            "sections": annual.report(year),
        }
        return TemplateResponse(request, "admin/compliance/annual.html", context)

    def annual_xlsx_view(self, request):
        if not request.user.is_superuser:
            raise PermissionDenied
        year = self._year(request)
        response = HttpResponse(
            annual.to_xlsx(year, annual.report(year)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="website-report-{year}.xlsx"'
        return response
