import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.models import Attachment, EntryState
from portal import uploads
from tests.disclosure.conftest import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def upload(name, data):
    return SimpleUploadedFile(name, data)


def _attach(entry, name, data):
    checked = uploads.check(upload(name, data), uploads.CATALOG_ATTACHMENT)
    attachment = Attachment(entry=entry)
    attachment.store(checked)
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


def test_download_name_takes_the_extension_of_the_content(client, unit_a, make_entry):
    # Staff edit the display name after upload; the browser must still be told the real type.
    attachment = _attach(make_entry(unit_a), "预算.pdf", pdf_bytes())
    Attachment.objects.filter(pk=attachment.pk).update(name="预算说明.html")
    disposition = client.get(attachment.get_absolute_url())["Content-Disposition"]
    assert disposition.endswith(".pdf") and ".html" not in disposition
