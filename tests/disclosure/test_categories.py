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
# Added for the policy library's 解读 and the service guides (migration 0010).
EXTRA = ["政策解读", "办事指南"]


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
    assert [c.name for c in proactive.get_children()] == ART_20 + EXTRA


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


def test_category_admin_tree_and_retire_instead_of_delete(login, superuser, unit_a, make_entry):
    make_entry(unit_a)  # in 机构职能
    client = login(superuser)
    page = client.get("/admin/disclosure/category/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "tree_actions" in body or "drag-handler" in body  # DraggableMPTTAdmin
    used = Category.objects.get(slug="jgzn")
    unused = Category.objects.get(slug="gwykl")
    assert client.get(f"/admin/disclosure/category/{used.pk}/delete/").status_code == 403
    assert client.get(f"/admin/disclosure/category/{unused.pk}/delete/").status_code == 200


def test_category_admin_moves_a_category_by_drag_and_drop(login, superuser):
    client = login(superuser)
    moved = Category.objects.get(slug="qita")
    target = Category.objects.get(slug="jgzn")
    response = client.post(
        "/admin/disclosure/category/",
        {"cmd": "move_node", "cut_item": moved.pk, "pasted_on": target.pk, "position": "left"},
    )
    assert response.status_code == 200
    names = [c.name for c in Category.objects.get(slug="fdzdgknr").get_children()]
    assert names[0] == "其他" and names[1] == "机构职能"


@pytest.mark.parametrize("staff", ["publisher_a", "admin_a", "unit_admin_gov"])
def test_unit_staff_cannot_edit_the_site_wide_categories(login, staff, request):
    # One category tree serves every unit's catalog: a unit's own administrator renaming 机构职能
    # would rename it on every other unit's catalog too.
    client = login(request.getfixturevalue(staff))
    assert client.get("/admin/disclosure/category/").status_code == 200  # may view
    category = Category.objects.get(slug="jgzn")
    response = client.post(
        f"/admin/disclosure/category/{category.pk}/change/",
        {"name": "改名", "slug": "jgzn", "column": "proactive", "order": 1, "is_active": "on"},
    )
    assert response.status_code == 403
    category.refresh_from_db()
    assert category.name == "机构职能"
    refused = client.get("/admin/disclosure/category/add/")
    assert (
        refused.status_code == 403
        and "您没有访问此页面或执行此操作的权限" in refused.content.decode()
    )
