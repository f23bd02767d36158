"""The staff start page (我的工作台, issue 11): what waits for each persona today, in their own
units only, with a query count that does not grow with the register."""

import datetime as dt

import pytest
import time_machine

from applications import workflow
from applications.models import Request
from portal.models import Role, UnitMembership
from tests.applications.conftest import register_on
from tests.conftest import make_staff

INDEX = "/admin/"
TODAY = dt.datetime(2026, 4, 2, 10, tzinfo=dt.UTC)  # 2026-04-02, a Thursday


@pytest.fixture
def cases(unit_a, unit_b, clerk_a, clerk_b, private_media):
    overdue = register_on(dt.date(2026, 3, 2), unit_a, clerk_a, name="张三丰")  # due 03-30
    later = register_on(dt.date(2026, 3, 17), unit_a, clerk_a)  # due 04-15
    back = register_on(dt.date(2026, 3, 18), unit_a, clerk_a)
    with time_machine.travel(dt.datetime(2026, 3, 19, 10, tzinfo=dt.UTC)):
        workflow.request_supplement(back, actor=clerk_a, what="文件名称", period_workdays=10)
    with time_machine.travel(dt.datetime(2026, 3, 25, 10, tzinfo=dt.UTC)):
        workflow.receive_supplement(back, text="《2025年预算》")
    other = register_on(dt.date(2026, 3, 3), unit_b, clerk_b, name="李四")
    return {"overdue": overdue, "later": later, "back": back, "other": other}


def start_page(client, user):
    client.force_login(user)
    with time_machine.travel(TODAY):
        return client.get(INDEX)


def test_handler_sees_todays_work_by_urgency(client, clerk_a, cases):
    response = start_page(client, clerk_a)
    body = response.content.decode()
    assert "依申请公开 · 今日待办" in body
    panel = response.context["workbench_panels"][0]
    assert panel["overdue"] == 1
    assert {label: n for label, n, _ in panel["waiting"]}["补正材料已到"] == 1
    numbers = [r.number for r in panel["urgent"]]
    assert numbers.index(cases["overdue"].number) < numbers.index(cases["later"].number)
    # The sibling unit's case is not there; names are masked.
    assert cases["other"].number not in body and "李四" not in body
    assert "张*丰" in body and "张三丰" not in body
    assert "超期 3 个工作日" in body


def test_waiting_links_open_the_filtered_list(client, clerk_a, cases):
    client.force_login(clerk_a)
    body = client.get("/admin/applications/request/", {"waiting": "supplement_received"})
    numbers = [r.number for r in body.context["cl"].result_list]
    assert numbers == [cases["back"].number]


def test_roles_in_two_units_each_see_their_own_panel(
    client, django_user_model, unit_a, unit_b, cases
):
    # 信息发布员 of A, 申请办理员 of B: requests of B only, entries of A only.
    user = make_staff(django_user_model, "mixed", unit_a, Role.PUBLISHER)
    UnitMembership.objects.create(user=user, unit=unit_b, role=Role.HANDLER)
    response = start_page(client, user)
    panels = {p["template"]: p for p in response.context["workbench_panels"]}
    requests = panels["admin/applications/workbench_panel.html"]
    assert [r.number for r in requests["urgent"]] == [cases["other"].number]
    assert "admin/disclosure/workbench_panel.html" in panels


def test_publisher_has_no_request_panel(client, publisher_a, cases):
    response = start_page(client, publisher_a)
    templates = [p["template"] for p in response.context["workbench_panels"]]
    assert templates == ["admin/disclosure/workbench_panel.html"]
    assert "依申请公开 · 今日待办" not in response.content.decode()


def test_query_count_does_not_grow_with_the_register(
    client, clerk_a, unit_a, cases, django_assert_max_num_queries
):
    start_page(client, clerk_a)
    with django_assert_max_num_queries(40) as first:
        start_page(client, clerk_a)
    for day in range(2, 28):
        register_on(dt.date(2026, 2, day), unit_a, clerk_a)
    assert Request.objects.count() >= 30
    with django_assert_max_num_queries(len(first.captured_queries)):
        start_page(client, clerk_a)
