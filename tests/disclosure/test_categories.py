import pytest

from disclosure.models import Category, ColumnKind, EntryState

pytestmark = pytest.mark.django_db

ART_20 = [
    "机构职能",
    "法规文件",
    "规划计划",
    "统计信息",
    "行政许可",
    "行政处罚和行政强制",
    "财政预决算",
    "行政事业性收费",
    "政府集中采购",
    "重大建设项目",
    "民生政策",
    "应急管理",
    "监督检查",
    "公务员招考",
    "其他",
]


def test_migration_seeds_the_standard_columns_in_order():
    roots = list(Category.objects.filter(parent=None).order_by("tree_id"))
    assert [c.name for c in roots] == [
        "政府信息公开指南",
        "政府信息公开制度",
        "法定主动公开内容",
        "政府信息公开年报",
    ]
    assert [c.column for c in roots] == [
        ColumnKind.GUIDE,
        ColumnKind.RULES,
        ColumnKind.PROACTIVE,
        ColumnKind.ANNUAL_REPORT,
    ]
    proactive = roots[2]
    assert [c.name for c in proactive.get_children()] == ART_20


def test_seeded_tree_is_consistent_with_a_rebuild():
    before = list(Category.objects.values_list("pk", "tree_id", "lft", "rght", "level"))
    Category.rebuild_tree()
    after = list(Category.objects.values_list("pk", "tree_id", "lft", "rght", "level"))
    assert sorted(before) == sorted(after)


def test_retired_category_keeps_its_entries_reachable(client, unit_a, make_entry, category):
    entry = make_entry(unit_a, title="机构职能说明")
    category.is_active = False
    category.save()
    assert client.get(entry.get_absolute_url()).status_code == 200
    body = client.get("/xxgk/zwzx/").content.decode()
    assert "机构职能说明" in body and "机构职能" in body
    assert client.get("/xxgk/zwzx/c/jgzn/").status_code == 200
    assert entry.state == EntryState.PUBLISHED


def test_retired_category_without_entries_is_hidden_from_the_tree(client, unit_a):
    Category.objects.filter(slug="ghjh").update(is_active=False)
    body = client.get("/xxgk/zwzx/").content.decode()
    assert "规划计划" not in body
    assert client.get("/xxgk/zwzx/c/ghjh/").status_code == 404
