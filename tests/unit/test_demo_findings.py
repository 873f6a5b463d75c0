"""The demo findings: every grade and status, some overdue, consistent histories."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest

from assessments import service as assessments
from assessments.scoring import Rating
from auth import audit_service
from auth import service as users
from controls.service import sync_library
from demo.findings import FINDINGS, load_findings
from demo.service import load_demo
from findings import service
from findings.model import Finding, FindingFilter, Grade, Status, is_overdue
from storage.db import Database
from storage.migrate import open_database
from tests.conftest import OPERATOR

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo-findings") / "template.duckdb"
    with open_database(path) as db:
        sync_library(db, OPERATOR)
        load_demo(db, OPERATOR, with_findings=False)
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Iterator[Database]:
    shutil.copyfile(template, tmp_path / "k.duckdb")
    database = open_database(tmp_path / "k.duckdb")
    yield database
    database.close()


def load(db: Database, today: date = TODAY) -> list[Finding]:
    with db.transaction() as cur:
        made = load_findings(cur, OPERATOR, today=today)
    found = service.list_findings(db, OPERATOR, FindingFilter(), today)
    assert made == len(found) == len(FINDINGS)
    return found


def test_every_grade_and_status_and_some_overdue(db: Database) -> None:
    found = load(db)
    assert {f.grade for f in found} == set(Grade)
    assert {f.status for f in found} == set(Status)
    overdue = [f for f in found if is_overdue(f, TODAY)]
    assert len(overdue) >= 3
    assert {f.ref for f in overdue} == {
        f.ref for f in service.list_findings(db, OPERATOR, FindingFilter(overdue_only=True), TODAY)
    }


@pytest.mark.parametrize("today", [date(2027, 2, 1), date(2027, 9, 30)])
def test_overdue_relative_to_any_later_today(db: Database, today: date) -> None:
    found = load(db, today)
    assert any(is_overdue(f, today) for f in found)
    assert any(f.is_open and not is_overdue(f, today) for f in found)
    assert all(f.raised_on < today for f in found)


def test_owners_are_active_users_and_histories_are_consistent(db: Database) -> None:
    found = load(db)
    active = {u.username for u in users.list_users(db, OPERATOR) if u.active}
    assert {f.owner for f in found} <= active
    for f in found:
        history = service.history(db, OPERATOR, f.id)
        assert history[0].from_status is None
        assert [h.seq for h in history] == list(range(1, len(history) + 1))
        assert all(a.to_status == b.from_status for a, b in pairwise(history))
        assert history[-1].to_status == f.status
        assert [h.at for h in history] == sorted(h.at for h in history)
        assert f.criterion_ja.startswith(f.control_id)
    refs = sorted(found, key=lambda f: (f.raised_on.year, f.ref))
    assert [f.raised_on for f in refs] == sorted(f.raised_on for f in refs)  # numbered in order
    assert audit_service.verify(db, OPERATOR).ok


def test_the_current_csc_audit_is_red_on_org_and_follows_up_earlier_findings(
    db: Database,
) -> None:
    load(db)
    current = assessments.list_assessments(db, OPERATOR, scope="CSC")[0]
    assert current.status.value == "in_progress"
    assert service.open_grades(db, OPERATOR, current.id)["ORG-03"] == Grade.MAJOR
    assert assessments.score(db, OPERATOR, current.id).score.domains["ORG"].rating == Rating.RED
    follow = service.follow_up(db, OPERATOR, current.id)
    assert follow
    assert all(f.assessment_id != current.id and f.scope_unit == "CSC" for f in follow)
    assert {f.status for f in follow} - {Status.CLOSED}  # unfinished ones among them
