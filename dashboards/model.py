"""What the dashboards show, as plain data (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

AGE_BUCKETS = ("0-30", "31-90", "91-180", "180+")
GRADES = ("major", "minor", "observation", "ofi", "good")


@dataclass(frozen=True, slots=True)
class DashboardFilter:
    urn: str = "urn:kansa:catalogue:appi-security-measures"
    year: int | None = None  # fiscal year (April to March) of the assessments' period start
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class UnitScores:
    """One unit's latest closed assessment: overall and per-domain figures."""

    assessment_id: str
    unit: str
    period_start: str | None
    title: str
    score: float | None
    level: int | None
    coverage: float | None
    domains: dict[str, float | None] = field(default_factory=dict)
    domain_levels: dict[str, int | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WeakControl:
    control_id: str
    domain_id: str
    title_en: str
    title_ja: str
    is_key: bool
    score: float
    units: int  # how many units answered it (not N/A)
    below_three: int  # how many of them are below level 3

    def title(self, lang: str) -> str:
        return self.title_ja if lang == "ja" else self.title_en


@dataclass(frozen=True, slots=True)
class FindingsSummary:
    counts: dict[tuple[str, str], int]  # (grade, age bucket) -> open findings
    overdue: int
    open: int

    def by_grade(self, grade: str) -> int:
        return sum(n for (g, _), n in self.counts.items() if g == grade)


@dataclass(frozen=True, slots=True)
class Overview:
    today: date
    filter: DashboardFilter
    domains: tuple[str, ...]  # domain ids in catalogue order
    units: tuple[UnitScores, ...]
    overall: float | None  # mean of the units' overall scores
    level: int | None  # the lowest unit level
    previous_overall: float | None  # the same over each unit's closed assessment before
    domain_means: dict[str, float | None]
    weakest: tuple[WeakControl, ...]
    findings: FindingsSummary
    contractors_by_tier: dict[str, int]
    contractors_overdue: int
    countries: tuple[tuple[str, str, str, str, int], ...]  # (code, alpha-3, en, ja, subjects)
    flags: dict[tuple[str, str], str] = field(default_factory=dict)  # open major/minor
    changes: tuple[tuple[str, float, float], ...] = ()  # (unit, previous, latest overall)

    def rating(self, unit: str, domain: str) -> str | None:
        """scoring.md: red below 50 or with an open Major finding, amber below 75 or with an
        open Minor finding, else green (None: no figure)."""
        u = next((x for x in self.units if x.unit == unit), None)
        score = u.domains.get(domain) if u else None
        return rating_of(score, self.flags.get((unit, domain)))


def rating_of(score: float | None, flag: str | None = None) -> str | None:
    if score is None:
        return None
    if score < 50 or flag == "major":
        return "red"
    if score < 75 or flag == "minor":
        return "amber"
    return "green"


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """The mean figures of the closed assessments of one audit period."""

    unit: str  # the unit filtered on, or "*" for the whole company
    period_start: str
    assessments: int
    score: float | None
    domains: dict[str, float | None]


@dataclass(frozen=True, slots=True)
class CampaignProgress:
    assessment_id: str
    title: str
    unit: str
    status: str
    period_end: str | None
    controls: int
    answered: int
    pending_review: int
    returned: int
    days_left: int | None

    @property
    def coverage(self) -> float:
        return self.answered / self.controls if self.controls else 0.0
