"""The 依申请公开 section's static pages, the PDF form and the home-page box."""

import io

import pytest
from pypdf import PdfReader

from applications import fields

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "texts"),
    [
        (
            "/yishenqing/",
            ["政府信息公开申请指南", "20个工作日", "安庆市人民政府政务服务中心", "0556-5349772"],
        ),
        ("/yishenqing/liucheng/", ["<svg", '<title id="flow-title">', "7个工作日", "归档"]),
        ("/yishenqing/shoufei/", ["按件计收", "按量计收", "国办函〔2020〕109号", "4700"]),
        ("/yishenqing/chaxun/", ["申请编号", "查询码", "投诉"]),
    ],
)
def test_section_pages(client, unit_a, url, texts):
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    for text in texts:
        assert text in body, text
    assert "<script>" not in body


def test_home_box_and_main_nav_link_to_the_section(client, unit_a):
    body = client.get("/").content.decode()
    for url in (
        "/yishenqing/",
        "/yishenqing/shenqing/",
        "/yishenqing/biaodan.pdf",
        "/yishenqing/chaxun/",
        "/yishenqing/tongji/",
    ):
        assert f'href="{url}"' in body, url


def test_blank_form_pdf_has_chinese_labels_from_the_field_list(client):
    response = client.get("/yishenqing/biaodan.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "政府信息公开申请表" in text
    for _, section in fields.SECTIONS:
        for _, label in section:
            assert label in text, label
    assert "统一社会信用代码" in text and "□光盘" in text
