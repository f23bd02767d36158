"""The unit's document settings (文书设置): only its 单位管理员 holds these permissions."""

from django import forms
from django.contrib import admin

from applications.models import DocumentSettings
from portal import uploads
from portal.admin_scoping import UnitScopedAdmin
from portal.models import PublishingUnit


class DocumentSettingsForm(forms.ModelForm):
    # A private file has no URL: the upload field shows no link to the stored seal.
    seal = forms.FileField(
        label="印章图片",
        required=False,
        widget=forms.FileInput(attrs={"accept": ".png,.jpg,.jpeg"}),
        help_text="PNG或JPG图片（透明背景为宜），不超过2MB；未上传时文书印章处显示“（印章）”。",
    )
    remove_seal = forms.BooleanField(label="删除已上传的印章图片", required=False)

    class Meta:
        model = DocumentSettings
        fields = [
            "unit",
            "number_prefix",
            "number_pattern",
            "contact_person",
            "contact_phone",
            "seal",
            "review_body",
            "court",
            "complaint_unit",
            "fee_account",
            "fee_method",
        ]

    def clean_seal(self):
        seal = self.cleaned_data.get("seal")
        if seal:
            return uploads.check(seal, uploads.SEAL_IMAGE).content
        if self.data.get("remove_seal"):
            return False  # FileField: clear
        return self.instance.seal


@admin.register(DocumentSettings)
class DocumentSettingsAdmin(UnitScopedAdmin, admin.ModelAdmin):
    form = DocumentSettingsForm
    list_display = ["unit", "number_pattern", "review_body", "court", "complaint_unit"]
    list_select_related = ["unit", "complaint_unit"]
    fieldsets = [
        (None, {"fields": ["unit"]}),
        ("文号", {"fields": ["number_prefix", "number_pattern"]}),
        ("落款与联系", {"fields": ["contact_person", "contact_phone", "seal", "remove_seal"]}),
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
