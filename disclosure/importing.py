"""Spreadsheet import and export of catalog entries (XLSX or CSV, Chinese column headers).

Import is all-or-nothing: every row is checked first and shown with its errors; only a file
without any error can be confirmed, and then all rows are saved in one transaction. Rows that
carry both 索引号 and 发布日期 come from an old system where they were already published: they
keep that number and date (the reviewer's permission is required); other rows become drafts.
"""

import csv
import datetime as dt
import io
import re

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from disclosure import index_numbers, sanitize, workflow
from disclosure.models import Category, DocumentType, Entry, EntryState, Validity

HEADERS = [
    "发布机构",
    "信息分类",
    "名称",
    "内容概述",
    "正文",
    "文号",
    "生成日期",
    "主题词",
    "文件类型",
    "有效性",
    "生效日期",
    "失效/废止日期",
    "索引号",
    "发布日期",
]
REQUIRED = ["发布机构", "信息分类", "名称", "生成日期"]
EXPORT_HEADERS = [*HEADERS, "状态"]
MAX_ROWS = 5000
MAX_BYTES = 10 * 1024 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for staff."""


def read_rows(uploaded) -> list[dict]:
    if uploaded.size > MAX_BYTES:
        raise ImportFileError("文件超过10 MB，请拆分后分批导入。")
    name = (uploaded.name or "").lower()
    data = uploaded.read()
    if name.endswith(".xlsx") or data.startswith(b"PK\x03\x04"):
        table = _xlsx_table(data)
    elif name.endswith(".csv"):
        table = _csv_table(data)
    else:
        raise ImportFileError("只能导入XLSX或CSV文件。")
    table = [row for row in table if any(str(cell or "").strip() for cell in row)]
    if not table:
        raise ImportFileError("文件是空的。")
    header = [str(cell or "").strip() for cell in table[0]]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ImportFileError(
            f"表头缺少必填列：{'、'.join(missing)}。请使用导出文件或模板中的表头。"
        )
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(f"一次最多导入{MAX_ROWS}行，请拆分文件。")
    rows = []
    for values in table[1:]:
        rows.append(
            {
                column: values[i] if i < len(values) else None
                for i, column in enumerate(header)
                if column in HEADERS
            }
        )
    return rows


def _xlsx_table(data: bytes) -> list[list]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ImportFileError("无法读取该XLSX文件，请确认文件未损坏。") from None
    sheet = workbook.worksheets[0]
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return table


def _csv_table(data: bytes) -> list[list]:
    # Excel on Chinese Windows saves CSV as GBK; newer tools use UTF-8 (with or without BOM).
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError("无法识别CSV文件的编码，请另存为UTF-8编码。")
    return list(csv.reader(io.StringIO(text)))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE.match(_text(value).split(" ")[0])
    if not match:
        raise ValueError
    return dt.date(*(int(part) for part in match.groups()))


# Earlier exports and many catalogs write the short forms.
_VALIDITY_ALIASES = {
    "有效": Validity.VALID,
    "修改": Validity.AMENDED,
    "废止": Validity.REPEALED,
    "失效": Validity.EXPIRED,
}


def _choice(enum, value, default):
    text = _text(value)
    if not text:
        return default
    if enum is Validity and text in _VALIDITY_ALIASES:
        return _VALIDITY_ALIASES[text]
    for member in enum:
        if text in (member.label, member.value):
            return member
    raise ValueError


def validate(rows: list[dict], units: dict[str, object], publishable_unit_ids: set[int]):
    """Check every row. Returns (cleaned rows, {row number: [errors]}); row 2 is the first
    data row, as staff see it in Excel."""
    categories = {}
    for category in Category.objects.all():
        categories.setdefault(category.name, category)
        categories[category.slug] = category
    seen_numbers: dict[str, int] = {}
    wanted_numbers = {_text(row.get("索引号")) for row in rows} - {""}
    taken = set(
        Entry.objects.filter(index_number__in=wanted_numbers).values_list("index_number", flat=True)
    )
    cleaned, errors = [], {}
    for number, row in enumerate(rows, start=2):
        problems = []
        unit = units.get(_text(row.get("发布机构")))
        if unit is None:
            problems.append(f"发布机构“{_text(row.get('发布机构'))}”不存在或不在您的单位范围内")
        category = categories.get(_text(row.get("信息分类")))
        if category is None:
            problems.append(f"信息分类“{_text(row.get('信息分类'))}”不存在")
        elif not category.is_active:
            problems.append(f"信息分类“{category.name}”已停用")
        title = _text(row.get("名称"))
        if not title:
            problems.append("名称不能为空")
        elif len(title) > 300:
            problems.append("名称超过300字")
        dates = {}
        for column in ("生成日期", "生效日期", "失效/废止日期", "发布日期"):
            try:
                dates[column] = _date(row.get(column))
            except (ValueError, TypeError):
                problems.append(f"{column}“{_text(row.get(column))}”格式不正确，应为YYYY-MM-DD")
                dates[column] = None
        if not dates["生成日期"] and "生成日期“" not in "".join(problems):
            problems.append("生成日期不能为空")
        try:
            document_type = _choice(DocumentType, row.get("文件类型"), DocumentType.OTHER)
        except ValueError:
            problems.append(
                f"文件类型“{_text(row.get('文件类型'))}”应为规章、行政规范性文件、政策解读或其他"
            )
            document_type = DocumentType.OTHER
        try:
            validity = _choice(Validity, row.get("有效性"), Validity.VALID)
        except ValueError:
            problems.append(
                f"有效性“{_text(row.get('有效性'))}”应为现行有效、已修改、已废止或已失效"
            )
            validity = Validity.VALID
        if validity != Validity.VALID and not dates["失效/废止日期"]:
            problems.append("有效性为已修改、已废止或已失效时必须填写失效/废止日期")
        if validity == Validity.VALID and dates["失效/废止日期"]:
            problems.append("有效的信息不应填写失效/废止日期")
        if (
            dates["生效日期"]
            and dates["失效/废止日期"]
            and dates["失效/废止日期"] < dates["生效日期"]
        ):
            problems.append("失效/废止日期不能早于生效日期")
        index_number = _text(row.get("索引号"))
        published_on = dates["发布日期"]
        if bool(index_number) != bool(published_on):
            problems.append("已发布的历史信息须同时填写索引号和发布日期；新信息两者都不填")
        if index_number:
            if len(index_number) > 80:
                problems.append("索引号超过80个字符")
            if index_number in taken:
                problems.append(f"索引号“{index_number}”已被使用")
            if index_number in seen_numbers:
                problems.append(f"索引号“{index_number}”与第{seen_numbers[index_number]}行重复")
            seen_numbers.setdefault(index_number, number)
            if unit is not None and unit.pk not in publishable_unit_ids:
                problems.append("导入已发布的信息需要该单位的审核权限")
        if published_on and published_on > timezone.localdate():
            problems.append("发布日期不能晚于今天")
        for column, limit in (("文号", 100), ("主题词", 200)):
            if len(_text(row.get(column))) > limit:
                problems.append(f"{column}超过{limit}个字符")
        if problems:
            errors[number] = problems
            continue
        cleaned.append(
            {
                "row": number,
                "unit_id": unit.pk,
                "category_id": category.pk,
                "title": title,
                "summary": _text(row.get("内容概述")),
                "body": _text(row.get("正文")),
                "document_number": _text(row.get("文号")),
                "made_on": dates["生成日期"].isoformat(),
                "keywords": _text(row.get("主题词")),
                "document_type": str(document_type),
                "validity": str(validity),
                "valid_from": dates["生效日期"].isoformat() if dates["生效日期"] else None,
                "invalid_from": dates["失效/废止日期"].isoformat()
                if dates["失效/废止日期"]
                else None,
                "index_number": index_number,
                "published_on": published_on.isoformat() if published_on else None,
            }
        )
    return cleaned, errors


def save(cleaned: list[dict], actor) -> list[Entry]:
    """Save all rows or none."""
    created = []
    with transaction.atomic():
        for row in cleaned:
            body = row["body"]
            if body and "<" not in body:
                body = "".join(f"<p>{line}</p>" for line in body.splitlines() if line.strip())
            entry = Entry(
                unit_id=row["unit_id"],
                category_id=row["category_id"],
                title=row["title"],
                summary=row["summary"],
                body=sanitize.clean_html(body),
                document_number=row["document_number"],
                made_on=dt.date.fromisoformat(row["made_on"]),
                keywords=row["keywords"],
                document_type=row["document_type"],
                validity=row["validity"],
                valid_from=dt.date.fromisoformat(row["valid_from"]) if row["valid_from"] else None,
                invalid_from=dt.date.fromisoformat(row["invalid_from"])
                if row["invalid_from"]
                else None,
                created_by=actor,
            )
            entry.full_clean(exclude=["due_on", "body"])
            entry.save()
            workflow.record_creation(entry, actor)
            if row["index_number"]:
                entry.index_number = row["index_number"]
                Entry.objects.filter(pk=entry.pk).update(index_number=row["index_number"])
                published = timezone.make_aware(
                    dt.datetime.combine(dt.date.fromisoformat(row["published_on"]), dt.time(9))
                )
                workflow.publish_directly(entry, actor, published, "从原系统导入的已发布信息")
                index_numbers.note_taken(row["index_number"])
            created.append(entry)
    return created


def export_rows(queryset):
    yield EXPORT_HEADERS
    for entry in queryset.select_related("unit", "category").iterator(chunk_size=2000):
        yield [
            entry.unit.name,
            entry.category.name,
            entry.title,
            entry.summary,
            entry.body,
            entry.document_number,
            entry.made_on.isoformat(),
            entry.keywords,
            entry.get_document_type_display(),
            entry.get_validity_display(),
            entry.valid_from.isoformat() if entry.valid_from else "",
            entry.invalid_from.isoformat() if entry.invalid_from else "",
            entry.index_number,
            timezone.localtime(entry.published_at).date().isoformat()
            if entry.published_at and entry.state != EntryState.DRAFT
            else "",
            entry.get_state_display(),
        ]


def _safe_cell(value):
    # A cell starting with = + - @ would run as a formula in Excel (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_xlsx(queryset) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("公开信息")
    for row in export_rows(queryset):
        sheet.append([_safe_cell(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_csv(queryset) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in export_rows(queryset):
        writer.writerow([_safe_cell(value) for value in row])
    # BOM so that Excel opens the UTF-8 file with the right encoding.
    return ("\ufeff" + out.getvalue()).encode("utf-8")
