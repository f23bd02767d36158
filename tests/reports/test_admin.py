"""Staff work on annual reports in the admin: compute, correct, override with a reason, publish."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.reports import figures, tables
from disclosure.reports.models import AnnualReport, ReportState
from portal.models import Role, UnitMembership
from tests.conftest import make_staff
from tests.reports.conftest import SEED

pytestmark = pytest.mark.django_db


def field(key):
    return "v_" + key.replace(".", "__")


def reason(key):
    return "r_" + key.replace(".", "__")


def form_data(report, **changes):
    data = {"action": "save"}
    for cell in report.figures.all():
        data[field(cell.key)] = (
            str(int(cell.value)) if cell.key not in tables.DECIMAL_KEYS else str(cell.value)
        )
        if cell.computed is not None:
            data[reason(cell.key)] = cell.reason
    data.update(changes)
    return data


@pytest.fixture
def report(admin_a, unit_a, bureau):
    report = AnnualReport.objects.create(unit=unit_a, year=2025, overview="<p>2025年总体情况。</p>")
    figures.apply_computed(report)
    return report


def test_unit_admin_adds_a_report_and_figures_are_computed(login, admin_a, unit_a):
    client = login(admin_a)
    response = client.post(
        "/admin/reports/annualreport/add/",
        {"unit": unit_a.pk, "year": 2025, "format": "2021", "title": "", "published_on": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = AnnualReport.objects.get(unit=unit_a, year=2025)
    assert report.figures.count() == len(tables.ALL_KEYS)
    assert report.figures.filter(computed__isnull=False).count() > 0
    # One report per unit and year.
    again = client.post(
        "/admin/reports/annualreport/add/", {"unit": unit_a.pk, "year": 2025, "format": "2021"}
    )
    assert again.status_code == 200
    assert "已存在" in again.content.decode()


def test_override_needs_a_reason_and_nothing_is_lost(login, admin_a, report):
    client = login(admin_a)
    url = f"/admin/reports/annualreport/{report.pk}/figures/"
    key = tables.s3("1", "person")
    response = client.post(
        url, form_data(report, **{field(key): "2", field("s2.permit.decisions"): "7"})
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "与计算值 0 不同，请填写调整原因" in body
    assert 'value="7"' in body  # what was typed is kept
    assert report.figures.get(key="s2.permit.decisions").value == 0  # nothing half-saved

    response = client.post(
        url,
        form_data(
            report,
            **{
                field(key): "2",
                reason(key): "系统上线前线下办理",
                field("s2.permit.decisions"): "7",
            },
        ),
        follow=True,
    )
    body = response.content.decode()
    assert "数据已保存，但以下勾稽关系不成立" in body
    assert "第三部分“自然人”列：（七）总计应等于21项办理结果之和 2，现为 0" in body
    cell = report.figures.get(key=key)
    assert (cell.value, cell.computed, cell.reason) == (2, 0, "系统上线前线下办理")
    assert "计算值 0" in body and "系统上线前线下办理" in body


def test_negative_and_text_values_are_refused(login, admin_a, report):
    client = login(admin_a)
    url = f"/admin/reports/annualreport/{report.pk}/figures/"
    response = client.post(
        url,
        form_data(
            report, **{field("s2.penalty.decisions"): "-3", field("s2.permit.decisions"): "abc"}
        ),
    )
    body = response.content.decode()
    assert "不能为负数" in body and "请输入数字" in body


def test_publish_is_refused_until_the_tables_add_up(login, admin_a, report, client):
    admin = login(admin_a)
    key = tables.s3("1", "person")
    admin.post(
        f"/admin/reports/annualreport/{report.pk}/figures/",
        form_data(report, **{field(key): "1", reason(key): "线下办理"}),
    )
    response = admin.post(f"/admin/reports/annualreport/{report.pk}/publish/", follow=True)
    assert "第三部分“自然人”列" in response.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT
    # Fix: the offline request was also received that year.
    for row in ("new", "results_total"):
        cell = tables.s3(row, "person")
        total = tables.s3(row, "total")
        report.figures.filter(key__in=[cell, total]).update(value=1)
    report.figures.filter(key=tables.s3("1", "total")).update(value=1)
    for row in ("new", "results_total", "1"):
        report.figures.filter(key=tables.s3(row, "person")).update(reason="线下办理")
    response = admin.post(f"/admin/reports/annualreport/{report.pk}/publish/", follow=True)
    assert "年报已发布" in response.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.PUBLISHED and report.entry.index_number
    page = client.get("/nianbao/zwzx/2025/").content.decode()
    assert "安庆市人民政府政务服务中心2025年政府信息公开工作年度报告" in page


def test_clerk_of_another_unit_cannot_reach_the_report(login, report, django_user_model, unit_b):
    other_admin = make_staff(django_user_model, "admin_b", unit_b, Role.UNIT_ADMIN)
    client = login(other_admin)
    assert client.get("/admin/reports/annualreport/").status_code == 200
    assert report.display_title not in client.get("/admin/reports/annualreport/").content.decode()
    for url in (
        f"/admin/reports/annualreport/{report.pk}/change/",
        f"/admin/reports/annualreport/{report.pk}/figures/",
        f"/admin/reports/annualreport/{report.pk}/export.xlsx",
    ):
        assert client.get(url).status_code in (403, 404), url
    assert client.post(f"/admin/reports/annualreport/{report.pk}/publish/").status_code in (
        403,
        404,
    )


def test_publisher_cannot_publish_reports(login, report, django_user_model, unit_a, admin_a):
    publisher = make_staff(django_user_model, "pub_a", unit_a, Role.PUBLISHER)
    response = login(publisher).post(f"/admin/reports/annualreport/{report.pk}/publish/")
    assert response.status_code in (403, 404)
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_legacy_import_by_upload(login, admin_a, unit_a):
    client = login(admin_a)
    upload = SimpleUploadedFile("2016.txt", SEED.read_bytes(), content_type="text/plain")
    response = client.post(
        "/admin/reports/annualreport/import-legacy/",
        {"unit": unit_a.pk, "year": 2016, "file": upload},
    )
    assert response.status_code == 302
    report = AnnualReport.objects.get(unit=unit_a, year=2016)
    assert report.title == "安庆市人民政府政务服务中心2016年度政务公开年报"
    assert report.published_on == dt.date(2017, 5, 22)
    assert "<h2>一、主要做法和成效</h2>" in report.body


def test_legacy_import_refuses_a_binary_file(login, admin_a, unit_a):
    client = login(admin_a)
    upload = SimpleUploadedFile("report.txt", b"%PDF-1.4\x00\x01binary", content_type="text/plain")
    response = client.post(
        "/admin/reports/annualreport/import-legacy/",
        {"unit": unit_a.pk, "year": 2016, "file": upload},
    )
    assert response.status_code == 200
    assert "该文件不是文本文件" in response.content.decode()
    assert not AnnualReport.objects.exists()


def test_deadline_dashboard(login, admin_a, unit_a, report):
    UnitMembership.objects.get_or_create(user=admin_a, unit=unit_a, role=Role.UNIT_ADMIN)
    with time_machine.travel(dt.datetime(2026, 2, 3, 10, tzinfo=dt.UTC)):
        client = login(admin_a)
        body = client.get("/admin/reports/annualreport/deadlines/").content.decode()
    assert "2026-01-31" in body and "已逾期" in body


def test_export_xlsx(login, admin_a, report):
    response = login(admin_a).get(f"/admin/reports/annualreport/{report.pk}/export.xlsx")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_report_text_editor_is_allowed_by_the_csp(login, admin_a, report):
    """The editor's inline import map must be allowed by hash on the report page too."""
    response = login(admin_a).get(f"/admin/reports/annualreport/{report.pk}/change/")
    body = response.content.decode()
    assert 'type="importmap"' in body and "django_prose_editor/editor.js" in body
    assert "'sha256-" in response["Content-Security-Policy"]


def test_editor_labels_come_in_chinese(login, admin_a):
    catalog = login(admin_a).get("/admin/jsi18n/").content.decode()
    assert "\\u52a0\\u7c97" in catalog or "加粗" in catalog  # "bold" → 加粗


def test_bulk_figure_writes_invalidate_the_units_pages(
    login, admin_a, report, client, django_capture_on_commit_callbacks
):
    # The computation and the figures editor write cells in bulk, without signals.
    def cached_anonymously():
        client.logout()
        client.cookies.clear()
        client.get("/unit/zwzx/")
        return client.get("/unit/zwzx/")["X-Page-Cache"] == "hit"

    assert cached_anonymously()
    with django_capture_on_commit_callbacks(execute=True):
        figures.apply_computed(report)
    assert client.get("/unit/zwzx/")["X-Page-Cache"] == "miss"
    assert cached_anonymously()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(admin_a).post(
            f"/admin/reports/annualreport/{report.pk}/figures/",
            form_data(report, **{field("s2.permit.decisions"): "7"}),
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    client.cookies.clear()
    assert client.get("/unit/zwzx/")["X-Page-Cache"] == "miss"
