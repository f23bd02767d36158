"""Read an annual report saved as text from a government web page (pre-2021 free-text reports).

The text carries the page's furniture around the report: 返回… links, the 当前位置 line, and a
footer with address, sponsor, ICP and 公安备案 numbers. `parse_legacy_report` drops that, takes
the title, 发布单位 and 发布时间, and returns the body as ordered blocks with their headings
recognised (一、 / （一） / 一是), coping with the slips of real pages such as a heading printed as
"()" without its number.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from html import escape

CN_DIGITS = "一二三四五六七八九十"

# Page furniture: navigation above the title, footer lines below the body.
_NAV_LINE = re.compile(r"^(返回.*首页.*|当前位置[:：].*)$")
_FOOTER_LINE = re.compile(
    r"(ICP备|公网安备|技术支持[:：]|主办\s|^地址[:：].*(电话|联系)|运行维护[:：]|网站标识码)"
)
_META_LINE = re.compile(
    r"发布单位\s*[:：]\s*(?P<unit>\S+)\s+.*?发布时间\s*[:：]\s*(?P<date>\d{4}-\d{1,2}-\d{1,2})"
)
_HEADING_1 = re.compile(rf"^[{CN_DIGITS}]+、")
_HEADING_2 = re.compile(rf"^[（(]\s*(?P<num>[{CN_DIGITS}]*)\s*[)）]\s*")
_POINT = re.compile(rf"^[{CN_DIGITS}]+是")
_SPACES = re.compile(r"[\s\u3000\xa0]+")


class LegacyReportError(ValueError):
    """The text does not look like a report page; the message is for staff, in Chinese."""


@dataclass
class Block:
    kind: str  # "title", "h2", "h3", "point" or "p"
    text: str  # the whole line as printed (a missing heading number restored)
    lead: str = ""  # for a run-in heading or point: its first sentence


@dataclass
class LegacyReport:
    title: str
    unit_name: str
    published: dt.date
    blocks: list[Block] = field(default_factory=list)

    def to_html(self) -> str:
        parts = []
        for block in self.blocks:
            rest = block.text[len(block.lead) :]
            if block.kind == "title":
                parts.append(f"<p><strong>{escape(block.text)}</strong></p>")
            elif block.kind == "h2":
                parts.append(f"<h2>{escape(block.text)}</h2>")
            elif block.kind == "h3":
                # A run-in heading: （一）标题。 followed by its paragraph on the same line.
                parts.append(f"<h3>{escape(block.lead)}</h3>")
                if rest:
                    parts.append(f"<p>{escape(rest)}</p>")
            elif block.kind == "point":
                parts.append(f"<p><strong>{escape(block.lead)}</strong>{escape(rest)}</p>")
            else:
                parts.append(f"<p>{escape(block.text)}</p>")
        return "\n".join(parts)

    def paragraphs(self) -> list[str]:
        return [block.text for block in self.blocks]


def _lead(text: str) -> str:
    """The first sentence, up to and including its 。, or the whole text."""
    head, sep, _ = text.partition("。")
    return head + sep if sep else text


def _clean(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def _numeral(n: int) -> str:
    if n <= 10:
        return CN_DIGITS[n - 1]
    tens, ones = divmod(n, 10)
    return (CN_DIGITS[tens - 1] if tens > 1 else "") + "十" + (CN_DIGITS[ones - 1] if ones else "")


def _numeral_value(text: str) -> int | None:
    for n in range(1, 100):
        if _numeral(n) == text:
            return n
    return None


def parse_legacy_report(text: str) -> LegacyReport:
    lines = [_clean(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    meta_index = next((i for i, line in enumerate(lines) if _META_LINE.search(line)), None)
    if meta_index is None:
        raise LegacyReportError(
            "未找到“发布单位：… 发布时间：YYYY-MM-DD”一行，无法识别为年报页面。"
        )
    match = _META_LINE.search(lines[meta_index])
    try:
        published = dt.date.fromisoformat(
            "-".join(
                part.zfill(2) if i else part for i, part in enumerate(match["date"].split("-"))
            )
        )
    except ValueError:
        raise LegacyReportError(f"发布时间“{match['date']}”不是有效日期。") from None

    title_lines = [line for line in lines[:meta_index] if not _NAV_LINE.match(line)]
    if not title_lines:
        raise LegacyReportError("发布单位一行之前未找到年报标题。")
    title = title_lines[-1]

    body = lines[meta_index + 1 :]
    # The footer is the run of furniture lines at the very end.
    end = len(body)
    while end > 0 and _FOOTER_LINE.search(body[end - 1]):
        end -= 1
    body = body[:end]
    if not body:
        raise LegacyReportError("未找到年报正文。")

    blocks: list[Block] = []
    # Pages often repeat the title at the top of the body, broken over lines.
    joined = ""
    for count, line in enumerate(body[:4], start=1):
        joined += line.replace(" ", "")
        if joined == title.replace(" ", ""):
            blocks.extend(Block("title", title_line) for title_line in body[:count])
            body = body[count:]
            break
    last_sub = 0  # number of the last （一） heading within the current 一、 section
    for line in body:
        if _HEADING_1.match(line):
            blocks.append(Block("h2", line))
            last_sub = 0
            continue
        heading = _HEADING_2.match(line)
        if heading:
            number = _numeral_value(heading["num"]) if heading["num"] else None
            if number is None:
                # A heading printed without its number ("()"): it is the next one in sequence.
                number = last_sub + 1
                line = line.replace("()", f"({_numeral(number)})", 1).replace(
                    "（）", f"（{_numeral(number)}）", 1
                )
                line = re.sub(r"^([（(][^)）]*[)）])\s+", r"\1", line)
            last_sub = number
            blocks.append(Block("h3", line, _lead(line)))
            continue
        if _POINT.match(line):
            blocks.append(Block("point", line, _lead(line)))
        else:
            blocks.append(Block("p", line))
    return LegacyReport(title=title, unit_name=match["unit"], published=published, blocks=blocks)
