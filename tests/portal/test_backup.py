"""`make backup` / `make restore`: everything comes back into an empty database."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from applications.models import Request, RequestEvent
from disclosure.models import Attachment, Entry
from disclosure.reports.models import AnnualReport, ReportFigure
from portal.models import PublishingUnit


def _contents() -> dict:
    return {
        "units": PublishingUnit.objects.count(),
        "entries": sorted(Entry.objects.values_list("index_number", "title")),
        "attachments": Attachment.objects.count(),
        "requests": sorted(Request.objects.values_list("number", "state", "due_on")),
        "events": RequestEvent.objects.count(),
        "reports": sorted(AnnualReport.objects.values_list("unit__slug", "year", "state")),
        "figures": ReportFigure.objects.count(),
    }


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_into_an_empty_database(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    call_command("load_demo")
    before = _contents()
    assert before["entries"] and before["requests"] and before["events"] and before["reports"]
    # Catalog attachments (private/disclosure/) and applicants' files (private/id/ ...).
    uploaded = sorted(
        str(p.relative_to(tmp_path)) for p in (tmp_path / "private").rglob("*") if p.is_file()
    )
    assert any(name.startswith("private/disclosure/attachments/") for name in uploaded)

    call_command("backup", dir=str(tmp_path / "backups"))
    with pytest.raises(CommandError, match="已有数据"):
        call_command("restore", "latest", dir=str(tmp_path / "backups"))

    call_command("flush", interactive=False, verbosity=0)
    import shutil

    shutil.rmtree(tmp_path / "private")
    assert not PublishingUnit.objects.exists()
    call_command("restore", "latest", dir=str(tmp_path / "backups"))

    after = _contents()
    assert after == before
    assert (
        sorted(
            str(p.relative_to(tmp_path)) for p in (tmp_path / "private").rglob("*") if p.is_file()
        )
        == uploaded
    )
    # The restored site still serves a report computed before the backup.
    from django.test import Client

    assert Client().get("/nianbao/zwzx/2016/").status_code == 200


def test_with_object_storage_the_backup_holds_the_database_and_says_where_files_are(
    tmp_path, settings, db, capsys
):
    settings.MEDIA_STORAGE = "s3"
    call_command("backup", dir=str(tmp_path / "backups"))
    [folder] = (tmp_path / "backups").iterdir()
    assert sorted(p.name for p in folder.iterdir()) == ["data.json.gz"]
    assert "对象存储桶" in capsys.readouterr().out


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path, db):
    with pytest.raises(CommandError, match="不是备份目录"):
        call_command("restore", str(tmp_path))
