"""The 2021 tables as an Excel workbook laid out like the official tables, and back.

Export writes one sheet: section 二's four tables, section 三 with its merged header and the three
label columns of the paper form, section 四 with its two header bands, section 六's fees collected. Import finds each section
by its heading in column A, checks every row label against the official one, and reads the
numbers; any mismatch is reported with the cell's address and nothing is saved.
"""

from decimal import Decimal, InvalidOperation
from io import BytesIO

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from disclosure.reports import presentation, tables

HEAD_TWO = "二、主动公开政府信息情况"
HEAD_THREE = "三、收到和处理政府信息公开申请情况"
HEAD_FOUR = "四、政府信息公开行政复议、行政诉讼情况"
HEAD_SIX = "六、其他需要报告的事项"
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


class SpreadsheetError(ValueError):
    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("；".join(self.messages))


def _cell(ws, row, col, value, bold=False):
    cell = ws.cell(row=row, column=col, value=value)
    cell.border = _BOX
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if bold:
        cell.font = Font(bold=True)
    return cell


def _merge(ws, row, col, text, rowspan=1, colspan=1, bold=False):
    _cell(ws, row, col, text, bold)
    for r in range(row, row + rowspan):
        for c in range(col, col + colspan):
            if (r, c) != (row, col):
                _cell(ws, r, c, None)
    if rowspan > 1 or colspan > 1:
        ws.merge_cells(
            start_row=row, start_column=col, end_row=row + rowspan - 1, end_column=col + colspan - 1
        )


def _number(value: Decimal, decimal: bool):
    return float(value) if decimal else int(value)


def export_xlsx(title: str, figures) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "年度报告数据"
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    row = 3
    ws.cell(row=row, column=1, value=HEAD_TWO).font = Font(bold=True)
    row += 1
    for table in tables.SECTION_TWO:
        _merge(ws, row, 1, table.title, colspan=4, bold=True)
        row += 1
        _cell(ws, row, 1, "信息内容", True)
        span = 3 // len(table.columns)
        for i, (_, label) in enumerate(table.columns):
            _merge(ws, row, 2 + i * span, label, colspan=span, bold=True)
        row += 1
        for row_key, row_label in table.rows:
            _cell(ws, row, 1, row_label)
            for i, (col_key, _) in enumerate(table.columns):
                _merge(
                    ws,
                    row,
                    2 + i * span,
                    _number(figures[f"s2.{row_key}.{col_key}"], table.decimal),
                    colspan=span,
                )
            row += 1
        row += 1

    ws.cell(row=row, column=1, value=HEAD_THREE).font = Font(bold=True)
    row += 1
    _merge(
        ws,
        row,
        1,
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        rowspan=3,
        colspan=3,
    )
    _merge(ws, row, 4, "申请人情况", colspan=7, bold=True)
    _merge(ws, row + 1, 4, "自然人", rowspan=2, bold=True)
    _merge(ws, row + 1, 5, "法人或其他组织", colspan=5, bold=True)
    _merge(ws, row + 1, 10, "总计", rowspan=2, bold=True)
    for i, (_, label) in enumerate(tables.APPLICANT_COLUMNS[1:]):
        _cell(ws, row + 2, 5 + i, label, True)
    row += 3
    for offset, (placements, values) in enumerate(_three_layout(figures)):
        for col, cell in placements:
            _merge(ws, row + offset, col, cell.text, rowspan=cell.rowspan, colspan=cell.colspan)
        for i, value in enumerate(values):
            _cell(ws, row + offset, 4 + i, int(value))
    row += len(tables.SECTION_THREE_ROWS)
    row += 1

    ws.cell(row=row, column=1, value=HEAD_FOUR).font = Font(bold=True)
    row += 1
    _merge(ws, row, 1, "行政复议", colspan=5, bold=True)
    _merge(ws, row, 6, "行政诉讼", colspan=10, bold=True)
    outcomes = [label for _, label in tables.SECTION_FOUR_COLUMNS]
    for i, label in enumerate(outcomes):
        _merge(ws, row + 1, 1 + i, label, rowspan=2, bold=True)
    _merge(ws, row + 1, 6, "未经复议直接起诉", colspan=5, bold=True)
    _merge(ws, row + 1, 11, "复议后起诉", colspan=5, bold=True)
    for i, label in enumerate(outcomes * 2):
        _cell(ws, row + 2, 6 + i, label, True)
    for i, value in enumerate(presentation.section_four(figures)):
        _cell(ws, row + 3, 1 + i, int(value))
    row += 5

    ws.cell(row=row, column=1, value=HEAD_SIX).font = Font(bold=True)
    for offset, (key, label) in enumerate(tables.SECTION_SIX, start=1):
        _cell(ws, row + offset, 1, label)
        _cell(ws, row + offset, 2, _number(figures[key], key in tables.DECIMAL_KEYS))

    for col in range(1, 16):
        ws.column_dimensions[get_column_letter(col)].width = 14
    ws.column_dimensions["C"].width = 36
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _three_layout(figures):
    """Section 三 rows as ([(column, Cell)], values): label cells placed around merged ones."""
    occupied: set[tuple[int, int]] = set()
    layout = []
    for r, line in enumerate(presentation.section_three(figures)):
        col, placements = 1, []
        for cell in line.labels:
            while (r, col) in occupied:
                col += 1
            placements.append((col, cell))
            occupied.update(
                (r + dr, col + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan)
            )
            col += cell.colspan
        layout.append((placements, line.values))
    return layout


def _find(ws, text: str) -> int:
    for row in range(1, ws.max_row + 1):
        value = ws.cell(row=row, column=1).value
        if isinstance(value, str) and value.strip() == text:
            return row
    raise SpreadsheetError([f"未找到标题“{text}”（应在A列），请使用本系统导出的模板。"])


def _read_number(ws, row, col, decimal, errors) -> Decimal:
    value = ws.cell(row=row, column=col).value
    address = f"{get_column_letter(col)}{row}"
    if value is None or value == "":
        return Decimal(0)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors.append(f"{address}：“{value}”不是数字。")
        return Decimal(0)
    if number < 0:
        errors.append(f"{address}：不能为负数。")
    elif not decimal and number != number.to_integral_value():
        errors.append(f"{address}：应为整数。")
    return number


def _expect(ws, row, col, expected, errors):
    value = ws.cell(row=row, column=col).value
    if (value or "").strip() != expected:
        errors.append(f"{get_column_letter(col)}{row}：应为“{expected}”，实为“{value or ''}”。")


def import_xlsx(content: bytes) -> dict[str, Decimal]:
    try:
        wb = load_workbook(BytesIO(content), data_only=True, read_only=False)
    except Exception:
        raise SpreadsheetError(["无法读取该文件，请上传 .xlsx 格式的 Excel 文件。"]) from None
    ws = wb.worksheets[0]
    errors: list[str] = []
    figures: dict[str, Decimal] = {}

    row = _find(ws, HEAD_TWO) + 1
    for table in tables.SECTION_TWO:
        _expect(ws, row, 1, table.title, errors)
        row += 2
        span = 3 // len(table.columns)
        for row_key, row_label in table.rows:
            _expect(ws, row, 1, row_label, errors)
            for i, (col_key, _) in enumerate(table.columns):
                figures[f"s2.{row_key}.{col_key}"] = _read_number(
                    ws, row, 2 + i * span, table.decimal, errors
                )
            row += 1
        row += 1

    row = _find(ws, HEAD_THREE) + 4
    layout = _three_layout(tables.empty_figures())
    for offset, ((row_key, _), (placements, _values)) in enumerate(
        zip(tables.SECTION_THREE_ROWS, layout, strict=True)
    ):
        col, cell = placements[-1]
        _expect(ws, row + offset, col, cell.text, errors)
        for i, (col_key, _) in enumerate(tables.SECTION_THREE_COLUMNS):
            figures[tables.s3(row_key, col_key)] = _read_number(
                ws, row + offset, 4 + i, False, errors
            )

    row = _find(ws, HEAD_FOUR) + 4
    for i, key in enumerate(tables.section_four_keys()):
        figures[key] = _read_number(ws, row, 1 + i, False, errors)

    row = _find(ws, HEAD_SIX)
    for offset, (key, label) in enumerate(tables.SECTION_SIX, start=1):
        _expect(ws, row + offset, 1, label, errors)
        figures[key] = _read_number(ws, row + offset, 2, key in tables.DECIMAL_KEYS, errors)
    if errors:
        raise SpreadsheetError(errors)
    return figures
