"""Staff forms: paper registration and one intermediate form per workflow action."""

import datetime as dt

from django import forms
from django.utils import timezone

from applications import documents, workflow
from applications.forms import check_id_number, refuse_unprintable
from applications.models import (
    APPLICANT_FIELDS,
    SOUGHT_FIELDS,
    ApplicantType,
    Channel,
    ConsultationParty,
    DeliveryRoute,
    FeeMethod,
    Request,
    Result,
)
from portal import uploads
from portal.forms import OneMessagePerField
from portal.models import PublishingUnit
from portal.validators import CreditCodeField, IdNumberField, PhoneField, PostcodeField


def not_after_today(value: dt.date, what: str = "日期") -> dt.date:
    """Staff record what has happened: a date to come is a typing error."""
    if value > timezone.localdate():
        raise forms.ValidationError(f"{what}不能晚于今天。")
    return value


class PaperRequestForm(OneMessagePerField, forms.ModelForm):
    """登记: a request that arrived in person, by post, letter, fax, e-mail or orally.

    Paper forms are checked like the online one (the same fields and validators), so a mistyped
    number is caught at the desk.
    """

    id_number = IdNumberField(label="证件号码", max_length=40, required=False)
    credit_code = CreditCodeField(label="统一社会信用代码", max_length=18, required=False)
    phone = PhoneField(label="联系电话", max_length=30)
    postcode = PostcodeField(label="邮政编码", max_length=6, required=False)

    channel = forms.ChoiceField(
        label="申请方式", choices=[c for c in Channel.choices if c[0] != Channel.ONLINE]
    )
    received_on = forms.DateField(
        label="收到申请日期",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="当面：提交之日；邮寄：签收之日；平常信函、传真、电子邮件：双方确认之日（第三十一条）。",
    )
    late_reason = forms.CharField(
        label="补登原因",
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="收到申请日期早于30天前时必填，记入办理记录。",
    )

    class Meta:
        model = Request
        fields = [
            "unit",
            "channel",
            "received_on",
            *APPLICANT_FIELDS,
            "id_document",
            *SOUGHT_FIELDS,
        ]

    def clean_received_on(self):
        return not_after_today(self.cleaned_data["received_on"], "收到申请日期")

    def clean_id_document(self):
        upload = self.cleaned_data.get("id_document")
        return uploads.check(upload, uploads.IDENTITY_DOCUMENT).content if upload else upload

    def clean(self):
        data = super().clean()
        organisation = data.get("applicant_type") == ApplicantType.ORGANISATION
        if organisation and not data.get("organisation_kind"):
            self.add_error("organisation_kind", "法人或其他组织请选择类别。")
        if not organisation:
            data["organisation_kind"] = ""
        check_id_number(self, data)
        received = data.get("received_on")
        late = timezone.localdate() - dt.timedelta(days=workflow.LATE_REGISTRATION_DAYS)
        if received and received < late and not (data.get("late_reason") or "").strip():
            self.add_error(
                "late_reason",
                f"收到申请日期早于{workflow.LATE_REGISTRATION_DAYS}天前（{received:%Y-%m-%d}），"
                "请说明补登的原因；答复期限和年度统计将按该日期计算。",
            )
        refuse_unprintable(self, data)
        return data


class DateForm(forms.Form):
    on = forms.DateField(
        label="日期",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_on(self):
        return not_after_today(self.cleaned_data["on"])


class ConfirmForm(DateForm):
    note = forms.CharField(
        label="内部备注", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = "确认收到日期"
        self.fields["on"].help_text = "网上申请以双方确认之日为收到申请之日（第三十一条）。"


class RedirectForm(forms.Form):
    to_unit = forms.ModelChoiceField(
        label="转至单位", queryset=PublishingUnit.objects.active().order_by("tree_id", "lft")
    )
    note = forms.CharField(
        label="内部备注", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SupplementRequestForm(forms.Form):
    what = forms.CharField(label="需要补正的事项", widget=forms.Textarea(attrs={"rows": 4}))
    period_workdays = forms.IntegerField(
        label="补正期限（工作日）", min_value=1, max_value=30, initial=10
    )


class SupplementReceivedForm(DateForm):
    text = forms.CharField(
        label="补正内容", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    file = forms.FileField(label="补正材料", required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # What the applicant brought or sent in: the same rules as a supplement sent online.
        return uploads.check(upload, uploads.APPLICANT_SUPPLEMENT).content if upload else None


def _optional_date(label, help_text=""):
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ConsultationStartForm(forms.Form):
    party = forms.ChoiceField(label="征求对象", choices=ConsultationParty.choices)
    third_party = forms.CharField(
        label="第三方名称",
        required=False,
        max_length=100,
        help_text="征求第三方意见时必填：征询书的送达对象。",
    )
    letter_received_on = _optional_date(
        "第三方收到征求意见书日期",
        "第三方自收到之日起15个工作日内提出意见（第三十二条）；邮寄的可在签收后再登记。"
        "征求其他机关意见无法定期限，不填。",
    )
    note = forms.CharField(
        label="内部备注（征求对象、文号等）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConsultationEndForm(DateForm):
    note = forms.CharField(
        label="意见摘要（内部）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtendForm(forms.Form):
    workdays = forms.IntegerField(label="延长工作日数", min_value=1, max_value=20, initial=20)
    approver = forms.CharField(label="批准的机构负责人", max_length=50)
    reason = forms.CharField(
        label="延期理由（告知申请人）", widget=forms.Textarea(attrs={"rows": 2})
    )


class LaterDateForm(forms.Form):
    until = forms.DateField(
        label="合理答复期限", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(label="理由（告知申请人）", widget=forms.Textarea(attrs={"rows": 2}))


class FeeNoticeForm(forms.Form):
    method = forms.ChoiceField(label="计收方式（只能选其一）", choices=FeeMethod.choices)
    quantity = forms.IntegerField(
        label="件数或页数",
        min_value=1,
        help_text="按件：申请人本自然月内的第几件申请；按量：页数。",
    )
    received_on = _optional_date(
        "申请人收到日期",
        "缴费期限自申请人收到收费通知次日起算20个工作日。网上或电子邮件送达的为发出之日，"
        "无需填写；邮寄的可在签收后再登记。",
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ReplyForm(forms.Form):
    result = forms.ChoiceField(
        label="办理结果",
        choices=[("", "请选择")] + [(r.value, r.label) for r in Result.for_reply()],
    )
    responsible_agency = forms.CharField(
        label="负责公开该信息的机关及联系方式（不掌握时填写）", required=False, max_length=200
    )
    legal_basis = forms.ChoiceField(
        label="法律依据",
        required=False,
        choices=[("", "按办理结果（只有一项依据时）")]
        + [
            (result.label, [(basis, basis) for basis in bases])
            for result, bases in documents.LEGAL_BASES.items()
            if len(bases) > 1
        ],
        help_text="答复告知书只写一项法律依据；办理结果有多项依据时须选择适用的一项。",
    )
    other_basis = forms.CharField(
        label="法律依据（其他处理）",
        required=False,
        max_length=200,
        help_text="办理结果为“其他处理”时填写。",
    )
    letter = forms.CharField(
        label="答复告知书",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="先选择办理结果并点击“生成告知书”，再按需修改。",
    )
    files = MultipleFileField(label="公开的信息（可多选）", required=False)
    delivery_route = forms.ChoiceField(label="送达方式", choices=DeliveryRoute.choices)
    delivered_on = forms.DateField(
        label="送达日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean()
        result = data.get("result")
        if result:
            chosen = data.get("legal_basis") or data.get("other_basis") or ""
            try:
                data["legal_basis"] = documents.choose_basis(result, chosen)
            except documents.DocumentError as error:
                field = (
                    "other_basis" if not documents.LEGAL_BASES[Result(result)] else "legal_basis"
                )
                self.add_error(field, str(error))
        return data

    def clean_files(self):
        checked, errors = [], []
        for upload in self.cleaned_data.get("files") or []:
            try:
                checked.append(uploads.check(upload, uploads.STAFF_REPLY).content)
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return checked


class ReceivedOnForm(DateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = "收到日期"
        self.fields["on"].help_text = "以邮件签收记录或送达回证上的日期为准。"


class NoteForm(forms.Form):
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))
