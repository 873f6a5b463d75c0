"""Unit-test fixtures: a small database holding the demo company, copied for each test."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from demo.service import load_demo
from storage.migrate import open_database
from tests.conftest import OPERATOR


@dataclass(frozen=True)
class Company:
    """A data dir whose database holds the demo org units and one account per role."""

    data_dir: Path
    password: str  # of every demo account
    users: dict[str, str]  # role -> username

    @property
    def db_path(self) -> Path:
        return self.data_dir / "kansa.duckdb"


@pytest.fixture(scope="session")
def company_template(tmp_path_factory: pytest.TempPathFactory) -> Company:
    """Made once (no catalogues: the auth and audit tests do not need them)."""
    data_dir = tmp_path_factory.mktemp("company")
    with open_database(data_dir / "kansa.duckdb") as db:
        summary = load_demo(db, OPERATOR)
    return Company(data_dir, summary.password, {role: user for user, role in summary.users})


@pytest.fixture
def company(tmp_path: Path, company_template: Company) -> Company:
    """This test's own copy of the demo company database (write to it freely)."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copyfile(company_template.db_path, data_dir / "kansa.duckdb")
    return Company(data_dir, company_template.password, company_template.users)
