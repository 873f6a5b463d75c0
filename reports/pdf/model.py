"""The plain data the PDF builders take. No I/O: services fill these from the database.

Text that exists in both languages (catalogue titles, org unit and people names) is a
:class:`Bilingual`; the builder picks the report's language. A plain ``str`` is shown as it is
in both languages (notes, statements, file names: what a person typed).

Scores are typed by shape (:class:`ScoreLike`), so ``assessments.scoring.AssessmentScore`` is
passed as it is while this module imports nothing from the rest of the project. Results and
ratings are the string values of ``assessments.scoring.Result`` / ``Rating`` (those enums are
``StrEnum``s, so their members can be passed directly).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, Protocol

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")

# Same values as findings.model.Grade / Status (kept as strings: reports read no other model).
GRADES: tuple[str, ...] = ("major", "minor", "observation", "ofi", "good")
STATUSES: tuple[str, ...] = ("open", "action_planned", "action_done", "verified", "closed")
SETTLED_STATUSES: frozenset[str] = frozenset({"verified", "closed"})

DateLike = date | datetime | str | None


@dataclass(frozen=True, slots=True)
class Bilingual:
    ja: str
    en: str

    def pick(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en

    @classmethod
    def same(cls, text: str) -> Bilingual:
        return cls(text, text)


Text = Bilingual | str


class DomainScoreLike(Protocol):
    """What the report reads of ``assessments.scoring.DomainScore``."""

    @property
    def domain_id(self) -> str: ...
    @property
    def score(self) -> float | None: ...
    @property
    def level(self) -> int | None: ...
    @property
    def coverage(self) -> float | None: ...
    @property
    def rating(self) -> str | None: ...


class ScoreLike(Protocol):
    """What the report reads of ``assessments.scoring.AssessmentScore``."""

    @property
    def overall_score(self) -> float | None: ...
    @property
    def overall_level(self) -> int | None: ...
    @property
    def overall_coverage(self) -> float: ...
    @property
    def domains(self) -> Mapping[str, DomainScoreLike]: ...


RESULTS: tuple[str, ...] = (
    "conformant",
    "partially_conformant",
    "nonconformant",
    "not_assessed",
    "not_applicable",
)
RATINGS: tuple[str, ...] = ("red", "amber", "green")


def pick(value: Text | None, lang: str) -> str:
    """The text of ``value`` in ``lang`` ('' for None)."""
    if value is None:
        return ""
    return value.pick(lang) if isinstance(value, Bilingual) else value


def _check_grade(grade: str) -> None:
    if grade not in GRADES:
        raise ValueError(f"unknown finding grade {grade!r}; expected one of {GRADES}")


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise ValueError(f"unknown finding status {status!r}; expected one of {STATUSES}")


# -- audit report -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DomainInfo:
    """A domain of the pinned catalogue, in catalogue order."""

    domain_id: str
    name: Text


@dataclass(frozen=True, slots=True)
class TeamMember:
    name: Text
    department: Text
    lead: bool = False


@dataclass(frozen=True, slots=True)
class Auditee:
    name: Text
    department: Text
    title: Text = ""


@dataclass(frozen=True, slots=True)
class AuditMethod:
    """How the audit was done (section 5); counts are what the team recorded."""

    fieldwork_start: DateLike = None
    fieldwork_end: DateLike = None
    interviews: int = 0
    documents_reviewed: int = 0
    site_visits: tuple[Text, ...] = ()
    sampling: str = ""  # free text: how samples were chosen


@dataclass(frozen=True, slots=True)
class OutOfScope:
    item: Text
    reason: str


@dataclass(frozen=True, slots=True)
class ContractorProfile:
    """Page 1 of a contractor review report: the register data of the contractor."""

    name: Text
    services: tuple[Text, ...] = ()
    data_handled: tuple[Text, ...] = ()
    countries: tuple[Text, ...] = ()
    certifications: tuple[str, ...] = ()
    risk_tier: str = ""  # high | medium | low
    next_review_due: DateLike = None


@dataclass(frozen=True, slots=True)
class ControlLine:
    """One control of the assessment as it appears in the results table and the crosswalk."""

    control_id: str
    domain_id: str
    title: Text
    is_key: bool
    documented: int | None
    implemented: int | None
    na_reason: str | None
    result: str  # a RESULTS value (assessments.scoring.Result)
    score: float | None
    evidence_count: int = 0
    note: str | None = None
    guideline_refs: tuple[str, ...] = ()
    iso_refs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.result not in RESULTS:
            raise ValueError(f"unknown control result {self.result!r}; expected one of {RESULTS}")


@dataclass(frozen=True, slots=True)
class FindingLine:
    """A finding of this audit (section 7)."""

    ref: str  # F-2026-0001
    grade: str  # major | minor | observation | ofi | good
    status: str  # open | action_planned | action_done | verified | closed
    control_id: str
    statement: str
    criterion: Text
    evidence_seen: str = ""
    owner: Text = ""
    due_date: DateLike = None
    overdue: bool = False

    def __post_init__(self) -> None:
        _check_grade(self.grade)
        _check_status(self.status)


@dataclass(frozen=True, slots=True)
class CorrectiveActionLine:
    """A finding of an earlier audit and how its corrective action was verified (section 8)."""

    ref: str
    grade: str
    source: Text  # the earlier audit (title or period)
    action: str
    owner: Text = ""
    due_date: DateLike = None
    status: str = "open"
    verified_on: DateLike = None
    verification: str = ""  # effectiveness verification note
    overdue: bool = False

    def __post_init__(self) -> None:
        _check_grade(self.grade)
        _check_status(self.status)


@dataclass(frozen=True, slots=True)
class EvidenceLine:
    """One file of the evidence index (section 9)."""

    filename: str
    sha256: str
    added_by: Text
    added_at: DateLike
    valid_until: DateLike = None
    controls: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AuditReportData:
    """Everything the audit report prints, in the order of audit-report.md."""

    report_id: str
    organisation: Text
    title: str  # the assessment's title
    scope: Text
    period_start: DateLike
    period_end: DateLike
    report_date: date
    version: str
    lead_auditor: Text
    confidentiality: Text
    catalogue_name: Text
    catalogue_version: str
    domains: tuple[DomainInfo, ...]
    score: ScoreLike
    controls: tuple[ControlLine, ...]
    catalogue_urn: str = ""
    team: tuple[TeamMember, ...] = ()
    auditees: tuple[Auditee, ...] = ()
    distribution: tuple[Text, ...] = ()
    previous_label: Text | None = None  # e.g. the previous audit's title; None: no trend
    previous_overall: float | None = None
    previous_domain_scores: Mapping[str, float | None] = field(default_factory=dict)
    findings: tuple[FindingLine, ...] = ()
    corrective_actions: tuple[CorrectiveActionLine, ...] = ()
    evidence: tuple[EvidenceLine, ...] = ()
    method: AuditMethod = AuditMethod()
    out_of_scope: tuple[OutOfScope, ...] = ()
    objective: str = ""  # empty: the standard objective sentence
    conclusion: str = ""
    limitations: str = ""
    independence_confirmed: bool = False
    contractor: ContractorProfile | None = None  # set: a contractor review report

    def domain_name(self, domain_id: str, lang: str) -> str:
        for domain in self.domains:
            if domain.domain_id == domain_id:
                return pick(domain.name, lang)
        return domain_id


# -- executive portfolio ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PortfolioScope:
    """The latest assessment of one scope."""

    scope: Text
    assessment_title: str
    closed_on: DateLike
    overall_score: float | None
    overall_level: int | None
    coverage: float | None
    domain_scores: Mapping[str, float | None] = field(default_factory=dict)
    domain_ratings: Mapping[str, str | None] = field(default_factory=dict)
    previous_overall: float | None = None


@dataclass(frozen=True, slots=True)
class WeakControl:
    scope: Text
    control_id: str
    title: Text
    score: float | None
    result: str  # a RESULTS value (assessments.scoring.Result)
    is_key: bool = False


@dataclass(frozen=True, slots=True)
class OpenFinding:
    ref: str
    scope: Text
    grade: str
    age_days: int
    overdue: bool = False

    def __post_init__(self) -> None:
        _check_grade(self.grade)


@dataclass(frozen=True, slots=True)
class ContractorDue:
    name: Text
    risk_tier: str  # high | medium | low
    next_review_due: DateLike
    days_overdue: int
    last_review: DateLike = None


@dataclass(frozen=True, slots=True)
class PortfolioReportData:
    report_id: str
    organisation: Text
    report_date: date
    confidentiality: Text
    catalogue_name: Text
    domains: tuple[DomainInfo, ...]
    scopes: tuple[PortfolioScope, ...]
    worst_controls: tuple[WeakControl, ...] = ()
    open_findings: tuple[OpenFinding, ...] = ()
    contractors_overdue: tuple[ContractorDue, ...] = ()
    prepared_by: Text = ""


# -- Art. 32 public announcement ----------------------------------------------------------

Area = Literal[
    "basic_policy",
    "internal_rules",
    "organizational",
    "human",
    "physical",
    "technological",
    "contractors",
    "external",
]
AREAS: tuple[Area, ...] = (
    "basic_policy",
    "internal_rules",
    "organizational",
    "human",
    "physical",
    "technological",
    "contractors",
    "external",
)
# Numbered items per area, as the General Rules guideline numbers them.
AREA_ITEMS: Mapping[str, int] = {"organizational": 5, "physical": 4, "technological": 4}


@dataclass(frozen=True, slots=True)
class AnnouncedMeasure:
    """One heading of the announcement: an area, or a numbered item (1..5) of an area.

    ``lines``: sentences derived from the controls that implement it (empty: the standard
    wording); ``in_place``: the latest closed assessment shows the measure in place
    (a measure that is not is flagged for legal to review, never silently published).
    """

    area: Area
    item: int | None = None
    lines: tuple[Text, ...] = ()
    in_place: bool = True
    control_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.area not in AREAS:
            raise ValueError(f"unknown area {self.area!r}")
        items = AREA_ITEMS.get(self.area, 0)
        if self.item is not None and not 1 <= self.item <= items:
            raise ValueError(f"{self.area} has no item ({self.item})")


@dataclass(frozen=True, slots=True)
class AnnouncementData:
    organisation: Text
    as_of: date
    measures: tuple[AnnouncedMeasure, ...]
    countries: tuple[Text, ...] = ()  # where personal data is handled abroad
    basis: Text | None = None  # the assessment the statement rests on
    contact: Text | None = None  # where to ask about the handling of personal data
