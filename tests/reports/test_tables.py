"""The official 2021 report tables: labels, totals and the arithmetic that must hold."""

from decimal import Decimal

import pytest

from disclosure.reports import tables as rf


def test_table_shapes_match_the_official_format():
    assert len(rf.SECTION_THREE_ROWS) == 25
    assert len(rf.SECTION_THREE_COLUMNS) == 7
    assert len(rf.RESULT_ROWS) == 21
    assert len(rf.section_four_keys()) == 15
    assert [label for _, label in rf.SECTION_THREE_COLUMNS] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    labels = [label for _, label in rf.SECTION_THREE_ROWS]
    assert labels[0] == "一、本年新收政府信息公开申请数量"
    assert labels[2] == "（一）予以公开"
    assert labels[-2] == "（七）总计" and labels[-1] == "四、结转下年度继续办理"
    assert "3.危及“三安全一稳定”" in labels


def consistent_figures():
    figures = rf.empty_figures()
    figures[rf.s3("new", "person")] = Decimal(10)
    figures[rf.s3("carried_in", "person")] = Decimal(2)
    figures[rf.s3("1", "person")] = Decimal(6)
    figures[rf.s3("4_1", "person")] = Decimal(3)
    figures[rf.s3("carried_out", "person")] = Decimal(3)
    figures[rf.s3("new", "legal")] = Decimal(1)
    figures[rf.s3("2", "legal")] = Decimal(1)
    figures["s4.review.upheld"] = Decimal(1)
    figures["s4.review.pending"] = Decimal(1)
    figures["s2.fee.amount"] = Decimal("1.25")
    return rf.fill_totals(figures)


def test_fill_totals_makes_a_consistent_table():
    figures = consistent_figures()
    assert figures[rf.s3("results_total", "person")] == 9
    assert figures[rf.s3("new", "total")] == 11
    assert figures[rf.s3("results_total", "total")] == 10
    assert figures["s4.review.total"] == 2
    assert rf.validate(figures) == []


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            rf.s3("results_total", "person"),
            8,
            "第三部分“自然人”列：（七）总计应等于21项办理结果之和",
        ),
        (
            rf.s3("carried_out", "person"),
            4,
            "第三部分“自然人”列：一（本年新收 10）+ 二（上年结转 2）= 12，应等于（七）总计 9 + 四（结转下年度 4）= 13",
        ),
        (
            rf.s3("new", "total"),
            12,
            "第三部分“一、本年新收政府信息公开申请数量”行：“总计”列应等于六类申请人之和 11，现为 12",
        ),
        ("s4.review.total", 3, "第四部分“行政复议”：“总计”应等于前四项之和 2，现为 3"),
        (
            "s2.permit.decisions",
            -1,
            "第二部分“第二十条第（五）项”行政许可的“本年处理决定数量”不能为负数",
        ),
        (rf.s3("1", "research"), Decimal("0.5"), "第三部分“（一）予以公开”行“科研机构”列应为整数"),
    ],
)
def test_validation_names_row_and_column(key, value, message):
    figures = consistent_figures()
    figures[key] = Decimal(value)
    errors = rf.validate(figures)
    assert any(message in error for error in errors), errors


def test_fee_amount_may_be_fractional():
    figures = consistent_figures()
    figures["s2.fee.amount"] = Decimal("0.35")
    assert rf.validate(figures) == []
