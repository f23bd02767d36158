"""The models and the committed migrations agree."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    out = io.StringIO()
    call_command("makemigrations", "applications", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


OLD_SENTENCES = [
    # kind, until_on, payload, the sentence an older version stored, facts expected afterwards
    ("received", None, {}, "已确认收到申请。", {"confirmed": True}),
    (
        "supplement_requested",
        "2026-03-20",
        {"what": "文件名称", "period_workdays": 10},
        "请于2026年03月20日前补正：文件名称",
        {},
    ),
    (
        "extended",
        None,
        {"workdays": 10, "approver": "王主任"},
        "经政府信息公开工作机构负责人同意，答复期限延长10个工作日。理由：量大",
        {"reason": "量大"},
    ),
    (
        "redirected",
        None,
        {"from_unit": 1, "to_unit": 2},
        "您的申请已由甲局转至乙局办理。",
        {"from_unit_name": "甲局", "to_unit_name": "乙局"},
    ),
    ("replied", None, {"result": "1"}, "已作出答复：（一）予以公开。", {}),
]


@pytest.mark.django_db(transaction=True)
def test_stored_sentences_become_data_and_read_the_same():
    """Migration 0006 turns the workflow's finished sentences into facts behind the append-only
    trigger; a sentence it does not recognise is kept and still shown."""
    import datetime as dt

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from applications.models import RequestEvent

    executor = MigrationExecutor(connection)
    before = [("applications", "0005_event_code_reissued")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    unit = apps.get_model("portal", "PublishingUnit").objects.create(
        name="甲局", short_name="甲局", slug="jia", lft=1, rght=2, tree_id=1, level=0
    )
    request = apps.get_model("applications", "Request").objects.create(
        number="YSQ-2026-000001",
        year=2026,
        serial=1,
        unit_id=unit.pk,
        channel="online",
        applicant_type="person",
        name="张三",
        phone="1",
        info_description="x",
        medium="paper",
        delivery="post",
        state="processing",
        received_on=dt.date(2026, 3, 2),
    )
    Event = apps.get_model("applications", "RequestEvent")
    rows = OLD_SENTENCES + [("withdrawn", None, {}, "申请人撤回了申请（旧版措辞）。", {})]
    ids = [
        Event.objects.create(
            request_id=request.pk,
            kind=kind,
            effective_on=dt.date(2026, 3, 3),
            until_on=dt.date.fromisoformat(until) if until else None,
            public_note=text,
            payload=payload,
        ).pk
        for kind, until, payload, text, _facts in rows
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    for pk, (_kind, _until, payload, text, facts) in zip(ids, OLD_SENTENCES, strict=False):
        event = RequestEvent.objects.get(pk=pk)
        assert event.public_note == "" and event.payload == {**payload, **facts}
        assert event.sentence == text
    kept = RequestEvent.objects.get(pk=ids[-1])
    assert kept.public_note and kept.sentence == "申请人撤回了申请（旧版措辞）。"
    # The trigger is back: history cannot be rewritten.
    with pytest.raises(Exception, match="只能追加"):
        RequestEvent.objects.filter(pk=kept.pk).update(note="x")
