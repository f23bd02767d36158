"""Tables a citizen reads on a phone: at 360 px their rows become cards, and each value keeps its
label (a bare "1份" or "—" means nothing on its own), also in 长者模式 at 20 px text."""

import datetime as dt

import pytest

from disclosure import workflow
from disclosure.guides import workflow as guide_workflow
from disclosure.guides.models import GuideMaterial, GuideStep, ServiceGuide
from disclosure.models import Category, DocumentType, Entry
from portal.permissions import SYSTEM
from tests.guides.conftest import COMPLETE

# Each data cell's visible label: the text of its ::before, or of a label element inside it.
LABELS = """table => [...table.querySelectorAll('tbody td')].map(td => {
  const before = getComputedStyle(td, '::before').content;
  return before && before !== 'none' && before !== 'normal' ? before : '';
})"""


@pytest.fixture
def policy_document(unit_a):
    entry = Entry.objects.create(
        unit=unit_a,
        category=Category.objects.get(slug="fgwj"),
        title="政务服务事项管理办法",
        document_number="宜政服〔2026〕1号",
        made_on=dt.date(2026, 3, 1),
        document_type=DocumentType.NORMATIVE,
        valid_from=dt.date(2026, 4, 1),
    )
    workflow.submit(entry, SYSTEM)
    workflow.approve(entry, SYSTEM)
    return entry


@pytest.fixture
def guide(unit_a, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    guide = ServiceGuide.objects.create(
        unit=unit_a,
        **{**COMPLETE, "online_service": True, "online_url": "https://www.ahzwfw.gov.cn/"},
    )
    GuideMaterial.objects.create(guide=guide, order=1, name="营业执照", form="copy", copies=1)
    GuideStep.objects.create(guide=guide, order=1, name="申请与受理", time_limit="当场")
    guide_workflow.submit(guide, SYSTEM)
    guide_workflow.approve(guide, SYSTEM)
    return guide


def test_policy_library_cards_keep_their_labels_at_360_px(
    browser_page, live_server, site_profile, policy_document
):
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/zhengce/")
    labels = page.locator(".policy-table").evaluate(LABELS)
    # The title cell leads the card; every other value says what it is.
    assert labels[1:] == [
        '"文号："',
        '"发文机关："',
        '"成文日期："',
        '"施行日期："',
        '"有效性："',
        '"解读："',
    ]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize("mode", ["", "?mode=elder"])
def test_guide_tables_read_at_360_px(browser_page, live_server, site_profile, guide, mode):
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}{guide.get_absolute_url()}{mode}")
    labels = page.locator(".materials-table").evaluate(LABELS)
    assert labels[1:] == ['"材料名称："', '"形式："', '"份数："', '"表格下载："']
    # The element names stay readable: at least four characters a line, not one (长者模式's 20 px
    # text next to an unbreakable web address squeezed them to a vertical column).
    for box in page.locator(".guide-table:not(.materials-table) tbody th").evaluate_all(
        "ths => ths.map(th => [th.clientWidth, parseFloat(getComputedStyle(th).fontSize)])"
    ):
        width, font = box
        assert width >= 4 * font
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
