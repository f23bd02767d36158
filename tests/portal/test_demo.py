"""The demo site reads like a real one (issue 11): varied entries, 索引号 in time order, attachments
that say what their entry says."""

import io
from collections import defaultdict

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from disclosure.models import Attachment, Entry, EntryState
from portal import pagecache

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def test_home_page_latest_titles_are_varied(demo, client):
    pagecache.bump("all")
    latest = list(
        Entry.objects.filter(state=EntryState.PUBLISHED)
        .order_by("-published_at")
        .values_list("title", flat=True)[:10]
    )
    assert len(set(latest)) == len(latest), latest
    page = client.get("/").content.decode()
    for title in latest[:5]:
        assert title in page


def test_index_numbers_follow_publication_order(demo):
    by_unit = defaultdict(list)
    for entry in Entry.objects.exclude(index_number="").order_by("published_at", "pk"):
        by_unit[entry.unit_id].append(entry)
    for entries in by_unit.values():
        # Serial per unit and year: within a year, later publication, higher serial.
        by_year = defaultdict(list)
        for entry in entries:
            by_year[entry.published_at.year].append(int(entry.index_number.rsplit("-", 1)[1]))
        for serials in by_year.values():
            assert serials == sorted(serials), serials


def test_demo_attachments_agree_with_their_entries(demo):
    attachments = Attachment.objects.select_related("entry")
    assert attachments.exists()
    for attachment in attachments:
        with attachment.file.open("rb") as handle:
            text = "".join(page.extract_text() for page in PdfReader(handle).pages)
        assert attachment.entry.title.replace(" ", "") in text.replace(" ", "").replace("\n", "")
        # Every figure of the entry's table is in its attachment.
        for value in ("1,286.50", "12.30"):
            if value in attachment.entry.body:
                assert value in text
