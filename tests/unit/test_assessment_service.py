"""Self-inspection campaigns through the service: plan, answer, conflicts, review, close."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook

from assessments import service
from assessments.model import Answer, ReviewState, Status
from auth import service as users
from auth.model import Principal, Role
from controls.service import sync_library
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from demo.service import load_demo
from storage.db import Database
from storage.migrate import open_database
from tests.conftest import OPERATOR

URN = "urn:kansa:catalogue:appi-security-measures"
AUDITOR = Principal("a.miyoshi", Role.AUDITOR, "IAD", display_name="三好 彩")
AUDITEE = Principal("s.okamoto", Role.AUDITEE, "CSC")
OTHER_AUDITEE = Principal("x.sales", Role.AUDITEE, "SLS")
EXECUTIVE = Principal("m.aoyagi", Role.EXECUTIVE, "MGT")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalogues and the demo company, built once and copied for each test."""
    path = tmp_path_factory.mktemp("assessments") / "template.duckdb"
    with open_database(path) as database:
        sync_library(database, OPERATOR)
        load_demo(database, OPERATOR)
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Iterator[Database]:
    shutil.copyfile(template, tmp_path / "k.duckdb")
    database = open_database(tmp_path / "k.duckdb")
    yield database
    database.close()


@pytest.fixture
def campaign(db: Database) -> str:
    created = service.create_assessment(
        db,
        AUDITOR,
        title="テスト点検",
        catalogue_urn=URN,
        scope_unit="CSC",
        period_start="2026-10-01",
        period_end="2027-03-31",
        lead_auditor="a.miyoshi",
        auditees=["s.okamoto"],
    )
    assert created.status == Status.PLANNED
    return created.id


def _controls(db: Database, assessment_id: str) -> list[str]:
    return [p.domain_id for p in service.progress(db, AUDITOR, assessment_id)]


def test_campaign_pins_the_catalogue_version(db: Database, campaign: str) -> None:
    a = service.get_assessment(db, AUDITOR, campaign)
    assert a.catalogue_urn == URN
    assert a.catalogue_version == "2026.1"
    assert a.auditors == ("a.miyoshi",)
    assert a.auditees == ("s.okamoto",)


def test_auditor_may_not_audit_own_department(db: Database) -> None:
    with pytest.raises(Conflict, match="may not audit their own department"):
        service.create_assessment(
            db,
            AUDITOR,
            title="IAD self-check",
            catalogue_urn=URN,
            scope_unit="IAD",
            lead_auditor="a.miyoshi",
        )


def test_planning_needs_the_plan_permission(db: Database) -> None:
    with pytest.raises(PermissionDenied):
        service.create_assessment(db, AUDITEE, title="x", catalogue_urn=URN, scope_unit="CSC")


def test_first_answer_starts_the_campaign_and_is_audited(db: Database, campaign: str) -> None:
    saved = service.save_answer(
        db, AUDITEE, campaign, Answer("ORG-01", 4, 3, note="台帳あり"), None
    )
    assert (saved.documented, saved.implemented, saved.version) == (4, 3, 1)
    assert service.get_assessment(db, AUDITOR, campaign).status == Status.IN_PROGRESS
    with db.cursor() as cur:
        actions = [
            r[0]
            for r in cur.execute(
                "SELECT action FROM audit_log WHERE entity_id = ? ORDER BY seq", [campaign]
            ).fetchall()
        ]
    assert actions[-2:] == ["response.save", "assessment.start"]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (Answer("ORG-01", 6, 3), "whole number 0-5"),
        (Answer("ORG-01", -1, 3), "whole number 0-5"),
        (Answer("ORG-01", None, None), "N/A with a reason"),
        (Answer("ORG-01", None, None, na_reason="   "), "N/A with a reason"),
        (Answer("ORG-01", 3, 3, na_reason="x"), "N/A leaves"),
        (Answer("NOPE-99", 3, 3), "not a control"),
    ],
)
def test_bad_answers_are_refused_and_nothing_saved(
    db: Database, campaign: str, answer: Answer, message: str
) -> None:
    with pytest.raises(ValidationFailed, match=message):
        service.save_answers(
            db, AUDITEE, campaign, [(Answer("ORG-02", 3, 3), None), (answer, None)]
        )
    assert service.list_responses(db, AUDITOR, campaign) == []  # not even the good one


def test_second_writer_gets_a_conflict_showing_the_other_answer(
    db: Database, campaign: str
) -> None:
    service.save_answer(db, AUDITEE, campaign, Answer("ORG-03", 2, 1), None)
    # The auditor saw the control unanswered (None) and saves later: refused.
    with pytest.raises(Conflict, match=r"s\.okamoto saved ORG-03 .*D=2, I=1"):
        service.save_answer(db, AUDITOR, campaign, Answer("ORG-03", 5, 5), None)
    first = service.save_answer(db, AUDITEE, campaign, Answer("ORG-03", 3, 2), 1)
    with pytest.raises(Conflict, match="D=3, I=2"):
        service.save_answer(db, AUDITOR, campaign, Answer("ORG-03", 5, 5), 1)
    (stored,) = service.list_responses(db, AUDITOR, campaign)
    assert (stored.documented, stored.implemented, stored.version) == (3, 2, first.version)


def test_auditee_answers_only_for_own_department(db: Database, campaign: str) -> None:
    with pytest.raises(NotFound):
        service.save_answer(db, OTHER_AUDITEE, campaign, Answer("ORG-01", 3, 3), None)
    assert all(a.scope_unit == "CSC" for a in service.list_assessments(db, AUDITEE))
    assert campaign not in {a.id for a in service.list_assessments(db, OTHER_AUDITEE)}


def test_executive_reads_but_cannot_answer(db: Database, campaign: str) -> None:
    assert service.get_assessment(db, EXECUTIVE, campaign).id == campaign
    with pytest.raises(PermissionDenied):
        service.save_answer(db, EXECUTIVE, campaign, Answer("ORG-01", 3, 3), None)


def _answer_all(db: Database, campaign: str, *, but: str = "") -> None:
    with db.cursor() as cur:
        ids = [
            r[0]
            for r in cur.execute(
                """SELECT k.control_id FROM controls k
                   JOIN assessments a ON a.catalogue_id = k.catalogue_id
                   WHERE a.id = CAST(? AS UUID) AND k.answer_type = 'maturity'
                     AND k.control_id <> ?""",
                [campaign, but],
            ).fetchall()
        ]
    service.save_answers(db, AUDITEE, campaign, [(Answer(c, 3, 3), None) for c in ids])


def test_review_close_and_read_only_forever(db: Database, campaign: str) -> None:
    service.save_answer(db, AUDITEE, campaign, Answer("ORG-01", 3, 3), None)
    with pytest.raises(Conflict, match="coverage is 3%"):
        service.close_assessment(db, AUDITOR, campaign)
    _answer_all(db, campaign, but="ORG-01")
    service.submit_for_review(db, AUDITOR, campaign)
    returned = service.review_answer(
        db,
        AUDITOR,
        campaign,
        "ORG-01",
        accept=False,
        comment="証跡を添付してください",
        expected_version=1,
    )
    assert returned.review_state == ReviewState.RETURNED
    with pytest.raises(Conflict, match="returned for rework: ORG-01"):
        service.close_assessment(db, AUDITOR, campaign)
    fixed = service.save_answer(db, AUDITEE, campaign, Answer("ORG-01", 4, 3), returned.version)
    assert fixed.review_state == ReviewState.PENDING
    closed = service.close_assessment(db, AUDITOR, campaign)
    assert closed.status == Status.CLOSED
    with pytest.raises(Conflict, match="closed"):
        service.save_answer(db, AUDITEE, campaign, Answer("ORG-01", 5, 5), fixed.version)
    with pytest.raises(Conflict, match="closed"):
        service.import_answers(
            db, AUDITOR, campaign, "a.csv", b"control_id,documented,implemented\nORG-01,1,1\n"
        )
    view = service.score(db, EXECUTIVE, campaign)
    assert view.score.overall_coverage == 1.0


def test_return_needs_a_comment(db: Database, campaign: str) -> None:
    service.save_answer(db, AUDITEE, campaign, Answer("ORG-01", 3, 3), None)
    with pytest.raises(ValidationFailed, match="why"):
        service.review_answer(
            db, AUDITOR, campaign, "ORG-01", accept=False, comment=" ", expected_version=1
        )


def test_import_is_all_or_nothing_with_line_numbers(db: Database, campaign: str) -> None:
    csv = (
        "control_id,documented,implemented,na_reason,note\n"
        "ORG-01,3,2,,ok\n"
        "ORG-02,7,2,,too high\n"
        "XXX-01,1,1,,unknown\n"
        "PHY-01,,,無人拠点のため,\n"
        "ORG-03,=1+1,2,,formula\n"
    ).encode()
    with pytest.raises(ValidationFailed) as info:
        service.import_answers(db, AUDITOR, campaign, "answers.csv", csv)
    lines = {(i.line, i.field) for i in info.value.issues}
    assert lines == {(3, "documented"), (4, "control_id"), (6, "documented")}
    assert service.list_responses(db, AUDITOR, campaign) == []
    good = (
        "\ufeffcontrol_id,documented,implemented,na_reason,note\n"
        "ORG-01,3,2,,ok\n"
        "PHY-01,,,無人拠点のため,\n"
    )
    assert service.import_answers(db, AUDITOR, campaign, "answers.csv", good.encode()) == 2
    assert service.get_assessment(db, AUDITOR, campaign).status == Status.IN_PROGRESS
    phy = {r.control_id: r for r in service.list_responses(db, AUDITOR, campaign)}["PHY-01"]
    assert phy.na_reason == "無人拠点のため"


def test_import_refuses_huge_files(db: Database, campaign: str) -> None:
    rows = "".join(f"ORG-01,3,3,,row {i}\n" for i in range(100_000))
    data = ("control_id,documented,implemented,na_reason,note\n" + rows).encode()
    with pytest.raises(ValidationFailed, match=r"(larger|more) than"):
        service.import_answers(db, AUDITOR, campaign, "big.csv", data)
    assert service.list_responses(db, AUDITOR, campaign) == []


def test_import_xlsx(db: Database, campaign: str, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["control_id", "documented", "implemented", "na_reason", "note"])
    ws.append(["ORG-01", 4, 4, None, "規程あり"])
    ws.append(["ORG-02", "=2+2", 1, None, None])
    path = tmp_path / "a.xlsx"
    wb.save(path)
    with pytest.raises(ValidationFailed, match="formula"):
        service.import_answers(db, AUDITOR, campaign, "a.xlsx", path.read_bytes())
    ws.delete_rows(3)
    wb.save(path)
    assert service.import_answers(db, AUDITOR, campaign, "a.xlsx", path.read_bytes()) == 1


def test_demo_history_scores_and_trend(db: Database) -> None:
    closed = service.list_assessments(db, EXECUTIVE, status="closed", scope="CSC")
    assert len(closed) == 5
    latest = service.score(db, EXECUTIVE, closed[0].id)
    assert latest.previous_id == closed[1].id
    assert latest.trend  # there is something to compare with
    users.list_users(db, OPERATOR)  # the demo accounts exist alongside
