"""The official annual report format (国办公开办函〔2021〕30号): its tables, labels and arithmetic.

Figures are kept as a flat mapping from a cell key to a number:
- section 二: "s2.<row>.<col>" (rows regulation, normative, permit, penalty, enforcement, fee);
- section 三: "s3.<row>.<col>" with rows "new", "carried_in", the 21 result rows "1", "2",
  "3_1"…"3_8", "4_1"…"4_3", "5_1"…"5_5", "6_1"…"6_3" (the values of applications.models.Result,
  numbered as in the report), "results_total" and "carried_out", and columns person, business,
  research, nonprofit, legal, other (applications' ApplicantType/OrganisationKind values), total;
- section 四: "s4.<group>.<outcome>" with groups review, litigation_direct, litigation_after_review
  and outcomes upheld, corrected, other, pending, total;
- section 六: "s6.fees.requests" and "s6.fees.amount", the 信息处理费 collected (requests charged,
  total 元), which the format asks to be reported under 其他需要报告的事项.
"""

from dataclasses import dataclass
from decimal import Decimal

# ---- Section 二 -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SmallTable:
    title: str
    rows: tuple[tuple[str, str], ...]
    columns: tuple[tuple[str, str], ...]
    decimal: bool = False


SECTION_TWO = (
    SmallTable(
        "第二十条第（一）项",
        (("regulation", "规章"), ("normative", "行政规范性文件")),
        (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")),
    ),
    SmallTable(
        "第二十条第（五）项", (("permit", "行政许可"),), (("decisions", "本年处理决定数量"),)
    ),
    SmallTable(
        "第二十条第（六）项",
        (("penalty", "行政处罚"), ("enforcement", "行政强制")),
        (("decisions", "本年处理决定数量"),),
    ),
    SmallTable(
        "第二十条第（八）项",
        (("fee", "行政事业性收费"),),
        (("amount", "本年收费金额（单位：万元）"),),
        decimal=True,
    ),
)

# ---- Section 三 -------------------------------------------------------------------------------

APPLICANT_COLUMNS = (
    ("person", "自然人"),
    ("business", "商业企业"),
    ("research", "科研机构"),
    ("nonprofit", "社会公益组织"),
    ("legal", "法律服务机构"),
    ("other", "其他"),
)
SECTION_THREE_COLUMNS = APPLICANT_COLUMNS + (("total", "总计"),)

# (group key, group label, [(item key, item label)]); a group without items is itself a row.
RESULT_GROUPS = (
    ("1", "（一）予以公开", ()),
    ("2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ()),
    (
        "3",
        "（三）不予公开",
        (
            ("3_1", "1.属于国家秘密"),
            ("3_2", "2.其他法律行政法规禁止公开"),
            ("3_3", "3.危及“三安全一稳定”"),
            ("3_4", "4.保护第三方合法权益"),
            ("3_5", "5.属于三类内部事务信息"),
            ("3_6", "6.属于四类过程性信息"),
            ("3_7", "7.属于行政执法案卷"),
            ("3_8", "8.属于行政查询事项"),
        ),
    ),
    (
        "4",
        "（四）无法提供",
        (
            ("4_1", "1.本机关不掌握相关政府信息"),
            ("4_2", "2.没有现成信息需要另行制作"),
            ("4_3", "3.补正后申请内容仍不明确"),
        ),
    ),
    (
        "5",
        "（五）不予处理",
        (
            ("5_1", "1.信访举报投诉类申请"),
            ("5_2", "2.重复申请"),
            ("5_3", "3.要求提供公开出版物"),
            ("5_4", "4.无正当理由大量反复申请"),
            ("5_5", "5.要求行政机关确认或重新出具已获取信息"),
        ),
    ),
    (
        "6",
        "（六）其他处理",
        (
            ("6_1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            ("6_2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
            ("6_3", "3.其他"),
        ),
    ),
)
RESULT_ROWS = tuple(
    (key, label) if not items else item
    for key, label, items in RESULT_GROUPS
    for item in (items or ((key, label),))
)
SECTION_THREE_ROWS = (
    (
        ("new", "一、本年新收政府信息公开申请数量"),
        ("carried_in", "二、上年结转政府信息公开申请数量"),
    )
    + RESULT_ROWS
    + (("results_total", "（七）总计"), ("carried_out", "四、结转下年度继续办理"))
)
assert len(RESULT_ROWS) == 21 and len(SECTION_THREE_ROWS) == 25

# ---- Section 四 -------------------------------------------------------------------------------

SECTION_FOUR_GROUPS = (
    ("review", "行政复议"),
    ("litigation_direct", "行政诉讼 未经复议直接起诉"),
    ("litigation_after_review", "行政诉讼 复议后起诉"),
)
OUTCOMES = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
)
SECTION_FOUR_COLUMNS = OUTCOMES + (("total", "总计"),)

TEXT_SECTIONS = (
    ("overview", "一、总体情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other_matters", "六、其他需要报告的事项"),
)


def section_two_keys() -> list[str]:
    return [
        f"s2.{row}.{col}"
        for table in SECTION_TWO
        for row, _ in table.rows
        for col, _ in table.columns
    ]


def section_three_keys() -> list[str]:
    return [f"s3.{row}.{col}" for row, _ in SECTION_THREE_ROWS for col, _ in SECTION_THREE_COLUMNS]


def section_four_keys() -> list[str]:
    return [
        f"s4.{group}.{col}" for group, _ in SECTION_FOUR_GROUPS for col, _ in SECTION_FOUR_COLUMNS
    ]


# Section 六: the 信息处理费 collected in the year (requests whose fee was paid in it).
SECTION_SIX = (
    ("s6.fees.requests", "收取信息处理费的申请件数"),
    ("s6.fees.amount", "收取信息处理费金额（元）"),
)


def section_six_keys() -> list[str]:
    return [key for key, _ in SECTION_SIX]


ALL_KEYS = tuple(
    section_two_keys() + section_three_keys() + section_four_keys() + section_six_keys()
)
DECIMAL_KEYS = frozenset(
    [
        f"s2.{row}.{col}"
        for table in SECTION_TWO
        if table.decimal
        for row, _ in table.rows
        for col, _ in table.columns
    ]
    + ["s6.fees.amount"]
)

_ROW_LABELS = dict(SECTION_THREE_ROWS)
_COL_LABELS = dict(SECTION_THREE_COLUMNS)
_S2_LABELS = {
    f"s2.{row}.{col}": f"第二部分“{table.title}”{row_label}的“{col_label}”"
    for table in SECTION_TWO
    for row, row_label in table.rows
    for col, col_label in table.columns
}
_S4_LABELS = {
    f"s4.{group}.{col}": f"第四部分“{group_label}”的“{col_label}”"
    for group, group_label in SECTION_FOUR_GROUPS
    for col, col_label in SECTION_FOUR_COLUMNS
}

_S6_LABELS = {key: f"第六部分“{label}”" for key, label in SECTION_SIX}


def cell_label(key: str) -> str:
    """A cell's name for staff, e.g. 第三部分“（一）予以公开”行“自然人”列."""
    if key.startswith("s3."):
        _, row, col = key.split(".")
        return f"第三部分“{_ROW_LABELS[row]}”行“{_COL_LABELS[col]}”列"
    return _S2_LABELS.get(key) or _S4_LABELS.get(key) or _S6_LABELS[key]


def s3(row: str, col: str) -> str:
    return f"s3.{row}.{col}"


def empty_figures() -> dict[str, Decimal]:
    return dict.fromkeys(ALL_KEYS, Decimal(0))


def fill_totals(figures: dict[str, Decimal]) -> dict[str, Decimal]:
    """Set every 总计 cell from the cells it sums (used after computing or entering figures)."""
    result = dict(figures)
    for row, _ in SECTION_THREE_ROWS:
        if row == "results_total":
            continue
        result[s3(row, "total")] = sum(
            (result[s3(row, col)] for col, _ in APPLICANT_COLUMNS), Decimal(0)
        )
    for col, _ in SECTION_THREE_COLUMNS:
        result[s3("results_total", col)] = sum(
            (result[s3(row, col)] for row, _ in RESULT_ROWS), Decimal(0)
        )
    for group, _ in SECTION_FOUR_GROUPS:
        result[f"s4.{group}.total"] = sum(
            (result[f"s4.{group}.{col}"] for col, _ in OUTCOMES), Decimal(0)
        )
    return result


def _fmt(value: Decimal) -> str:
    value = Decimal(value)
    return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")


def validate(figures: dict[str, Decimal]) -> list[str]:
    """The arithmetic of the official tables; every message names the row and the column."""
    errors = []
    for key in ALL_KEYS:
        value = figures.get(key, Decimal(0))
        if value < 0:
            errors.append(f"{cell_label(key)}不能为负数（现为 {_fmt(value)}）。")
        elif key not in DECIMAL_KEYS and value != value.to_integral_value():
            errors.append(f"{cell_label(key)}应为整数（现为 {_fmt(value)}）。")

    def v(key):
        return figures.get(key, Decimal(0))

    def f(key):
        return _fmt(v(key))

    for col, col_label in SECTION_THREE_COLUMNS:
        results_sum = sum((v(s3(row, col)) for row, _ in RESULT_ROWS), Decimal(0))
        if v(s3("results_total", col)) != results_sum:
            errors.append(
                f"第三部分“{col_label}”列：（七）总计应等于21项办理结果之和 {_fmt(results_sum)}，现为 {f(s3('results_total', col))}。"
            )
        incoming = v(s3("new", col)) + v(s3("carried_in", col))
        outgoing = v(s3("results_total", col)) + v(s3("carried_out", col))
        if incoming != outgoing:
            errors.append(
                f"第三部分“{col_label}”列：一（本年新收 {f(s3('new', col))}）+ 二（上年结转 {f(s3('carried_in', col))}）"
                f"= {_fmt(incoming)}，应等于（七）总计 {f(s3('results_total', col))} + 四（结转下年度 {f(s3('carried_out', col))}）= {_fmt(outgoing)}。"
            )
    for row, row_label in SECTION_THREE_ROWS:
        applicants_sum = sum((v(s3(row, col)) for col, _ in APPLICANT_COLUMNS), Decimal(0))
        if v(s3(row, "total")) != applicants_sum:
            errors.append(
                f"第三部分“{row_label}”行：“总计”列应等于六类申请人之和 {_fmt(applicants_sum)}，现为 {f(s3(row, 'total'))}。"
            )
    for group, group_label in SECTION_FOUR_GROUPS:
        outcome_sum = sum((v(f"s4.{group}.{col}") for col, _ in OUTCOMES), Decimal(0))
        if v(f"s4.{group}.total") != outcome_sum:
            errors.append(
                f"第四部分“{group_label}”：“总计”应等于前四项之和 {_fmt(outcome_sum)}，现为 {f(f's4.{group}.total')}。"
            )
    return errors
