import gzip
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.models import PublishingUnit


def _clear_seeded_rows() -> None:
    """migrate seeded the catalog's standard columns; the backup brings them with their own keys."""
    from disclosure.models import Category

    for level in sorted(set(Category.objects.values_list("level", flat=True)), reverse=True):
        Category.objects.filter(level=level).delete()


class Command(BaseCommand):
    help = "从 backup 生成的目录恢复数据库内容与上传文件（目标数据库须为空，先执行 migrate）。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份目录，例如 backups/20261127-101500；或 latest")
        parser.add_argument("--dir", default="backups")

    def handle(self, *args, path, dir="backups", **options):
        source = Path(path)
        if path == "latest":
            candidates = sorted(p for p in Path(dir).glob("*") if (p / "data.json.gz").exists())
            if not candidates:
                raise CommandError(f"{dir}/ 中没有备份。")
            source = candidates[-1]
        if not (source / "data.json.gz").exists():
            raise CommandError(f"{source} 不是备份目录（缺少 data.json.gz）。")
        call_command("migrate", interactive=False, verbosity=0)
        if PublishingUnit.objects.exists():
            raise CommandError("目标数据库已有数据：恢复只能在空数据库上进行，以免覆盖现有记录。")
        with tempfile.TemporaryDirectory() as tmp:
            fixture = Path(tmp) / "data.json"
            with gzip.open(source / "data.json.gz", "rt", encoding="utf-8") as data:
                fixture.write_text(data.read(), encoding="utf-8")
            with transaction.atomic():
                _clear_seeded_rows()
                call_command("loaddata", str(fixture), verbosity=0)
        for name, root in (
            ("media", settings.MEDIA_ROOT),
            ("private", settings.PRIVATE_MEDIA_ROOT),
        ):
            archive_path = source / f"{name}.tar.gz"
            if archive_path.exists():
                Path(root).mkdir(parents=True, exist_ok=True)
                with tarfile.open(archive_path, "r:gz") as archive:
                    archive.extractall(root, filter="data")
        self.stdout.write(self.style.SUCCESS(f"已从 {source} 恢复。"))
