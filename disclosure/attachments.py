"""Attachment checks: the type comes from the file's content, never from its name alone.

A file is accepted when its first bytes are those of an allowed format and its extension agrees
with them (so a program renamed .pdf is refused). Images are re-encoded with Pillow, which drops
EXIF/GPS and other metadata and any data hidden after the image, and get a thumbnail.
"""

import io
import os
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from disclosure.models import FileKind

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
THUMBNAIL_SIZE = (320, 320)

EXTENSIONS = {
    FileKind.PDF: {"pdf"},
    FileKind.OFD: {"ofd"},
    FileKind.DOC: {"doc"},
    FileKind.DOCX: {"docx"},
    FileKind.XLS: {"xls"},
    FileKind.XLSX: {"xlsx"},
    FileKind.WPS: {"wps"},
    FileKind.ZIP: {"zip"},
    FileKind.JPG: {"jpg", "jpeg"},
    FileKind.PNG: {"png"},
}
CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.OFD: "application/ofd",
    FileKind.DOC: "application/msword",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.XLS: "application/vnd.ms-excel",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileKind.WPS: "application/vnd.ms-works",
    FileKind.ZIP: "application/zip",
    FileKind.JPG: "image/jpeg",
    FileKind.PNG: "image/png",
}
ALLOWED_LABEL = "PDF、OFD、DOC、DOCX、XLS、XLSX、WPS、ZIP、JPG、PNG"


@dataclass
class CheckedFile:
    kind: str
    name: str
    content: ContentFile
    size: int
    thumbnail: ContentFile | None = None


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _zip_kinds(data: bytes) -> set[str]:
    """What a ZIP container holds: OFD, DOCX, XLSX, or a plain archive."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return set()
    if "OFD.xml" in names:
        return {FileKind.OFD}
    if "[Content_Types].xml" in names:
        if any(name.startswith("word/") for name in names):
            return {FileKind.DOCX}
        if any(name.startswith("xl/") for name in names):
            return {FileKind.XLSX}
    return {FileKind.ZIP}


def sniff(data: bytes) -> set[str]:
    """The kinds the content can be. OLE2 files (DOC, XLS, WPS) share one signature."""
    if data.startswith(b"%PDF-"):
        return {FileKind.PDF}
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return {FileKind.PNG}
    if data.startswith(b"\xff\xd8\xff"):
        return {FileKind.JPG}
    if data.startswith(OLE2):
        return {FileKind.DOC, FileKind.XLS, FileKind.WPS}
    if data.startswith(ZIP):
        return _zip_kinds(data)
    return set()


def check_upload(uploaded, display_name: str = "") -> CheckedFile:
    """Validate one uploaded file; raise ValidationError with a message for staff in Chinese."""
    name = os.path.basename(display_name or uploaded.name or "").strip()
    size = uploaded.size
    limit = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            f"附件“{name}”大小为{human_size(size)}，超过上限{human_size(limit)}。",
            code="too_large",
        )
    if size == 0:
        raise ValidationError(f"附件“{name}”是空文件。", code="empty")
    uploaded.seek(0)
    data = uploaded.read()
    possible = sniff(data)
    if not possible:
        raise ValidationError(
            f"附件“{name}”的内容不是允许的文件类型（只能上传{ALLOWED_LABEL}）。"
            "请勿通过修改扩展名上传其他文件。",
            code="bad_type",
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    matching = [kind for kind in possible if extension in EXTENSIONS[kind]]
    if not matching:
        labels = "、".join(sorted(FileKind(kind).label for kind in possible))
        raise ValidationError(
            f"附件“{name}”的内容是{labels}文件，与扩展名“.{extension or '无'}”不符，请核对后重新上传。",
            code="extension_mismatch",
        )
    kind = matching[0]
    if kind in (FileKind.JPG, FileKind.PNG):
        return _reencode_image(data, name, kind)
    return CheckedFile(kind=kind, name=name, content=ContentFile(data, name=name), size=size)


def _reencode_image(data: bytes, name: str, kind: str) -> CheckedFile:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(f"图片“{name}”已损坏或无法识别。", code="bad_image") from None
    image = ImageOps.exif_transpose(image)
    fmt = "PNG" if kind == FileKind.PNG else "JPEG"
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    clean = _encode(image, fmt)
    thumb = image.copy()
    thumb.thumbnail(THUMBNAIL_SIZE)
    stem = name.rsplit(".", 1)[0]
    return CheckedFile(
        kind=kind,
        name=name,
        content=ContentFile(clean, name=name),
        size=len(clean),
        thumbnail=ContentFile(_encode(thumb, fmt), name=f"{stem}-thumb.{fmt.lower()}"),
    )


def _encode(image, fmt: str) -> bytes:
    out = io.BytesIO()
    # No exif=, no pnginfo=: Pillow writes only the pixels.
    if fmt == "JPEG":
        image.save(out, format="JPEG", quality=88, optimize=True)
    else:
        image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def store(attachment, checked: CheckedFile) -> None:
    """Put a checked file on an Attachment (not yet saved)."""
    attachment.kind = checked.kind
    attachment.size = checked.size
    attachment.name = attachment.name or checked.name
    attachment.file.save(checked.name, checked.content, save=False)
    if checked.thumbnail is not None:
        attachment.thumbnail.save(checked.thumbnail.name, checked.thumbnail, save=False)
