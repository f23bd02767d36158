from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from disclosure.reports import tables
from disclosure.reports.legacy import LegacyReportError, parse_legacy_report
from portal.models import PublishingUnit

MAX_TEXT_UPLOAD = 2 * 1024 * 1024


def _field_name(key: str) -> str:
    return "v_" + key.replace(".", "__")


def _reason_name(key: str) -> str:
    return "r_" + key.replace(".", "__")


class FiguresForm(forms.Form):
    """Every cell of the 2021 tables; a cell computed from data may be overridden with a reason."""

    def __init__(self, *args, figures=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.figures = {figure.key: figure for figure in figures or []}
        for key in tables.ALL_KEYS:
            figure = self.figures.get(key)
            decimal = key in tables.DECIMAL_KEYS
            self.fields[_field_name(key)] = forms.DecimalField(
                label=tables.cell_label(key),
                min_value=0,
                max_digits=14,
                decimal_places=4 if decimal else 0,
                initial=(figure.value if figure else Decimal(0)).normalize()
                if decimal
                else int(figure.value if figure else 0),
                error_messages={
                    "min_value": "不能为负数。",
                    "invalid": "请输入数字。",
                    "required": "请填写数字（没有则填0）。",
                    "max_decimal_places": "应为整数。" if not decimal else "最多4位小数。",
                },
                widget=forms.NumberInput(attrs={"step": "0.0001" if decimal else "1", "min": "0"}),
            )
            if figure is not None and figure.computed is not None:
                self.fields[_reason_name(key)] = forms.CharField(
                    label=f"{tables.cell_label(key)}的调整原因",
                    required=False,
                    max_length=300,
                    initial=figure.reason,
                )

    def value_field(self, key):
        return self[_field_name(key)]

    def reason_field(self, key):
        name = _reason_name(key)
        return self[name] if name in self.fields else None

    def clean(self):
        cleaned = super().clean()
        for key, figure in self.figures.items():
            if figure.computed is None:
                continue
            value = cleaned.get(_field_name(key))
            reason = (cleaned.get(_reason_name(key)) or "").strip()
            if value is not None and value != figure.computed and not reason:
                self.add_error(
                    _reason_name(key),
                    f"{tables.cell_label(key)}与计算值 {figure.computed.normalize():f} 不同，请填写调整原因。",
                )
        return cleaned

    def values(self) -> dict[str, tuple[Decimal, str]]:
        result = {}
        for key in tables.ALL_KEYS:
            value = self.cleaned_data[_field_name(key)]
            reason = (self.cleaned_data.get(_reason_name(key)) or "").strip()
            figure = self.figures.get(key)
            if figure is not None and figure.computed is not None and value == figure.computed:
                reason = ""
            result[key] = (value, reason)
        return result


class LegacyImportForm(forms.Form):
    unit = forms.ModelChoiceField(label="发布单位", queryset=PublishingUnit.objects.none())
    catalog_unit = forms.ModelChoiceField(
        label="所在信息公开目录",
        queryset=PublishingUnit.objects.none(),
        required=False,
        help_text="留空为发布单位本身。",
    )
    year = forms.IntegerField(label="年度", min_value=2008, max_value=2100)
    file = forms.FileField(
        label="年报文本文件",
        help_text="从政府网站保存的年报页面文本（UTF-8 或 GB18030 编码的 .txt）。",
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["catalog_unit"].queryset = units

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_TEXT_UPLOAD:
            raise ValidationError("文件过大（上限2MB）。")
        raw = upload.read()
        if b"\x00" in raw:
            raise ValidationError("该文件不是文本文件。")
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError("无法识别文件编码，请另存为 UTF-8 文本。")
        try:
            self.parsed = parse_legacy_report(text)
        except LegacyReportError as error:
            raise ValidationError(str(error)) from None
        return upload


class XlsxImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")
