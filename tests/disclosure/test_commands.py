import io

import pytest
from django.core.management import CommandError, call_command

from disclosure.models import Attachment, Entry, EntryState, IndexCounter
from portal import demo as portal_demo
from portal.models import PublishingUnit

pytestmark = pytest.mark.django_db


def test_generate_entries_creates_published_numbered_entries(unit_a, unit_b):
    PublishingUnit.objects.create(name="无编码的单位", short_name="无编码", slug="nocode")
    out, err = io.StringIO(), io.StringIO()
    call_command("generate_entries", 300, stdout=out, stderr=err)
    assert "无编码的单位" in err.getvalue()
    assert "已生成300条" in out.getvalue()
    entries = Entry.objects.all()
    assert entries.count() == 300
    assert set(entries.values_list("state", flat=True)) == {EntryState.PUBLISHED}
    numbers = list(entries.values_list("index_number", flat=True))
    assert len(set(numbers)) == 300 and all(numbers)
    # Every unit with a code for the 索引号; those without are skipped.
    coded = PublishingUnit.objects.exclude(credit_code="", unit_code="")
    assert set(entries.values_list("unit__slug", flat=True)) == set(
        coded.values_list("slug", flat=True)
    )
    assert entries.dates("made_on", "year").count() > 3
    # Counters cover the generated serials, so real publication continues after them.
    for counter in IndexCounter.objects.all():
        top = max(
            entries.filter(unit=counter.unit, index_year=counter.year).values_list(
                "index_serial", flat=True
            )
        )
        assert counter.last_serial == top
    assert Entry.objects.public().search("年报").exists()


def test_generate_entries_needs_units(db):
    with pytest.raises(CommandError, match="发布单位"):
        call_command("generate_entries", 10)


def test_demo_load_is_idempotent_and_believable(db):
    from disclosure import demo

    portal_demo.load(io.StringIO())
    demo.load(io.StringIO())
    first = Entry.objects.count()
    demo.load(io.StringIO())
    assert Entry.objects.count() == first > 30
    public = Entry.objects.public()
    assert public.count() == first
    assert set(public.values_list("unit__slug", flat=True)) >= {
        "anqing", "sjj", "zwzx", "fgw", "jyj", "czj", "stj"
    }  # fmt: skip
    assert public.filter(category__slug="zhinan").count() == 7
    assert public.filter(category__slug="czyjs", title__contains="部门预算").count() == 7
    assert public.filter(category__slug="xzxk").exists()
    pdf = Attachment.objects.first()
    assert pdf is not None and pdf.file.open("rb").read(5) == b"%PDF-"
    assert all(public.values_list("index_number", flat=True))
