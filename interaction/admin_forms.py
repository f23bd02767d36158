"""Staff forms of the message actions and of consultations (each feeds one workflow step)."""

from django import forms

from interaction.models import RejectReason
from portal.models import PublishingUnit


class NoteForm(forms.Form):
    note = forms.CharField(
        label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class RequiredNoteForm(forms.Form):
    note = forms.CharField(
        label="理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "请填写理由。"},
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label="不予受理理由",
        choices=[("", "请选择")] + RejectReason.choices,
        error_messages={"required": "请选择不予受理的理由。"},
    )
    note = forms.CharField(
        label="说明",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text="告知留言人；选择“其他”时必填。",
    )


class TransferForm(forms.Form):
    to_unit = forms.ModelChoiceField(
        label="转至单位",
        queryset=PublishingUnit.objects.none(),
        error_messages={"required": "请选择转办单位。", "invalid_choice": "请选择有效的单位。"},
    )
    note = forms.CharField(
        label="转办说明", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any unit may be competent, not only those of the transferring clerk.
        self.fields["to_unit"].queryset = PublishingUnit.objects.active().order_by("tree_id", "lft")


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="答复内容",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=10000,
        error_messages={"required": "请填写答复内容。"},
    )


class ApproveForm(forms.Form):
    text = forms.CharField(
        label="答复内容",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=10000,
        error_messages={"required": "请填写答复内容。"},
        help_text="可在审核时修改；同意后即发送给留言人。",
    )


class PublishForm(forms.Form):
    public_subject = forms.CharField(
        label="公开标题", max_length=100, error_messages={"required": "请填写公开标题。"}
    )
    public_text = forms.CharField(
        label="公开的留言内容",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        error_messages={"required": "请填写公开的留言内容。"},
        help_text="已自动隐去留言人的姓名、电话、邮箱和证件号码等，请再次核对，删除其他个人信息。",
    )
    public_reply = forms.CharField(
        label="公开的答复内容",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        error_messages={"required": "请填写公开的答复内容。"},
    )
    is_faq = forms.BooleanField(label="列为常见问题", required=False)


class FollowupForm(forms.Form):
    outcome = forms.CharField(
        label="回访及整改情况",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": "请填写回访及整改情况。"},
        help_text="将在留言人或申请人的查询页面显示。",
    )
    on = forms.DateField(label="回访日期", error_messages={"invalid": "请输入有效日期。"})


class AdoptionForm(forms.Form):
    text = forms.CharField(
        label="意见采纳情况",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        error_messages={"required": "请填写意见采纳情况。"},
        help_text="说明收到意见的总体情况、采纳了哪些意见，未采纳的说明理由。",
    )
