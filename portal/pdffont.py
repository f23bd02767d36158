"""The font embedded in the platform's official PDFs (告知书, 受理回执...).

A letter with a misprinted name is void, so the PDF carries its own glyphs: a subset of Noto Serif
CJK SC (Debian's fonts-noto-cjk, installed by the Makefile and CI), which covers the 8,105
characters of the 通用规范汉字表 including those outside the basic block, such as 𫖮 (U+2B5AE) and
𠮷 (U+20BB7). The font ships with PostScript (CFF) outlines, which reportlab cannot embed, so each
document's characters are cut out with fontTools and their outlines converted to TrueType
quadratics (cu2qu) first: a few kilobytes per letter. Input that the font cannot print is refused
where it is typed (`missing_characters`), never replaced by another glyph.
"""

import io
import itertools
import logging
import threading
import unicodedata
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont as ReportlabTTFont

FAMILY = "Noto Serif CJK SC"
# Printed in every document's frame besides what the template supplies.
ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "（）〔〕【】《》“”‘’：；，。、？！—…·□"
_names = itertools.count(1)
_lock = threading.Lock()
# fontTools reports every subset step at INFO, glyph lists included: minutes of log per letter.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def _font_file() -> str:
    return settings.PDF_FONT_FILE


@lru_cache(maxsize=1)
def _font_number() -> int:
    """Which font of the collection is the Simplified Chinese one."""
    path = _font_file()
    try:
        if not path.lower().endswith((".ttc", ".otc")):
            return -1
        collection = TTCollection(path, lazy=True)
    except OSError as error:
        raise ImproperlyConfigured(
            f"PDF字体文件 {path} 无法读取（请安装 fonts-noto-cjk 或设置 PDF_FONT_FILE）：{error}"
        ) from error
    for number, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == FAMILY:
            return number
    raise ImproperlyConfigured(f"PDF字体文件 {path} 中没有 {FAMILY}。")


def _open(lazy=False) -> TTFont:
    number = _font_number()
    if number < 0:
        return TTFont(_font_file(), lazy=lazy)
    return TTFont(_font_file(), fontNumber=number, lazy=lazy)


@lru_cache(maxsize=1)
def covered() -> frozenset[int]:
    """The code points the font can print."""
    return frozenset(_open(lazy=True).getBestCmap())


def missing_characters(text: str) -> list[str]:
    """Characters of `text` the documents could not print (each once, in order of appearance).

    Line breaks and spaces are layout, not glyphs; anything else the font lacks (an emoji, a rare
    character outside the font) is reported so the form can refuse it.
    """
    missing = []
    have = covered()
    for char in text:
        if char in "\r\n\t" or unicodedata.category(char) == "Zs":
            continue
        if ord(char) not in have and char not in missing:
            missing.append(char)
    return missing


def refuse_message(missing: list[str]) -> str:
    shown = "、".join(f"“{c}”（U+{ord(c):04X}）" for c in missing[:5])
    return (
        f"包含无法在正式文书中准确打印的字符：{shown}。"
        "请改用规范汉字书写，或将该字拆分说明（例如“上吉下土”），以免文书上的名称出错。"
    )


DROPPED_TABLES = ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]


def _subset_ttf(text: str) -> bytes:
    """A TrueType-outline font holding exactly the glyphs `text` needs."""
    font = _open()
    # Dropped unread: decompiling the layout tables only to discard them costs seconds.
    for tag in DROPPED_TABLES:
        if tag in font:
            del font[tag]
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += DROPPED_TABLES
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(c) for c in text})
    subsetter.subset(font)
    if "CFF " in font:
        _cff_to_glyf(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _cff_to_glyf(font: TTFont) -> None:
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        # Cubic to quadratic within 1 unit of 1000: invisible at any print size.
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    del font["CFF "]
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attribute in [
        "maxPoints",
        "maxContours",
        "maxCompositePoints",
        "maxCompositeContours",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxComponentDepth",
    ]:
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    maxp.numGlyphs = len(order)
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    font.sfntVersion = "\x00\x01\x00\x00"


class EmbeddedFont:
    """A reportlab font name, registered for one document with the glyphs of `text`.

    Use as a context manager around `doc.build`. reportlab maps every font of one face name to
    the first one registered, so the registration holds a lock for the build and is dropped
    afterwards (which also keeps a long-running worker from keeping one font per letter).
    """

    def __init__(self, text: str):
        chars = "".join(sorted(set(text) | set(ALWAYS)))
        missing = missing_characters(chars)
        if missing:
            raise ValueError(refuse_message(missing))
        self.name = f"DocFont{next(_names)}"
        self._data = _subset_ttf(chars)

    def __enter__(self) -> str:
        _lock.acquire()
        try:
            self._font = ReportlabTTFont(self.name, io.BytesIO(self._data))
            pdfmetrics.registerFont(self._font)
        except BaseException:
            _lock.release()
            raise
        return self.name

    def __exit__(self, *exc):
        try:
            # No public unregister in reportlab: drop the font and its face name by hand.
            pdfmetrics._fonts.pop(self.name, None)
            if pdfmetrics._dynFaceNames.get(self._font.face.name) is self._font:
                del pdfmetrics._dynFaceNames[self._font.face.name]
        finally:
            _lock.release()


def _to_unicode_cmap(fontname, subset_codes):
    """reportlab's ToUnicode map writes a code point as 4 hex digits; one outside the basic
    block (𫖮 is U+2B5AE) must be its UTF-16 pair, or the PDF's text extracts as garbage."""
    entries = [
        f"<{i:02X}> <{chr(code).encode('utf-16-be').hex().upper()}>"
        for i, code in enumerate(subset_codes)
    ]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset_codes) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset_codes)} beginbfchar",
            *entries,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


ttfonts.makeToUnicodeCMap = _to_unicode_cmap
