from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from disclosure.reports import workflow
from disclosure.reports.legacy import LegacyReportError, parse_legacy_report
from portal.models import PublishingUnit
from portal.permissions import SYSTEM


class Command(BaseCommand):
    help = "导入从政府网站保存的自由文本年报（页面文本），生成草稿；加 --publish 直接发布。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--unit", required=True, help="发布单位的网址标识（slug）")
        parser.add_argument("--year", required=True, type=int, help="年报所述年度")
        parser.add_argument(
            "--catalog-unit", help="在哪个单位的信息公开目录中显示（slug），默认为发布单位"
        )
        parser.add_argument("--publish", action="store_true", help="导入后按原发布时间发布")

    def handle(self, *args, file, unit, year, catalog_unit=None, publish=False, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"文件不存在：{file}") from None
        except UnicodeDecodeError:
            text = file.read_bytes().decode("gb18030", errors="strict")
        try:
            parsed = parse_legacy_report(text)
            owner = PublishingUnit.objects.get(slug=unit)
            directory = PublishingUnit.objects.get(slug=catalog_unit) if catalog_unit else None
            report = workflow.create_legacy(owner, year, parsed, directory)
            if publish:
                workflow.publish(report, SYSTEM, published_on=parsed.published)
        except PublishingUnit.DoesNotExist:
            raise CommandError("找不到该单位，请检查 --unit / --catalog-unit。") from None
        except (LegacyReportError, workflow.ReportError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"已导入“{report.display_title}”：发布单位 {parsed.unit_name}，发布时间 {parsed.published}，"
            f"{len(parsed.blocks)}段，状态：{report.get_state_display()}"
        )
