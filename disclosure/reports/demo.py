"""Demo annual reports: the 2016 report of the 政务服务中心 imported from its page (shown in the
数据资源局's catalog, as on the original site), and 2025 reports computed from the demo requests."""

import datetime as dt
from pathlib import Path

from django.core.management import call_command

from disclosure.reports.models import AnnualReport
from portal.models import PublishingUnit

SEED = Path(__file__).resolve().parent / "demo_data" / "anqing-2016-annual-report.txt"


def load(stdout) -> None:
    center = PublishingUnit.objects.filter(slug="zwzx").first()
    if center is None:
        return
    if not AnnualReport.objects.filter(unit=center, year=2016).exists():
        call_command(
            "import_legacy_report", str(SEED), unit="zwzx", year=2016, catalog_unit="sjj", publish=True,
            stdout=stdout,
        )
    last_year = dt.date.today().year - 1
    for year in sorted({2025, last_year}):
        if not AnnualReport.objects.filter(year=year).exists():
            call_command("compute_reports", year=year, publish=True, stdout=stdout)
