"""Public forms: a message, the tracking look-up, a rating and a consultation comment."""

import re

from django import forms
from django.core.exceptions import ValidationError

from interaction import uploads
from interaction.models import MessageKind, RatingLevel
from portal import uploads as checked_uploads
from portal.botcheck import RobotCheckForm
from portal.models import PublishingUnit
from portal.tracking import lookup_form

PHONE_RE = re.compile(r"^[0-9+\-() ]{7,20}$")


def _phone(value: str) -> str:
    value = (value or "").strip()
    if not PHONE_RE.match(value):
        raise ValidationError("请输入有效的电话号码。")
    return value


class MessageForm(RobotCheckForm):
    unit = forms.ModelChoiceField(
        label="留言对象",
        queryset=PublishingUnit.objects.none(),
        required=False,
        empty_label="不确定（由市政府转交有关单位办理）",
        error_messages={"invalid_choice": "请选择有效的单位。"},
    )
    kind = forms.ChoiceField(
        label="留言类型",
        choices=MessageKind.choices,
        widget=forms.RadioSelect,
        initial=MessageKind.CONSULT,
        error_messages={"required": "请选择留言类型。"},
    )
    subject = forms.CharField(
        label="标题", max_length=100, error_messages={"required": "请填写留言标题。"}
    )
    text = forms.CharField(
        label="留言内容",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=4000,
        error_messages={
            "required": "请填写留言内容。",
            "max_length": "留言内容不能超过4000字。",
        },
        help_text="请写明事由、时间、地点等，便于办理；不超过4000字。",
    )
    attachment = forms.FileField(
        label="附件（可选）",
        required=False,
        help_text="JPG、PNG图片或PDF文件，不超过10MB。",
        error_messages={"empty": "上传的文件是空的。"},
        widget=forms.ClearableFileInput(attrs={"accept": uploads.MESSAGE_ATTACHMENT.accept}),
    )
    name = forms.CharField(label="姓名", max_length=50, error_messages={"required": "请填写姓名。"})
    phone = forms.CharField(
        label="联系电话",
        max_length=30,
        error_messages={"required": "请填写联系电话。"},
        help_text="姓名和联系电话仅用于办理，不会公开。",
    )
    email = forms.EmailField(
        label="电子邮箱（可选）",
        required=False,
        error_messages={"invalid": "请输入有效的电子邮箱地址。"},
        help_text="填写后，留言编号、查询码和办理进展将发送到该邮箱。",
    )
    consent_publish = forms.BooleanField(
        label="同意在删除个人信息后公开我的留言和答复",
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = PublishingUnit.objects.active().order_by("tree_id", "lft")

    def clean_phone(self):
        return _phone(self.cleaned_data.get("phone"))

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        return checked_uploads.check(upload, uploads.MESSAGE_ATTACHMENT).content

    def target_unit(self):
        """The chosen unit, or the site's first government, which passes it on."""
        return (
            self.cleaned_data.get("unit")
            or PublishingUnit.objects.active()
            .filter(parent__isnull=True)
            .order_by("tree_id")
            .first()
        )

    def message_data(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "subject": data["subject"].strip(),
            "text": data["text"].strip(),
            "name": data["name"].strip(),
            "phone": data["phone"],
            "email": data.get("email") or "",
            "consent_publish": bool(data.get("consent_publish")),
        }


TrackForm = lookup_form("留言", "LY")


class RatingForm(forms.Form):
    level = forms.ChoiceField(
        label="您对办理结果的评价",
        choices=RatingLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择评价等级。"},
    )
    comment = forms.CharField(
        label="评价意见（可选）",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        required=False,
        help_text="选择“不满意”或“非常不满意”的，工作人员将在15个工作日内回访。",
    )


class CommentForm(RobotCheckForm):
    name = forms.CharField(label="姓名", max_length=50, error_messages={"required": "请填写姓名。"})
    phone = forms.CharField(
        label="联系电话（可选）",
        max_length=30,
        required=False,
        help_text="姓名和联系电话不会公开。",
    )
    text = forms.CharField(
        label="意见建议",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=4000,
        error_messages={"required": "请填写意见建议。", "max_length": "意见建议不能超过4000字。"},
        help_text="意见经审核后公开（不公开姓名和联系电话）。",
    )

    def clean_phone(self):
        value = self.cleaned_data.get("phone")
        return _phone(value) if value else ""
