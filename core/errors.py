"""The one exception tree of Kansa. The UI and CLI map each class to one kind of message."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Issue:
    """One validation problem, located as precisely as the input allows."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class KansaError(Exception):
    """Base of every error Kansa reports to a user (as opposed to a bug)."""


class NotFound(KansaError):
    """The requested record does not exist (or is not visible to the caller)."""


class Conflict(KansaError):
    """Someone else changed the record first, or the change contradicts stored data."""


class PermissionDenied(KansaError):
    """The caller's role does not carry the permission the operation needs."""


class StorageError(KansaError):
    """The database cannot be opened or used: locked, not a DuckDB file, changed migration."""


class ValidationFailed(KansaError):
    """Input was rejected; ``issues`` lists every problem found, not just the first."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues: tuple[Issue, ...] = tuple(issues)
        first = str(self.issues[0]) if self.issues else "invalid input"
        more = f" (and {len(self.issues) - 1} more)" if len(self.issues) > 1 else ""
        super().__init__(first + more)
