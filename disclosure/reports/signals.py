"""What a change of an annual report invalidates (portal/pagecache.py), after the commit."""

from portal import pagecache


def report_scopes(report) -> list[str]:
    """The report's own pages, its unit's catalog (where it is filed) and the platform lists."""
    scopes = {"site", pagecache.unit(report.unit.slug)}
    if report.catalog_unit_id:
        scopes.add(pagecache.unit(report.catalog_unit.slug))
    return sorted(scopes)


def report_changed(report) -> None:
    """For writes that send no signal (bulk updates of a report's figures)."""
    pagecache.invalidate(*report_scopes(report))


pagecache.register("reports.AnnualReport", report_scopes)
pagecache.register("reports.ReportFigure", lambda figure: report_scopes(figure.report))
