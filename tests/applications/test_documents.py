"""The official documents (issue 16, section 1): one template per kind, 文号, one legal basis,
remedies with the bodies named, the unit's frame, Chinese punctuation, checked templates."""

import datetime as dt
import io
import re

import pytest
import time_machine
from pypdf import PdfReader

from applications import documents, workflow
from applications.models import (
    Document,
    DocumentKind,
    DocumentSettings,
    FeeMethod,
    LetterKind,
    LetterTemplate,
    Result,
)
from applications.views import document_pdf
from tests.applications.conftest import register_on

pytestmark = pytest.mark.django_db
D = dt.date


def at(day):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC))


def text_of(document, code=None) -> str:
    content = document_pdf(document, code=code)
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def letters_of(request):
    return list(request.documents.exclude(letter_kind="").order_by("pk"))


def test_every_kind_has_a_default_template_that_passes_its_own_checks():
    assert len(LetterKind.values) == 6 + len(Result)
    for kind in LetterKind.values:
        assert documents.check_template(kind, documents.default_text(kind)) == [], kind


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("{prefix}依公〔{yyyy}〕{serial}号", None),
        ("{prefix}依公〔{yyyy}〕号", "{serial}"),
        ("{prefix}依公〔{year}〕{serial}号", "未知的占位符"),
        ("{prefix依公", "花括号"),
    ],
)
def test_number_pattern(pattern, problem):
    if problem is None:
        assert documents.format_number(pattern, "安数据", 2026, 12) == "安数据依公〔2026〕12号"
    else:
        with pytest.raises(ValueError, match=re.escape(problem)):
            documents.format_number(pattern, "安数据", 2026, 12)


def test_numbers_are_sequential_per_unit_and_year(unit_a, unit_b, clerk_a, private_media):
    first = register_on(D(2026, 3, 2), unit_a, clerk_a)
    second = register_on(D(2026, 3, 3), unit_a, clerk_a)
    other = register_on(D(2026, 3, 3), unit_b, clerk_a)
    numbers = [letters_of(r)[0].number for r in (first, second, other)]
    year = dt.date.today().year  # receipts are issued on the day of registration
    assert numbers == [
        f"安政务依公〔{year}〕1号",
        f"安政务依公〔{year}〕2号",
        f"安教依公〔{year}〕1号",
    ]


def test_the_database_refuses_a_second_document_with_the_same_number(
    unit_a, clerk_a, private_media
):
    from django.db import IntegrityError, transaction

    request = register_on(D(2026, 3, 2), unit_a, clerk_a)
    receipt = letters_of(request)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(
            request=request,
            kind=DocumentKind.RECEIPT,
            title="重复",
            unit=receipt.unit,
            number=receipt.number,
            number_year=receipt.number_year,
            number_serial=receipt.number_serial,
            issued_on=receipt.issued_on,
        )


def test_a_paper_request_gets_its_receipt_with_the_code_printed_only_from_the_desk(
    unit_a, clerk_a, private_media
):
    with at(D(2026, 3, 2)):
        request, code = workflow.register_paper(
            unit_a,
            actor=clerk_a,
            channel="post",
            received_on=D(2026, 3, 2),
            data={
                "applicant_type": "person",
                "name": "王𫖮",
                "phone": "13912345678",
                "info_title": "窗口设置方案",
                "info_description": "2025年政务服务中心窗口设置方案。",
                "medium": "paper",
                "delivery": "post",
            },
        )
    receipt = letters_of(request)[0]
    assert receipt.kind == DocumentKind.RECEIPT and code not in receipt.body
    printed = text_of(receipt, code=code)
    assert code in printed and "王𫖮" in printed and receipt.number in printed
    assert "2026年3月30日" in printed  # the due date, 20 working days on
    assert code not in text_of(receipt)  # a later download never shows it


def test_supplement_extension_and_reply_each_carry_the_frame(unit_a, clerk_a, private_media):
    request = register_on(D(2026, 3, 2), unit_a, clerk_a, name="王𫖮")
    with at(D(2026, 3, 4)):
        workflow.request_supplement(
            request, actor=clerk_a, what="请写明文件的年份。", period_workdays=10
        )
    with at(D(2026, 3, 9)):
        workflow.receive_supplement(request, actor=clerk_a, text="2025年")
    with at(D(2026, 3, 20)):
        # A reason typed with its full stop must not give "。，" in the letter.
        workflow.extend(
            request, actor=clerk_a, workdays=20, approver="王主任", reason="需会商其他部门。"
        )
    with at(D(2026, 4, 20)):
        workflow.reply(
            request,
            actor=clerk_a,
            result=Result.PARTLY_DISCLOSED,
            letter=workflow.default_letter(request, Result.PARTLY_DISCLOSED),
            delivery_route="post",
        )
    kinds = [d.letter_kind for d in letters_of(request)]
    assert kinds == ["receipt", "supplement_notice", "extension_notice", "reply_2"]
    for document in letters_of(request):
        text = text_of(document)
        assert "王𫖮" in text and document.number in text and "安庆市人民政府政务服务中心" in text
        assert "（印章）" in text and "。，" not in document.body
    reply = letters_of(request)[-1]
    text = text_of(reply).replace("\n", "")
    # Exactly one legal basis, and the remedies with the bodies named.
    assert text.count("法律依据：") == 1 and "第三十七条" in text
    assert "60日内向安庆市人民政府申请行政复议" in text
    assert "6个月内向安庆市迎江区人民法院提起行政诉讼" in text
    extension = letters_of(request)[2]
    assert "因需会商其他部门，本机关无法在20个工作日内" in extension.body


@pytest.mark.parametrize("result", [r for r in Result.for_reply() if documents.LEGAL_BASES[r]])
def test_every_decision_prints_one_basis_and_named_remedies(result, unit_a, clerk_a, private_media):
    request = register_on(D(2026, 3, 2), unit_a, clerk_a)
    with at(D(2026, 3, 10)):
        workflow.reply(
            request,
            actor=clerk_a,
            result=result,
            letter="" if not result.discloses else "详见所附材料。",
            delivery_route="post",
        )
    letter = letters_of(request)[-1]
    assert letter.frame["basis"] in documents.LEGAL_BASES[result]
    assert "、第（" not in letter.frame["basis"]  # never two items as alternatives
    assert (
        "安徽省" not in letter.frame["remedies"]
        and "安庆市迎江区人民法院" in letter.frame["remedies"]
    )
    assert letter.title == documents._title(f"reply_{result.value}")


def test_multiple_bases_must_be_chosen_on_the_reply_form(client, clerk_a, unit_a, private_media):
    request = register_on(D(2026, 3, 2), unit_a, clerk_a)
    client.force_login(clerk_a)
    url = f"/admin/applications/request/{request.pk}/action/reply/"
    data = {
        "result": Result.UNABLE_NOT_HELD,
        "delivery_route": "post",
        "letter": "经检索，无此信息。",
    }
    body = client.post(url, data).content.decode()
    assert "请选择适用的一项" in body
    data["legal_basis"] = documents.LEGAL_BASES[Result.UNABLE_NOT_HELD][1]
    assert client.post(url, data).status_code == 302
    request.refresh_from_db()
    assert request.legal_basis == documents.LEGAL_BASES[Result.UNABLE_NOT_HELD][1]


def test_a_decision_without_a_named_court_is_not_issued(unit_a, clerk_a, private_media):
    DocumentSettings.objects.filter(unit=unit_a).update(court="")
    request = register_on(D(2026, 3, 2), unit_a, clerk_a)
    with pytest.raises(workflow.WorkflowError, match="管辖人民法院"):
        workflow.reply(
            request, actor=clerk_a, result=Result.WITHHELD_STATE_SECRET, delivery_route="post"
        )
    assert request.documents.filter(kind=DocumentKind.REPLY_LETTER).count() == 0


def test_fee_notice_states_amount_basis_account_and_last_day(unit_a, clerk_a, private_media):
    DocumentSettings.objects.filter(unit=unit_a).update(
        fee_account="户名：安庆市财政局；账号：1307 0000", fee_method="银行转账"
    )
    request = register_on(D(2026, 3, 2), unit_a, clerk_a)
    with at(D(2026, 3, 5)):
        workflow.send_fee_notice(request, actor=clerk_a, method=FeeMethod.BY_PAGES, quantity=120)
    notice = letters_of(request)[-1]
    text = text_of(notice).replace("\n", "")
    assert "1100.00元" in text and "按量计收，共120页" in text
    assert "户名：安庆市财政局；账号：1307 0000" in text and "缴费方式：银行转账" in text
    assert "请于2026年4月2日前缴纳" in text and "国办函〔2020〕109号）第七条" in text


def test_third_party_gets_its_letter_and_the_applicant_is_told(unit_a, clerk_a, private_media):
    request = register_on(D(2026, 3, 2), unit_a, clerk_a)
    with at(D(2026, 3, 3)):
        workflow.start_consultation(
            request, actor=clerk_a, party="third_party", third_party="安庆某某科技有限公司"
        )
    letter, notice = letters_of(request)[-2:]
    assert letter.frame["addressee"] == "安庆某某科技有限公司" and not letter.for_applicant
    assert "15个工作日内" in letter.body
    assert notice.frame["addressee"] == request.name and notice.for_applicant


def test_a_unit_template_is_used_and_its_versions_kept(unit_a, clerk_a, admin_a, private_media):
    body = "{{ applicant }}的申请（{{ number }}）已收到，请耐心等候。"
    LetterTemplate.objects.create(unit=unit_a, kind="receipt", version=1, body=body)
    request = register_on(D(2026, 3, 2), unit_a, clerk_a)
    receipt = letters_of(request)[0]
    assert receipt.template_version == 1 and "请耐心等候" in receipt.body


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("{% load static %}{{ applicant }}", "load"),
        ("{% include 'x.html' %}", "include"),
        ("{{ applicant.password }}{{ secret }}", "未知的变量：secret"),
        ("{% if applicant %}未闭合", "语法错误"),
        ("{{ applicant }}😀", "无法在正式文书中准确打印"),
    ],
)
def test_a_template_that_cannot_render_is_refused(body, problem):
    errors = documents.check_template("receipt", body)
    assert errors and problem in "".join(errors)


def test_desk_registration_shows_the_code_once_and_prints_the_receipt_with_it(
    client, clerk_a, unit_a, private_media
):
    from tests.applications.conftest import person_data

    client.force_login(clerk_a)
    data = {
        "unit": unit_a.pk,
        "channel": "post",
        "received_on": dt.date.today().isoformat(),
        **{k: v for k, v in person_data(name="王𫖮", delivery="post").items() if v is not None},
        "appeals-TOTAL_FORMS": "0",
        "appeals-INITIAL_FORMS": "0",
        "complaints-TOTAL_FORMS": "0",
        "complaints-INITIAL_FORMS": "0",
    }
    response = client.post("/admin/applications/request/add/", data, follow=True)
    page = response.content.decode()
    code = re.search(r'id="desk-code">([A-Z0-9-]{14})<', page).group(1)
    request = response.context["original"]
    assert request.check_access_code(code) and "打印受理回执" in page
    # Shown once: a second visit does not show it again.
    again = client.get(f"/admin/applications/request/{request.pk}/registered/").content.decode()
    assert code not in again and "查询码已显示过" in again
    printed = client.post(f"/admin/applications/request/{request.pk}/receipt/", {"code": code})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(printed.content)).pages)
    assert code in text and "王𫖮" in text and "受理回执" in text
    wrong = client.post(f"/admin/applications/request/{request.pk}/receipt/", {"code": "X"})
    assert wrong.status_code == 302


def test_unit_admin_edits_a_template_with_preview_and_history(
    client, admin_a, clerk_a, unit_a, unit_b, private_media
):
    url = f"/admin/applications/lettertemplate/editor/{unit_a.pk}/extension_notice/"
    client.force_login(clerk_a)
    assert client.get(url).status_code in (302, 403, 404)  # a handler does not edit templates
    client.force_login(admin_a)
    assert (
        client.get(f"/admin/applications/lettertemplate/editor/{unit_b.pk}/receipt/").status_code
        == 404
    )
    page = client.get(url).content.decode()
    assert "系统默认模板" in page and "{{ reason }}" in page
    body = "因{{ reason }}，答复期限延长{{ workdays }}个工作日，至{{ due_on }}。"
    preview = client.post(url, {"body": body, "_preview": "1"}).content.decode()
    assert (
        "因需会商其他部门，答复期限延长20个工作日" in preview
        and "安政务依公〔2026〕12号" in preview
    )
    assert not LetterTemplate.objects.exists()  # a preview saves nothing
    bad = client.post(url, {"body": "{% include 'secret.txt' %}", "_save": "1"}).content.decode()
    assert "不能使用" in bad and not LetterTemplate.objects.exists()
    client.post(url, {"body": body, "note": "简化", "_save": "1"})
    client.post(url, {"body": body + "特此告知。", "_save": "1"})
    versions = list(LetterTemplate.objects.values_list("version", "created_by__username"))
    assert versions == [(2, "admin_a"), (1, "admin_a")]
    request = register_on(D(2026, 3, 2), unit_a, clerk_a)
    with at(D(2026, 3, 20)):
        workflow.extend(request, actor=clerk_a, workdays=20, approver="王主任", reason="量大")
    notice = letters_of(request)[-1]
    assert notice.template_version == 2 and notice.body.endswith("特此告知。")
    history = client.get(url + "?from=1").content.decode()
    assert "第1版" in history and "以此版本为基础修改" in history


def test_unit_admin_sets_the_seal_and_remedies_a_handler_cannot(
    client, admin_a, clerk_a, unit_a, private_media
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings_row = DocumentSettings.objects.get(unit=unit_a)
    url = f"/admin/applications/documentsettings/{unit_a.pk}/change/"
    client.force_login(clerk_a)
    assert client.get(url).status_code in (403, 404)
    client.force_login(admin_a)
    buffer = io.BytesIO()
    Image.new("RGBA", (60, 60), (200, 0, 0, 255)).save(buffer, "PNG")
    data = {
        "number_prefix": "安政务",
        "number_pattern": "{prefix}依公〔{yyyy}〕{serial}号",
        "contact_person": "李明",
        "contact_phone": "0556-5349772",
        "review_body": "安庆市数据资源局",
        "court": "安庆市迎江区人民法院",
        "fee_account": "",
        "fee_method": "银行转账",
        "seal": SimpleUploadedFile("seal.png", buffer.getvalue(), "image/png"),
    }
    assert client.post(url, data).status_code == 302
    settings_row.refresh_from_db()
    assert settings_row.seal and settings_row.review_body == "安庆市数据资源局"
    bad = dict(data, number_pattern="{prefix}依公{serial}号", seal="")
    assert "{yyyy}" in client.post(url, bad).content.decode()
    request = register_on(D(2026, 3, 2), unit_a, clerk_a)
    with at(D(2026, 3, 10)):
        workflow.reply(
            request, actor=clerk_a, result=Result.WITHHELD_STATE_SECRET, delivery_route="post"
        )
    letter = letters_of(request)[-1]
    text = text_of(letter).replace("\n", "")
    assert "（印章）" not in text and "联系人：李明" in text
    assert "60日内向安庆市数据资源局申请行政复议" in text
    content = document_pdf(letter)
    assert b"/Subtype /Image" in content
