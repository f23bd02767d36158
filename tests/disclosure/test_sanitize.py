import pytest

from disclosure.models import Entry
from disclosure.sanitize import clean_html

WORD_PASTE = """
<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><title>文档标题泄露</title>
<style>p.MsoNormal { margin:0 } body { display:none }</style>
<xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml></head>
<body lang=ZH-CN style='tab-interval:21.0pt'>
<!--[if gte mso 9]><o:shapedefaults v:ext="edit" spidmax="1026"/><![endif]-->
<h1 style='mso-margin-top-alt:auto'>一、总体情况</h1>
<p class=MsoNormal style='text-indent:2em'><b>重点工作</b>：<span style='font-family:宋体'>依法公开</span><o:p></o:p></p>
<ul><li class=MsoListParagraph>主动公开</li><li>依申请公开</li></ul>
<ol start="3"><li>第三项</li></ol>
<table class=MsoTableGrid border=1 style='border-collapse:collapse'>
<tr><td colspan=2 width=200 style='background:red'>合计</td><td onclick="steal()">3</td></tr></table>
<p onmouseover="alert(1)">悬停<a href="javascript:alert(1)">恶意链接</a><a href="https://www.gov.cn/">中国政府网</a></p>
<script>alert('x')</script><img src=x onerror=alert(1)><iframe src="https://evil.example"></iframe>
</body></html>
"""


def test_word_paste_keeps_structure():
    html = clean_html(WORD_PASTE)
    for kept in (
        "<h2>一、总体情况</h2>",
        "<b>重点工作</b>",
        "依法公开",
        "<ul><li>主动公开</li><li>依申请公开</li></ul>",
        '<ol start="3">',
        "<table>",
        '<td colspan="2">合计</td>',
        '<a href="https://www.gov.cn/" rel="noopener noreferrer">中国政府网</a>',
    ):
        assert kept in html, kept


def test_word_paste_loses_scripts_styles_and_handlers():
    html = clean_html(WORD_PASTE)
    for gone in (
        "<script",
        "alert",
        "<style",
        "display:none",
        "onclick",
        "onmouseover",
        "onerror",
        "javascript:",
        "style=",
        "class=",
        "<iframe",
        "<img",
        "mso",
        "文档标题泄露",
        "WordDocument",
        "<o:p>",
        "<h1",
    ):
        assert gone not in html, gone


@pytest.mark.django_db
def test_sanitised_on_every_save(unit_a, category):
    entry = Entry.objects.create(
        unit=unit_a,
        category=category,
        title="t",
        made_on="2024-01-02",
        body='<p onclick="x()">正文</p><script>bad()</script>',
    )
    entry.refresh_from_db()
    assert entry.body == "<p>正文</p>"
