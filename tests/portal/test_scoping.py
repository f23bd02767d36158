"""A staff member sees only their own units: lists, detail pages, filters, autocompletes."""

import json

import pytest
from django.contrib.auth.models import Group

from portal.models import PublishingUnit, Role, UnitMembership

pytestmark = pytest.mark.django_db


def names_in_changelist(response):
    return {obj.name for obj in response.context["cl"].result_list}


def test_clerk_lists_only_own_unit(login, clerk_a, unit_a, unit_b):
    response = login(clerk_a).get("/admin/portal/publishingunit/")
    assert response.status_code == 200
    assert names_in_changelist(response) == {unit_a.name}
    assert unit_b.name not in response.content.decode()


def test_clerk_gets_404_on_another_units_pages(login, clerk_a, unit_b):
    client = login(clerk_a)
    for url in (
        f"/admin/portal/publishingunit/{unit_b.pk}/change/",
        f"/admin/portal/publishingunit/{unit_b.pk}/history/",
        f"/admin/portal/publishingunit/{unit_b.pk}/delete/",
    ):
        assert client.get(url).status_code in (403, 404), url
    assert client.post(
        f"/admin/portal/publishingunit/{unit_b.pk}/change/", {"name": "x"}
    ).status_code in (403, 404)


def test_unit_admin_covers_the_subtree(login, unit_admin_gov, government, bureau, unit_a, unit_b):
    response = login(unit_admin_gov).get("/admin/portal/publishingunit/")
    assert names_in_changelist(response) == {government.name, bureau.name, unit_a.name, unit_b.name}


def test_unit_admin_of_a_leaf_does_not_see_parents_or_siblings(
    login, admin_a, unit_a, bureau, unit_b
):
    response = login(admin_a).get("/admin/portal/publishingunit/")
    assert names_in_changelist(response) == {unit_a.name}


def test_membership_filter_offers_only_own_units(login, admin_a, clerk_a, clerk_b, unit_a, unit_b):
    # A child of unit A, so the filter has two choices to show.
    child = PublishingUnit.objects.create(
        parent=unit_a, name="政务服务中心窗口", short_name="窗口", slug="window"
    )
    response = login(admin_a).get("/admin/portal/unitmembership/")
    assert response.status_code == 200
    members = {m.user.username for m in response.context["cl"].result_list}
    assert members == {"admin_a", "clerk_a"}
    unit_filter = next(
        f for f in response.context["cl"].filter_specs if getattr(f, "field_path", "") == "unit"
    )
    offered = {label for _, label in unit_filter.lookup_choices}
    assert offered == {unit_a.name, child.name}
    # Asking the filter for another unit by hand yields nothing of it.
    response = login(admin_a).get(f"/admin/portal/unitmembership/?unit__id__exact={unit_b.pk}")
    assert {m.user.username for m in response.context["cl"].result_list} == set()


def test_autocomplete_offers_only_own_active_units(
    login, admin_a, unit_a, unit_b, django_user_model
):
    closed = PublishingUnit.objects.create(
        parent=unit_a,
        name="安庆市已撤销中心",
        short_name="已撤销中心",
        slug="closed",
        is_active=False,
    )
    UnitMembership.objects.create(user=admin_a, unit=unit_a, role=Role.PUBLISHER)
    client = login(admin_a)
    url = "/admin/autocomplete/?app_label=disclosure&model_name=entry&field_name=unit&term="
    response = client.get(url)
    assert response.status_code == 200
    results = {row["text"] for row in json.loads(response.content)["results"]}
    assert results == {unit_a.name}
    assert closed.name not in results and unit_b.name not in results


def test_superuser_sees_all(login, superuser, unit_a, unit_b, government, bureau):
    response = login(superuser).get("/admin/portal/publishingunit/")
    assert names_in_changelist(response) == {government.name, bureau.name, unit_a.name, unit_b.name}


def test_unit_admin_cannot_move_the_tree(login, admin_a, unit_a):
    client = login(admin_a)
    response = client.get(f"/admin/portal/publishingunit/{unit_a.pk}/change/")
    assert response.status_code == 200
    form_fields = response.context["adminform"].form.fields
    assert "parent" not in form_fields and "slug" not in form_fields
    assert "office_phone" in form_fields


def test_membership_puts_user_in_role_group_and_makes_staff(clerk_a):
    assert clerk_a.is_staff
    assert clerk_a.groups.filter(name="申请办理员").exists()


def test_role_groups_carry_permissions():
    publisher = Group.objects.get(name="信息发布员")
    assert publisher.permissions.filter(codename="view_publishingunit").exists()
    admin = Group.objects.get(name="单位管理员")
    assert admin.permissions.filter(codename="change_publishingunit").exists()
    assert not publisher.permissions.filter(codename="change_publishingunit").exists()


def test_anonymous_is_sent_to_login(client, unit_a):
    response = client.get(f"/admin/portal/publishingunit/{unit_a.pk}/change/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def move(client, unit, target):
    return client.post(
        "/admin/portal/publishingunit/",
        {"cmd": "move_node", "cut_item": unit.pk, "pasted_on": target.pk, "position": "last-child"},
    )


def test_only_a_superuser_moves_units_in_the_tree(login, unit_admin_gov, superuser, unit_a, unit_b):
    client = login(unit_admin_gov)
    response = client.get("/admin/portal/publishingunit/")
    assert 'class="drag-handle"' not in response.content.decode()
    assert move(client, unit_a, unit_b).status_code == 403
    unit_a.refresh_from_db()
    assert unit_a.parent.slug == "sjj"
    client = login(superuser)
    assert 'class="drag-handle"' in client.get("/admin/portal/publishingunit/").content.decode()
    assert move(client, unit_a, unit_b).status_code == 200
    unit_a.refresh_from_db()
    assert unit_a.parent == unit_b
