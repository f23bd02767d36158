"""The official tables laid out for display: merged header cells and row labels as on paper.

One structure feeds the HTML page (templates/reports/includes/tables.html) and the PDF.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from disclosure.reports import tables
from disclosure.reports.pdf import PdfTable


@dataclass
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Row:
    labels: list[Cell]
    values: list[str] = field(default_factory=list)


def number(value: Decimal | int | None, decimal: bool = False) -> str:
    """Blank cells print as 0; counts without decimals, amounts without trailing zeros."""
    value = Decimal(value or 0)
    if not decimal:
        return str(int(value))
    text = format(value.normalize(), "f")
    return text


def section_two(figures) -> list[dict]:
    result = []
    for table in tables.SECTION_TWO:
        rows = [
            Row(
                [Cell(row_label)],
                [number(figures[f"s2.{row}.{col}"], table.decimal) for col, _ in table.columns],
            )
            for row, row_label in table.rows
        ]
        result.append(
            {"title": table.title, "columns": [label for _, label in table.columns], "rows": rows}
        )
    return result


def section_three(figures) -> list[Row]:
    def values(row_key):
        return [number(figures[tables.s3(row_key, col)]) for col, _ in tables.SECTION_THREE_COLUMNS]

    rows = [
        Row([Cell(tables.SECTION_THREE_ROWS[0][1], colspan=3)], values("new")),
        Row([Cell(tables.SECTION_THREE_ROWS[1][1], colspan=3)], values("carried_in")),
    ]
    result_rows = len(tables.RESULT_ROWS) + 1  # the 21 results and （七）总计
    first = True
    for group_key, group_label, items in tables.RESULT_GROUPS:
        lead = [Cell("三、本年度办理结果", rowspan=result_rows)] if first else []
        first = False
        if not items:
            rows.append(Row([*lead, Cell(group_label, colspan=2)], values(group_key)))
            continue
        for index, (item_key, item_label) in enumerate(items):
            labels = [*lead, Cell(group_label, rowspan=len(items))] if index == 0 else []
            rows.append(Row([*labels, Cell(item_label)], values(item_key)))
            lead = []
    rows.append(Row([Cell("（七）总计", colspan=2)], values("results_total")))
    rows.append(Row([Cell(tables.SECTION_THREE_ROWS[-1][1], colspan=3)], values("carried_out")))
    return rows


def section_four(figures) -> list[str]:
    return [
        number(figures[f"s4.{group}.{col}"])
        for group, _ in tables.SECTION_FOUR_GROUPS
        for col, _ in tables.SECTION_FOUR_COLUMNS
    ]


def report_tables(figures) -> dict:
    return {
        "two": section_two(figures),
        "three": section_three(figures),
        "three_columns": tables.SECTION_THREE_COLUMNS,
        "four": section_four(figures),
        "outcomes": [label for _, label in tables.SECTION_FOUR_COLUMNS],
        "fees": fees_sentence(figures),
    }


def fees_sentence(figures) -> str:
    """Section 六's statement of the 信息处理费 collected, from the register."""
    requests = figures.get("s6.fees.requests", Decimal(0))
    if not requests:
        return "本年度未收取信息处理费。"
    amount = number(figures.get("s6.fees.amount", Decimal(0)), decimal=True)
    return f"本年度对{number(requests)}件政府信息公开申请收取信息处理费，共计{amount}元。"


# ---- PDF --------------------------------------------------------------------------------------


def pdf_tables(figures, width: float) -> dict[str, list[PdfTable]]:
    """The same tables for reportlab: label columns first, spans as (col, row) pairs."""
    two = []
    for block in section_two(figures):
        header = ["信息内容", *block["columns"]]
        rows = [[row.labels[0].text, *row.values] for row in block["rows"]]
        two.append(PdfTable(rows=[header, *rows], caption=block["title"]))

    # Section 三: 3 label columns + 7 value columns; 3 header rows.
    grid = [
        [
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            "",
            "",
            "申请人情况",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
    ]
    spans = [
        ((0, 0), (2, 2)),
        ((3, 0), (9, 0)),
        ((3, 1), (3, 2)),
        ((4, 1), (8, 1)),
        ((9, 1), (9, 2)),
    ]
    occupied: dict[int, set[int]] = {}
    for row in section_three(figures):
        r = len(grid)
        line = [""] * 3
        col = 0
        for cell in row.labels:
            while col in occupied.get(r, set()):
                col += 1
            line[col] = cell.text
            if cell.colspan > 1 or cell.rowspan > 1:
                spans.append(((col, r), (col + cell.colspan - 1, r + cell.rowspan - 1)))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    occupied.setdefault(r + dr, set()).add(col + dc)
            col += cell.colspan
        grid.append(line + row.values)
    label_w = [width * 0.09, width * 0.13, width * 0.28]
    value_w = [(width - sum(label_w)) / 7] * 7
    three = PdfTable(rows=grid, header_rows=3, spans=spans, col_widths=label_w + value_w)

    head1 = ["行政复议", "", "", "", "", "行政诉讼", "", "", "", "", "", "", "", "", ""]
    head2 = [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
        "未经复议直接起诉",
        "",
        "",
        "",
        "",
        "复议后起诉",
        "",
        "",
        "",
        "",
    ]
    outcome_labels = [label for _, label in tables.SECTION_FOUR_COLUMNS]
    head3 = ["", "", "", "", "", *outcome_labels, *outcome_labels]
    four_spans = [((0, 0), (4, 0)), ((5, 0), (14, 0)), ((5, 1), (9, 1)), ((10, 1), (14, 1))]
    four_spans += [((c, 1), (c, 2)) for c in range(5)]
    four = PdfTable(
        rows=[head1, head2, head3, section_four(figures)], header_rows=3, spans=four_spans
    )
    return {"two": two, "three": [three], "four": [four]}
