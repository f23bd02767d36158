"""Uploads are checked by content under one named policy per kind of file."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal import uploads
from portal.uploads import FileKind
from tests.disclosure.conftest import jpeg_with_exif, pdf_bytes, png_bytes


def upload(name, data):
    return SimpleUploadedFile(name, data)


def check(uploaded, policy=uploads.CATALOG_ATTACHMENT):
    return uploads.check(uploaded, policy)


def zip_with(names):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return out.getvalue()


OLE = uploads.OLE2 + b"\x00" * 512


@pytest.mark.parametrize(
    "name, data, kind",
    [
        ("通知.pdf", None, FileKind.PDF),
        ("公文.ofd", zip_with(["OFD.xml", "Doc_0/Document.xml"]), FileKind.OFD),
        ("说明.docx", zip_with(["[Content_Types].xml", "word/document.xml"]), FileKind.DOCX),
        ("统计表.xlsx", zip_with(["[Content_Types].xml", "xl/workbook.xml"]), FileKind.XLSX),
        ("旧文件.doc", OLE, FileKind.DOC),
        ("旧表格.xls", OLE, FileKind.XLS),
        ("金山.wps", OLE, FileKind.WPS),
        ("材料.zip", zip_with(["a.txt"]), FileKind.ZIP),
        ("照片.JPG", None, FileKind.JPG),
        ("图.png", None, FileKind.PNG),
    ],
)
def test_allowed_types_are_recognised_from_content(name, data, kind):
    if data is None:
        data = {FileKind.PDF: pdf_bytes, FileKind.JPG: jpeg_with_exif, FileKind.PNG: png_bytes}[
            kind
        ]()
    assert uploads.check(upload(name, data), uploads.CATALOG_ATTACHMENT).kind == kind


def test_exe_renamed_pdf_is_refused_in_chinese():
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
    with pytest.raises(ValidationError) as error:
        check(upload("通知.pdf", exe))
    assert "内容不是允许的文件类型" in error.value.messages[0]


def test_html_renamed_png_is_refused():
    with pytest.raises(ValidationError):
        check(upload("图.png", b"<html><script>alert(1)</script></html>"))


def test_real_pdf_with_wrong_extension_is_refused():
    with pytest.raises(ValidationError) as error:
        check(upload("通知.docx", pdf_bytes()))
    assert "与扩展名" in error.value.messages[0]


def test_size_limit_from_settings(settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        check(upload("大.pdf", b"%PDF-1.4" + b"0" * 2000))
    assert "超过上限" in error.value.messages[0]


def test_images_are_reencoded_without_metadata_and_get_a_thumbnail():
    original = jpeg_with_exif()
    assert b"SecretCam" in original
    checked = check(upload("现场.jpg", original))
    clean = checked.content.read()
    assert b"SecretCam" not in clean and b"Model-X" not in clean
    assert Image.open(io.BytesIO(clean)).getexif() == {}
    thumb = Image.open(checked.thumbnail)
    assert thumb.size[0] <= 320 and thumb.size[1] <= 320


def test_large_png_thumbnail_is_small():
    checked = check(upload("大图.png", png_bytes(size=(1600, 900))))
    assert Image.open(checked.thumbnail).size == (320, 180)


def test_broken_image_is_refused():
    with pytest.raises(ValidationError, match="损坏"):
        check(upload("坏.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10))


DOCX = zip_with(["[Content_Types].xml", "word/document.xml"])


@pytest.mark.parametrize(
    "policy, kinds, limit_mb, keeps_name, thumbnail",
    [
        (uploads.IDENTITY_DOCUMENT, "JPG、PNG、PDF", 10, False, False),
        (uploads.APPLICANT_SUPPLEMENT, "JPG、PNG、PDF", 10, False, False),
        (
            uploads.STAFF_REPLY,
            "PDF、OFD、DOC、DOCX、XLS、XLSX、WPS、ZIP、JPG、PNG",
            50,
            True,
            False,
        ),
        (
            uploads.CATALOG_ATTACHMENT,
            "PDF、OFD、DOC、DOCX、XLS、XLSX、WPS、ZIP、JPG、PNG",
            50,
            True,
            True,
        ),
    ],
)
def test_each_kind_of_file_has_one_named_policy(policy, kinds, limit_mb, keeps_name, thumbnail):
    assert policy.kinds_label == kinds and policy.max_bytes() == limit_mb * uploads.MB
    checked = check(upload("张三丰的照片.png", png_bytes()), policy)
    assert ("张三丰" in checked.name) is keeps_name and checked.name.endswith(".png")
    assert (checked.thumbnail is not None) is thumbnail
    too_big = upload("大.pdf", b"%PDF-1.4" + b"0" * (limit_mb * uploads.MB))
    with pytest.raises(ValidationError, match=f"不能超过{limit_mb}MB"):
        check(too_big, policy)


@pytest.mark.parametrize("policy", [uploads.IDENTITY_DOCUMENT, uploads.APPLICANT_SUPPLEMENT])
def test_applicant_files_are_photos_or_pdf_whatever_their_name(policy):
    with pytest.raises(ValidationError, match="只能上传JPG、PNG、PDF"):
        check(upload("补正.docx", DOCX), policy)
    # The name is not trusted either way: a PDF called .png is a PDF, stored as .pdf.
    assert check(upload("扫描件.png", pdf_bytes()), policy).name.endswith(".pdf")


@pytest.mark.parametrize("policy", [uploads.IDENTITY_DOCUMENT, uploads.APPLICANT_SUPPLEMENT])
def test_applicant_images_are_opened_and_kept_as_sent(policy):
    original = jpeg_with_exif()
    assert check(upload("身份证.jpg", original), policy).content.read() == original
    with pytest.raises(ValidationError, match="已损坏"):
        check(upload("坏.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10), policy)


@pytest.mark.parametrize(
    "name, kind, expected",
    [
        ("预算.pdf", FileKind.PDF, "预算.pdf"),
        ("照片.JPEG", FileKind.JPG, "照片.JPEG"),
        ("预算.docx", FileKind.PDF, "预算.pdf"),
        ("预算.html", FileKind.PDF, "预算.pdf"),
        ("没有扩展名", FileKind.XLSX, "没有扩展名.xlsx"),
    ],
)
def test_a_name_takes_the_extension_of_the_kind_found_by_content(name, kind, expected):
    assert uploads.named_for_kind(name, kind) == expected


def test_every_stored_file_field_is_tracked():
    # `orphan_files` walks only the folders of tracked fields, and only tracked files are removed
    # when their row's transaction rolls back: a FileField left out (the guides' forms and
    # samples, the 互动交流 attachments, the seal) was neither listed nor cleaned up.
    from django.apps import apps
    from django.db.models import FileField

    stored = {
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, FileField)
    }
    tracked = {(model._meta.label, name) for model, name in uploads.FILE_FIELDS}
    assert stored - tracked == set()
