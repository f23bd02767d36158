"""Time the annual-report computation for the unit-year with the most requests (bench database)."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402
from django.db.models.functions import ExtractYear  # noqa: E402

from applications.models import Request  # noqa: E402
from disclosure.reports import figures  # noqa: E402
from disclosure.reports.models import AnnualReport  # noqa: E402
from portal.models import PublishingUnit  # noqa: E402


def main() -> None:
    busiest = (
        Request.objects.filter(received_on__isnull=False)
        .annotate(received_year=ExtractYear("received_on"))
        .values("received_year")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    year = busiest["received_year"]
    government = PublishingUnit.objects.filter(parent__isnull=True).first()
    report, _ = AnnualReport.objects.get_or_create(
        unit=government, year=year, defaults={"include_subtree": True}
    )
    report.include_subtree = True
    report.save(update_fields=["include_subtree"])
    started = time.perf_counter()
    figures.compute(report)
    elapsed = time.perf_counter() - started
    count = Request.objects.filter(
        unit__in=government.get_descendants(include_self=True), received_on__year=year
    ).count()
    print(
        f"Annual report computation ({government.short_name} {year}, whole subtree, {count} requests received "
        f"that year): {elapsed:.3f} s"
    )


if __name__ == "__main__":
    main()
