# ruff: noqa: S314 - the XML parsed here is our own feed output, not untrusted input
import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from disclosure.models import Category, EntryState

pytestmark = pytest.mark.django_db


def test_unit_feed_lists_public_entries_of_the_unit(client, unit_a, unit_b, make_entry):
    make_entry(unit_a, title="甲的公告", summary="甲的概述")
    make_entry(unit_a, title="甲的草稿", state=EntryState.DRAFT)
    make_entry(unit_a, title="甲的定时", publish_at=timezone.now() + dt.timedelta(days=1))
    make_entry(unit_b, title="乙的公告")
    response = client.get("/xxgk/zwzx/rss.xml")
    assert response.status_code == 200 and "rss" in response["Content-Type"]
    root = ET.fromstring(response.content)
    titles = [item.findtext("title") for item in root.iter("item")]
    assert titles == ["甲的公告"]
    assert root.find("channel/item/description").text == "甲的概述"
    assert client.get("/xxgk/nope/rss.xml").status_code == 404


def test_category_feed_spans_units_and_subcategories(client, unit_a, unit_b, make_entry):
    make_entry(unit_a, title="甲的预算", category=Category.objects.get(slug="czyjs"))
    make_entry(unit_b, title="乙的预算", category=Category.objects.get(slug="czyjs"))
    make_entry(unit_b, title="乙的指南", category=Category.objects.get(slug="zhinan"))
    root = ET.fromstring(client.get("/xxgk/fenlei/czyjs/rss.xml").content)
    assert {item.findtext("title") for item in root.iter("item")} == {"甲的预算", "乙的预算"}
    root = ET.fromstring(client.get("/xxgk/fenlei/fdzdgknr/rss.xml").content)
    assert {item.findtext("title") for item in root.iter("item")} == {"甲的预算", "乙的预算"}


def test_catalog_page_links_its_feed(client, unit_a):
    body = client.get("/xxgk/zwzx/").content.decode()
    assert 'type="application/rss+xml"' in body and "/xxgk/zwzx/rss.xml" in body


def test_sitemap_index_and_sections(client, unit_a, make_entry):
    public = make_entry(unit_a, title="公开的")
    draft = make_entry(unit_a, title="草稿", state=EntryState.DRAFT)
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    sections = index.content.decode()
    assert "sitemap-entries.xml" in sections and "sitemap-units.xml" in sections
    entries = client.get("/sitemap-entries.xml").content.decode()
    assert f"/xxgk/zwzx/{public.pk}/" in entries and f"/xxgk/zwzx/{draft.pk}/" not in entries
    assert "/unit/zwzx/" in client.get("/sitemap-units.xml").content.decode()
    assert "/xxgk/zwzx/" in client.get("/sitemap-catalogs.xml").content.decode()


def test_robots_txt_names_the_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
