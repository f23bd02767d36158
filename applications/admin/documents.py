"""The unit's document settings (文书设置): only its 单位管理员 holds these permissions."""

from django.contrib import admin

from applications.models import DocumentSettings
from portal.admin_scoping import UnitScopedAdmin
from portal.models import PublishingUnit


@admin.register(DocumentSettings)
class DocumentSettingsAdmin(UnitScopedAdmin, admin.ModelAdmin):
    list_display = ["unit", "number_pattern", "review_body", "court", "complaint_unit"]
    list_select_related = ["unit", "complaint_unit"]
    fieldsets = [
        (None, {"fields": ["unit"]}),
        ("文号", {"fields": ["number_prefix", "number_pattern"]}),
        ("落款与联系", {"fields": ["contact_person", "contact_phone", "seal"]}),
        ("救济途径（写入每份答复）", {"fields": ["review_body", "court", "complaint_unit"]}),
        ("收费通知书", {"fields": ["fee_account", "fee_method"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["unit"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "complaint_unit":
            # The complaint body is usually outside the unit's own scope (its superior or the
            # 政府信息公开工作主管部门), so any active unit may be chosen.
            kwargs["queryset"] = PublishingUnit.objects.active()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
