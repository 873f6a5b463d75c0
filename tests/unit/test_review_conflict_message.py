"""A save refused because the answer was reviewed meanwhile says so.

A review moves an answer's version on, so an auditee who opened the answer before the auditor
accepted it is refused on save (the accepted answer must not go back to review unseen). The
message used to name only the answer -- unchanged, so it gave no reason at all; it now names
the review too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assessments import service
from assessments.model import Answer, ReviewState
from auth.model import Principal, Role
from controls.service import sync_library
from core.errors import Conflict
from storage.db import Database
from storage.migrate import open_database
from tests.conftest import OPERATOR

AUDITOR = Principal("r.auditor", Role.AUDITOR, None)
AUDITEE = Principal("c.auditee", Role.AUDITEE, "CSC")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "k.duckdb")
    sync_library(database, OPERATOR)
    yield database
    database.close()


def test_save_refused_after_a_review_names_the_review(db: Database) -> None:
    a = service.create_assessment(
        db,
        OPERATOR,
        title="Review race",
        catalogue_urn="urn:kansa:catalogue:appi-security-measures",
        scope_unit="CSC",
        create_unit=True,
    )
    shown = service.save_answer(db, AUDITEE, a.id, Answer("POL-01", 2, 2), None)
    service.review_answer(
        db, AUDITOR, a.id, "POL-01", accept=True, comment=None, expected_version=shown.version
    )
    with pytest.raises(Conflict, match=r"D=2, I=2; r\.auditor has since reviewed it \(accepted\)"):
        service.save_answer(db, AUDITEE, a.id, Answer("POL-01", 3, 3), shown.version)
    (stored,) = service.list_responses(db, AUDITOR, a.id)
    assert (stored.documented, stored.review_state) == (2, ReviewState.ACCEPTED)
