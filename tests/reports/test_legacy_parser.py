"""Import of a free-text annual report saved from a government page."""

import datetime as dt

import pytest

from disclosure.reports.legacy import LegacyReportError, parse_legacy_report
from tests.reports.conftest import SEED, original_paragraphs


def test_seed_report_title_unit_and_date():
    report = parse_legacy_report(SEED.read_text(encoding="utf-8"))
    assert report.title == "安庆市人民政府政务服务中心2016年度政务公开年报"
    assert report.unit_name == "市政务服务中心"
    assert report.published == dt.date(2017, 5, 22)


def test_seed_report_keeps_every_paragraph_in_order():
    report = parse_legacy_report(SEED.read_text(encoding="utf-8"))
    expected = original_paragraphs()
    # The one imperfection of the page: the fourth heading lost its number.
    expected = [line.replace("() ", "(四)") if line.startswith("()") else line for line in expected]
    assert report.paragraphs() == expected
    assert len(expected) == 25


def test_seed_report_headings_are_recognised():
    report = parse_legacy_report(SEED.read_text(encoding="utf-8"))
    kinds = [(block.kind, block.lead or block.text) for block in report.blocks]
    assert [text for kind, text in kinds if kind == "h2"] == [
        "一、主要做法和成效",
        "二、存在的主要问题",
        "三、下一步工作打算",
    ]
    assert [text for kind, text in kinds if kind == "h3"] == [
        "(一)高度重视政务公开工作。",
        "(二)丰富政务公开形式。",
        "(三)规范申请公开办理,满足特殊群体信息需求。",
        "(四)强化指导督促,不断提高系统运行整体能力。",
        "(一)创新政务公开方式。",
        "(二)完善相关制度建设。",
        "(三)深化政务服务功能。",
    ]
    points = [text for kind, text in kinds if kind == "point"]
    assert points[0] == "一是以服务窗口为载体公开政务信息。" and len(points) == 10
    assert [text for kind, text in kinds if kind == "title"] == [
        "安庆市人民政府政务服务中心2016年度",
        "政务公开年报",
    ]


def test_page_furniture_is_dropped():
    report = parse_legacy_report(SEED.read_text(encoding="utf-8"))
    html = report.to_html()
    for furniture in (
        "返回政府网首页",
        "当前位置",
        "皖ICP备",
        "公网安备",
        "技术支持",
        "振风大道100号",
    ):
        assert furniture not in html


def test_html_is_escaped():
    text = "标题\n发布单位:某单位 发布时间:2018-01-05\n一、<script>alert(1)</script>\n正文&内容"
    html = parse_legacy_report(text).to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html and "正文&amp;内容" in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("没有发布信息的文本\n正文", "未找到“发布单位"),
        ("标题\n发布单位:某单位 发布时间:2018-02-30\n正文", "不是有效日期"),
        ("发布单位:某单位 发布时间:2018-02-03\n正文", "未找到年报标题"),
        ("标题\n发布单位:某单位 发布时间:2018-02-03\n皖ICP备05003765号", "未找到年报正文"),
    ],
)
def test_bad_pages_are_refused_with_a_chinese_message(text, message):
    with pytest.raises(LegacyReportError, match=message):
        parse_legacy_report(text)


def test_full_width_punctuation_and_missing_numbers():
    text = (
        "某局2018年政府信息公开工作年度报告\n发布单位：某局　发布时间：2019-3-5\n"
        "一、概述\n（一）第一项。内容。\n（） 第二项。内容。\n二、问题\n正文。"
    )
    report = parse_legacy_report(text)
    assert report.published == dt.date(2019, 3, 5)
    assert [b.lead for b in report.blocks if b.kind == "h3"] == ["（一）第一项。", "（二）第二项。"]
