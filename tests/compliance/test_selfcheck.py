"""The self-check finds each planted problem of a test site, and nothing on a clean one."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from compliance import registry, selfcheck
from compliance.models import Snapshot
from disclosure.guides.models import ServiceGuide
from disclosure.models import Attachment, Category, DocumentType, FileKind
from tests.disclosure.conftest import pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_profile")]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def clean_site(government, make_entry, make_guide):
    """One unit with every checked column filled recently, a complete guide, a normative document
    with its 解读, an attachment and an internal link that works."""
    # The first-level columns every unit fills, and a few Art. 20 columns it publishes in.
    checked = [
        c
        for c in Category.objects.all()
        if c.is_leaf_node() and c.slug in ("zhinan", "zhidu", "nianbao", "jgzn", "tjxx", "gwykl")
    ]
    entries = {c.slug: make_entry(government, category=c, title=f"{c.name}信息") for c in checked}
    document = make_entry(
        government,
        category=Category.objects.get(slug="fgwj"),
        title="安庆市政务公开工作规定",
        document_type=DocumentType.NORMATIVE,
        valid_from=timezone.localdate() - dt.timedelta(days=2),
    )
    make_entry(
        government,
        category=Category.objects.get(slug="zcjd"),
        title="《安庆市政务公开工作规定》解读",
        document_type=DocumentType.INTERPRETATION,
        interprets=document,
    )
    linking = entries["jgzn"]
    linking.body = f'<p>详见<a href="{document.get_absolute_url()}">工作规定</a>。</p>'
    linking.save()
    attachment = Attachment(entry=linking, name="说明.pdf", kind=FileKind.PDF, size=10)
    attachment.file.save("说明.pdf", ContentFile(pdf_bytes()), save=False)
    attachment.save()
    make_guide(government)
    return {"unit": government, "entries": entries, "document": document, "attachment": attachment}


def kinds(result) -> set[str]:
    return {finding.kind for finding in result.findings}


def test_a_clean_site_has_no_findings(clean_site):
    for scope in (clean_site["unit"], None):
        result = selfcheck.run(scope)
        assert result.findings == [], [f.title for f in result.findings]
        assert result.score.value == 100 and not result.score.vetoed


def test_each_planted_problem_is_found(clean_site, site_profile, make_entry, make_guide):
    unit = clean_site["unit"]
    today = timezone.localdate()
    # A stale column: 机构职能 last updated more than a year ago.
    with time_machine.travel(timezone.now() - dt.timedelta(days=400)):
        old = make_entry(unit, category=Category.objects.get(slug="gwykl"), title="旧的招考公告")
    clean_site["entries"]["gwykl"].delete()
    # A late entry: made 60 days before its publication.
    make_entry(unit, title="迟发的通知", made_on=today - dt.timedelta(days=60))
    # A published guide missing a required element (imported, or the rules changed since).
    guide = make_guide(unit, name="残疾人证办理", code="CJ-1")
    ServiceGuide.objects.filter(pk=guide.pk).update(hours="")
    # A normative document without 解读 ten days after publication.
    with time_machine.travel(timezone.now() - dt.timedelta(days=10)):
        bare = make_entry(
            unit,
            category=Category.objects.get(slug="fgwj"),
            title="未解读的规范性文件",
            document_type=DocumentType.NORMATIVE,
            valid_from=today - dt.timedelta(days=10),
        )
    # A dead internal link and an attachment whose file is gone.
    linking = clean_site["entries"]["tjxx"]
    linking.body = '<p><a href="/xxgk/anqing/999999/">已删除的页面</a></p>'
    linking.save()
    attachment = clean_site["attachment"]
    attachment.file.storage.delete(attachment.file.name)
    # A missing meta tag (and footer mark): the site has no 网站标识码.
    site_profile.site_code = ""
    site_profile.save()

    unit_result = selfcheck.run(unit)
    found = {f.kind: f for f in unit_result.findings}
    assert set(found) == {
        "stale_column",
        "late_entries",
        "guide_incomplete",
        "policy_no_interpretation",
        "broken_link",
        "broken_attachment",
        "meta_tags",
    }, [f.title for f in unit_result.findings]
    assert "“公务员招考”栏目自" in found["stale_column"].title
    assert old.index_number and "1条信息" in found["late_entries"].title
    assert found["late_entries"].url.endswith(f"timeliness=late&unit__id__exact={unit.pk}")
    assert (
        "残疾人证办理" in found["guide_incomplete"].title
        and "办理时间" in found["guide_incomplete"].title
    )
    assert found["guide_incomplete"].url == f"/admin/guides/serviceguide/{guide.pk}/change/"
    assert "未解读的规范性文件" in found["policy_no_interpretation"].title
    assert f"interprets={bare.pk}" in found["policy_no_interpretation"].url
    assert "/xxgk/anqing/999999/" in found["broken_link"].title
    assert found["broken_link"].url == f"/admin/disclosure/entry/{linking.pk}/change/"
    assert "SiteIDCode" in found["meta_tags"].title
    assert found["meta_tags"].url == "/admin/portal/siteprofile/1/change/"
    assert unit_result.score.value < 100
    deducted = {d.kind: d.points for d in unit_result.score.deductions}
    assert deducted["guide_incomplete"] == 2 and deducted["broken_link"] == 1

    site_result = selfcheck.run(None)
    assert "site_mark" in kinds(site_result)
    assert "页脚未显示网站标识码" in [f.title for f in site_result.findings]


def test_five_empty_columns_fail_the_site_outright(government, unit_b):
    # Two units without 指南, 制度 and 年报: six empty columns on the site.
    result = selfcheck.run(None)
    assert [f.title for f in result.findings if f.kind == "empty_column"][:3] == [
        "市政府：“政府信息公开指南”栏目为空",
        "市政府：“政府信息公开制度”栏目为空",
        "市政府：“政府信息公开年报”栏目为空",
    ]
    assert result.score.vetoed and result.score.value == 0
    assert "5个以上空白栏目" in result.score.vetoes
    # A unit's own page: three empty columns, deducted but not failed.
    unit_result = selfcheck.run(unit_b)
    assert not unit_result.score.vetoed and unit_result.score.value == 94


def test_another_app_contributes_findings_through_the_registry(clean_site):
    registry.register_kind(
        "test_message", "留言超期未答复", 3, 30, veto_at=2, veto_label="留言否决"
    )

    def unanswered(scope):
        yield registry.Finding(
            "test_message", "留言001超期未答复", "/admin/", unit_id=scope.units[0].pk
        )

    registry.register_check(unanswered)
    try:
        result = selfcheck.run(clean_site["unit"])
        assert [f.title for f in result.findings] == ["留言001超期未答复"]
        assert result.score.value == 97
    finally:
        registry._CHECKS.remove(unanswered)


def test_daily_command_stores_snapshots_and_the_trend(clean_site):
    unit = clean_site["unit"]
    start = timezone.now() - dt.timedelta(weeks=3)
    for week in range(3):
        with time_machine.travel(start + dt.timedelta(weeks=week)):
            call_command("run_selfcheck", stdout=io.StringIO())
    out = io.StringIO()
    call_command("run_selfcheck", stdout=out)
    assert "全站得分100分" in out.getvalue()
    assert Snapshot.objects.filter(unit=unit).count() == 4
    assert Snapshot.objects.filter(unit=None).count() == 4
    # Three weeks ago nothing was published yet: 指南, 制度 and 年报 were empty (2 points each).
    assert [score for _, score in selfcheck.trend(unit)] == [94, 94, 94, 100]


def test_unanswered_messages_come_from_the_interaction_app(clean_site, unit_b):
    from tests.interaction.conftest import submit_on

    unit = clean_site["unit"]
    today = timezone.localdate()
    submit_on(today - dt.timedelta(days=100), unit)  # a 咨询 unanswered for over 3 months
    submit_on(today - dt.timedelta(days=70), unit, kind="suggest")
    submit_on(today, unit_b)  # not yet due, another unit
    result = selfcheck.run(unit)
    found = {f.kind: f for f in result.findings}
    assert set(found) == {"message_overdue", "message_open_60_days", "message_unanswered_3_months"}
    assert found["message_overdue"].weight == 2 and found["message_open_60_days"].weight == 2
    assert found["message_overdue"].url.endswith(f"unit__id__exact={unit.pk}&due=overdue")
    assert result.score.vetoed and result.score.vetoes == ["政务咨询留言超过3个月未答复"]
