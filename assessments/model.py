"""Assessments (self-inspection campaigns) and their responses."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    IN_REVIEW = "in_review"
    CLOSED = "closed"


class ReviewState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    RETURNED = "returned"


class MemberRole(StrEnum):
    AUDITOR = "auditor"
    AUDITEE = "auditee"


@dataclass(frozen=True, slots=True)
class Assessment:
    id: str
    title: str
    catalogue_id: str
    catalogue_urn: str
    catalogue_version: str
    scope_unit: str
    period_start: str | None
    period_end: str | None
    lead_auditor: str | None
    status: Status
    created_by: str
    created_at: str
    closed_at: str | None
    version: int
    auditors: tuple[str, ...] = ()
    auditees: tuple[str, ...] = ()

    @property
    def year(self) -> int | None:
        return int(self.period_start[:4]) if self.period_start else None


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer as a user gives it: D and I 0-5, or N/A with a reason; a note either way."""

    control_id: str
    documented: int | None
    implemented: int | None
    na_reason: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Response:
    assessment_id: str
    control_id: str
    documented: int | None
    implemented: int | None
    na_reason: str | None
    note: str | None
    answered_by: str
    answered_at: str
    review_state: ReviewState
    review_comment: str | None
    reviewed_by: str | None
    version: int

    def as_answer(self) -> Answer:
        return Answer(self.control_id, self.documented, self.implemented, self.na_reason, self.note)


@dataclass(frozen=True, slots=True)
class DomainProgress:
    domain_id: str
    controls: int
    answered: int
    accepted: int
    returned: int
