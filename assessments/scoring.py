"""The scoring formula of ``shared/domain/scoring.md`` (maturity scale), in plain Python.

This is the reference: no I/O, no database. ``assessments/score_queries.py`` computes the same
figures in SQL for dashboards over many assessments, and the tests hold the two to 1e-9.

Summary of the rules (see scoring.md for the worked example):

- control score ``s = 10 x (D + I)``; an unanswered applicable control counts as 0;
  an N/A control leaves every denominator;
- weight 2 for a key control, else 1; domain score ``sum(w*s) / sum(w)`` over applicable
  controls, null when the domain has none; overall score = mean of the non-null domain scores;
- domain level = lowest ``min(D, I)`` over applicable key controls (over all applicable
  controls when none of its key controls is applicable), unanswered = 0; overall = lowest;
- coverage = answered applicable / applicable (overall 1.0 when nothing is applicable);
- rating: red below 50 or with an open major finding, amber below 75 or with an open minor
  finding, else green.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypedDict

MIN_ANSWER = 0
MAX_ANSWER = 5
KEY_WEIGHT = 2
WEIGHT = 1
CONFORMANT_FROM = 3  # min(D, I) >= 3: conformant; 1..2 partially; 0 nonconformant
RED_BELOW = 50.0
AMBER_BELOW = 75.0


class Result(StrEnum):
    CONFORMANT = "conformant"
    PARTIALLY_CONFORMANT = "partially_conformant"
    NONCONFORMANT = "nonconformant"
    NOT_ASSESSED = "not_assessed"
    NOT_APPLICABLE = "not_applicable"


class Rating(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


@dataclass(frozen=True, slots=True)
class ControlSpec:
    """One assessable maturity control of the pinned catalogue."""

    control_id: str
    domain_id: str
    is_key: bool

    @property
    def weight(self) -> int:
        return KEY_WEIGHT if self.is_key else WEIGHT


@dataclass(frozen=True, slots=True)
class Answer:
    """A response: D and I (0-5), or N/A with a reason (D and I both None)."""

    documented: int | None
    implemented: int | None
    na_reason: str | None = None

    def __post_init__(self) -> None:
        na = self.na_reason is not None
        if na != (self.documented is None) or na != (self.implemented is None):
            raise ValueError(
                "An answer has both D and I (and no N/A reason), or an N/A reason and neither."
            )
        for value in (self.documented, self.implemented):
            if value is not None and not MIN_ANSWER <= value <= MAX_ANSWER:
                raise ValueError(f"D and I are {MIN_ANSWER}..{MAX_ANSWER}, not {value}.")

    @property
    def not_applicable(self) -> bool:
        return self.na_reason is not None

    @property
    def floor(self) -> int:
        """``min(D, I)``: the weaker side sets the result and the level (0 for N/A)."""
        if self.documented is None or self.implemented is None:
            return 0
        return min(self.documented, self.implemented)

    @property
    def score(self) -> int:
        """``10 x (D + I)`` (0 for N/A, which never enters a score)."""
        if self.documented is None or self.implemented is None:
            return 0
        return 10 * (self.documented + self.implemented)


class ControlJson(TypedDict):
    score: float | None
    result: str


class DomainJson(TypedDict):
    score: float | None
    level: int | None
    coverage: float | None
    rating: str | None


class OverallJson(TypedDict):
    score: float | None
    level: int | None
    coverage: float


class ScoreJson(TypedDict):
    overall: OverallJson
    domains: dict[str, DomainJson]
    controls: dict[str, ControlJson]


class TrendDict(TypedDict):
    """Current minus previous; None where either side has no figure."""

    overall: float | None
    domains: dict[str, float | None]
    controls: dict[str, float | None]


@dataclass(frozen=True, slots=True)
class ControlScore:
    """``score`` is 10 x (D + I), 0.0 when unanswered (it counts as 0), None when N/A."""

    control_id: str
    domain_id: str
    score: float | None
    result: Result


@dataclass(frozen=True, slots=True)
class DomainScore:
    """All figures are None when the domain has no applicable control."""

    domain_id: str
    score: float | None
    level: int | None
    coverage: float | None
    rating: Rating | None


@dataclass(frozen=True, slots=True)
class AssessmentScore:
    overall_score: float | None
    overall_level: int | None
    overall_coverage: float
    domains: dict[str, DomainScore] = field(default_factory=dict)  # catalogue order
    controls: dict[str, ControlScore] = field(default_factory=dict)  # catalogue order

    def to_json_dict(self) -> ScoreJson:
        """The figures as JSON-ready data (``kansa score --json``, exports)."""
        return {
            "overall": {
                "score": self.overall_score,
                "level": self.overall_level,
                "coverage": self.overall_coverage,
            },
            "domains": {
                d.domain_id: {
                    "score": d.score,
                    "level": d.level,
                    "coverage": d.coverage,
                    "rating": None if d.rating is None else d.rating.value,
                }
                for d in self.domains.values()
            },
            "controls": {
                c.control_id: {"score": c.score, "result": c.result.value}
                for c in self.controls.values()
            },
        }


def control_result(answer: Answer | None) -> Result:
    """The result of one control; ``None`` means unanswered."""
    if answer is None:
        return Result.NOT_ASSESSED
    if answer.not_applicable:
        return Result.NOT_APPLICABLE
    if answer.floor >= CONFORMANT_FROM:
        return Result.CONFORMANT
    if answer.floor >= 1:
        return Result.PARTIALLY_CONFORMANT
    return Result.NONCONFORMANT


def rating(score: float | None, finding_grades: Set[str]) -> Rating | None:
    """Red/amber/green from a domain score and the grades of its open findings."""
    if score is None:
        return None
    if score < RED_BELOW or "major" in finding_grades:
        return Rating.RED
    if score < AMBER_BELOW or "minor" in finding_grades:
        return Rating.AMBER
    return Rating.GREEN


def _control_score(spec: ControlSpec, answer: Answer | None) -> ControlScore:
    if answer is None:
        score: float | None = 0.0
    elif answer.not_applicable:
        score = None
    else:
        score = float(answer.score)
    return ControlScore(spec.control_id, spec.domain_id, score, control_result(answer))


@dataclass(slots=True)
class _Tally:
    """Running sums for one domain (or the whole assessment), in integers until the end."""

    applicable: int = 0
    answered: int = 0
    weighted: int = 0  # sum of w * s
    weights: int = 0  # sum of w
    key_floors: list[int] = field(default_factory=list)
    all_floors: list[int] = field(default_factory=list)

    def add(self, spec: ControlSpec, answer: Answer | None) -> None:
        if answer is not None and answer.not_applicable:
            return
        self.applicable += 1
        self.weights += spec.weight
        floor = 0  # unanswered counts as 0
        if answer is not None:
            self.answered += 1
            self.weighted += spec.weight * answer.score
            floor = answer.floor
        self.all_floors.append(floor)
        if spec.is_key:
            self.key_floors.append(floor)

    def score(self) -> float | None:
        return self.weighted / self.weights if self.applicable else None

    def level(self) -> int | None:
        floors = self.key_floors or self.all_floors
        return min(floors) if floors else None

    def coverage(self) -> float | None:
        return self.answered / self.applicable if self.applicable else None


def score_assessment(
    controls: Sequence[ControlSpec],
    answers: Mapping[str, Answer],
    open_findings: Mapping[str, str] | None = None,
) -> AssessmentScore:
    """Score one assessment.

    ``controls``: the assessable maturity controls of the pinned catalogue, in catalogue order.
    ``answers``: control id -> answer; a missing id is unanswered; ids not in ``controls`` are
    ignored. ``open_findings``: control id -> grade of its gravest open finding ("major",
    "minor", ...), used only for the ratings.
    """
    tallies: dict[str, _Tally] = {}
    grades: dict[str, set[str]] = {}
    findings = open_findings or {}
    control_scores: dict[str, ControlScore] = {}
    for spec in controls:
        answer = answers.get(spec.control_id)
        tallies.setdefault(spec.domain_id, _Tally()).add(spec, answer)
        domain_grades = grades.setdefault(spec.domain_id, set())
        if spec.control_id in findings:
            domain_grades.add(findings[spec.control_id].strip().lower())
        control_scores[spec.control_id] = _control_score(spec, answer)

    domains: dict[str, DomainScore] = {}
    for domain_id, tally in tallies.items():
        score = tally.score()
        domains[domain_id] = DomainScore(
            domain_id, score, tally.level(), tally.coverage(), rating(score, grades[domain_id])
        )
    scores = [d.score for d in domains.values() if d.score is not None]
    levels = [d.level for d in domains.values() if d.level is not None]
    applicable = sum(t.applicable for t in tallies.values())
    answered = sum(t.answered for t in tallies.values())
    return AssessmentScore(
        overall_score=math.fsum(scores) / len(scores) if scores else None,
        overall_level=min(levels) if levels else None,
        overall_coverage=answered / applicable if applicable else 1.0,
        domains=domains,
        controls=control_scores,
    )


def _difference(current: float | None, previous: float | None) -> float | None:
    if current is None or previous is None:
        return None
    return current - previous


def trend(current: AssessmentScore, previous: AssessmentScore | None) -> TrendDict:
    """Score differences to the previous assessment (domains and controls matched by id).

    Every id of ``current`` is present; the difference is None when either side has no score
    (no previous assessment, an id the previous catalogue version lacks, N/A, empty domain).
    """
    before_domains = previous.domains if previous is not None else {}
    before_controls = previous.controls if previous is not None else {}
    return {
        "overall": _difference(
            current.overall_score, previous.overall_score if previous is not None else None
        ),
        "domains": {
            domain_id: _difference(
                d.score, before_domains[domain_id].score if domain_id in before_domains else None
            )
            for domain_id, d in current.domains.items()
        },
        "controls": {
            control_id: _difference(
                c.score,
                before_controls[control_id].score if control_id in before_controls else None,
            )
            for control_id, c in current.controls.items()
        },
    }
