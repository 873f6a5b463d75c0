"""Hostile-input tests: a tally of the cases each test tried and how each ended.

Every test takes the ``tally`` fixture and records each case (a Hypothesis example or a
hand-made one) under its kind with an outcome: ``refused`` (a ``ValidationFailed`` naming
where, and nothing written) or ``handled`` (accepted and stored, built or shown safely). The
counts travel with the test reports (also from pytest-xdist workers) and are printed as one
table at the end of the run.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from auth.secret import load_or_create_secret
from controls.service import sync_library
from demo.service import load_demo
from storage.db import Database
from storage.migrate import open_database
from tests.conftest import OPERATOR
from tests.hostile.cases import KINDS

_PROPERTY = "hostile-cases"
_totals: Counter[tuple[str, str]] = Counter()


class Tally:
    """Cases tried by one test, by (kind, outcome)."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()

    def refused(self, kind: str) -> None:
        self._add(kind, "refused")

    def handled(self, kind: str) -> None:
        self._add(kind, "handled")

    def _add(self, kind: str, outcome: str) -> None:
        assert kind in KINDS, kind
        self.counts[(kind, outcome)] += 1


@pytest.fixture
def tally(request: pytest.FixtureRequest) -> Iterator[Tally]:
    counted = Tally()
    yield counted
    # Properties added before the teardown report is made travel with that report.
    rows = [(kind, outcome, n) for (kind, outcome), n in counted.counts.items()]
    request.node.user_properties.append((_PROPERTY, rows))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "teardown":
        return
    for name, value in report.user_properties:
        if name == _PROPERTY and isinstance(value, list):
            for kind, outcome, n in value:
                _totals[(kind, outcome)] += n


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _totals:
        return
    terminalreporter.section("hostile cases tried (count per kind)")
    terminalreporter.write_line(f"{'kind':<44}{'tried':>7}{'refused':>9}{'handled':>9}")
    for kind in KINDS:
        refused, handled = _totals[(kind, "refused")], _totals[(kind, "handled")]
        if refused or handled:
            terminalreporter.write_line(f"{kind:<44}{refused + handled:>7}{refused:>9}{handled:>9}")
    total_refused = sum(n for (_, outcome), n in _totals.items() if outcome == "refused")
    total = sum(_totals.values())
    terminalreporter.write_line(
        f"{'all kinds':<44}{total:>7}{total_refused:>9}{total - total_refused:>9}"
    )


@dataclass(frozen=True)
class Company:
    """A data dir holding the shipped catalogues and the demo company (no contractors)."""

    data_dir: Path
    password: str  # of every demo account
    users: dict[str, str]  # role -> username

    @property
    def db_path(self) -> Path:
        return self.data_dir / "kansa.duckdb"

    def copy(self, target: Path) -> Company:
        """A copy to write to (the database and the session key)."""
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.db_path, target / "kansa.duckdb")
        shutil.copy2(self.data_dir / "session.key", target / "session.key")
        return Company(target, self.password, self.users)


@pytest.fixture(scope="session")
def company(tmp_path_factory: pytest.TempPathFactory) -> Company:
    """Made once per test process; tests take copies (the demo data of tests/conftest.py also
    loads evidence files and contractors, which these tests do not need, at twice the cost)."""
    data_dir = tmp_path_factory.mktemp("hostile-company")
    load_or_create_secret(data_dir / "session.key")
    with open_database(data_dir / "kansa.duckdb") as database:
        sync_library(database, OPERATOR)
        summary = load_demo(database, OPERATOR, with_contractors=False)
    return Company(data_dir, summary.password, {role: user for user, role in summary.users})


@pytest.fixture(scope="session")
def company_db(company: Company) -> Path:
    return company.db_path


@pytest.fixture
def db(company_db: Path, tmp_path: Path) -> Iterator[Database]:
    """This test's own copy of ``company_db``."""
    shutil.copyfile(company_db, tmp_path / "kansa.duckdb")
    database = open_database(tmp_path / "kansa.duckdb")
    yield database
    database.close()


@pytest.fixture(scope="module")
def module_db(company_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One copy of ``company_db`` for a whole module (each test checks its own writes)."""
    path = tmp_path_factory.mktemp("module") / "kansa.duckdb"
    shutil.copyfile(company_db, path)
    database = open_database(path)
    yield database
    database.close()


def row_counts(db: Database, *tables: str) -> tuple[int, ...]:
    """How many rows each table holds (to show that a refusal wrote nothing)."""
    with db.cursor() as cur:
        counts = [
            cur.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608 -- constant names
            for table in tables
        ]
    return tuple(int(row[0]) if row else 0 for row in counts)
