"""Settings read from the environment, with defaults that work on a fresh checkout."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LIBRARY_DIR = PROJECT_ROOT / "controls" / "library"

# Evidence accepted by default: documents, images, spreadsheets and text (ZIP is opt-in).
EVIDENCE_TYPES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "text/csv",
        "text/plain",
    }
)

# Largest catalogue file accepted. The shipped catalogues are ~100 KB; 2 MB leaves room for
# large imported frameworks while refusing accidental or hostile multi-megabyte files early.
MAX_CATALOGUE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Settings:
    """Where Kansa keeps its data, and how sign-in behaves."""

    data_dir: Path
    session_hours: float = 8.0
    # Failed sign-ins within the window that lock a username / a client address.
    lockout_minutes: int = 15
    lockout_user_failures: int = 5
    lockout_client_failures: int = 10
    evidence_max_mb: int = 50  # keep equal to server.maxUploadSize in .streamlit/config.toml
    evidence_types: frozenset[str] = EVIDENCE_TYPES

    @property
    def db_path(self) -> Path:
        return self.data_dir / "kansa.duckdb"

    @property
    def evidence_dir(self) -> Path:
        return self.data_dir / "evidence"

    @property
    def secret_path(self) -> Path:
        return self.data_dir / "session.key"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Build settings from ``KANSA_DATA_DIR`` (default ``./data``) and ``KANSA_SESSION_HOURS``."""
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("KANSA_DATA_DIR") or "data").expanduser().resolve()
    hours = float(env.get("KANSA_SESSION_HOURS") or 8)
    max_mb = int(env.get("KANSA_EVIDENCE_MAX_MB") or 50)
    types = EVIDENCE_TYPES | ({"application/zip"} if env.get("KANSA_EVIDENCE_ALLOW_ZIP") else set())
    return Settings(
        data_dir=data_dir, session_hours=hours, evidence_max_mb=max_mb, evidence_types=types
    )
