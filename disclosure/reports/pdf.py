"""PDF of an annual report, drawn with reportlab.

The text uses reportlab's built-in CID font STSong-Light (Adobe-GB1): every PDF reader ships the
matching font, so Chinese renders and can be extracted without embedding a font file.
"""

from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
CONTENT_WIDTH = A4[0] - 36 * mm
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

_BASE = ParagraphStyle(
    "base", fontName=FONT, fontSize=10.5, leading=17, wordWrap="CJK", firstLineIndent=21
)
STYLES = {
    "title": ParagraphStyle(
        "title", parent=_BASE, fontSize=16, leading=24, alignment=TA_CENTER, firstLineIndent=0
    ),
    "meta": ParagraphStyle(
        "meta",
        parent=_BASE,
        fontSize=9.5,
        alignment=TA_CENTER,
        firstLineIndent=0,
        textColor=colors.HexColor("#444444"),
    ),
    "h2": ParagraphStyle(
        "h2", parent=_BASE, fontSize=13, leading=20, spaceBefore=8, spaceAfter=4, firstLineIndent=0
    ),
    "h3": ParagraphStyle(
        "h3", parent=_BASE, fontSize=11.5, leading=18, spaceBefore=4, firstLineIndent=0
    ),
    "p": _BASE,
    "center": ParagraphStyle("center", parent=_BASE, alignment=TA_CENTER, firstLineIndent=0),
    "cell": ParagraphStyle("cell", parent=_BASE, fontSize=8.5, leading=11, firstLineIndent=0),
    "caption": ParagraphStyle(
        "caption", parent=_BASE, fontSize=10, firstLineIndent=0, spaceBefore=6
    ),
}


@dataclass
class PdfTable:
    """A table: rows of cell texts; `spans` are ((col, row), (col, row)) pairs as in reportlab."""

    rows: list[list[str]]
    header_rows: int = 1
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    col_widths: list[float] | None = None
    caption: str = ""


class _Blocks(HTMLParser):
    """Sanitised report HTML to (style, text) blocks: headings, paragraphs, list items."""

    BLOCK_TAGS = {
        "h1": "h2",
        "h2": "h2",
        "h3": "h3",
        "h4": "h3",
        "p": "p",
        "li": "p",
        "td": "p",
        "th": "p",
    }

    def __init__(self):
        super().__init__()
        self.blocks: list[tuple[str, str]] = []
        self._style = "p"
        self._text: list[str] = []

    def _flush(self):
        text = "".join(self._text).strip()
        if text:
            self.blocks.append((self._style, text))
        self._text = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCK_TAGS:
            self._flush()
            self._style = self.BLOCK_TAGS[tag]
            if ("class", "doc-title") in attrs:
                self._style = "center"
        elif tag in ("strong", "b"):
            self._text.append("<b>")
        elif tag == "br":
            self._text.append("<br/>")

    def handle_endtag(self, tag):
        if tag in self.BLOCK_TAGS:
            self._flush()
            self._style = "p"
        elif tag in ("strong", "b"):
            self._text.append("</b>")

    def handle_data(self, data):
        self._text.append(escape(data))


def html_blocks(html: str) -> list[tuple[str, str]]:
    parser = _Blocks()
    parser.feed(html or "")
    parser.close()
    parser._flush()
    return parser.blocks


def render_pdf(title: str, meta: str, parts: list, accessible_url: str = "") -> bytes:
    """`parts`: ("h2" | "h3" | "p", text), ("html", sanitised html) or a PdfTable, in order.

    reportlab writes no structure tags, so the PDF carries its language and title and, with
    `accessible_url`, says where the accessible version (the HTML page) is.
    """
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=meta,
        subject=title,
        lang="zh-CN",
        displayDocTitle=True,
    )
    story = [
        Paragraph(escape(title), STYLES["title"]),
        Paragraph(escape(meta), STYLES["meta"]),
    ]
    if accessible_url:
        note = f"本PDF文件为打印版，未加无障碍标记；读屏软件用户请访问网页版：{accessible_url}"
        story.append(Paragraph(escape(note), STYLES["meta"]))
    story.append(Spacer(1, 6 * mm))
    for part in parts:
        if isinstance(part, PdfTable):
            story.extend(_table(part, doc.width))
        elif part[0] == "html":
            story.extend(Paragraph(text, STYLES[style]) for style, text in html_blocks(part[1]))
        else:
            story.append(Paragraph(escape(part[1]), STYLES[part[0]]))
    doc.build(story, onLaterPages=_page_number, onFirstPage=_page_number)
    return buffer.getvalue()


def _table(table: PdfTable, width: float) -> list:
    cells = [[Paragraph(escape(str(text)), STYLES["cell"]) for text in row] for row in table.rows]
    columns = len(table.rows[0])
    widths = table.col_widths or [width / columns] * columns
    flow = Table(cells, colWidths=widths, repeatRows=table.header_rows)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, table.header_rows - 1), colors.HexColor("#eeeeee")),
    ]
    style += [("SPAN", start, end) for start, end in table.spans]
    flow.setStyle(TableStyle(style))
    parts = [Paragraph(escape(table.caption), STYLES["caption"])] if table.caption else []
    return [*parts, flow, Spacer(1, 4 * mm)]


def _page_number(canvas, doc):
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.drawCentredString(A4[0] / 2, 10 * mm, f"第 {doc.page} 页")
    canvas.restoreState()
