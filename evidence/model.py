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
