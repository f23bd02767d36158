"""A citizen on a phone searches, narrows the results with a facet, and finds the annual reports
under the word people use (年报)."""

import pytest

from disclosure import workflow
from disclosure.models import Category, Entry
from portal.permissions import SYSTEM
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e


def publish(unit, title, category="jgzn", **fields):
    entry = Entry.objects.create(
        unit=unit, category=Category.objects.get(slug=category), title=title, **fields
    )
    workflow.submit(entry, SYSTEM)
    workflow.approve(entry, SYSTEM)
    return entry


def test_phone_search_with_facets_and_equivalent_terms(browser_page, live_server, unit_a, unit_b):
    publish(unit_a, "2025年政府信息公开工作年度报告", category="nianbao", made_on="2026-01-10")
    publish(unit_b, "教育局政府信息公开工作年报", category="nianbao", made_on="2026-01-12")
    publish(unit_b, "关于义务教育招生的通知", made_on="2026-02-01")

    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/search/?q=年报")
    results = page.locator(".search-results").inner_text()
    assert "2025年政府信息公开工作年度报告" in results and "教育局政府信息公开工作年报" in results
    assert "找到 2 条" in page.locator(".result-count").inner_text()
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)

    page.locator(".search-facets a", has_text="安庆市教育局").click()
    page.wait_for_url("**unit=jyj**")
    results = page.locator(".search-results").inner_text()
    assert "教育局政府信息公开工作年报" in results
    assert "2025年政府信息公开工作年度报告" not in results
    assert page.locator('.search-facets a[aria-current="true"]').inner_text() == "安庆市教育局"
