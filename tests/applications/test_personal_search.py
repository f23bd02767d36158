"""Personal data only through the logged page, and never in a URL: no query-string lookups on
applicant fields; the request list's GET search box never matches applicant data; 按申请人查找 is a
POST whose term is logged (an ID number masked) and whose result is opened by a random key kept in
the session, only in the units where the user may see personal data."""

import html
import re
import time
from urllib.parse import unquote

import pytest

from applications import workflow
from applications.admin import search
from applications.models import PersonalDataAccess
from portal.models import PublishingUnit, Role, UnitKind, UnitMembership
from portal.roles import ROLE_PERMISSIONS
from tests.applications.conftest import person_data
from tests.conftest import make_staff, with_document_settings

pytestmark = pytest.mark.django_db
BASE = "/admin/applications/request/"
LOOKUP = BASE + "lookup/"
ID_NUMBER = "11010519491231002X"
PHONE = "13912345678"


@pytest.fixture
def in_a(unit_a, private_media):
    request, _ = workflow.submit_online(unit_a, person_data())
    return request


@pytest.fixture
def in_b(unit_b, private_media):
    request, _ = workflow.submit_online(
        unit_b, person_data(name="李四光", phone="13700001111", id_number="340802199001011234")
    )
    return request


@pytest.fixture
def beside_a(bureau):
    """A sibling of unit A under the same 数据资源局."""
    unit = PublishingUnit.objects.create(
        parent=bureau, name="安庆市大数据中心", short_name="市大数据中心", slug="dsjzx",
        kind=UnitKind.INSTITUTION, order=2,
    )  # fmt: skip
    return with_document_settings(unit, "安庆市迎江区人民法院", prefix="安数")


def links(body: str) -> list[str]:
    """Every URL the page carries (links, form actions, scripts), as the browser would read it."""
    return [
        unquote(unquote(html.unescape(url)))
        for url in re.findall(r'(?:href|action|src)="([^"]*)"', body)
    ]


def digits(term: str) -> str:
    return re.sub(r"\D", "", term)


def assert_nowhere_in_urls(term: str, *urls: str) -> None:
    needles = {term, digits(term)} - {""}
    for url in urls:
        for needle in needles:
            assert needle not in url, (needle, url)


def looked_up(client, term):
    """POST 按申请人查找 and open where it leads: (the redirect, the list page)."""
    redirect = client.post(LOOKUP, {"term": term})
    assert redirect.status_code == 303
    return redirect, client.get(redirect["Location"])


def found(client, term) -> set:
    redirect, page = looked_up(client, term)
    assert page.status_code == 200
    return set(page.context["cl"].result_list)


# --- no personal data through the query string -------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        BASE + "?id={pk}&phone__startswith=139",
        BASE + "?id={pk}&id_number__startswith=1101",
        BASE + "?email__contains=zhangsan",
        BASE + "?address__contains=人民路",
        BASE + "?name__startswith=张",
        BASE + "?credit_code__startswith=9",
        BASE + "?found=abc&phone__startswith=139",
        "/admin/applications/appeal/?request__phone__startswith=139",
        "/admin/applications/complaint/?request__id_number__startswith=1101",
        "/admin/applications/personaldataaccess/?request__phone__startswith=139",
        "/admin/applications/personaldataaccess/?query__startswith=139",
    ],
)
def test_no_lookup_on_personal_fields(client, admin_a, in_a, url):
    client.force_login(admin_a)
    response = client.get(url.format(pk=in_a.pk))
    assert response.status_code == 400
    assert not PersonalDataAccess.objects.exists()


def test_ordinary_filters_still_work(client, admin_a, in_a):
    client.force_login(admin_a)
    response = client.get(BASE + "?applicant_type__exact=person&state__exact=submitted")
    assert response.status_code == 200 and in_a in response.context["cl"].result_list


@pytest.mark.parametrize("term", [PHONE, "139 1234 5678", "+8613912345678", ID_NUMBER])
def test_the_search_box_never_takes_a_phone_or_id_number(client, clerk_a, in_a, term):
    # The defect: `?q=13912345678` searched applicants and the number then rode along in every
    # link (`_changelist_filters=q%3D...`), the history, the access log and the Referer.
    client.force_login(clerk_a)
    response = client.get(BASE, {"q": term, "state__exact": "submitted"})
    assert response.status_code == 302
    assert response["Location"] == BASE + "?state__exact=submitted"
    assert not PersonalDataAccess.objects.exists()
    page = client.get(response["Location"])
    assert "按申请人查找" in page.content.decode() and "搜索框只按申请编号" in page.content.decode()
    assert_nowhere_in_urls(term, *links(page.content.decode()))


def test_the_search_box_does_not_match_applicant_names(client, clerk_a, in_a):
    client.force_login(clerk_a)
    response = client.get(BASE, {"q": "张三丰"})
    assert response.status_code == 200 and list(response.context["cl"].result_list) == []
    assert not PersonalDataAccess.objects.exists()
    assert "申请编号、所需信息名称" in response.content.decode()


def test_the_search_box_still_finds_numbers_and_titles(client, clerk_a, in_a, in_b):
    client.force_login(clerk_a)
    for term in (in_a.number, "窗口设置方案"):
        response = client.get(BASE, {"q": term})
        assert set(response.context["cl"].result_list) == {in_a}
    assert not PersonalDataAccess.objects.exists()


# --- 按申请人查找 (POST) -------------------------------------------------------------------------


@pytest.mark.parametrize("term", ["张三丰", "三丰", PHONE, "139 1234 5678", ID_NUMBER])
def test_handler_finds_an_applicant_and_the_search_is_logged(client, clerk_a, in_a, in_b, term):
    client.force_login(clerk_a)
    redirect, page = looked_up(client, term)
    assert set(page.context["cl"].result_list) == {in_a}
    log = PersonalDataAccess.objects.get()
    assert log.user == clerk_a and log.request is None and log.rows == 1
    assert log.what == "检索申请人信息"
    assert ID_NUMBER not in log.query and "002X" not in log.query[:-4]
    if term == ID_NUMBER:
        assert log.query == "110***********002X"
    else:
        assert log.query == term
    # Neither the term nor its digits in the redirect, in any link of the page, nor in the session.
    body = page.content.decode()
    assert re.fullmatch(re.escape(BASE) + r"\?found=[\w-]{8,}", redirect["Location"])
    assert_nowhere_in_urls(term, redirect["Location"], *links(body))
    assert term not in body and PHONE not in body and ID_NUMBER not in body
    assert term not in str(dict(client.session))
    assert "按申请人查找：找到 1 件（查找内容不显示在地址栏中）" in body


def test_the_found_key_travels_with_the_list_links(client, clerk_a, in_a):
    client.force_login(clerk_a)
    redirect, page = looked_up(client, PHONE)
    key = redirect["Location"].split("found=")[1]
    body = page.content.decode()
    # Opening a case and coming back keeps the result (only the random key is in the URL).
    assert f"/{in_a.pk}/change/?_changelist_filters=found%3D{key}" in body
    change = client.get(f"{BASE}{in_a.pk}/change/?_changelist_filters=found%3D{key}")
    assert change.status_code == 200
    combined = client.get(BASE, {"found": key, "state__exact": "submitted"})
    assert combined.status_code == 200 and set(combined.context["cl"].result_list) == {in_a}
    other_state = client.get(BASE, {"found": key, "state__exact": "replied"})
    assert list(other_state.context["cl"].result_list) == []
    assert PersonalDataAccess.objects.count() == 1  # opening the result again searches nothing


def test_the_banner_clears_the_result(client, clerk_a, in_a):
    client.force_login(clerk_a)
    workflow.submit_online(in_a.unit, person_data(name="王五", phone="13800002222"))
    redirect, page = looked_up(client, PHONE)
    assert len(page.context["cl"].result_list) == 1
    assert f'<a href="{BASE}">清除查找结果</a>' in page.content.decode()
    assert len(client.get(BASE).context["cl"].result_list) == 2


def test_a_very_common_name_lists_the_newest_and_says_so(
    client, clerk_a, unit_a, private_media, monkeypatch
):
    monkeypatch.setattr(search, "MAX_IDS", 2)
    client.force_login(clerk_a)
    for n in range(3):
        workflow.submit_online(unit_a, person_data(phone=f"1390000000{n}"))
    redirect, page = looked_up(client, "张")
    assert len(page.context["cl"].result_list) == 2
    assert "找到 3 件（查找内容不显示在地址栏中），只列出最近的 2 件" in page.content.decode()
    assert PersonalDataAccess.objects.get().rows == 3


@pytest.mark.parametrize(
    "term, message",
    [
        ("", "请输入申请人姓名、联系电话或证件号码。"),
        ("   ", "请输入申请人姓名、联系电话或证件号码。"),
        ("1391", "按联系电话查找请至少输入7位数字。"),
        ("139 12", "按联系电话查找请至少输入7位数字。"),
        ("张" * 51, "查找内容不能超过50个字。"),
    ],
)
def test_bad_terms_say_why_and_the_form_stays_usable(client, clerk_a, in_a, term, message):
    client.force_login(clerk_a)
    response = client.post(LOOKUP, {"term": term})
    assert response.status_code == 303 and response["Location"] == BASE
    page = client.get(BASE).content.decode()
    assert message in page
    assert 'id="applicant-lookup"' in page and 'name="term"' in page
    assert not PersonalDataAccess.objects.exists()


def test_search_reaches_only_units_where_the_user_handles_requests(
    client, django_user_model, unit_a, unit_b, in_a, in_b
):
    # 申请办理员 of B, 信息发布员 of A: A's applicants stay out of reach.
    user = make_staff(django_user_model, "mixed", unit_b, Role.HANDLER)
    UnitMembership.objects.create(user=user, unit=unit_a, role=Role.PUBLISHER)
    client.force_login(user)
    assert found(client, "张三丰") == set()
    assert found(client, "李四光") == {in_b}
    assert list(PersonalDataAccess.objects.order_by("at").values_list("rows", flat=True)) == [0, 1]


def test_a_handler_of_a_does_not_reach_the_sibling_unit(
    client, django_user_model, unit_a, beside_a, in_a, private_media
):
    # Roles in two sibling units: 申请办理员 of A, 审核员 of the unit beside it.
    beside, _ = workflow.submit_online(beside_a, person_data(name="张三丰"))
    user = make_staff(django_user_model, "sibling", unit_a, Role.HANDLER)
    UnitMembership.objects.create(user=user, unit=beside_a, role=Role.REVIEWER)
    client.force_login(user)
    assert found(client, "张三丰") == {in_a}
    assert found(client, PHONE) == {in_a}
    assert PersonalDataAccess.objects.filter(rows=1).count() == 2
    # Their administrator sees both, and both units' requests.
    boss = make_staff(django_user_model, "boss", unit_a.parent, Role.UNIT_ADMIN)
    client.force_login(boss)
    assert found(client, "张三丰") == {in_a, beside}


def test_a_tampered_session_never_reveals_another_units_request(client, clerk_a, in_a, in_b):
    client.force_login(clerk_a)
    session = client.session
    session[search.SESSION_KEY] = {"forged": {"ids": [in_b.pk, in_a.pk], "at": int(time.time())}}
    session.save()
    response = client.get(BASE, {"found": "forged"})
    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == {in_a}
    assert in_b.number not in response.content.decode()
    assert client.get(f"{BASE}{in_b.pk}/change/").status_code == 404


@pytest.mark.parametrize("key", ["nothing-here", "x" * 300, "'%22<b>"])
def test_an_unknown_key_lists_everything_with_a_word(client, clerk_a, in_a, key):
    client.force_login(clerk_a)
    response = client.get(BASE, {"found": key})
    assert response.status_code == 200  # not 400, not the `?e=1` of a bad lookup
    assert set(response.context["cl"].result_list) == {in_a}
    assert "该按申请人查找的结果已过期或不存在" in response.content.decode()


def test_a_result_expires_after_half_an_hour(client, clerk_a, in_a, settings, time_machine):
    settings.SESSION_COOKIE_AGE = 3 * 3600  # the staff session itself outlives the result
    time_machine.move_to("2026-03-02 10:00:00+08:00", tick=False)
    client.force_login(clerk_a)
    workflow.submit_online(in_a.unit, person_data(name="王五", phone="13800002222"))
    redirect, page = looked_up(client, PHONE)
    assert len(page.context["cl"].result_list) == 1
    time_machine.move_to("2026-03-02 10:29:00+08:00", tick=False)
    assert len(client.get(redirect["Location"]).context["cl"].result_list) == 1
    time_machine.move_to("2026-03-02 10:31:00+08:00", tick=False)
    response = client.get(redirect["Location"])
    assert len(response.context["cl"].result_list) == 2
    assert "已过期或不存在" in response.content.decode()


def test_only_the_latest_lookups_are_kept(client, clerk_a, in_a):
    client.force_login(clerk_a)
    keys = [looked_up(client, PHONE)[0]["Location"] for _ in range(search.KEEP_LOOKUPS + 1)]
    assert "已过期或不存在" in client.get(keys[0]).content.decode()
    assert "找到 1 件" in client.get(keys[-1]).content.decode()
    assert len(client.session[search.SESSION_KEY]) == search.KEEP_LOOKUPS


def test_without_the_permission_no_form_and_no_lookup(
    client, publisher_a, django_user_model, unit_a, in_a, monkeypatch
):
    client.force_login(publisher_a)
    assert client.post(LOOKUP, {"term": PHONE}).status_code == 403
    # A role that may read the request list but not applicants' data (none today, but the list
    # must not depend on that): no form, and a 403 for a hand-made POST.
    monkeypatch.setitem(
        ROLE_PERMISSIONS,
        Role.REVIEWER,
        [*ROLE_PERMISSIONS[Role.REVIEWER], "applications.view_request"],
    )
    reader = make_staff(django_user_model, "reader", unit_a, Role.REVIEWER)
    client.force_login(reader)
    page = client.get(BASE)
    assert page.status_code == 200 and in_a in page.context["cl"].result_list
    assert 'id="applicant-lookup"' not in page.content.decode()
    assert client.post(LOOKUP, {"term": PHONE}).status_code == 403
    assert client.get(BASE, {"found": "anything"}).status_code == 200
    assert not PersonalDataAccess.objects.exists()


def test_the_lookup_needs_the_csrf_token(clerk_a, in_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk_a)
    assert client.post(LOOKUP, {"term": PHONE}).status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_a_get_of_the_lookup_address_searches_nothing(client, clerk_a, in_a):
    client.force_login(clerk_a)
    response = client.get(LOOKUP, {"term": PHONE})
    assert response.status_code == 302 and response["Location"] == BASE
    assert not PersonalDataAccess.objects.exists()


def test_search_by_number_is_not_logged(client, clerk_a, in_a):
    client.force_login(clerk_a)
    redirect, page = looked_up(client, in_a.number)
    assert redirect["Location"] == f"{BASE}?q={in_a.number}"
    assert set(page.context["cl"].result_list) == {in_a}
    assert not PersonalDataAccess.objects.exists()


def test_the_found_list_costs_a_fixed_number_of_queries(
    client, clerk_a, unit_a, in_a, django_assert_num_queries, django_assert_max_num_queries
):
    client.force_login(clerk_a)
    for n in range(5):
        workflow.submit_online(unit_a, person_data(phone=f"1390000000{n}"))
    redirect, page = looked_up(client, "张三丰")
    assert len(page.context["cl"].result_list) == 6
    # Session (none with Redis), user, memberships, the units of each permission, the list, its
    # counts and dates: the same as the whole list, whatever the number of requests found.
    with django_assert_max_num_queries(17) as found_list:
        response = client.get(redirect["Location"])
    assert len(response.context["cl"].result_list) == 6
    with django_assert_num_queries(len(found_list.captured_queries)):
        client.get(BASE)


def test_unit_admin_sees_searches_by_their_staff_only(client, clerk_a, clerk_b, admin_a, in_a):
    client.force_login(clerk_a)
    found(client, "张三丰")
    client.force_login(clerk_b)
    found(client, "王五")
    client.force_login(admin_a)
    response = client.get("/admin/applications/personaldataaccess/")
    rows = list(response.context["cl"].result_list)
    assert [row.user for row in rows] == [clerk_a]
    assert (
        client.get(f"/admin/applications/personaldataaccess/{rows[0].pk}/change/").status_code
        == 200
    )
    other = PersonalDataAccess.objects.get(user=clerk_b)
    assert (
        client.get(f"/admin/applications/personaldataaccess/{other.pk}/change/").status_code == 404
    )
