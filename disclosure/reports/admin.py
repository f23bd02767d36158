from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from disclosure.reports import figures, spreadsheet, tables, workflow
from disclosure.reports.forms import FiguresForm, LegacyImportForm, XlsxImportForm
from disclosure.reports.models import AnnualReport, ReportFigure, ReportState, publication_deadline
from disclosure.reports.signals import report_changed
from portal.admin_scoping import UnitScopedAdmin, units_where


@admin.register(AnnualReport)
class AnnualReportAdmin(UnitScopedAdmin, admin.ModelAdmin):
    list_display = [
        "display_title",
        "unit",
        "year",
        "format",
        "state",
        "published_on",
        "deadline_status",
    ]
    list_filter = ["unit", "year", "format", "state"]
    search_fields = ["title", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit", "catalog_unit"]
    readonly_fields = ["state", "published_at", "published_by", "computed_at", "catalog_entry"]
    change_form_template = "admin/reports/annualreport/change_form.html"
    change_list_template = "admin/reports/annualreport/change_list.html"

    def get_fieldsets(self, request, obj=None):
        base = [
            (None, {"fields": ["unit", "year", "format", "title", "catalog_unit", "published_on"]})
        ]
        if obj is None:
            base[0][1]["fields"].append("include_subtree")
            return base
        status = (
            "状态",
            {"fields": ["state", "published_at", "published_by", "computed_at", "catalog_entry"]},
        )
        if obj.is_official_format:
            return [
                *base,
                ("汇总", {"fields": ["include_subtree"]}),
                ("文字部分", {"fields": ["overview", "problems", "other_matters"]}),
                status,
            ]
        return [*base, ("正文", {"fields": ["body"]}), status]

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None:
            fields += ["unit", "year", "format"]
            if obj.is_published:
                # A published report is corrected by taking it back to draft first.
                fields += [
                    "title",
                    "catalog_unit",
                    "published_on",
                    "include_subtree",
                    "body",
                    "overview",
                    "problems",
                    "other_matters",
                ]
        return fields

    @admin.display(description="目录条目")
    def catalog_entry(self, obj):
        if obj.entry_id and obj.entry.index_number:
            return obj.entry.index_number
        return "发布后生成"

    @admin.display(description="发布期限")
    def deadline_status(self, obj):
        deadline = obj.deadline
        if obj.is_published:
            late = obj.published_on and obj.published_on > deadline
            return f"{deadline:%Y-%m-%d}{'（逾期发布）' if late else ''}"
        days = (deadline - timezone.localdate()).days
        if days < 0:
            return format_html('<strong class="overdue">已逾期{}天</strong>', -days)
        return f"{deadline:%Y-%m-%d}（剩{days}天）"

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        workflow.create(obj)
        if obj.is_official_format:
            messages.info(
                request,
                "已根据申请登记和信息公开目录计算第二、三、四部分数据，请在“报表数据”中核对并补充。",
            )

    def view_on_site(self, obj):
        # A draft report has no public page yet.
        return obj.get_absolute_url() if obj.is_published else None

    def get_urls(self):
        own = [
            path(
                "<int:pk>/figures/",
                self.admin_site.admin_view(self.figures_view),
                name="reports_annualreport_figures",
            ),
            path(
                "<int:pk>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="reports_annualreport_publish",
            ),
            path(
                "<int:pk>/unpublish/",
                self.admin_site.admin_view(self.unpublish_view),
                name="reports_annualreport_unpublish",
            ),
            path(
                "<int:pk>/export.xlsx",
                self.admin_site.admin_view(self.export_view),
                name="reports_annualreport_export",
            ),
            path(
                "import-legacy/",
                self.admin_site.admin_view(self.import_legacy_view),
                name="reports_annualreport_import",
            ),
            path(
                "deadlines/",
                self.admin_site.admin_view(self.deadlines_view),
                name="reports_annualreport_deadlines",
            ),
        ]
        return own + super().get_urls()

    def _report(self, request, pk, change=True) -> AnnualReport:
        report = get_object_or_404(self.get_queryset(request).select_related("unit"), pk=pk)
        allowed = (
            self.has_change_permission(request, report)
            if change
            else self.has_view_permission(request, report)
        )
        if not allowed:
            raise PermissionDenied
        return report

    def figures_view(self, request, pk):
        report = self._report(request, pk, change=False)
        if not report.is_official_format:
            messages.error(request, "自由文本格式的年报没有报表数据。")
            return HttpResponseRedirect(reverse("admin:reports_annualreport_change", args=[pk]))
        figures.ensure_figures(report)
        cells = list(report.figures.all())
        editable = not report.is_published and self.has_change_permission(request, report)
        form = FiguresForm(figures=cells)
        upload_form = XlsxImportForm()
        if request.method == "POST":
            if not editable:
                raise PermissionDenied
            action = request.POST.get("action")
            if action == "compute":
                changed = figures.apply_computed(report)
                messages.success(request, "已重新计算数据。")
                for label in changed:
                    messages.warning(
                        request, f"{label}已人工调整，新的计算值与原计算值不同，请核对。"
                    )
                return HttpResponseRedirect(request.path)
            if action == "import":
                upload_form = XlsxImportForm(request.POST, request.FILES)
                if upload_form.is_valid():
                    try:
                        imported = spreadsheet.import_xlsx(upload_form.cleaned_data["file"].read())
                    except spreadsheet.SpreadsheetError as error:
                        for message in error.messages[:30]:
                            upload_form.add_error("file", message)
                    else:
                        data = {
                            f"v_{key.replace('.', '__')}": value for key, value in imported.items()
                        }
                        data.update(
                            {
                                f"r_{c.key.replace('.', '__')}": c.reason or "导入Excel"
                                for c in cells
                                if c.computed is not None
                            }
                        )
                        form = FiguresForm(data, figures=cells)
                        if form.is_valid():
                            self._save_figures(report, cells, form)
                            messages.success(request, "已从Excel导入数据。")
                            return HttpResponseRedirect(request.path)
            else:
                form = FiguresForm(request.POST, figures=cells)
                if form.is_valid():
                    self._save_figures(report, cells, form)
                    errors = tables.validate(report.figure_values())
                    if errors:
                        messages.warning(
                            request, "数据已保存，但以下勾稽关系不成立，发布前须修正。"
                        )
                    else:
                        messages.success(request, "数据已保存，勾稽关系校验通过。")
                    return HttpResponseRedirect(request.path)
                messages.error(request, "数据未保存：请修正标出的错误。")
        values = report.figure_values()
        context = {
            **self.admin_site.each_context(request),
            "title": f"报表数据：{report.display_title}",
            "report": report,
            "opts": self.model._meta,
            "form": form,
            "upload_form": upload_form,
            "editable": editable,
            "validation_errors": tables.validate(values),
            "carry_over_warnings": figures.carry_over_warnings(report),
            "grid": _grid(form, {cell.key: cell for cell in cells}),
        }
        return TemplateResponse(request, "admin/reports/annualreport/figures.html", context)

    @staticmethod
    def _save_figures(report, cells, form):
        values = form.values()
        with transaction.atomic():
            for cell in cells:
                cell.value, cell.reason = values[cell.key]
            ReportFigure.objects.bulk_update(cells, ["value", "reason"])
            report.save(update_fields=["updated_at"])
            # Bulk writes send no signal: the report's pages are invalidated here, on commit.
            report_changed(report)

    def publish_view(self, request, pk):
        return self._transition(request, pk, workflow.publish, "年报已发布，并已列入信息公开目录。")

    def unpublish_view(self, request, pk):
        return self._transition(
            request, pk, workflow.unpublish, "年报已撤回为草稿，修改后可重新发布。"
        )

    def _transition(self, request, pk, function, success):
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:reports_annualreport_change", args=[pk]))
        report = self._report(request, pk)
        try:
            function(report, request.user)
        except workflow.ReportError as error:
            messages.error(request, "未能完成：")
            for message in error.messages[:40]:
                messages.error(request, message)
            if report.is_official_format:
                return HttpResponseRedirect(
                    reverse("admin:reports_annualreport_figures", args=[pk])
                )
        except PermissionDenied as error:
            messages.error(request, str(error) or "没有权限。")
        else:
            messages.success(request, success)
        return HttpResponseRedirect(reverse("admin:reports_annualreport_change", args=[pk]))

    def export_view(self, request, pk):
        report = self._report(request, pk, change=False)
        content = spreadsheet.export_xlsx(report.display_title, report.figure_values())
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="annual-report-{report.unit.slug}-{report.year}.xlsx"'
        )
        return response

    def import_legacy_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        units = units_where(request, "reports.add_annualreport").active()
        form = LegacyImportForm(request.POST or None, request.FILES or None, units=units)
        if request.method == "POST" and form.is_valid():
            try:
                report = workflow.create_legacy(
                    form.cleaned_data["unit"],
                    form.cleaned_data["year"],
                    form.parsed,
                    form.cleaned_data["catalog_unit"],
                )
            except workflow.ReportError as error:
                form.add_error("year", str(error))
            else:
                messages.success(
                    request,
                    f"已导入“{report.display_title}”（{len(form.parsed.blocks)}段），请核对后发布。",
                )
                return HttpResponseRedirect(
                    reverse("admin:reports_annualreport_change", args=[report.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": "导入自由文本年报",
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/reports/annualreport/import_legacy.html", context)

    def deadlines_view(self, request):
        """Per unit in scope: last year's report, its state, the deadline and days left."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        year = today.year - 1
        units = self.visible_units(request).active()
        reports = {r.unit_id: r for r in AnnualReport.objects.filter(year=year, unit__in=units)}
        rows = []
        for unit in units.order_by("tree_id", "lft"):
            deadline = publication_deadline(unit, year)
            report = reports.get(unit.pk)
            published = bool(report and report.state == ReportState.PUBLISHED)
            rows.append(
                {
                    "unit": unit,
                    "report": report,
                    "deadline": deadline,
                    "days_left": (deadline - today).days,
                    "late": not published and today > deadline,
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": f"{year}年度报告发布期限",
            "opts": self.model._meta,
            "rows": rows,
            "year": year,
        }
        return TemplateResponse(request, "admin/reports/annualreport/deadlines.html", context)


def _grid(form, cells):
    """Rows for the staff form: each cell's computed value, input and override reason side by side."""

    def cell(key):
        figure = cells.get(key)
        return {
            "key": key,
            "field": form.value_field(key),
            "reason": form.reason_field(key),
            "computed": figure.computed if figure else None,
            "override": bool(figure and figure.is_override),
        }

    two = [
        {
            "title": table.title,
            "columns": [label for _, label in table.columns],
            "rows": [
                {"label": row_label, "cells": [cell(f"s2.{row}.{col}") for col, _ in table.columns]}
                for row, row_label in table.rows
            ],
        }
        for table in tables.SECTION_TWO
    ]
    three = [
        {
            "label": label,
            "cells": [cell(tables.s3(row, col)) for col, _ in tables.SECTION_THREE_COLUMNS],
        }
        for row, label in tables.SECTION_THREE_ROWS
    ]
    four = [
        {
            "label": label,
            "cells": [cell(f"s4.{group}.{col}") for col, _ in tables.SECTION_FOUR_COLUMNS],
        }
        for group, label in tables.SECTION_FOUR_GROUPS
    ]
    six = [{"label": label, "cells": [cell(key)]} for key, label in tables.SECTION_SIX]
    return {
        "two": two,
        "three": three,
        "three_columns": [label for _, label in tables.SECTION_THREE_COLUMNS],
        "four": four,
        "four_columns": [label for _, label in tables.SECTION_FOUR_COLUMNS],
        "six": six,
    }
