"""Shared fixtures: a migrated database with the shipped catalogues and the demo company."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from auth.model import Principal
from auth.secret import load_or_create_secret
from controls.service import sync_library
from core.settings import Settings
from demo.service import load_demo
from evidence.store import EvidenceStore
from storage.migrate import open_database

ROOT = Path(__file__).resolve().parent.parent
OPERATOR = Principal.cli("test")


@dataclass(frozen=True)
class DemoData:
    data_dir: Path
    password: str  # of every demo account
    users: dict[str, str]  # role -> username

    @property
    def db_path(self) -> Path:
        return self.data_dir / "kansa.duckdb"


def prepare_data_dir(data_dir: Path) -> DemoData:
    """Create the database the way `kansa init --demo` does."""
    load_or_create_secret(data_dir / "session.key")
    with open_database(data_dir / "kansa.duckdb") as db:
        sync_library(db, OPERATOR)
        summary = load_demo(db, OPERATOR, EvidenceStore.from_settings(Settings(data_dir=data_dir)))
    return DemoData(data_dir, summary.password, {role: user for user, role in summary.users})


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> DemoData:
    """A data dir holding the shipped catalogues and the demo company (share, do not modify)."""
    return prepare_data_dir(tmp_path_factory.mktemp("kansa-demo"))


@pytest.fixture(scope="session")
def demo_data_dir(demo_data: DemoData) -> Path:
    return demo_data.data_dir
