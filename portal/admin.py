from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.http import HttpResponseForbidden
from mptt.admin import DraggableMPTTAdmin
from mptt.forms import MPTTAdminForm

from portal import admin_users  # noqa: F401 - the staff user admin
from portal.admin_readonly import ViewOnlyAdmin
from portal.admin_scoping import UnitScopedAdmin
from portal.models import CalendarDay, CalendarYear, PublishingUnit, SiteProfile, UnitMembership
from portal.validators import CreditCodeField, PostcodeField


class PublishingUnitForm(MPTTAdminForm):
    # The same fields as the applicants' forms: full-width or spaced input is normalised.
    credit_code = CreditCodeField(label="统一社会信用代码", max_length=18, required=False)
    office_postcode = PostcodeField(label="邮政编码", max_length=6, required=False)

    class Meta:
        model = PublishingUnit
        fields = "__all__"


@admin.register(PublishingUnit)
class PublishingUnitAdmin(UnitScopedAdmin, DraggableMPTTAdmin):
    unit_path = ""
    form = PublishingUnitForm
    list_display = [
        "tree_actions",
        "indented_title",
        "short_name",
        "kind",
        "is_active",
        "office_phone",
    ]
    list_display_links = ["indented_title"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "slug", "credit_code"]
    prepopulated_fields = {}
    fieldsets = [
        (None, {"fields": ["parent", "name", "short_name", "slug", "kind", "order", "is_active"]}),
        ("编码", {"fields": ["credit_code", "unit_code"]}),
        (
            "政府信息公开工作机构",
            {
                "fields": [
                    "office_address",
                    "office_postcode",
                    "office_hours",
                    "office_phone",
                    "office_fax",
                    "office_email",
                ]
            },
        ),
    ]

    def get_list_display(self, request):
        # The drag handles move units in the tree: a superuser's tool only.
        display = super().get_list_display(request)
        if request.user.is_superuser:
            return display
        return [name for name in display if name != "tree_actions"]

    def _move_node(self, request):
        if not request.user.is_superuser:
            self.message_user(request, "只有平台管理员可以调整单位层级。", messages.ERROR)
            return HttpResponseForbidden("FAIL, no permission.")
        return super()._move_node(request)

    def get_search_results(self, request, queryset, search_term):
        # Autocomplete offers only units still in existence.
        if request.path.endswith("/autocomplete/"):
            queryset = queryset.filter(is_active=True)
        return super().get_search_results(request, queryset, search_term)

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser restructures the tree; a unit administrator edits the office details.
        if request.user.is_superuser:
            return []
        return ["parent", "slug", "kind", "order", "is_active"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(UnitMembership)
class UnitMembershipAdmin(UnitScopedAdmin, admin.ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(SiteProfile)
class SiteProfileAdmin(admin.ModelAdmin):
    fieldsets = [
        (None, {"fields": ["site_name", "portal_url"]}),
        (
            "页脚",
            {
                "fields": [
                    "sponsor",
                    "operator",
                    "tech_support",
                    "site_code",
                    "icp_number",
                    "police_number",
                    "police_link",
                    "address",
                    "phone",
                ]
            },
        ),
        ("目录", {"fields": ["index_number_pattern"]}),
    ]

    def has_add_permission(self, request):
        return request.user.is_superuser and not SiteProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["note"]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Marks a year's 调休 swaps as entered: the "not yet entered" warning ends here."""

    list_display = ["year", "confirmed_at", "confirmed_by", "note"]
    fields = ["year", "note"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.confirmed_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(LogEntry)
class AuditLogAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    """Every change made through the admin, kept for the audit (等保: at least 6 months; never pruned)."""

    show_facets = admin.ShowFacets.NEVER  # whole-table counts per option; the filters are indexed

    list_display = [
        "action_time",
        "user",
        "content_type",
        "object_repr",
        "action_flag",
        "change_message",
    ]
    list_filter = ["action_flag", "content_type", "action_time"]
    search_fields = ["object_repr", "user__username"]
    date_hierarchy = "action_time"
    list_select_related = ["user", "content_type"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
