"""Catalog fixtures: a factory for entries in any state, attachments stored under tmp_path."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from disclosure import workflow
from disclosure.models import Category, Entry, EntryState
from portal.permissions import SYSTEM


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def category(db):
    return Category.objects.get(slug="jgzn")


@pytest.fixture
def make_entry(db, category):
    """make_entry(unit, state=EntryState.PUBLISHED, **fields): published entries go through the
    real workflow (submit, approve) so they get a 索引号 like any other."""

    def _make(unit, state=EntryState.PUBLISHED, publish_at=None, **fields):
        fields.setdefault("category", category)
        fields.setdefault("title", "关于政务公开工作的通知")
        fields.setdefault("made_on", timezone.localdate() - dt.timedelta(days=3))
        entry = Entry.objects.create(unit=unit, **fields)
        if state == EntryState.DRAFT:
            return entry
        workflow.submit(entry, SYSTEM)
        if state == EntryState.PENDING:
            return entry
        workflow.approve(entry, SYSTEM, publish_at=publish_at)
        if state == EntryState.WITHDRAWN:
            workflow.withdraw(entry, SYSTEM, "测试撤回")
        entry.refresh_from_db()
        return entry

    return _make


def pdf_bytes() -> bytes:
    from disclosure.demo import make_pdf

    return make_pdf("测试附件", ["第一行"])


def png_bytes(size=(40, 30), exif=False) -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x8825] = {2: (31, 0, 0)}  # GPS
        image.save(out, format="PNG", exif=data.tobytes())
    else:
        image.save(out, format="PNG")
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (64, 48), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    exif[0x0110] = "Model-X"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()
