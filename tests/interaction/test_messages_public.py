"""The public message form, the receipt and the tracking page, through the HTTP client."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from interaction import workflow
from interaction.models import Message
from portal.botcheck import sign_started

URL = "/hudong/liuyan/"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick(settings, private_media):
    settings.FORM_MIN_FILL_SECONDS = 0


def post_data(unit=None, **overrides):
    data = {
        "unit": unit.pk if unit else "",
        "kind": "consult",
        "subject": "政务服务中心周末是否办理业务",
        "text": "请问周六是否开放？",
        "name": "张三丰",
        "phone": "13912345678",
        "email": "",
        "consent_publish": "on",
        "website": "",
        "started": sign_started(),
    }
    data.update(overrides)
    return data


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, "PNG")
    return out.getvalue()


def test_form_per_unit_and_site_wide(client, unit_a, government):
    page = client.get(URL + "?unit=zwzx&kind=site_error").content.decode()
    assert 'value="' + str(unit_a.pk) + '" selected' in page
    assert 'value="site_error"' in page and "checked" in page
    assert "姓名和联系电话仅用于办理，不会公开" in page
    # Site-wide: no unit chosen, the government receives it and passes it on.
    response = client.post(URL, post_data())
    assert response.status_code == 302
    assert Message.objects.get().unit == government


def test_submission_shows_number_and_code_once(client, unit_a):
    response = client.post(URL, post_data(unit_a), follow=True)
    body = response.content.decode()
    message = Message.objects.get()
    assert message.number in body and "查询码只显示这一次" in body
    code = response.context["receipt"]["code"]
    assert message.check_access_code(code)
    assert code not in response.redirect_chain[-1][0]
    again = client.get(reverse("interaction:submitted")).content.decode()
    assert code not in again and "页面已失效" in again


def test_required_fields_and_phone_are_checked(client, unit_a):
    body = client.post(URL, post_data(unit_a, name="", phone="abc", text="")).content.decode()
    assert "请填写姓名" in body and "请输入有效的电话号码" in body and "请填写留言内容" in body
    assert not Message.objects.exists()


def test_robot_checks(client, unit_a, settings):
    body = client.post(URL, post_data(unit_a, website="http://spam")).content.decode()
    assert "提交未成功" in body and not Message.objects.exists()
    settings.FORM_MIN_FILL_SECONDS = 60
    body = client.post(URL, post_data(unit_a)).content.decode()
    assert "提交过快" in body and not Message.objects.exists()


def test_rate_limit_counts_accepted_messages_only(client, unit_a, settings):
    settings.RATE_LIMIT_SUBMISSIONS = 2
    client.post(URL, post_data(unit_a, name=""))  # refused: costs nothing
    assert client.post(URL, post_data(unit_a)).status_code == 302
    assert client.post(URL, post_data(unit_a)).status_code == 302
    response = client.post(URL, post_data(unit_a))
    assert response.status_code == 429 and "已达上限" in response.content.decode()
    assert Message.objects.count() == 2


def test_attachment_is_checked_by_content(client, unit_a):
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image", "image/png")
    body = client.post(URL, {**post_data(unit_a), "attachment": fake}).content.decode()
    assert "不是允许的文件类型" in body and not Message.objects.exists()
    real = SimpleUploadedFile("张三丰身份证.png", png_bytes(), "image/png")
    assert client.post(URL, {**post_data(unit_a), "attachment": real}).status_code == 302
    stored = Message.objects.get().attachment.name
    assert stored.endswith(".png") and "张三丰" not in stored


def track(client, number, code):
    return client.post(reverse("interaction:track"), {"number": number, "code": code})


def test_tracking_shows_the_reply_and_history(client, message, unit_b, handler_a, handler_b):
    code = _code_for(message)
    assert track(client, message.number, "AAAA-BBBB-CCCC").status_code == 200
    workflow.transfer(message, actor=handler_a, to_unit=unit_b)
    workflow.reply(message, actor=handler_b, text="周六上午开放。")
    response = track(client, message.number.lower(), code)
    assert response.status_code == 302
    body = client.get(reverse("interaction:track_detail")).content.decode()
    assert "周六上午开放。" in body
    assert "转至安庆市教育局办理" in body
    assert "答复部门" in body and "安庆市教育局" in body
    assert "满意度评价" in body


def test_a_number_typed_in_full_width_is_found(client, message):
    # The same look-up form as 依申请公开 (portal.tracking.lookup_form): an input method's
    # full-width characters are not the citizen's mistake.
    full_width = message.number.translate({ord("-"): "－", ord("L"): "Ｌ", ord("Y"): "Ｙ"})
    assert track(client, full_width, _code_for(message)).status_code == 302


def test_wrong_code_and_unknown_number_answer_the_same(client, message):
    wrong = track(client, message.number, "AAAA-BBBB-CCCC").content.decode()
    unknown = track(client, "LY-2026-999999", "AAAA-BBBB-CCCC").content.decode()
    assert "留言编号或查询码不正确" in wrong and "留言编号或查询码不正确" in unknown
    assert client.get(reverse("interaction:track_detail")).status_code == 302


def test_lookups_are_rate_limited(client, message, settings):
    settings.RATE_LIMIT_LOOKUPS = 2
    for _ in range(2):
        track(client, message.number, "AAAA-BBBB-CCCC")
    assert track(client, message.number, "AAAA-BBBB-CCCC").status_code == 429


def _code_for(message):
    """Tests know the code only at creation: re-issue one the same way (new hash)."""
    from portal import access_codes

    code = access_codes.new_code()
    Message.objects.filter(pk=message.pk).update(access_code_hash=Message.hash_access_code(code))
    return code


def test_internal_review_is_not_shown_to_the_citizen(client, message, handler_a):
    from interaction.models import UnitInteractionSettings

    UnitInteractionSettings.objects.create(unit=message.unit, requires_review=True)
    code = _code_for(message)
    workflow.reply(message, actor=handler_a, text="初稿：仅供审核")
    track(client, message.number, code)
    body = client.get(reverse("interaction:track_detail")).content.decode()
    assert "初稿" not in body and "审核" not in body and "办理中" in body


def test_robots_keep_out_of_tracking_pages_only(client):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /hudong/chaxun/" in body and "Disallow: /hudong/pingjia/" in body
    assert "Disallow: /hudong/\n" not in body
