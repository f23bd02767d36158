"""The unit's document settings (文书设置), kept by its 单位管理员 only."""

from django.contrib import admin

from applications.models import DocumentSettings
from portal.admin_scoping import UnitScopedAdmin, allowed_unit_ids
from portal.models import PublishingUnit, Role

ADMIN_ROLES = [Role.UNIT_ADMIN]


@admin.register(DocumentSettings)
class DocumentSettingsAdmin(UnitScopedAdmin, admin.ModelAdmin):
    list_display = ["unit", "number_pattern", "review_body", "court", "complaint_unit"]
    list_select_related = ["unit", "complaint_unit"]
    fieldsets = [
        (None, {"fields": ["unit"]}),
        ("文号", {"fields": ["number_prefix", "number_pattern"]}),
        ("落款与联系", {"fields": ["contact_person", "contact_phone", "seal"]}),
        (
            "救济途径（写入每份答复）",
            {"fields": ["review_body", "court", "complaint_unit"]},
        ),
        ("收费通知书", {"fields": ["fee_account", "fee_method"]}),
    ]

    def scope_queryset(self, request, queryset):
        # Only the 单位管理员 of a unit (or of a unit above it) changes what its documents say.
        if request.user.is_superuser:
            return queryset
        return queryset.filter(unit__in=allowed_unit_ids(request, roles=ADMIN_ROLES))

    def get_readonly_fields(self, request, obj=None):
        return ["unit"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit" and not request.user.is_superuser:
            kwargs["queryset"] = PublishingUnit.objects.filter(
                pk__in=allowed_unit_ids(request, roles=ADMIN_ROLES)
            )
            return db_field.formfield(**kwargs)
        if db_field.name == "complaint_unit":
            # Any unit may be the complaint body: it is usually outside the unit's own scope.
            kwargs["queryset"] = PublishingUnit.objects.active()
            return db_field.formfield(**kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
