"""Personal data only through the logged page: no query-string lookups on applicant fields; the
request list finds an applicant by name, phone or ID number where the user handles requests, and
every such search is logged."""

import pytest

from applications import workflow
from applications.models import PersonalDataAccess
from portal.models import Role, UnitMembership
from tests.applications.conftest import person_data
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db
BASE = "/admin/applications/request/"
ID_NUMBER = "11010519491231002X"


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


@pytest.mark.parametrize(
    "url",
    [
        BASE + "?id={pk}&phone__startswith=139",
        BASE + "?id={pk}&id_number__startswith=1101",
        BASE + "?email__contains=zhangsan",
        BASE + "?address__contains=人民路",
        BASE + "?name__startswith=张",
        BASE + "?credit_code__startswith=9",
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


def searched(client, term):
    response = client.get(BASE, {"q": term})
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


@pytest.mark.parametrize("term", ["张三丰", "三丰", "13912345678", "139 1234 5678", ID_NUMBER])
def test_handler_finds_an_applicant_and_the_search_is_logged(client, clerk_a, in_a, in_b, term):
    client.force_login(clerk_a)
    assert searched(client, term) == {in_a}
    log = PersonalDataAccess.objects.get()
    assert log.user == clerk_a and log.request is None and log.rows == 1
    assert log.what == "检索申请人信息"
    assert ID_NUMBER not in log.query and "002X" not in log.query[:-4]
    if term == ID_NUMBER:
        assert log.query == "110***********002X"
    else:
        assert log.query == term


def test_a_few_digits_find_no_phone(client, clerk_a, in_a):
    client.force_login(clerk_a)
    assert searched(client, "1391") == set()


def test_search_reaches_only_units_where_the_user_handles_requests(
    client, django_user_model, unit_a, unit_b, in_a, in_b
):
    # 申请办理员 of B, 信息发布员 of A: A's applicants stay out of reach.
    user = make_staff(django_user_model, "mixed", unit_b, Role.HANDLER)
    UnitMembership.objects.create(user=user, unit=unit_a, role=Role.PUBLISHER)
    client.force_login(user)
    assert searched(client, "张三丰") == set()
    assert searched(client, "李四光") == {in_b}
    assert list(PersonalDataAccess.objects.order_by("at").values_list("rows", flat=True)) == [0, 1]


def test_search_by_number_is_not_logged(client, clerk_a, in_a):
    client.force_login(clerk_a)
    assert searched(client, in_a.number) == {in_a}
    assert not PersonalDataAccess.objects.exists()


def test_unit_admin_sees_searches_by_their_staff_only(client, clerk_a, clerk_b, admin_a, in_a):
    client.force_login(clerk_a)
    searched(client, "张三丰")
    client.force_login(clerk_b)
    searched(client, "王五")
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
