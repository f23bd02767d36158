import gzip
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

# Rebuilt by migrate on the target, or not worth keeping.
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "axes"]


class Command(BaseCommand):
    help = "备份数据库内容与上传文件（公开附件、申请人材料）到一个目录。"

    def add_arguments(self, parser):
        parser.add_argument("--dir", default="backups", help="备份存放目录（默认 backups/）")

    def handle(self, *args, dir="backups", **options):
        target = Path(dir) / timezone.localtime().strftime("%Y%m%d-%H%M%S")
        target.mkdir(parents=True, exist_ok=False)
        with gzip.open(target / "data.json.gz", "wt", encoding="utf-8") as out:
            call_command(
                "dumpdata",
                natural_foreign=True,
                natural_primary=True,
                exclude=EXCLUDE,
                indent=None,
                stdout=out,
            )
        if settings.MEDIA_STORAGE == "s3":
            # The files are in the bucket, not here: its versioning or replication keeps them.
            self.stdout.write(
                "上传文件保存在对象存储桶中，未写入本备份；请为存储桶开启版本控制或跨区域复制。"
            )
        else:
            for name, root in (
                ("media", settings.MEDIA_ROOT),
                ("private", settings.PRIVATE_MEDIA_ROOT),
            ):
                with tarfile.open(target / f"{name}.tar.gz", "w:gz") as archive:
                    if Path(root).exists():
                        archive.add(root, arcname=".")
        self.stdout.write(str(target))
