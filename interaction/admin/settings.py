"""Each unit's 互动交流 settings: reply review and reply periods per kind (单位管理员)."""

from django.contrib import admin

from interaction.admin.common import ScopedAdmin, UnitScopedInline
from interaction.models import ReplyPeriod, UnitInteractionSettings


class ReplyPeriodInline(UnitScopedInline, admin.TabularInline):
    model = ReplyPeriod
    extra = 0
    fields = ["kind", "workdays"]


@admin.register(UnitInteractionSettings)
class UnitInteractionSettingsAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["unit", "requires_review"]
    list_select_related = ["unit"]
    inlines = [ReplyPeriodInline]
    fields = ["unit", "requires_review"]

    def get_readonly_fields(self, request, obj=None):
        return ["unit"] if obj is not None else []
