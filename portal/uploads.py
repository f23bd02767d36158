"""Uploaded files are checked by their content, under one named policy per kind of file.

The type comes from the file's first bytes, never from its name or the browser's claim. Where the
uploader's file name is kept (staff replies, catalog attachments) its extension must agree with
the content, so a program renamed .pdf is refused and the name served later tells the truth. An
applicant's file gets a random name instead: theirs may hold their own name. Images are opened
with Pillow; those staff publish or send are re-encoded, which drops EXIF/GPS and other metadata
and any data hidden after the image, while an applicant's own file is kept as sent (it is their
evidence, and only staff of the unit open it).
"""

import io
import logging
import os
import threading
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.signals import request_finished
from django.db import models, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)
MB = 1024 * 1024
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
THUMBNAIL_SIZE = (320, 320)


class FileKind(models.TextChoices):
    PDF = "pdf", "PDF"
    OFD = "ofd", "OFD"
    DOC = "doc", "DOC"
    DOCX = "docx", "DOCX"
    XLS = "xls", "XLS"
    XLSX = "xlsx", "XLSX"
    WPS = "wps", "WPS"
    ZIP = "zip", "ZIP"
    JPG = "jpg", "JPG"
    PNG = "png", "PNG"


# The extensions a kind may carry; the first is the one given to a file of that kind.
EXTENSIONS = {
    FileKind.PDF: ("pdf",),
    FileKind.OFD: ("ofd",),
    FileKind.DOC: ("doc",),
    FileKind.DOCX: ("docx",),
    FileKind.XLS: ("xls",),
    FileKind.XLSX: ("xlsx",),
    FileKind.WPS: ("wps",),
    FileKind.ZIP: ("zip",),
    FileKind.JPG: ("jpg", "jpeg"),
    FileKind.PNG: ("png",),
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
IMAGES = (FileKind.JPG, FileKind.PNG)


@dataclass(frozen=True)
class UploadPolicy:
    """What one kind of file may be: its formats, its size limit and how it is named."""

    label: str
    kinds: tuple[FileKind, ...]
    max_bytes: Callable[[], int]
    # False: stored under a random name (an applicant's own file name may hold their name).
    keep_name: bool
    # Re-encode images (published or sent on); False keeps the applicant's image as sent.
    reencode: bool = True
    thumbnail: bool = False

    @property
    def kinds_label(self) -> str:
        return "、".join(FileKind(kind).label for kind in self.kinds)

    @property
    def accept(self) -> str:
        """For the file input's accept attribute."""
        return ",".join(f".{ext}" for kind in self.kinds for ext in EXTENSIONS[kind])


def _attachment_limit() -> int:
    return settings.ATTACHMENT_MAX_BYTES


_PHOTO_OR_PDF = (FileKind.JPG, FileKind.PNG, FileKind.PDF)
_DOCUMENTS = tuple(FileKind)

# The applicant's proof of identity, online or registered by staff.
IDENTITY_DOCUMENT = UploadPolicy(
    "身份证明", _PHOTO_OR_PDF, lambda: 10 * MB, keep_name=False, reencode=False
)
# What the applicant supplies after 要求补正, online or brought in and registered by staff.
APPLICANT_SUPPLEMENT = UploadPolicy(
    "补正材料", _PHOTO_OR_PDF, lambda: 10 * MB, keep_name=False, reencode=False
)
# A unit's seal printed on its official documents (applications.DocumentSettings).
SEAL_IMAGE = UploadPolicy("印章图片", IMAGES, lambda: 2 * MB, keep_name=False)
# The information disclosed with a reply, as staff prepared it.
STAFF_REPLY = UploadPolicy("公开的信息", _DOCUMENTS, _attachment_limit, keep_name=True)
# A file published with a catalog entry (ATTACHMENT_MAX_MB).
CATALOG_ATTACHMENT = UploadPolicy(
    "附件", _DOCUMENTS, _attachment_limit, keep_name=True, thumbnail=True
)


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
    if size < MB:
        return f"{size / 1024:.1f} KB"
    return f"{size / MB:.1f} MB"


def _limit_label(size: int) -> str:
    return f"{size // MB}MB" if size % MB == 0 else human_size(size)


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


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def named_for_kind(name: str, kind: str) -> str:
    """`name` with an extension that tells its real kind (the one found by content)."""
    if extension(name) in EXTENSIONS[FileKind(kind)]:
        return name
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem or 'file'}.{EXTENSIONS[FileKind(kind)][0]}"


def check(uploaded, policy: UploadPolicy, display_name: str = "") -> CheckedFile:
    """Validate one uploaded file; raise ValidationError with a message in Chinese."""
    name = os.path.basename(display_name or uploaded.name or "").strip()
    size = uploaded.size
    limit = policy.max_bytes()
    if size > limit:
        raise ValidationError(
            f"{policy.label}“{name}”大小为{human_size(size)}，超过上限，不能超过{_limit_label(limit)}。",
            code="too_large",
        )
    if size == 0:
        raise ValidationError(f"{policy.label}“{name}”是空文件。", code="empty")
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    possible = sniff(data) & set(policy.kinds)
    if not possible:
        raise ValidationError(
            f"{policy.label}“{name}”的内容不是允许的文件类型（只能上传{policy.kinds_label}）。"
            "请勿通过修改扩展名上传其他文件。",
            code="bad_type",
        )
    if policy.keep_name:
        matching = [
            kind
            for kind in policy.kinds
            if kind in possible and extension(name) in EXTENSIONS[kind]
        ]
        if not matching:
            labels = "、".join(sorted(FileKind(kind).label for kind in possible))
            raise ValidationError(
                f"{policy.label}“{name}”的内容是{labels}文件，与扩展名“.{extension(name) or '无'}”不符，"
                "请核对后重新上传。",
                code="extension_mismatch",
            )
        kind = matching[0]
        stored_name = name
    else:
        kind = next(kind for kind in policy.kinds if kind in possible)
        stored_name = f"{uuid.uuid4().hex}.{EXTENSIONS[kind][0]}"
    if kind in IMAGES:
        return _image(data, name, stored_name, kind, policy)
    return CheckedFile(
        kind=kind, name=stored_name, content=ContentFile(data, name=stored_name), size=size
    )


def _image(data: bytes, name: str, stored_name: str, kind: str, policy) -> CheckedFile:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(f"图片“{name}”已损坏或无法识别。", code="bad_image") from None
    if not policy.reencode:
        content = ContentFile(data, name=stored_name)
        return CheckedFile(kind=kind, name=stored_name, content=content, size=len(data))
    image = ImageOps.exif_transpose(image)
    fmt = "PNG" if kind == FileKind.PNG else "JPEG"
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    clean = _encode(image, fmt)
    thumbnail = None
    if policy.thumbnail:
        thumb = image.copy()
        thumb.thumbnail(THUMBNAIL_SIZE)
        stem = stored_name.rsplit(".", 1)[0]
        thumbnail = ContentFile(_encode(thumb, fmt), name=f"{stem}-thumb.{fmt.lower()}")
    return CheckedFile(
        kind=kind,
        name=stored_name,
        content=ContentFile(clean, name=stored_name),
        size=len(clean),
        thumbnail=thumbnail,
    )


def _encode(image, fmt: str) -> bytes:
    out = io.BytesIO()
    # No exif=, no pnginfo=: Pillow writes only the pixels.
    if fmt == "JPEG":
        image.save(out, format="JPEG", quality=88, optimize=True)
    else:
        image.save(out, format="PNG", optimize=True)
    return out.getvalue()


# --- files of a rolled-back transaction -----------------------------------------------------
# Storage writes are not part of the database transaction: a row created with a file and then
# rolled back leaves the file behind. Django has no on_rollback, so each file written for a new
# row inside a transaction is noted, marked by an on_commit callback (discarded by Django when
# its savepoint or transaction rolls back), and once no transaction is open any unmarked file is
# deleted: after every web request, and by `discard_rolled_back()` wherever else it is needed.
# `manage.py orphan_files` lists what escaped (a crash between the write and the rollback).

_written = threading.local()


def _note(storage, name: str) -> None:
    if not name or not transaction.get_connection().in_atomic_block:
        return  # autocommit: the row is saved already, nothing can roll it back
    try:
        # The file's own path where there is one: a test or deployment may repoint the storage.
        path = storage.path(name)
    except NotImplementedError:
        path = None
    item = {"storage": storage, "name": name, "path": path, "committed": False}
    if not hasattr(_written, "items"):
        _written.items = []
    _written.items.append(item)
    transaction.on_commit(lambda: item.update(committed=True))


def discard_rolled_back() -> list[str]:
    """Delete the noted files whose transaction did not commit; returns their names."""
    if transaction.get_connection().in_atomic_block:
        return []  # still open: it may yet commit
    items, _written.items = getattr(_written, "items", []), []
    gone = []
    for item in items:
        if item["committed"]:
            continue
        try:
            if item["path"]:
                os.remove(item["path"])
            else:
                item["storage"].delete(item["name"])
        except FileNotFoundError:
            continue
        except Exception:
            logger.warning("uploads: could not remove a file of a rolled-back transaction")
            continue
        gone.append(item["name"])
    if gone:
        logger.warning("uploads: %d file(s) of a rolled-back transaction removed", len(gone))
    return gone


# (model, field name) of every tracked FileField: `manage.py orphan_files` compares storage to them.
FILE_FIELDS: list[tuple] = []


def track_new_files(model, *field_names: str) -> None:
    """Note the files of each new `model` row (its FileFields `field_names`) as written above."""
    FILE_FIELDS.extend((model, name) for name in field_names)

    def saved(sender, instance, created, raw=False, **kwargs):
        if not created or raw:
            return
        for name in field_names:
            value = getattr(instance, name)
            if value:
                _note(value.storage, value.name)

    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"uploads-{model._meta.label}")


@receiver(request_finished, dispatch_uid="uploads-discard-rolled-back")
def _after_request(sender, **kwargs):
    discard_rolled_back()
