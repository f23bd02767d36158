"""Service guides: required elements, review before publication, catalog filing, public pages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.guides import elements, workflow
from disclosure.guides.models import GuideEvent, GuideMaterial, GuideState, ServiceGuide
from disclosure.models import Entry, EntryState
from portal.permissions import SYSTEM
from tests.disclosure.conftest import pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_profile")]


def test_the_ten_required_elements_and_completeness(unit_a, make_guide):
    guide = make_guide(unit_a, state=GuideState.DRAFT)
    assert elements.missing_required(guide) == []
    # Only the blank form and sample are missing.
    assert [e.label for e in elements.missing_optional(guide)] == ["空白表格和示例样表"]
    assert elements.completeness(guide) == 95
    bare = make_guide(
        unit_a,
        state=GuideState.DRAFT,
        materials=False,
        steps=False,
        code="",
        basis="",
        fees=" ",
        hours="",
    )
    assert [e.label for e in elements.missing_required(bare)] == [
        "设定依据",
        "办理材料",
        "收费标准",
        "办理时间",
        "办理流程",
    ]
    assert elements.completeness(bare) < 70


def test_publication_is_refused_while_a_required_element_is_missing(unit_a, make_guide):
    guide = make_guide(unit_a, state=GuideState.DRAFT, consult_phone="", steps=False)
    with pytest.raises(workflow.GuideError, match="缺少必备要素：联系电话、办理流程"):
        workflow.submit(guide, SYSTEM)
    guide.refresh_from_db()
    assert guide.state == GuideState.DRAFT and not guide.events.filter(action="submit").exists()


def test_approval_files_the_guide_in_the_catalog_and_search_finds_it(client, unit_a, make_guide):
    guide = make_guide(unit_a)
    assert guide.state == GuideState.PUBLISHED and guide.published_at
    entry = guide.entry
    assert entry.state == EntryState.PUBLISHED and entry.index_number
    assert entry.category.slug == "bszn" and entry.title == "公共场所卫生许可办事指南"
    assert [e.action for e in GuideEvent.objects.filter(guide=guide)] == ["submit", "approve"]
    # The catalog entry opens the guide's own page.
    response = client.get(entry.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == guide.get_absolute_url()
    results = client.get("/search/?q=卫生许可").content.decode()
    assert entry.get_absolute_url() in results and "办事指南" in results
    # Withdrawal takes both off the site; the 索引号 stays taken.
    workflow.withdraw(guide, SYSTEM, "事项调整")
    entry.refresh_from_db()
    assert entry.state == EntryState.WITHDRAWN and entry.index_number
    assert client.get(guide.get_absolute_url()).status_code == 404
    workflow.revise(guide, SYSTEM)
    assert ServiceGuide.objects.get(pk=guide.pk).state == GuideState.DRAFT


def test_only_the_units_reviewer_publishes(
    unit_a, unit_b, make_guide, publisher_a, django_user_model
):
    from portal.models import Role
    from tests.conftest import make_staff

    guide = make_guide(unit_a, state=GuideState.PENDING)
    with pytest.raises(PermissionDenied):
        workflow.approve(guide, publisher_a)
    reviewer_b = make_staff(django_user_model, "reviewer_b", unit_b, Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        workflow.approve(guide, reviewer_b)
    with pytest.raises(workflow.GuideError, match="退回时必须说明理由"):
        workflow.return_guide(guide, SYSTEM, " ")


def test_unit_list_is_grouped_by_type_and_searchable(client, unit_a, make_guide):
    make_guide(unit_a)
    make_guide(unit_a, name="高龄津贴发放", code="340800-GF-0003", item_type="benefit")
    make_guide(unit_a, name="未发布的事项", code="X-1", state=GuideState.DRAFT)
    page = client.get("/bszn/zwzx/").content.decode()
    assert page.index("行政许可（1项）") < page.index("行政给付（1项）")
    assert "公共场所卫生许可" in page and "高龄津贴发放" in page and "未发布的事项" not in page
    found = client.get("/bszn/zwzx/?q=津贴").content.decode()
    assert "高龄津贴发放" in found and "公共场所卫生许可" not in found
    assert "未找到与“不存在”相关的办事事项" in client.get("/bszn/zwzx/?q=不存在").content.decode()


def test_guide_page_shows_every_element_and_the_flow_chart(client, unit_a, make_guide):
    guide = make_guide(unit_a)
    material = guide.materials.first()
    material.blank_form.save("申请书.pdf", SimpleUploadedFile("申请书.pdf", pdf_bytes()))
    material.blank_form_kind = "pdf"
    material.save()
    page = client.get(guide.get_absolute_url()).content.decode()
    for label in (
        "事项名称",
        "设定依据",
        "申请条件",
        "申请材料",
        "办理地点",
        "受理机构",
        "收费标准及依据",
        "办理时间",
        "咨询电话",
        "办理流程",
        "承诺时限",
        "到现场次数",
        "常见问题",
    ):
        assert label in page, label
    assert page.count('class="flow-step"') == 5
    assert '<meta name="ArticleTitle" content="公共场所卫生许可办事指南">' in page
    response = client.get(f"/bszn/cailiao/{material.pk}/blank/")
    assert response.status_code == 200 and b"".join(response.streaming_content)[:5] == b"%PDF-"
    assert client.get(f"/bszn/cailiao/{material.pk}/sample/").status_code == 404
    assert client.get(f"/bszn/cailiao/{material.pk}/other/").status_code == 404


def test_draft_guides_and_their_forms_are_not_public(client, unit_a, make_guide):
    guide = make_guide(unit_a, state=GuideState.PENDING)
    material = guide.materials.first()
    material.blank_form.save("申请书.pdf", SimpleUploadedFile("申请书.pdf", pdf_bytes()))
    assert client.get(f"/bszn/zwzx/{guide.pk}/").status_code == 404
    assert client.get(f"/bszn/cailiao/{material.pk}/blank/").status_code == 404
    assert client.get(f"/bszn/jyj/{guide.pk}/").status_code == 404


def _admin_form(unit, **overrides):
    from tests.guides.conftest import COMPLETE

    data = {key: ("" if value is None else value) for key, value in COMPLETE.items()}
    data.update(
        {
            "unit": unit.pk,
            "window_service": "on",
            "online_url": "",
            "materials-TOTAL_FORMS": "1",
            "materials-INITIAL_FORMS": "0",
            "materials-MIN_NUM_FORMS": "0",
            "materials-MAX_NUM_FORMS": "1000",
            "materials-0-order": "1",
            "materials-0-name": "申请书",
            "materials-0-form": "original",
            "materials-0-copies": "1",
            "materials-0-note": "",
            "steps-TOTAL_FORMS": "1",
            "steps-INITIAL_FORMS": "0",
            "steps-MIN_NUM_FORMS": "0",
            "steps-MAX_NUM_FORMS": "1000",
            "steps-0-order": "1",
            "steps-0-name": "受理",
            "steps-0-description": "",
            "steps-0-time_limit": "",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
            "events-MIN_NUM_FORMS": "0",
            "events-MAX_NUM_FORMS": "0",
        }
    )
    data.update(overrides)
    return data


def test_clerk_writes_a_guide_in_the_admin_with_checked_forms(login, unit_a, publisher_a):
    client = login(publisher_a)
    assert client.get("/admin/guides/serviceguide/add/").status_code == 200
    fake = SimpleUploadedFile("申请表.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(
        "/admin/guides/serviceguide/add/",
        _admin_form(unit_a, **{"materials-0-blank_form": fake}),
    )
    assert response.status_code == 200
    assert "不是允许的文件类型" in response.content.decode()
    assert not ServiceGuide.objects.exists()
    real = SimpleUploadedFile("申请表.pdf", pdf_bytes())
    response = client.post(
        "/admin/guides/serviceguide/add/",
        _admin_form(unit_a, **{"materials-0-blank_form": real}),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    guide = ServiceGuide.objects.get()
    assert guide.created_by == publisher_a and guide.events.get().action == "create"
    material = GuideMaterial.objects.get()
    assert material.blank_form_kind == "pdf"
    page = client.get(f"/admin/guides/serviceguide/{guide.pk}/change/").content.decode()
    assert "十项必备要素齐全" in page and 'value="submit"' in page
    response = client.post(
        f"/admin/guides/serviceguide/{guide.pk}/workflow/", {"action": "approve"}
    )
    guide.refresh_from_db()
    assert guide.state == GuideState.DRAFT  # a 信息发布员 cannot publish


def test_guide_admin_is_confined_to_the_users_units(login, unit_a, unit_b, make_guide, publisher_a):
    other = make_guide(unit_b, code="B-1")
    client = login(publisher_a)
    assert client.get(f"/admin/guides/serviceguide/{other.pk}/change/").status_code == 404
    assert "公共场所卫生许可" not in client.get("/admin/guides/serviceguide/").content.decode()
    assert Entry.objects.filter(unit=unit_b).count() == 1


def test_orphan_files_lists_a_guide_form_no_material_refers_to(unit_a, make_guide, settings):
    import io

    from django.core.management import call_command

    guide = make_guide(unit_a, state=GuideState.DRAFT)
    material = guide.materials.first()
    material.blank_form.save("申请书.pdf", SimpleUploadedFile("申请书.pdf", pdf_bytes()))
    stray = settings.PRIVATE_MEDIA_ROOT / "disclosure" / "guides" / "samples" / "2026" / "样表.pdf"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(pdf_bytes())
    out = io.StringIO()
    call_command("orphan_files", stdout=out, stderr=io.StringIO())
    # The stored form is referred to; the stray sample is listed.
    assert out.getvalue().split() == ["guides/samples/2026/样表.pdf"]
