"""Demo annual reports: the 2016 report of the 政务服务中心 imported from its page and filed in the
centre's own catalog (a unit's report belongs to its own section, Art. 49 and 国办公开办函〔2019〕61号),
and reports for last year computed from the demo requests, each published a few days before its
statutory deadline."""

import datetime as dt
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone

from disclosure.reports import workflow
from disclosure.reports.models import AnnualReport, ReportState
from portal.models import PublishingUnit
from portal.permissions import SYSTEM

SEED = Path(__file__).resolve().parent / "demo_data" / "anqing-2016-annual-report.txt"


def load(stdout) -> None:
    if not PublishingUnit.objects.filter(slug="zwzx").exists():
        return
    if not AnnualReport.objects.filter(unit__slug="zwzx", year=2016).exists():
        call_command(
            "import_legacy_report",
            str(SEED),
            unit="zwzx",
            year=2016,
            publish=True,
            stdout=stdout,
        )
    year = timezone.localdate().year - 1
    if AnnualReport.objects.filter(year=year).exists():
        return
    call_command("compute_reports", year=year, stdout=stdout)
    for report in AnnualReport.objects.filter(year=year, state=ReportState.DRAFT).select_related(
        "unit"
    ):
        on = min(report.deadline - dt.timedelta(days=7), timezone.localdate())
        try:
            workflow.publish(report, SYSTEM, published_on=on)
        except workflow.ReportError as error:
            stdout.write(f"{report.unit.name}{year}年报未发布：{error}")
