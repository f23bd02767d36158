"""The policy library: 有效性 that follows amendments, repeals and 失效日期, 解读 both ways, the
library page and its CSV (disclosure/policy.py)."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone

from disclosure import policy, workflow
from disclosure.models import (
    Category,
    ChangeKind,
    DocumentChange,
    DocumentType,
    EntryAction,
    EntryState,
    Validity,
)
from portal.permissions import SYSTEM

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_profile")]


@pytest.fixture
def fgwj(db):
    return Category.objects.get(slug="fgwj")


@pytest.fixture
def old_rule(unit_a, make_entry, fgwj):
    return make_entry(
        unit_a,
        category=fgwj,
        title="政务服务事项管理暂行办法",
        document_number="宜政服〔2020〕2号",
        document_type=DocumentType.NORMATIVE,
        valid_from=dt.date(2020, 3, 1),
        keywords="政务服务 事项管理",
    )


def _repealing(unit, make_entry, fgwj, old, valid_from, kind=ChangeKind.REPEALS, **extra):
    new = make_entry(
        unit,
        state=EntryState.DRAFT,
        category=fgwj,
        title="政务服务事项管理办法",
        document_number="宜政服〔2026〕1号",
        document_type=DocumentType.NORMATIVE,
        valid_from=valid_from,
    )
    DocumentChange.objects.create(document=new, target=old, kind=kind)
    workflow.submit(new, SYSTEM)
    workflow.approve(new, SYSTEM, **extra)
    new.refresh_from_db()
    return new


def test_repeal_changes_the_old_documents_validity_and_both_pages_link(
    client, unit_a, make_entry, fgwj, old_rule, django_capture_on_commit_callbacks
):
    client.get(old_rule.get_absolute_url())  # cached before the repeal
    valid_from = timezone.localdate() - dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        new = _repealing(unit_a, make_entry, fgwj, old_rule, valid_from)
    old_rule.refresh_from_db()
    assert old_rule.validity == Validity.REPEALED
    assert old_rule.invalid_from == valid_from
    assert old_rule.events.filter(action=EntryAction.VALIDITY).count() == 1
    old_page = client.get(old_rule.get_absolute_url()).content.decode()
    assert "已废止" in old_page
    assert (
        f'本文件已被<a href="{new.get_absolute_url()}">《政务服务事项管理办法》</a>废止' in old_page
    )
    assert f"{valid_from:%Y年%-m月%-d日}" in old_page
    new_page = client.get(new.get_absolute_url()).content.decode()
    assert (
        f'本文件废止<a href="{old_rule.get_absolute_url()}">《政务服务事项管理暂行办法》</a>'
        in new_page
    )


def test_withdrawing_the_repealing_document_puts_the_old_one_back_in_force(
    client, unit_a, make_entry, fgwj, old_rule, django_capture_on_commit_callbacks
):
    """A repeal published by mistake and withdrawn must not leave the old document 已废止."""
    expiry = timezone.localdate() + dt.timedelta(days=400)
    old_rule.invalid_from = expiry  # its own 失效日期, set before the repeal
    old_rule.save()
    with django_capture_on_commit_callbacks(execute=True):
        new = _repealing(unit_a, make_entry, fgwj, old_rule, timezone.localdate())
    old_rule.refresh_from_db()
    assert old_rule.validity == Validity.REPEALED
    assert "已废止" in client.get(old_rule.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.withdraw(new, SYSTEM, "误发")
    old_rule.refresh_from_db()
    assert old_rule.validity == Validity.VALID
    assert old_rule.invalid_from == expiry and old_rule.validity_after == ""
    page = client.get(old_rule.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    text = page.content.decode()
    assert "现行有效" in text and "本文件已被" not in text and "政务服务事项管理办法》" not in text
    assert "政务服务事项管理暂行办法" in client.get("/zhengce/").content.decode()
    event = old_rule.events.filter(action=EntryAction.VALIDITY).order_by("-pk").first()
    assert "已撤回" in event.note and "现行有效" in event.note


def test_withdrawing_an_earlier_repeal_keeps_a_later_ones_effect(
    unit_a, make_entry, fgwj, old_rule
):
    first = _repealing(unit_a, make_entry, fgwj, old_rule, timezone.localdate())
    second = make_entry(
        unit_a,
        category=fgwj,
        title="政务服务事项管理规定",
        document_type=DocumentType.NORMATIVE,
        valid_from=timezone.localdate() - dt.timedelta(days=2),
        state=EntryState.DRAFT,
    )
    DocumentChange.objects.create(document=second, target=old_rule, kind=ChangeKind.AMENDS)
    workflow.submit(second, SYSTEM)
    workflow.approve(second, SYSTEM)
    workflow.withdraw(first, SYSTEM, "误发")
    old_rule.refresh_from_db()
    # The later amendment marked the document since: the withdrawal of the first leaves it.
    assert old_rule.validity == Validity.AMENDED


def test_a_later_commencement_keeps_the_old_document_in_force_until_that_day(
    client, unit_a, make_entry, fgwj, old_rule
):
    start = timezone.localdate() + dt.timedelta(days=10)
    _repealing(unit_a, make_entry, fgwj, old_rule, start, kind=ChangeKind.AMENDS)
    old_rule.refresh_from_db()
    assert old_rule.validity == Validity.VALID and old_rule.invalid_from == start
    page = client.get(old_rule.get_absolute_url()).content.decode()
    assert "现行有效" in page and "本文件将被" in page
    assert "政务服务事项管理暂行办法" in client.get("/zhengce/").content.decode()
    with time_machine.travel(timezone.make_aware(dt.datetime.combine(start, dt.time(8)))):
        # Nothing was saved: the page cache and the pages follow the clock.
        page = client.get(old_rule.get_absolute_url())
        assert page["X-Page-Cache"] == "miss"
        assert "已修改" in page.content.decode() and "本文件已被" in page.content.decode()
        assert "暂行办法" not in client.get("/zhengce/").content.decode()
        assert "暂行办法" in client.get("/zhengce/?validity=amended").content.decode()
        assert policy.apply_due_changes() == 1
    old_rule.refresh_from_db()
    assert old_rule.validity == Validity.AMENDED


def test_a_scheduled_repeal_takes_effect_when_the_new_document_is_published(
    unit_a, make_entry, fgwj, old_rule
):
    publish_at = timezone.now() + dt.timedelta(days=2)
    _repealing(unit_a, make_entry, fgwj, old_rule, timezone.localdate(), publish_at=publish_at)
    old_rule.refresh_from_db()
    assert old_rule.validity == Validity.VALID
    assert old_rule.invalid_from == timezone.localtime(publish_at).date()
    assert old_rule.validity_on(old_rule.invalid_from) == Validity.REPEALED


def test_an_expiry_date_changes_the_validity_by_itself_and_the_cache_follows(
    client, unit_a, make_entry, fgwj
):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    entry = make_entry(
        unit_a,
        category=fgwj,
        title="临时性补贴发放办法",
        document_type=DocumentType.NORMATIVE,
        valid_from=dt.date(2025, 1, 1),
        invalid_from=tomorrow,
    )
    assert "临时性补贴发放办法" in client.get("/zhengce/").content.decode()
    assert client.get("/zhengce/")["X-Page-Cache"] == "hit"
    with time_machine.travel(timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(0, 5)))):
        response = client.get("/zhengce/")
        assert response["X-Page-Cache"] == "miss"
        assert "临时性补贴发放办法" not in response.content.decode()
        assert "已失效" in client.get(entry.get_absolute_url()).content.decode()


def test_interpretation_and_document_link_each_other(
    client, unit_a, unit_b, make_entry, fgwj, old_rule, django_capture_on_commit_callbacks
):
    page = client.get(old_rule.get_absolute_url()).content.decode()
    assert "暂无解读" in page
    # Published by another unit: the document's page (its unit's scope) still follows.
    with django_capture_on_commit_callbacks(execute=True):
        interpretation = make_entry(
            unit_b,
            category=Category.objects.get(slug="zcjd"),
            title="《政务服务事项管理暂行办法》政策解读",
            document_type=DocumentType.INTERPRETATION,
            interprets=old_rule,
        )
    page = client.get(old_rule.get_absolute_url()).content.decode()
    assert f'<a href="{interpretation.get_absolute_url()}">' in page
    own = client.get(interpretation.get_absolute_url()).content.decode()
    assert "解读文件" in own and f'<a href="{old_rule.get_absolute_url()}">' in own


def test_library_filters_default_to_in_force_and_export_csv(
    client, unit_a, unit_b, make_entry, fgwj, old_rule
):
    make_entry(
        unit_b,
        category=fgwj,
        title="教育收费管理规定",
        document_type=DocumentType.RULE,
        made_on=dt.date(2024, 5, 6),
        valid_from=dt.date(2024, 6, 1),
        keywords="收费",
    )
    make_entry(
        unit_b,
        category=fgwj,
        title="已废止的旧规定",
        document_type=DocumentType.RULE,
        validity=Validity.REPEALED,
        valid_from=dt.date(2010, 1, 1),
        invalid_from=dt.date(2020, 1, 1),
    )
    make_entry(unit_b, category=fgwj, title="一般工作通知")  # not a policy document
    page = client.get("/zhengce/").content.decode()
    assert "教育收费管理规定" in page and "政务服务事项管理暂行办法" in page
    assert "已废止的旧规定" not in page and "一般工作通知" not in page
    assert "已废止的旧规定" in client.get("/zhengce/?validity=repealed").content.decode()
    assert "已废止的旧规定" in client.get("/zhengce/?validity=all").content.decode()
    only_rules = client.get("/zhengce/?type=rule&unit=jyj&topic=收费").content.decode()
    assert "教育收费管理规定" in only_rules and "暂行办法" not in only_rules
    by_year = client.get("/zhengce/?year=2024").content.decode()
    assert "教育收费管理规定" in by_year and "暂行办法" not in by_year
    # Bad filter values are ignored, never a 500.
    assert client.get("/zhengce/?year=abc&validity=nonsense&type=x").status_code == 200
    response = client.get("/zhengce/export.csv?type=rule")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == policy.CSV_HEADERS
    assert [row[1] for row in rows[1:]] == ["教育收费管理规定"]
    assert rows[1][7] == "现行有效" and rows[1][4] == "安庆市教育局"


def test_library_page_query_count_does_not_grow_with_rows(
    client, unit_a, make_entry, fgwj, django_assert_max_num_queries
):
    for n in range(12):
        make_entry(
            unit_a, category=fgwj, title=f"规范性文件{n}", document_type=DocumentType.NORMATIVE
        )
    with django_assert_max_num_queries(6):
        assert client.get("/zhengce/").status_code == 200


def test_entry_form_offers_the_repeal_links_while_a_draft(
    login, admin_a, unit_a, make_entry, fgwj, old_rule
):
    client = login(admin_a)
    new = make_entry(
        unit_a,
        state=EntryState.DRAFT,
        category=fgwj,
        title="新办法",
        document_type=DocumentType.NORMATIVE,
    )
    page = client.get(f"/admin/disclosure/entry/{new.pk}/change/").content.decode()
    assert "本文件修改或废止的文件" in page and 'name="changes_made-__prefix__-target"' in page
    workflow.submit(new, SYSTEM)
    page = client.get(f"/admin/disclosure/entry/{new.pk}/change/").content.decode()
    assert 'name="changes_made-__prefix__-target"' not in page
