"""Score out of 100 the way the inspectors do (政府网站与政务新媒体检查指标, 国办秘函〔2019〕19号):
单项否决 items fail the site outright; otherwise each kind of problem deducts points per
occurrence, up to a cap per kind."""

from collections import defaultdict
from dataclasses import dataclass

from compliance import registry


@dataclass
class Deduction:
    kind: str
    label: str
    count: int
    points: float


@dataclass
class Score:
    value: int
    deductions: list[Deduction]
    vetoes: list[str]

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)


def score(findings) -> Score:
    weights: dict[str, int] = defaultdict(int)
    for finding in findings:
        weights[finding.kind] += finding.weight
    deductions, vetoes = [], []
    for key, weight in weights.items():
        kind = registry.kind(key)
        points = min(kind.cap, kind.points * weight)
        deductions.append(Deduction(key, kind.label, weight, round(points, 1)))
        if kind.veto_at is not None and weight >= kind.veto_at:
            vetoes.append(kind.veto_label or kind.label)
    deductions.sort(key=lambda d: (-d.points, d.label))
    total = sum(d.points for d in deductions)
    value = 0 if vetoes else max(0, round(100 - total))
    return Score(value, deductions, vetoes)
