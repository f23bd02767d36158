"""Public forms: the online application, the tracking lookup, supplement and complaint."""

import re
import uuid

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from stdnum.cn import ric, uscc

from applications import fields as F
from applications.models import (
    SOUGHT_FIELDS,
    ApplicantType,
    DeliveryRoute,
    IdType,
    Medium,
    OrganisationKind,
)
from disclosure import attachments
from disclosure.models import FileKind
from portal.models import PublishingUnit

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_SIGNER_SALT = "applications.form-started"
PHONE_RE = re.compile(r"^[0-9+\-() ]{7,20}$")
NUMBER_RE = re.compile(r"^YSQ-\d{4}-\d{6}$")

# The accepted proof-of-identity formats, told by content (the browser's claim is not trusted).
IDENTITY_KINDS = {FileKind.PDF, FileKind.JPG, FileKind.PNG}


def sniff(upload) -> str | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kinds = attachments.sniff(head) & IDENTITY_KINDS
    return str(kinds.pop()) if kinds else None


def validate_identity_upload(upload):
    """Image (JPEG/PNG) or PDF by content, at most 10 MB; stored under a random name."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError("文件不能超过10MB。", code="too_big")
    ext = sniff(upload)
    if ext is None:
        raise ValidationError("请上传JPG、PNG图片或PDF文件。", code="bad_type")
    if ext in ("jpg", "png"):
        from PIL import Image

        try:
            with Image.open(upload) as image:
                image.verify()
        except Exception:
            raise ValidationError("图片文件已损坏，无法打开。", code="bad_image") from None
        upload.seek(0)
    # The applicant's own file name may hold their name; keep only a random one.
    upload.name = f"{uuid.uuid4().hex}.{ext}"
    return upload


def sign_started() -> str:
    return signing.TimestampSigner(salt=_SIGNER_SALT).sign(str(int(timezone.now().timestamp())))


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


class ApplicationForm(forms.Form):
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
    id_number = forms.CharField(label=F.LABELS["id_number"], max_length=40, required=False)
    employer = forms.CharField(label=F.LABELS["employer"], max_length=100, required=False)
    person_address = forms.CharField(
        label=F.LABELS["person_address"], max_length=200, required=False
    )
    postcode = forms.CharField(label=F.LABELS["postcode"], max_length=6, required=False)
    person_phone = forms.CharField(label=F.LABELS["person_phone"], max_length=30, required=False)
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
    credit_code = forms.CharField(label=F.LABELS["credit_code"], max_length=18, required=False)
    legal_representative = forms.CharField(
        label=F.LABELS["legal_representative"], max_length=50, required=False
    )
    contact_person = forms.CharField(
        label=F.LABELS["contact_person"], max_length=50, required=False
    )
    contact_phone = forms.CharField(label=F.LABELS["contact_phone"], max_length=30, required=False)
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
        help_text="公民上传身份证件，法人或其他组织上传营业执照等证明文件；JPG、PNG或PDF，不超过10MB。",
        error_messages={"required": "请上传身份证明文件。", "empty": "上传的文件是空的。"},
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )
    declaration = forms.BooleanField(
        label=F.DECLARATION,
        error_messages={"required": "请阅读并勾选承诺。"},
    )
    # A field people never see; bots fill it in.
    website = forms.CharField(label="网址（请勿填写）", required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = PublishingUnit.objects.active().order_by("tree_id", "lft")
        self.fields["started"].initial = sign_started()
        self.spam = False

    def clean_id_document(self):
        return validate_identity_upload(self.cleaned_data["id_document"])

    def clean(self):
        data = super().clean()
        if data.get("website"):
            self.spam = True
        try:
            started = signing.TimestampSigner(salt=_SIGNER_SALT).unsign(
                data.get("started") or "", max_age=24 * 3600
            )
            too_fast = timezone.now().timestamp() - int(started) < settings.FORM_MIN_FILL_SECONDS
        except (signing.BadSignature, ValueError):
            too_fast = True
        if too_fast:
            raise ValidationError(
                "提交过快或页面已过期，请核对填写内容后再次提交。", code="too_fast"
            )
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
        number = (data.get("id_number") or "").strip().upper()
        if number and data.get("id_type") == IdType.RESIDENT_ID:
            if not ric.is_valid(number):
                self.add_error("id_number", "居民身份证号码无效，请核对18位号码及最后一位校验码。")
            data["id_number"] = number
        postcode = (data.get("postcode") or "").strip()
        if postcode and not re.fullmatch(r"\d{6}", postcode):
            self.add_error("postcode", "邮政编码应为6位数字。")
        if data.get("person_phone") and not PHONE_RE.match(data["person_phone"].strip()):
            self.add_error("person_phone", "请输入有效的电话号码。")

    def _clean_organisation(self, data):
        self._require(data, F.REQUIRED_ORGANISATION)
        code = (data.get("credit_code") or "").strip().upper()
        if code and not uscc.is_valid(code):
            self.add_error("credit_code", "统一社会信用代码无效，请核对18位代码及校验位。")
        data["credit_code"] = code
        if data.get("contact_phone") and not PHONE_RE.match(data["contact_phone"].strip()):
            self.add_error("contact_phone", "请输入有效的电话号码。")

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


class TrackForm(forms.Form):
    number = forms.CharField(
        label="申请编号",
        max_length=20,
        help_text="例如：YSQ-2026-000123",
        error_messages={"required": "请输入申请编号。"},
    )
    code = forms.CharField(
        label="查询码",
        max_length=40,
        help_text="提交申请时页面显示的12位查询码，例如：ABCD-EFGH-JKMN",
        error_messages={"required": "请输入查询码。"},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_number(self):
        number = self.cleaned_data["number"].strip().upper()
        if not NUMBER_RE.match(number):
            raise ValidationError("申请编号格式为 YSQ-年份-6位序号，例如 YSQ-2026-000123。")
        return number


class SupplementForm(forms.Form):
    text = forms.CharField(
        label="补正内容",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        required=False,
    )
    file = forms.FileField(
        label="补正材料（可选）",
        required=False,
        help_text="JPG、PNG或PDF，不超过10MB。",
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        return validate_identity_upload(upload) if upload else None

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("text") or "").strip() and not data.get("file"):
            raise ValidationError("请填写补正内容或上传补正材料。")
        return data


class ComplaintForm(forms.Form):
    text = forms.CharField(
        label="投诉内容",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": "请填写投诉内容。"},
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label="我确认撤回该政府信息公开申请", error_messages={"required": "请勾选确认撤回。"}
    )
