"""Official letters print names as typed (issue 16): an embedded CJK font covering characters
outside the basic block; what the font cannot print is refused where it is typed."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from applications import pdf, workflow
from applications.models import Request, Result
from portal import pdffont
from tests.applications.conftest import person_data, register_on

pytestmark = pytest.mark.django_db

# 𫖮 (U+2B5AE, CJK Ext. C, in the 通用规范汉字表 as 二级字 for names), 𠮷 (U+20BB7, Ext. B),
# 堃 (U+5803): the names that printed as "王□淝□" before.
NAMES = ["王𫖮", "𠮷田", "李堃"]


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def fonts_of(content: bytes, tmp_path) -> list[list[str]]:
    """`pdffonts` rows (poppler-utils): name, type, encoding, emb, sub, uni."""
    path = tmp_path / "letter.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return [line.split() for line in out.stdout.splitlines()[2:] if line.strip()]


@pytest.mark.parametrize("name", NAMES)
def test_the_font_covers_the_names(name):
    assert pdffont.missing_characters(name) == []


def test_emoji_and_unassigned_characters_are_reported():
    assert pdffont.missing_characters("王😀明\U000f0000") == ["😀", "\U000f0000"]
    message = pdffont.refuse_message(["😀"])
    assert "U+1F600" in message and "无法在正式文书中准确打印" in message


@pytest.mark.parametrize("name", NAMES)
def test_letter_pdf_holds_the_name_as_typed_with_every_font_embedded(name, tmp_path):
    content = pdf.letter("政府信息公开申请答复告知书", f"{name}：\n\n经审查，现予以公开。", "YSQ-1")
    assert name in pdf_text(content)
    if shutil.which("pdffonts"):
        rows = fonts_of(content, tmp_path)
        assert rows and all(row[-4] == "yes" for row in rows), rows  # the "emb" column


def test_paper_registration_refuses_a_character_the_letters_cannot_print(client, clerk_a, unit_a):
    client.force_login(clerk_a)
    data = {
        "unit": unit_a.pk,
        "channel": "in_person",
        "received_on": dt.date.today().isoformat(),
        **{k: v for k, v in person_data(name="王😀").items() if v is not None},
    }
    response = client.post("/admin/applications/request/add/", data)
    assert response.status_code == 200
    assert "无法在正式文书中准确打印" in response.content.decode()
    assert not Request.objects.exists()


def test_reply_letter_of_a_paper_request_from_wang_yi(client, clerk_a, unit_a, private_media):
    request = register_on(dt.date(2026, 3, 2), unit_a, clerk_a, name="王𫖮")
    workflow.reply(request, actor=clerk_a, result=Result.UNABLE_NOT_HELD, delivery_route="post")
    client.force_login(clerk_a)
    letter = request.documents.get(kind="reply_letter")
    response = client.get(f"/admin/applications/request/{request.pk}/document/{letter.pk}/")
    assert "王𫖮" in pdf_text(response.content)
