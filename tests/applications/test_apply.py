"""The online application form: fields, validation beside each field and on top, anti-abuse."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from applications.models import Request, State
from portal.botcheck import sign_started

pytestmark = pytest.mark.django_db
URL = "/yishenqing/shenqing/"


@pytest.fixture(autouse=True)
def _no_min_fill_time(settings, private_media):
    settings.FORM_MIN_FILL_SECONDS = 0


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "PNG")
    return buffer.getvalue()


def upload(content=None, name="身份证张三丰.png", content_type="image/png"):
    return SimpleUploadedFile(name, content if content is not None else png_bytes(), content_type)


def person_post(target, **overrides):
    data = {
        "unit": target.pk,
        "applicant_type": "person",
        "person_name": "张三丰",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "person_address": "安庆市迎江区人民路1号",
        "postcode": "246000",
        "person_phone": "13912345678",
        "person_email": "zhangsan@example.com",
        "info_title": "窗口设置方案",
        "info_description": "2025年政务服务中心各办事窗口的设置方案。",
        "medium": "email",
        "delivery": "online",
        "declaration": "on",
        "started": sign_started(),
        "id_document": upload(),
    }
    data.update(overrides)
    return data


def test_form_page_has_every_field_and_no_inline_script(client, unit_a):
    body = client.get(URL).content.decode()
    for label in (
        "受理单位",
        "申请人类型",
        "姓名",
        "证件类型",
        "证件号码",
        "工作单位",
        "通信地址",
        "邮政编码",
        "联系电话",
        "电子邮箱",
        "名称",
        "组织类别",
        "统一社会信用代码",
        "法定代表人",
        "联系人",
        "联系人电话",
        "所需信息名称",
        "文号",
        "所需信息的特征性描述",
        "用途",
        "纸质",
        "光盘",
        "当面领取",
        "网上获取",
        "身份证明",
        "承诺",
    ):
        assert label in body, label
    assert "<script>" not in body and "onclick" not in body and "js/applications.js" in body
    assert "安庆市人民政府政务服务中心" in body


def test_valid_submission_redirects_and_shows_number_and_code_once(client, unit_a):
    response = client.post(URL, person_post(unit_a))
    assert response.status_code == 302 and response.url == "/yishenqing/shenqing/wancheng/"
    request = Request.objects.get()
    assert request.state == State.SUBMITTED and request.name == "张三丰"
    # The uploaded file keeps no personal name.
    assert "张三丰" not in request.id_document.name and request.id_document.name.endswith(".png")
    page = client.get(response.url).content.decode()
    assert request.number in page
    code = page.split('class="receipt-code">')[1].split("<")[0]
    assert request.check_access_code(code)
    assert code not in response.url
    assert request.number not in client.get(response.url).content.decode()  # shown once


def test_organisation_submission(client, unit_a):
    data = person_post(
        unit_a,
        applicant_type="organisation",
        org_name="安庆某科技有限公司",
        organisation_kind="research",
        credit_code="91110000600037341L",
        contact_person="李四",
        contact_phone="0556-1234567",
        org_address="安庆市",
        org_email="org@example.com",
    )
    assert client.post(URL, data).status_code == 302
    request = Request.objects.get()
    assert request.organisation_kind == "research" and request.name == "安庆某科技有限公司"
    assert request.id_number == ""  # the person fields were not taken


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"id_number": "110105194912310021"}, "id_number", "居民身份证号码无效"),
        ({"person_name": ""}, "person_name", "请填写姓名"),
        ({"info_description": ""}, "info_description", "请描述所需信息"),
        ({"declaration": ""}, "declaration", "请阅读并勾选承诺"),
        ({"postcode": "2460"}, "postcode", "邮政编码应为6位数字"),
        ({"person_email": ""}, "person_email", "请填写电子邮箱"),
        ({"id_document": upload(b"MZ\x90\x00 not an image", "x.png")}, "id_document", "JPG、PNG"),
        ({"id_document": upload(b"\x89PNG\r\n\x1a\nbroken", "x.png")}, "id_document", "已损坏"),
        ({"unit": ""}, "unit", "请选择受理单位"),
    ],
)
def test_errors_beside_field_and_in_summary_with_input_kept(
    client, unit_a, overrides, field, message
):
    data = person_post(unit_a, **overrides)
    response = client.post(URL, data)
    body = response.content.decode()
    assert response.status_code == 200 and not Request.objects.exists()
    summary = body.split('id="error-summary"')[1].split("</div>")[0]
    assert message in summary and f'href="#field-{field}"' in summary
    beside = body.split(f'id="field-{field}"')[1].split('<div class="field')[0]
    assert message in beside
    assert 'value="安庆市迎江区人民路1号"' in body or field == "person_address"
    assert "2025年政务服务中心各办事窗口的设置方案。" in body or field == "info_description"


def test_organisation_credit_code_is_checked(client, unit_a):
    data = person_post(
        unit_a,
        applicant_type="organisation",
        org_name="某公司",
        organisation_kind="business",
        credit_code="91110000600037341X",
        contact_person="李四",
        contact_phone="0556-1234567",
        org_address="安庆市",
    )
    body = client.post(URL, data).content.decode()
    assert "统一社会信用代码无效" in body and not Request.objects.exists()


def test_file_over_10_mb_is_refused(client, unit_a):
    big = upload(b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "big.pdf", "application/pdf")
    body = client.post(URL, person_post(unit_a, id_document=big)).content.decode()
    assert "不能超过10MB" in body and not Request.objects.exists()


def test_pdf_proof_is_accepted(client, unit_a):
    pdf = upload(b"%PDF-1.4\n%test\n", "scan.pdf", "application/pdf")
    assert client.post(URL, person_post(unit_a, id_document=pdf)).status_code == 302


def test_honeypot_keeps_nothing(client, unit_a):
    response = client.post(URL, person_post(unit_a, website="http://spam.example"))
    assert response.status_code == 429 and not Request.objects.exists()
    assert "提交未成功" in response.content.decode()


def test_minimum_fill_time(client, unit_a, settings):
    settings.FORM_MIN_FILL_SECONDS = 60
    body = client.post(URL, person_post(unit_a)).content.decode()
    assert "提交过快" in body and not Request.objects.exists()
    settings.FORM_MIN_FILL_SECONDS = 0
    body = client.post(URL, person_post(unit_a, started="forged")).content.decode()
    assert "提交过快" in body


def test_submissions_are_rate_limited_per_ip(client, unit_a, settings):
    settings.RATE_LIMIT_SUBMISSIONS = 2
    assert client.post(URL, person_post(unit_a)).status_code == 302
    assert client.post(URL, person_post(unit_a)).status_code == 302
    response = client.post(URL, person_post(unit_a))
    assert response.status_code == 429 and "已达上限" in response.content.decode()
    other_ip = client.post(URL, person_post(unit_a), REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 302
    assert Request.objects.count() == 3


def test_rate_limit_survives_a_cache_outage(client, unit_a, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "incr", broken)
    assert client.post(URL, person_post(unit_a)).status_code == 302


def test_unit_preselected_from_guide(client, unit_a):
    body = client.get(URL + "?unit=zwzx").content.decode()
    assert f'<option value="{unit_a.pk}" selected>' in body


def test_only_accepted_submissions_count_towards_the_limit(client, unit_a, settings):
    settings.RATE_LIMIT_SUBMISSIONS = 1
    for _ in range(3):
        invalid = client.post(URL, person_post(unit_a, person_phone="abc"))
        assert invalid.status_code == 200
    assert client.post(URL, person_post(unit_a)).status_code == 302
    assert Request.objects.count() == 1


def test_a_refused_submission_keeps_what_was_typed(client, unit_a, settings):
    settings.RATE_LIMIT_SUBMISSIONS = 1
    assert client.post(URL, person_post(unit_a)).status_code == 302
    response = client.post(
        URL, person_post(unit_a, info_title="第二份申请：供水管网改造方案", person_name="李四")
    )
    assert response.status_code == 429
    body = response.content.decode()
    assert "已达上限" in body and "已填写的内容已保留" in body
    # The form again, filled in: nothing typed is lost.
    assert 'id="apply-form"' in body
    assert 'value="第二份申请：供水管网改造方案"' in body and 'value="李四"' in body
    assert Request.objects.count() == 1


def test_a_name_the_letters_cannot_print_is_refused_and_one_they_can_is_kept(client, unit_a):
    """Issue 16: 王𫖮 (U+2B5AE) prints as typed; an emoji would be misprinted, so it is refused."""
    body = client.post(URL, person_post(unit_a, person_name="王😀")).content.decode()
    assert "无法在正式文书中准确打印" in body and "U+1F600" in body
    assert not Request.objects.exists()
    client.post(URL, person_post(unit_a, person_name="王𫖮"))
    assert Request.objects.get().name == "王𫖮"


def test_full_width_and_spaced_numbers_are_accepted_and_stored_plain(client, unit_a):
    # Issue #11: a Chinese input method types full-width digits; people put spaces in numbers.
    data = person_post(
        unit_a,
        id_number="１１０１０５ １９４９１２３１ ００２ｘ",
        person_phone="１３９ １２３４ ５６７８",
        postcode="２４６０００",
    )
    assert client.post(URL, data).status_code == 302
    request = Request.objects.get()
    assert (request.id_number, request.phone, request.postcode) == (
        "11010519491231002X",
        "13912345678",
        "246000",
    )


def test_one_message_per_problem_and_the_summary_counts_what_it_lists(client, unit_a):
    body = client.post(URL, person_post(unit_a, person_name="张" * 5000, postcode="2460")).content
    body = body.decode()
    summary = body.split('id="error-summary"')[1].split("</div>")[0]
    assert "姓名最多100个字，现有5000个" in summary and "请填写姓名" not in body
    assert summary.count("<li>") == 2 and "请修改以下2处问题" in summary
    assert "字符" not in body and "(" not in summary  # Chinese wording and punctuation


@pytest.mark.parametrize(
    "id_number",
    [
        "340802196003150023",  # 迎江区 (code from 1983), born 1960: numbers carry today's code
        "340882200001010036",  # 潜山市 (code from 2018), born 2000
    ],
)
def test_a_real_number_whose_area_code_is_younger_than_its_holder_is_accepted(
    client, unit_a, id_number
):
    # Codes were assigned when the cards were issued (1985, 1999) or when people moved, so an
    # older citizen's number names a district created after their birth; refusing it shut out
    # exactly the people 长者模式 is for.
    assert client.post(URL, person_post(unit_a, id_number=id_number)).status_code == 302
    assert Request.objects.get().id_number == id_number


@pytest.mark.parametrize(
    "id_number",
    [
        "990000198001010012",  # no such province
        "340802196003150024",  # wrong check character
        "34080A196003150023",  # a letter where digits belong
        "340802196013150027",  # no 13th month
        "110105204912310026",  # born in the future
    ],
)
def test_an_impossible_resident_id_is_refused(client, unit_a, id_number):
    body = client.post(URL, person_post(unit_a, id_number=id_number)).content.decode()
    assert "居民身份证号码无效" in body and not Request.objects.exists()
