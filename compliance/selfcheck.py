"""Running the self-check: for one unit or the whole site, storing the day's snapshot, the 12-week
trend and the CSV. `manage.py run_selfcheck` runs it daily for every unit and the site."""

import csv
import datetime as dt
import io
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from compliance import pages, registry, scoring
from compliance.models import Snapshot
from portal.models import PublishingUnit

logger = logging.getLogger(__name__)
TREND_WEEKS = 12


@dataclass
class Result:
    unit: PublishingUnit | None
    today: dt.date
    findings: list
    score: scoring.Score
    metrics: list = field(default_factory=list)

    def grouped(self) -> list[tuple[registry.Kind, list]]:
        by_kind: dict[str, list] = {}
        for finding in self.findings:
            by_kind.setdefault(finding.kind, []).append(finding)
        order = {d.kind: i for i, d in enumerate(self.score.deductions)}
        return [
            (registry.kind(key), items)
            for key, items in sorted(by_kind.items(), key=lambda kv: order.get(kv[0], 99))
        ]


def scope_for(unit: PublishingUnit | None, today: dt.date, fetch=None) -> registry.Scope:
    units = [unit] if unit else list(PublishingUnit.objects.active().order_by("tree_id", "lft"))
    return registry.Scope(units=units, site_wide=unit is None, today=today, fetch=fetch)


def run(unit: PublishingUnit | None = None, today: dt.date | None = None, fetch=None) -> Result:
    """Run every registered check for `unit` (None: the whole site)."""
    today = today or timezone.localdate()
    scope = scope_for(unit, today, fetch or pages.Fetcher())
    findings = []
    for check in registry.checks():
        try:
            findings.extend(check(scope))
        except Exception:  # one broken check must not hide the others' findings
            logger.exception("自查项目 %s 运行失败", getattr(check, "__name__", check))
            findings.append(
                registry.Finding("check_failed", f"自查项目“{check.__name__}”运行失败，请查看日志")
            )
    return Result(unit, today, findings, scoring.score(findings), scope.metrics)


def store(result: Result) -> Snapshot:
    values = {
        "score": result.score.value,
        "vetoes": result.score.vetoes,
        "deductions": [d.__dict__ for d in result.score.deductions],
        "findings": [f.as_dict() for f in result.findings],
        "metrics": [[m.label, m.value] for m in result.metrics],
    }
    with transaction.atomic():
        snapshot, _ = Snapshot.objects.update_or_create(
            unit=result.unit, taken_on=result.today, defaults=values
        )
    return snapshot


def run_all(today: dt.date | None = None) -> list[Snapshot]:
    """The daily run: every active unit, then the site; pages are fetched once for all."""
    fetch = pages.Fetcher()
    snapshots = [
        store(run(unit, today, fetch))
        for unit in PublishingUnit.objects.active().order_by("tree_id", "lft")
    ]
    snapshots.append(store(run(None, today, fetch)))
    return snapshots


def from_snapshot(snapshot: Snapshot) -> Result:
    findings = [registry.Finding(**item) for item in snapshot.findings]
    deductions = [scoring.Deduction(**item) for item in snapshot.deductions]
    score = scoring.Score(snapshot.score, deductions, list(snapshot.vetoes))
    metrics = [registry.Metric(label, value) for label, value in snapshot.metrics]
    return Result(snapshot.unit, snapshot.taken_on, findings, score, metrics)


def latest(unit: PublishingUnit | None, today: dt.date | None = None) -> Result:
    """Today's stored result, or a fresh run stored now (the first visit of the day)."""
    today = today or timezone.localdate()
    snapshot = Snapshot.objects.filter(unit=unit, taken_on=today).first()
    if snapshot is not None:
        return from_snapshot(snapshot)
    result = run(unit, today)
    store(result)
    return result


def trend(unit: PublishingUnit | None, today: dt.date | None = None) -> list[tuple[dt.date, int]]:
    """(Monday of the week, score) for each of the last 12 weeks that has a snapshot: the latest
    snapshot of each week."""
    today = today or timezone.localdate()
    this_monday = today - dt.timedelta(days=today.weekday())
    first = this_monday - dt.timedelta(weeks=TREND_WEEKS - 1)
    by_week: dict[dt.date, int] = {}
    rows = (
        Snapshot.objects.filter(unit=unit, taken_on__gte=first, taken_on__lte=today)
        .order_by("taken_on")
        .values_list("taken_on", "score")
    )
    for taken_on, score in rows:
        by_week[taken_on - dt.timedelta(days=taken_on.weekday())] = score
    return sorted(by_week.items())


def to_csv(result: Result, weeks: list[tuple[dt.date, int]]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    name = result.unit.name if result.unit else "全站"
    writer.writerow(["自查对象", name, "检查日期", f"{result.today:%Y-%m-%d}"])
    writer.writerow(
        ["得分", result.score.value, "单项否决", "；".join(result.score.vetoes) or "无"]
    )
    writer.writerow([])
    writer.writerow(["扣分项", "数量", "扣分"])
    for d in result.score.deductions:
        writer.writerow([d.label, d.count, d.points])
    writer.writerow([])
    writer.writerow(["问题类型", "问题", "说明", "整改地址"])
    for finding in result.findings:
        kind = registry.kind(finding.kind)
        writer.writerow([kind.label, _safe(finding.title), _safe(finding.detail), finding.url])
    writer.writerow([])
    writer.writerow(["周（起始日）", "得分"])
    for week, score in weeks:
        writer.writerow([f"{week:%Y-%m-%d}", score])
    return out.getvalue()


def _safe(text: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
