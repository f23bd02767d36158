"""Public forms: the online application, the tracking lookup, supplement and complaint."""

from django import forms
from django.core.exceptions import ValidationError

from applications import fields as F
from applications.models import (
    SOUGHT_FIELDS,
    ApplicantType,
    DeliveryRoute,
    IdType,
    Medium,
    OrganisationKind,
)
from portal import uploads
from portal.botcheck import RobotCheckForm
from portal.forms import OneMessagePerField
from portal.models import PublishingUnit
from portal.tracking import lookup_form
from portal.validators import (
    CreditCodeField,
    IdNumberField,
    PhoneField,
    PostcodeField,
    validate_resident_id,
)


def check_id_number(form, data) -> None:
    """The 证件号码 checked for its 证件类型: only the resident ID has a check character."""
    number = data.get("id_number")
    if number and data.get("id_type") == IdType.RESIDENT_ID:
        try:
            validate_resident_id(number)
        except ValidationError as error:
            form.add_error("id_number", error)


def _upload_help(policy) -> str:
    return f"{policy.kinds_label}，不超过{policy.max_bytes() // uploads.MB}MB。"


def refuse_unprintable(form, data: dict, skip=()) -> None:
    """Each typed text must print as typed in the official documents (portal.pdffont): a name
    with a character the font lacks is refused here, never printed as another character."""
    from portal import pdffont

    for name, value in list(data.items()):
        if name in skip or not isinstance(value, str) or not value:
            continue
        missing = pdffont.missing_characters(value)
        if missing:
            form.add_error(name, pdffont.refuse_message(missing))


class ApplicationForm(OneMessagePerField, RobotCheckForm):
    unit = forms.ModelChoiceField(
        label="受理单位",
        queryset=PublishingUnit.objects.none(),
        empty_label="请选择受理单位",
        error_messages={"required": "请选择受理单位。", "invalid_choice": "请选择有效的受理单位。"},
    )
    applicant_type = forms.ChoiceField(
        label="申请人类型",
        choices=ApplicantType.choices,
        widget=forms.RadioSelect,
        initial=ApplicantType.PERSON,
        error_messages={"required": "请选择申请人类型。"},
    )
    person_name = forms.CharField(label=F.LABELS["person_name"], max_length=100, required=False)
    id_type = forms.ChoiceField(
        label=F.LABELS["id_type"],
        choices=IdType.choices,
        initial=IdType.RESIDENT_ID,
        required=False,
    )
    id_number = IdNumberField(label=F.LABELS["id_number"], max_length=40, required=False)
    employer = forms.CharField(label=F.LABELS["employer"], max_length=100, required=False)
    person_address = forms.CharField(
        label=F.LABELS["person_address"], max_length=200, required=False
    )
    postcode = PostcodeField(label=F.LABELS["postcode"], max_length=6, required=False)
    person_phone = PhoneField(label=F.LABELS["person_phone"], max_length=30, required=False)
    person_email = forms.EmailField(
        label=F.LABELS["person_email"],
        required=False,
        error_messages={"invalid": "请输入有效的电子邮箱地址。"},
    )
    org_name = forms.CharField(label=F.LABELS["org_name"], max_length=100, required=False)
    organisation_kind = forms.ChoiceField(
        label=F.LABELS["organisation_kind"],
        choices=[("", "请选择")] + OrganisationKind.choices,
        required=False,
    )
    credit_code = CreditCodeField(label=F.LABELS["credit_code"], max_length=18, required=False)
    legal_representative = forms.CharField(
        label=F.LABELS["legal_representative"], max_length=50, required=False
    )
    contact_person = forms.CharField(
        label=F.LABELS["contact_person"], max_length=50, required=False
    )
    contact_phone = PhoneField(label=F.LABELS["contact_phone"], max_length=30, required=False)
    org_email = forms.EmailField(
        label=F.LABELS["org_email"],
        required=False,
        error_messages={"invalid": "请输入有效的电子邮箱地址。"},
    )
    org_address = forms.CharField(label=F.LABELS["org_address"], max_length=200, required=False)
    info_title = forms.CharField(label=F.LABELS["info_title"], max_length=200, required=False)
    info_doc_number = forms.CharField(
        label=F.LABELS["info_doc_number"], max_length=100, required=False
    )
    info_description = forms.CharField(
        label=F.LABELS["info_description"],
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={"required": "请描述所需信息的特征（如内容、时间、范围），便于查找。"},
        help_text="请写明信息的内容、形成时间、涉及范围等，便于准确查找。",
    )
    purpose = forms.CharField(
        label=F.LABELS["purpose"],
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        required=False,
        help_text="《政府信息公开条例》不要求说明用途，可不填。",
    )
    medium = forms.ChoiceField(
        label=F.LABELS["medium"],
        choices=Medium.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择获取信息的载体形式。"},
    )
    delivery = forms.ChoiceField(
        label=F.LABELS["delivery"],
        choices=DeliveryRoute.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择获取信息的方式。"},
    )
    id_document = forms.FileField(
        label="身份证明",
        help_text="公民上传身份证件，法人或其他组织上传营业执照等证明文件；"
        + _upload_help(uploads.IDENTITY_DOCUMENT),
        error_messages={"required": "请上传身份证明文件。", "empty": "上传的文件是空的。"},
        widget=forms.ClearableFileInput(attrs={"accept": uploads.IDENTITY_DOCUMENT.accept}),
    )
    declaration = forms.BooleanField(
        label=F.DECLARATION,
        error_messages={"required": "请阅读并勾选承诺。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = PublishingUnit.objects.active().order_by("tree_id", "lft")

    def clean_id_document(self):
        return uploads.check(self.cleaned_data["id_document"], uploads.IDENTITY_DOCUMENT).content

    def clean(self):
        data = super().clean()
        if data.get("applicant_type") == ApplicantType.ORGANISATION:
            self._clean_organisation(data)
        elif data.get("applicant_type") == ApplicantType.PERSON:
            self._clean_person(data)
        if not (data.get("person_email") or data.get("org_email")) and (
            data.get("delivery") == DeliveryRoute.EMAIL or data.get("medium") == Medium.EMAIL
        ):
            target = (
                "org_email"
                if data.get("applicant_type") == ApplicantType.ORGANISATION
                else "person_email"
            )
            self.add_error(target, "选择通过电子邮件获取信息时，请填写电子邮箱。")
        refuse_unprintable(self, data, skip=("website", "started"))
        return data

    def _require(self, data, names):
        for name in names:
            if not str(data.get(name) or "").strip():
                self.add_error(name, f"请填写{F.LABELS[name]}。")

    def _clean_person(self, data):
        self._require(data, F.REQUIRED_PERSON)
        check_id_number(self, data)

    def _clean_organisation(self, data):
        self._require(data, F.REQUIRED_ORGANISATION)

    def request_data(self) -> dict:
        """The Request fields, taken only from the chosen applicant type's group."""
        data = self.cleaned_data
        organisation = data["applicant_type"] == ApplicantType.ORGANISATION
        mapping = F.ORGANISATION_MAP if organisation else F.PERSON_MAP
        result = {target: (data.get(source) or "").strip() for source, target in mapping.items()}
        result["applicant_type"] = data["applicant_type"]
        if not organisation:
            result["organisation_kind"] = ""
        for name in SOUGHT_FIELDS:
            result[name] = (data.get(name) or "").strip()
        return result


TrackForm = lookup_form("申请", "YSQ")


class SupplementForm(OneMessagePerField, forms.Form):
    text = forms.CharField(
        label="补正内容",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        required=False,
    )
    file = forms.FileField(
        label="补正材料（可选）",
        required=False,
        help_text=_upload_help(uploads.APPLICANT_SUPPLEMENT),
        widget=forms.ClearableFileInput(attrs={"accept": uploads.APPLICANT_SUPPLEMENT.accept}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        return uploads.check(upload, uploads.APPLICANT_SUPPLEMENT).content if upload else None

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("text") or "").strip() and not data.get("file"):
            raise ValidationError("请填写补正内容或上传补正材料。")
        return data


class ComplaintForm(OneMessagePerField, forms.Form):
    text = forms.CharField(
        label="投诉内容",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": "请填写投诉内容。"},
    )


class WithdrawForm(OneMessagePerField, forms.Form):
    confirm = forms.BooleanField(
        label="我确认撤回该政府信息公开申请", error_messages={"required": "请勾选确认撤回。"}
    )
