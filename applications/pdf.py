"""PDFs drawn by the server with reportlab: the blank application form and letters to applicants.

Letters embed a subset of Noto Serif CJK SC (portal.pdffont), so a name such as 王𫖮 prints as
typed on any reader. The blank form holds no personal data and is downloaded by anyone: it uses
reportlab's built-in CID font STSong-Light (the reader supplies the glyphs) and costs nothing to
draw.
"""

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from applications import fields as F
from portal.pdffont import EmbeddedFont

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=1, spaceAfter=6)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK")
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=10, leading=14, wordWrap="CJK")
SECTION = ParagraphStyle("section", fontName=FONT, fontSize=12, leading=18, spaceBefore=8)


def _doc(buffer, title, font=FONT):
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        # The canvas's opening font is Helvetica unless told: it would be listed, unembedded.
        initialFontName=font,
        title=title,
        author="政府信息公开平台",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )


def _p(text, style=CELL):
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _table(rows, widths):
    table = Table(rows, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f0f0f0")),
            ]
        )
    )
    return table


def blank_form(site_name: str = "") -> bytes:
    """The printable 政府信息公开申请表, built from the same field list as the online form."""
    buffer = io.BytesIO()
    doc = _doc(buffer, "政府信息公开申请表")
    story = [_p("政府信息公开申请表", TITLE)]
    if site_name:
        story.append(_p(site_name, ParagraphStyle("site", parent=BODY, alignment=1)))
    story.append(_p("受理单位：______________________________　　申请日期：____年__月__日", BODY))
    width = doc.width
    for title, section in F.SECTIONS:
        story.append(_p(title, SECTION))
        rows = []
        for name, label in section:
            options = F.OPTIONS.get(name)
            value = "　".join(f"□{option}" for option in options) if options else ""
            rows.append([_p(label), _p(value)])
            if name == "info_description":
                rows[-1][1] = _p("\n\n\n")
        story.append(_table(rows, [width * 0.28, width * 0.72]))
    story.append(Spacer(1, 6))
    story.append(_p("□ " + F.DECLARATION, BODY))
    story.append(
        _p(
            "请随本表附身份证明复印件（公民：身份证件；法人或其他组织：营业执照等证明文件）。"
            "申请人签名（盖章）：________________",
            BODY,
        )
    )
    story.append(
        _p(
            "说明：申请表可当面提交、邮寄或传真至受理单位政府信息公开工作机构；也可在本网站在线申请。",
            BODY,
        )
    )
    doc.build(story)
    return buffer.getvalue()


def letter(title: str, body: str, number: str) -> bytes:
    """A notice or reply letter stored as text, rendered for download with an embedded font."""
    texts = [title, f"申请编号：{number}", body]
    with EmbeddedFont("".join(texts)) as font:
        title_style = ParagraphStyle("letter-title", parent=TITLE, fontName=font)
        body_style = ParagraphStyle("letter-body", parent=BODY, fontName=font)
        buffer = io.BytesIO()
        doc = _doc(buffer, title, font)
        story = [_p(title, title_style), _p(texts[1], body_style), Spacer(1, 8)]
        for paragraph in body.split("\n\n"):
            story.append(_p(paragraph.strip(), body_style))
            story.append(Spacer(1, 6))
        doc.build(story)
    return buffer.getvalue()


RED = colors.HexColor("#c00000")


def document(doc, code: str | None = None, seal: bytes | None = None) -> bytes:
    """An official document (`applications.models.Document` with a frame) as issued.

    Layout after GB/T 9704 (党政机关公文格式) in the measure a letter needs: the unit's name in
    red over a red rule, the title, the 文号, the addressee, the body, the legal basis, for a
    decision the remedies, the contact, then the seal (image, or "（印章）") over the unit's name
    and the date. `code`: a receipt's 查询码, printed where the stored text holds its marker.
    """
    from applications.documents import CODE_MARKER

    frame = doc.frame
    # The 查询码 is printed only at the desk; later copies say where the applicant has it.
    body = doc.body.replace(CODE_MARKER, code or "（见登记时交付的受理回执）")
    lines = [
        frame["unit_name"],
        frame["title"],
        frame["number"],
        f"{frame['addressee']}：",
        body,
        f"法律依据：{frame['basis']}。" if frame.get("basis") else "",
        frame.get("remedies", ""),
        _contact(frame),
        "（印章）",
        frame["date"],
    ]
    with EmbeddedFont("".join(lines)) as font:
        styles = _styles(font)
        buffer = io.BytesIO()
        pdf = _doc(buffer, f"{frame['title']} {frame['number']}", font)
        story = [
            _p(frame["unit_name"], styles["head"]),
            HRFlowable(width="100%", thickness=1.5, color=RED, spaceBefore=2, spaceAfter=10),
            _p(frame["title"], styles["title"]),
            _p(frame["number"], styles["number"]),
            _p(f"{frame['addressee']}：", styles["addressee"]),
        ]
        story += [_p(part.strip(), styles["body"]) for part in body.split("\n\n") if part.strip()]
        for extra in lines[5:8]:
            if extra:
                story.append(_p(extra, styles["body"]))
        signature = [Spacer(1, 14)]
        if seal:
            signature.append(Image(io.BytesIO(seal), width=40 * mm, height=40 * mm, hAlign="RIGHT"))
        else:
            signature.append(_p("（印章）", styles["sign"]))
        signature += [_p(frame["unit_name"], styles["sign"]), _p(frame["date"], styles["sign"])]
        story.append(KeepTogether(signature))
        pdf.build(story)
    return buffer.getvalue()


def _contact(frame) -> str:
    parts = []
    if frame.get("contact_person"):
        parts.append(f"联系人：{frame['contact_person']}")
    if frame.get("phone"):
        parts.append(f"联系电话：{frame['phone']}")
    return "　".join(parts)


def _styles(font) -> dict:
    body = ParagraphStyle(
        "doc-body",
        fontName=font,
        fontSize=12,
        leading=22,
        firstLineIndent=24,
        spaceAfter=4,
        wordWrap="CJK",
    )
    return {
        "head": ParagraphStyle(
            "doc-head", fontName=font, fontSize=22, leading=30, alignment=1, textColor=RED
        ),
        "title": ParagraphStyle(
            "doc-title", fontName=font, fontSize=18, leading=28, alignment=1, spaceAfter=4
        ),
        "number": ParagraphStyle(
            "doc-number", fontName=font, fontSize=12, leading=20, alignment=1, spaceAfter=12
        ),
        "addressee": ParagraphStyle("doc-addressee", parent=body, firstLineIndent=0, spaceAfter=4),
        "body": body,
        "sign": ParagraphStyle(
            "doc-sign", fontName=font, fontSize=12, leading=22, alignment=2, rightIndent=12
        ),
    }
