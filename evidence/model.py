"""Stored evidence files and their links to the controls of assessments."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StoredFile:
    sha256: str
    size: int
    media_type: str


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    link_id: str
    sha256: str
    assessment_id: str
    control_id: str
    filename: str
    description: str | None
    valid_until: str | None
    size: int
    media_type: str
    added_by: str
    added_at: str


@dataclass(frozen=True, slots=True)
class VerifyReport:
    checked: int
    missing: tuple[str, ...]  # a row without its file
    corrupt: tuple[str, ...]  # a file whose bytes no longer hash to its name
    orphaned: tuple[str, ...]  # a complete file no row refers to (e.g. after a crash)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.corrupt or self.orphaned)


@dataclass(frozen=True, slots=True)
class EvidenceFilter:
    """What the Evidence page asks for; every field narrows the list, None leaves it open."""

    assessment_id: str | None = None
    control_id: str | None = None
    media_type: str | None = None
    added_by: str | None = None
    expiring_within_days: int | None = None  # valid until today .. today + N days
    expired: bool = False  # valid until before today


@dataclass(frozen=True, slots=True)
class UnsupportedAnswer:
    """An answer at level 3 or above (min(D, I) >= 3) that no evidence backs."""

    assessment_id: str
    assessment_title: str
    control_id: str
    documented: int
    implemented: int


@dataclass(frozen=True, slots=True)
class UnlinkedFile:
    """A stored file no control links to any more: an admin may purge it."""

    sha256: str
    size: int
    media_type: str
    stored_by: str
    stored_at: str
    last_name: str | None  # the name it last had, from the audit trail of its links


@dataclass(frozen=True, slots=True)
class CarryForward:
    """What carrying evidence forward from an earlier assessment did."""

    source_assessment_id: str
    carried: tuple[str, ...]  # "CONTROL: filename" of every link created
    expired: tuple[str, ...]  # not carried: its valid-until date has passed
    already_linked: int  # already there: nothing to do
    not_asked: tuple[str, ...]  # the control is not part of this assessment's catalogue

    @property
    def count(self) -> int:
        return len(self.carried)
