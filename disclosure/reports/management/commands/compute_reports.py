from django.core.management.base import BaseCommand, CommandError

from disclosure.reports import figures, workflow
from disclosure.reports.models import AnnualReport, ReportFormat, ReportState
from portal.models import PublishingUnit, UnitKind
from portal.permissions import SYSTEM

OVERVIEW = (
    "<p>{year}年，{unit}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
    "依法做好主动公开和依申请公开工作。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。</p>"
)


class Command(BaseCommand):
    help = "为各单位建立（或重新计算）某年度的2021格式年报；加 --publish 发布勾稽关系正确的年报。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--unit", help="只处理该单位（slug）；默认全部有效单位")
        parser.add_argument("--publish", action="store_true")

    def handle(self, *args, year, unit=None, publish=False, **options):
        units = PublishingUnit.objects.active()
        if unit:
            units = units.filter(slug=unit)
            if not units.exists():
                raise CommandError("找不到该单位。")
        done = published = 0
        for each in units:
            report = AnnualReport.objects.filter(unit=each, year=year).first()
            if report is None:
                report = workflow.create(
                    AnnualReport(
                        unit=each,
                        year=year,
                        format=ReportFormat.OFFICIAL_2021,
                        include_subtree=each.kind == UnitKind.GOVERNMENT,
                        overview=OVERVIEW.format(year=year, unit=each.name),
                        problems="<p>信息公开的及时性和规范性仍需加强，将通过平台的期限提醒予以改进。</p>",
                        other_matters="<p>本年度未收取信息处理费。</p>",
                    )
                )
            elif report.format == ReportFormat.OFFICIAL_2021 and report.state == ReportState.DRAFT:
                figures.apply_computed(report)  # recomputed from the registers as they are now
            else:
                continue
            done += 1
            if publish:
                try:
                    workflow.publish(report, SYSTEM)
                    published += 1
                except workflow.ReportError as error:
                    self.stderr.write(f"{each.name}：未发布（{error}）")
        self.stdout.write(f"{year}年：计算{done}份年报，发布{published}份。")
