"""Audit findings, their status flow and the corrective-action record. No I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Grade(StrEnum):
    """Finding grades, gravest first (glossary: 重大な不適合 ... 良好事例)."""

    MAJOR = "major"  # major nonconformity
    MINOR = "minor"  # minor nonconformity
    OBSERVATION = "observation"
    OFI = "ofi"  # opportunity for improvement
    GOOD = "good"  # good practice


class Status(StrEnum):
    OPEN = "open"
    ACTION_PLANNED = "action_planned"
    ACTION_DONE = "action_done"
    VERIFIED = "verified"
    CLOSED = "closed"


class EvidenceRole(StrEnum):
    SEEN = "seen"  # what the auditor saw when raising the finding
    VERIFICATION = "verification"  # what shows the corrective action worked


# Gravest first: the order open_grades and the register sort by.
GRADE_ORDER: tuple[Grade, ...] = tuple(Grade)

# Nonconformities need a root cause, a corrective action and verification with evidence.
NONCONFORMITIES: frozenset[Grade] = frozenset({Grade.MAJOR, Grade.MINOR})

# A finding counts as open (for ratings, overdue and "my actions") until it is verified.
SETTLED: frozenset[Status] = frozenset({Status.VERIFIED, Status.CLOSED})

# The status flow every finding follows: open -> action planned -> action done -> verified
# -> closed; the auditor may reopen a verified or closed finding (with a reason).
TRANSITIONS: Mapping[Status, frozenset[Status]] = {
    Status.OPEN: frozenset({Status.ACTION_PLANNED}),
    Status.ACTION_PLANNED: frozenset({Status.ACTION_DONE}),
    Status.ACTION_DONE: frozenset({Status.VERIFIED}),
    Status.VERIFIED: frozenset({Status.CLOSED, Status.OPEN}),
    Status.CLOSED: frozenset({Status.OPEN}),
}

# Observations, opportunities for improvement and good practice need no corrective action:
# the auditor may also close them straight from any unsettled status.
NO_ACTION_CLOSE_FROM: frozenset[Status] = frozenset(
    {Status.OPEN, Status.ACTION_PLANNED, Status.ACTION_DONE}
)

# The statuses in which the owner may record or change the response.
RESPONDABLE: frozenset[Status] = frozenset({Status.OPEN, Status.ACTION_PLANNED})


def allowed_next(grade: Grade, status: Status) -> frozenset[Status]:
    """The statuses a finding of ``grade`` may move to from ``status``."""
    allowed = set(TRANSITIONS[status])
    if grade not in NONCONFORMITIES and status in NO_ACTION_CLOSE_FROM:
        allowed.add(Status.CLOSED)
    return frozenset(allowed)


def transition_problem(grade: Grade, current: Status, target: Status) -> str | None:
    """Why ``current`` -> ``target`` is not allowed (None: it is), naming what is allowed."""
    allowed = allowed_next(grade, current)
    if target in allowed:
        return None
    options = ", ".join(s.value for s in Status if s in allowed) or "nothing"
    return (
        f"it is {current.value} and cannot move to {target.value}; "
        f"from {current.value} it can move to: {options}"
    )


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    ref: str
    assessment_id: str
    assessment_title: str
    scope_unit: str
    control_id: str
    grade: Grade
    status: Status
    statement: str
    criterion_en: str
    criterion_ja: str
    org_unit_code: str
    owner: str
    due_date: date
    root_cause: str | None
    correction: str | None
    corrective_action: str | None
    responded_by: str | None
    responded_at: str | None
    verification_note: str | None
    verified_by: str | None
    verified_at: str | None
    closed_by: str | None
    closed_at: str | None
    raised_by: str
    raised_at: str
    raised_on: date
    updated_by: str
    updated_at: str
    version: int

    @property
    def is_open(self) -> bool:
        """Open until verified or closed (what ratings and overdue look at)."""
        return self.status not in SETTLED

    def criterion(self, lang: str) -> str:
        return self.criterion_ja if lang == "ja" else self.criterion_en


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    finding_id: str
    seq: int
    from_status: Status | None
    to_status: Status
    actor: str
    at: str
    note: str | None


@dataclass(frozen=True, slots=True)
class FindingEvidence:
    finding_id: str
    sha256: str
    role: EvidenceRole
    filename: str | None  # a name the file was uploaded under, if it is linked to a control
    added_by: str
    added_at: str


@dataclass(frozen=True, slots=True)
class FindingFilter:
    """What the register shows; empty tuples and None mean "any"."""

    grades: tuple[Grade, ...] = ()
    statuses: tuple[Status, ...] = ()
    org_units: tuple[str, ...] = ()
    assessment_id: str | None = None
    control_id: str | None = None
    owner: str | None = None
    overdue_only: bool = False
    open_only: bool = False
    min_age_days: int | None = None
    max_age_days: int | None = None
    limit: int | None = None


def is_overdue(finding: Finding, today: date) -> bool:
    """The due date has passed and the finding is not yet verified or closed."""
    return finding.due_date < today and finding.status not in SETTLED


def age_days(finding: Finding, today: date) -> int:
    """Whole days since the finding was raised (0 on the day, never negative)."""
    return max(0, (today - finding.raised_on).days)


def gravest(grades: Iterable[Grade | str]) -> Grade | None:
    """The gravest of ``grades`` (None when there are none)."""
    present = {Grade(g) for g in grades}
    return next((g for g in GRADE_ORDER if g in present), None)


def criterion_texts(
    control_id: str,
    title_en: str,
    title_ja: str,
    guideline_refs: Iterable[str],
    annex_a_refs: Iterable[str],
) -> tuple[str, str]:
    """The criterion of a finding in English and Japanese: the control and its references."""
    gl, iso = list(guideline_refs), list(annex_a_refs)
    en_refs = []
    ja_refs = []
    if gl:
        en_refs.append("APPI General Rules guideline " + ", ".join(gl))
        ja_refs.append("通則編ガイドライン " + "、".join(gl))
    if iso:
        en_refs.append("ISO/IEC 27001:2022 " + ", ".join(f"A.{r}" for r in iso))
        ja_refs.append("ISO/IEC 27001:2022 " + "、".join(f"A.{r}" for r in iso))
    en = f"{control_id} {title_en}" + (f" ({'; '.join(en_refs)})" if en_refs else "")
    ja = f"{control_id} {title_ja}" + (f"（{'／'.join(ja_refs)}）" if ja_refs else "")
    return en, ja
