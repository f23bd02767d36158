"""The rich-text editor in the staff admin: loads under the CSP, speaks Chinese (issue 11)."""

import pytest

from disclosure.reports import figures
from disclosure.reports.models import AnnualReport

pytestmark = pytest.mark.django_db(transaction=True)


def _console_errors(page):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.mark.parametrize("where", ["entry", "report"])
def test_editor_loads_without_console_errors_and_in_chinese(
    browser_page, live_server, staff_login, admin_a, unit_a, bureau, where
):
    page = browser_page
    errors = _console_errors(page)
    staff_login(page, admin_a)
    if where == "entry":
        url = "/admin/disclosure/entry/add/"
    else:
        report = AnnualReport.objects.create(unit=unit_a, year=2025, overview="<p>总体情况。</p>")
        figures.apply_computed(report)
        url = f"/admin/reports/annualreport/{report.pk}/change/"
    page.goto(live_server.url + url)
    bold = page.locator(".prose-menubar button[title='加粗']").first
    bold.wait_for()
    titles = page.locator(".prose-menubar [title]").evaluate_all(
        "els => els.map(e => e.getAttribute('title'))"
    )
    english = [t for t in titles if t and t.isascii() and t != "HTML"]
    assert not english, f"菜单仍有英文提示：{english}"
    # The editor replaced the plain text box (no fall-back to a bare <textarea>).
    assert page.locator(".prose-editor .ProseMirror").count() >= 1
    assert not errors, errors
