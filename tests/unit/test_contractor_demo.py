"""The demo contractors: a register that shows every part of contractor supervision."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from assessments import service as assessments
from auth.model import Principal, Role
from contractors import country_service, review_service, service
from contractors.model import Tier
from controls.service import sync_library
from demo.contractors import LINKS, SPECS, load_contractors
from demo.service import load_demo
from storage.db import Database
from storage.migrate import open_database
from tests.conftest import OPERATOR

TODAY = date(2026, 11, 25)
READER = Principal("a.miyoshi", Role.AUDITOR, "IAD")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("contractor-demo") / "k.duckdb"
    database = open_database(path)
    sync_library(database, OPERATOR)
    load_demo(database, OPERATOR, with_contractors=False)
    with database.transaction() as cur:
        summary = load_contractors(cur, OPERATOR, today=TODAY)
    assert summary.contractors == len(SPECS) == 40
    assert summary.links == len(LINKS)
    assert summary.reviews >= 20
    assert summary.open_reviews == 2
    yield database
    database.close()


def test_every_tier_and_some_overdue_reviews(db: Database) -> None:
    rows = service.list_contractors(db, READER, today=TODAY)
    tiers = {r.tier for r in rows}
    assert tiers == set(Tier)
    overdue = [r for r in rows if r.overdue]
    assert 5 <= len(overdue) <= 15
    assert sum(r.abroad for r in rows) >= 12
    assert {c for r in rows for c in r.missing_clauses}


def test_the_dashboard_has_something_in_every_list(db: Database) -> None:
    board = service.supervisor_dashboard(db, READER, TODAY)
    assert board.overdue
    assert len(board.due) > len(board.overdue)
    assert board.missing_clauses
    assert board.expiring
    assert board.unapproved
    assert board.contractors == 39  # one contract has ended


def test_chains_go_three_deep(db: Database) -> None:
    top = next(r for r in service.list_contractors(db, READER) if r.name.endswith("テレサポート"))
    (first,) = service.get_contractor(db, READER, top.id).subcontractors
    (second,) = service.get_contractor(db, READER, first.child_id).subcontractors
    assert (first.approved, second.approved) == (True, False)


def test_completed_reviews_have_every_answer(db: Database) -> None:
    reviewed = [r for r in service.list_contractors(db, READER) if r.last_review_on]
    detail = service.get_contractor(db, READER, reviewed[0].id)
    done = [r for r in detail.reviews if r.completed_on]
    assert done
    assert all(r.score is not None and r.tier_after for r in done)
    latest = done[0]
    score = assessments.score(db, READER, latest.assessment_id).score
    assert score.overall_coverage == 1.0
    typed = review_service.list_review_answers(db, READER, latest.assessment_id)
    assert len(typed) == 11
    assert latest.next_review_due == detail.contractor.next_review_due


def test_data_sits_in_the_seeded_countries(db: Database) -> None:
    data = country_service.where_data_sits(db, READER, TODAY)
    by_code = {c.code: c for c in data.countries}
    assert {"US", "PH", "VN", "IN", "CN", "KR", "TW", "SG", "GB", "IE", "DE", "FR"} <= {
        c.code for c in data.countries if c.contractors
    }
    assert by_code["JP"].systems == 2
    assert by_code["JP"].sites == 2
    assert not by_code["US"].stale
    assert by_code["VN"].stale
