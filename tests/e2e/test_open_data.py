"""A developer's journey: the open-data page (/shuju/) and the API docs (/api/v1/docs/) on the demo
site. Every link of the open-data page answers, each file with its own content type; every
operation the docs list answers JSON; both pages read on a phone without sideways scrolling."""

import io

from django.core.management import call_command
from django.utils import timezone

from tests.e2e.conftest import assert_accessible

CONTENT_TYPES = {".csv": "text/csv", ".json": "application/json", "/": "text/html"}


def test_every_open_data_file_and_documented_operation_answers(browser_page, live_server):
    call_command("load_demo", stdout=io.StringIO())
    base = live_server.url
    page = browser_page
    page.goto(f"{base}/shuju/")
    assert_accessible(page)
    links = page.locator("main a[href]").evaluate_all("links => links.map(a => a.href)")
    files = [link for link in links if link.endswith((".csv", ".json"))]
    # Each unit's catalog, each year's statistics and messages, the units' guides.
    assert {link.rsplit("/", 2)[1] for link in files} == {"mulu", "tongji", "bszn", "liuyan"}
    for link in dict.fromkeys(links):
        response = page.request.get(link)
        assert response.status == 200, link
        ending = next(end for end in CONTENT_TYPES if link.split("#")[0].endswith(end))
        assert response.headers["content-type"].startswith(CONTENT_TYPES[ending]), link

    page.get_by_role("link", name="开放接口说明").click()
    page.wait_for_url(f"{base}/api/v1/docs/")
    assert_accessible(page)
    operations = [
        title.removeprefix("GET ") for title in page.locator("main h2 code").all_inner_texts()
    ]
    assert len(operations) == 12 and "/api/v1/consultations/{id}/" in operations
    for path in operations:
        prefix = path.split("{")[0]
        if "{" not in path.replace("{year}", ""):
            url = base + path.replace("{year}", str(timezone.localdate().year))
        else:  # one of the rows the list above it answers
            listed = page.request.get(base + prefix).json()["results"]
            assert listed, prefix
            url = listed[0]["api_url"]
        response = page.request.get(url)
        assert response.status == 200, url
        assert response.headers["content-type"] == "application/json", url
        assert "error" not in response.json(), url
    # A field holding a list of objects links to their description.
    page.locator("#schema-UnitList").get_by_role("link", name="Unit 的数组").click()
    assert page.evaluate("location.hash") == "#schema-Unit"

    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/shuju/", "/api/v1/docs/", "/api/v1/docs/?mode=elder"):
        page.goto(base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide on a 360px screen"
    # On a phone each field is a card whose values keep their labels.
    card = page.locator("#schema-Consultation tbody tr").filter(has_text="adoption_published_on")
    assert (
        card.locator("td").nth(1).evaluate("td => getComputedStyle(td, '::before').content")
        == '"类型："'
    )
