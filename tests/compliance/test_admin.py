"""The self-check pages: per unit for its administrators, site-wide for superusers, the CSV and
the 政府网站工作年度报表."""

import csv
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from compliance import selfcheck
from compliance.models import Snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_profile")]
PAGE = "/admin/compliance/snapshot/"


def test_unit_admin_sees_and_rechecks_only_their_units(login, admin_a, unit_a, unit_b):
    client = login(admin_a)
    page = client.get(PAGE).content.decode()
    assert "今天还没有自查结果" in page and unit_a.name in page and unit_b.name not in page
    assert client.get(f"{PAGE}?unit={unit_b.slug}").status_code == 403
    assert client.post(f"{PAGE}recheck/", {"unit": unit_b.slug}).status_code == 403
    response = client.post(f"{PAGE}recheck/", {"unit": unit_a.slug})
    assert response.status_code == 302
    snapshot = Snapshot.objects.get(unit=unit_a)
    page = client.get(f"{PAGE}?unit={unit_a.slug}").content.decode()
    assert "得分：<strong>94分</strong>" in page and "空白栏目（3）" in page
    # Each finding links to where it is fixed: here, a new entry in the empty column.
    assert "/admin/disclosure/entry/add/?unit=" in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"{PAGE}export.csv?unit={unit_a.slug}").content.decode("utf-8-sig")
            )
        )
    )
    assert rows[0][:2] == ["自查对象", unit_a.name]
    assert ["得分", str(snapshot.score)] == rows[1][:2]
    assert any(row and row[0] == "空白栏目" for row in rows)
    # The site-wide page and the yearly report are for superusers.
    assert client.get(f"{PAGE}annual/").status_code == 403


def test_staff_without_the_role_have_no_self_check(login, publisher_a):
    assert login(publisher_a).get(PAGE).status_code == 403


def test_superuser_site_page_trend_and_annual_report(login, superuser, unit_a, make_entry):
    client = login(superuser)
    selfcheck.store(selfcheck.run(None))
    page = client.get(PAGE).content.decode()
    assert "网站自查：全站" in page and "近12周自查得分" in page
    make_entry(unit_a, title="年度报表测试信息")
    this_year = timezone.localdate().year
    report = client.get(f"{PAGE}annual/?year={this_year}").content.decode()
    for heading in (
        "一、网站基本信息",
        "二、信息发布",
        "三、政策文件与解读",
        "四、办事服务",
        "五、依申请公开",
        "六、互动交流",
        "七、网站自查",
    ):
        assert heading in report, heading
    assert "3408000001" in report
    response = client.get(f"{PAGE}annual.xlsx?year={this_year}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert values["信息发布总数（条）"] == 1
    assert values["政府网站标识码"] == "3408000001"
