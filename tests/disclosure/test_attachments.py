import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from disclosure import attachments
from disclosure.models import Attachment, EntryState, FileKind
from tests.disclosure.conftest import jpeg_with_exif, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def upload(name, data):
    return SimpleUploadedFile(name, data)


def zip_with(names):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return out.getvalue()


OLE = attachments.OLE2 + b"\x00" * 512


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
    assert attachments.check_upload(upload(name, data)).kind == kind


def test_exe_renamed_pdf_is_refused_in_chinese():
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
    with pytest.raises(ValidationError) as error:
        attachments.check_upload(upload("通知.pdf", exe))
    assert "内容不是允许的文件类型" in error.value.messages[0]


def test_html_renamed_png_is_refused():
    with pytest.raises(ValidationError):
        attachments.check_upload(upload("图.png", b"<html><script>alert(1)</script></html>"))


def test_real_pdf_with_wrong_extension_is_refused():
    with pytest.raises(ValidationError) as error:
        attachments.check_upload(upload("通知.docx", pdf_bytes()))
    assert "与扩展名" in error.value.messages[0]


def test_size_limit_from_settings(settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        attachments.check_upload(upload("大.pdf", b"%PDF-1.4" + b"0" * 2000))
    assert "超过上限" in error.value.messages[0]


def test_images_are_reencoded_without_metadata_and_get_a_thumbnail():
    original = jpeg_with_exif()
    assert b"SecretCam" in original
    checked = attachments.check_upload(upload("现场.jpg", original))
    clean = checked.content.read()
    assert b"SecretCam" not in clean and b"Model-X" not in clean
    assert Image.open(io.BytesIO(clean)).getexif() == {}
    thumb = Image.open(checked.thumbnail)
    assert thumb.size[0] <= 320 and thumb.size[1] <= 320


def test_large_png_thumbnail_is_small():
    checked = attachments.check_upload(upload("大图.png", png_bytes(size=(1600, 900))))
    assert Image.open(checked.thumbnail).size == (320, 180)


def test_broken_image_is_refused():
    with pytest.raises(ValidationError, match="损坏"):
        attachments.check_upload(upload("坏.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10))


def _attach(entry, name, data):
    checked = attachments.check_upload(upload(name, data))
    attachment = Attachment(entry=entry)
    attachments.store(attachment, checked)
    attachment.save()
    return attachment


def test_download_has_safe_content_disposition(client, unit_a, make_entry):
    entry = make_entry(unit_a)
    attachment = _attach(entry, 'a"; filename=evil.html\r\nX-Injected: 1.pdf', pdf_bytes())
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition
    assert "X-Injected" not in response.headers
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_chinese_file_name_is_kept_in_download(client, unit_a, make_entry):
    entry = make_entry(unit_a)
    attachment = _attach(entry, "2024年部门预算.pdf", pdf_bytes())
    disposition = client.get(attachment.get_absolute_url())["Content-Disposition"]
    assert "filename*=utf-8''2024%E5%B9%B4" in disposition


@pytest.mark.parametrize("state", [EntryState.DRAFT, EntryState.PENDING, EntryState.WITHDRAWN])
def test_attachment_of_unpublished_entry_is_not_served(client, unit_a, make_entry, state):
    entry = make_entry(unit_a, state=state)
    attachment = _attach(entry, "内部.pdf", pdf_bytes())
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_files_are_stored_outside_media_root(settings, unit_a, make_entry):
    attachment = _attach(make_entry(unit_a), "a.pdf", pdf_bytes())
    assert attachment.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not attachment.file.path.startswith(str(settings.MEDIA_ROOT))


def test_public_page_lists_name_type_size_and_thumbnail(client, unit_a, make_entry):
    entry = make_entry(unit_a)
    _attach(entry, "预算表.pdf", pdf_bytes())
    image = _attach(entry, "现场照片.png", png_bytes())
    body = client.get(entry.get_absolute_url()).content.decode()
    assert "预算表.pdf" in body and "（PDF，" in body and "KB）" in body
    assert f"/fujian/{image.pk}/thumb/" in body
    thumb = client.get(f"/fujian/{image.pk}/thumb/")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/png"
