"""What the self-check knows how to find, and how much each finding costs: a registry other apps
contribute to.

An app adds its own checks in its AppConfig.ready():

    from compliance import registry

    registry.register_kind("message_unanswered", "留言超期未答复", points=2, cap=20,
                           veto_at=1, veto_label="政务咨询留言超过3个月未答复")
    registry.register_check(my_check)            # my_check(scope) -> iterable of Finding
    registry.register_annual_section(my_section) # my_section(year, units) -> AnnualSection

A check receives a `Scope` (the units looked at, whether it is the site-wide run, today's date,
and a page fetcher) and returns `Finding`s; each names its kind, what is wrong and the staff page
where it is fixed. Scores are computed from the kinds' points (compliance/scoring.py). Checks must
not write anything: they also run when staff press 重新检查.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    points: float  # deducted per unit of weight
    cap: float  # at most this many points for the kind
    veto_at: int | None = None  # this many findings (summed weight) fail the site outright
    veto_label: str = ""


@dataclass
class Finding:
    kind: str
    title: str
    url: str = ""  # the staff page where it is fixed
    detail: str = ""
    unit_id: int | None = None
    weight: int = 1  # e.g. the number of late entries a finding sums up

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Metric:
    label: str
    value: str


@dataclass
class Scope:
    units: list  # PublishingUnit objects checked
    site_wide: bool
    today: dt.date
    fetch: Callable | None = None  # fetch(path) -> (status, html); see compliance.pages
    metrics: list = field(default_factory=list)  # checks may add Metric rows shown to staff

    @property
    def unit_ids(self) -> list[int]:
        return [unit.pk for unit in self.units]


@dataclass
class AnnualSection:
    title: str
    rows: list  # [(label, value)]


_KINDS: dict[str, Kind] = {}
_CHECKS: list[Callable[[Scope], Iterable[Finding]]] = []
_ANNUAL: list[Callable[[int, list], AnnualSection | None]] = []


def register_kind(key, label, points, cap, veto_at=None, veto_label="") -> Kind:
    kind = Kind(key, label, points, cap, veto_at, veto_label)
    _KINDS[key] = kind
    return kind


def register_check(check: Callable[[Scope], Iterable[Finding]]) -> None:
    if check not in _CHECKS:
        _CHECKS.append(check)


def register_annual_section(section: Callable[[int, list], AnnualSection | None]) -> None:
    if section not in _ANNUAL:
        _ANNUAL.append(section)


def kinds() -> dict[str, Kind]:
    return dict(_KINDS)


def kind(key: str) -> Kind:
    # A finding of a kind nobody registered still shows, without a deduction.
    return _KINDS.get(key) or Kind(key, key, 0, 0)


def checks() -> list:
    return list(_CHECKS)


def annual_sections() -> list:
    return list(_ANNUAL)
