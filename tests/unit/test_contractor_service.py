"""The contractor register through its services: tiers, chains, dashboard, countries, reviews,
and who may do what."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from assessments import service as assessments
from auth.model import Principal, Role
from contractors import country_service, review_service, service
from contractors.model import (
    Clause,
    Clauses,
    Contractor,
    ContractorDraft,
    LocationMode,
    ReviewAnswer,
    SubjectKind,
    Tier,
    add_months,
)
from controls.service import sync_library
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from demo.service import load_demo
from storage.db import Database
from storage.migrate import open_database
from tests.conftest import OPERATOR

TODAY = date(2026, 11, 25)
SUPERVISOR = Principal("d.sugimoto", Role.SUPERVISOR, "PRV")
ADMIN = Principal("y.imai", Role.ADMIN, "ITS")
AUDITOR = Principal("a.miyoshi", Role.AUDITOR, "IAD")
AUDITEE = Principal("s.okamoto", Role.AUDITEE, "CSC")
EXECUTIVE = Principal("m.aoyagi", Role.EXECUTIVE, "MGT")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("contractors") / "template.duckdb"
    with open_database(path) as database:
        sync_library(database, OPERATOR)
        load_demo(database, OPERATOR, with_contractors=False)
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Iterator[Database]:
    shutil.copyfile(template, tmp_path / "k.duckdb")
    database = open_database(tmp_path / "k.duckdb")
    yield database
    database.close()


def _draft(name: str = "株式会社テスト委託", **changes: object) -> ContractorDraft:
    base = ContractorDraft(
        name=name,
        services="問合せ対応",
        approx_individuals=500,
        special_care=False,
        contract_start=date(2025, 4, 1),
        owner="d.sugimoto",
        clauses=Clauses.complete(),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _register(db: Database, name: str = "株式会社テスト委託", **changes: object) -> Contractor:
    return service.register_contractor(db, SUPERVISOR, _draft(name, **changes), today=TODAY)


def _count(db: Database, sql: str) -> int:
    with db.cursor() as cur:
        row = cur.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


# --- the register -------------------------------------------------------------------------------


def test_register_sets_code_tier_and_first_review_date(db: Database) -> None:
    partial = Clauses(True, True, False, True, True, None, True)  # 2 clauses missing
    c = _register(db, approx_individuals=20_000, clauses=partial)
    assert (c.code, c.version) == ("CTR-0001", 1)
    assert (c.tier, c.tier_points) == (Tier.MEDIUM, 4)
    assert c.next_review_due == date(2027, 4, 1)  # contract start + 24 months
    assert c.missing_clauses == (Clause.REENTRUSTMENT, Clause.BREACH_NOTICE)
    assert _register(db, "二社目").code == "CTR-0002"
    assert _count(db, "SELECT count(*) FROM audit_log WHERE action = 'contractor.register'") == 2


def test_update_recomputes_the_tier_and_needs_the_version_seen(db: Database) -> None:
    c = _register(db)
    assert c.tier == Tier.LOW
    bigger = replace(c.draft(), approx_individuals=150_000, special_care=True)
    updated = service.update_contractor(
        db, SUPERVISOR, c.id, bigger, expected_version=c.version, today=TODAY
    )
    assert (updated.tier, updated.tier_points, updated.version) == (Tier.HIGH, 6, c.version + 1)
    assert updated.next_review_due == date(2026, 4, 1)  # start + 12 months: overdue now
    with pytest.raises(Conflict, match=f"you saw {c.version}"):
        service.update_contractor(
            db, SUPERVISOR, c.id, c.draft(), expected_version=c.version, today=TODAY
        )
    assert service.get_contractor(db, AUDITOR, c.id).contractor.approx_individuals == 150_000


def test_every_problem_of_a_draft_is_reported(db: Database) -> None:
    bad = _draft(
        "  ",
        approx_individuals=-5,
        owner="s.okamoto",  # an auditee, not a supervisor
        contract_end=date(2024, 1, 1),
        clauses=Clauses(breach_notice_hours=0),
    )
    with pytest.raises(ValidationFailed) as caught:
        service.register_contractor(db, SUPERVISOR, bad, today=TODAY)
    fields = sorted(i.field for i in caught.value.issues)
    assert fields == [
        "approx_individuals",
        "breach_notice_hours",
        "contract_end",
        "name",
        "owner",
    ]
    assert _count(db, "SELECT count(*) FROM contractors") == 0


def test_supervisor_edits_auditor_and_executive_read_auditee_is_refused(db: Database) -> None:
    c = _register(db)
    assert [s.code for s in service.list_contractors(db, AUDITOR, today=TODAY)] == [c.code]
    assert service.supervisor_dashboard(db, EXECUTIVE, TODAY).contractors == 1
    for reader in (AUDITOR, EXECUTIVE):
        with pytest.raises(PermissionDenied):
            service.register_contractor(db, reader, _draft("x"), today=TODAY)
        with pytest.raises(PermissionDenied):
            country_service.seed_countries(db, reader)
    with pytest.raises(PermissionDenied):
        service.list_contractors(db, AUDITEE)
    with pytest.raises(PermissionDenied):
        country_service.where_data_sits(db, AUDITEE)
    with pytest.raises(PermissionDenied):
        review_service.generate_questionnaire(db, AUDITOR, c.id)
    assert service.register_contractor(db, ADMIN, _draft("管理者の登録"), today=TODAY).code


# --- re-entrustment chains ----------------------------------------------------------------------


def test_a_circular_chain_is_refused_with_the_circle_named(db: Database) -> None:
    a, b, c = (_register(db, n) for n in ("甲社", "乙社", "丙社"))
    service.link_subcontractor(db, SUPERVISOR, a.id, b.id, work="配送")
    service.link_subcontractor(db, SUPERVISOR, b.id, c.id, work="保守")
    with pytest.raises(Conflict, match=r"丙社 \(CTR-0003\) → 甲社 \(CTR-0001\) → 乙社 .* → 丙社"):
        service.link_subcontractor(db, SUPERVISOR, c.id, a.id, work="印刷")
    with pytest.raises(Conflict, match="circular"):
        service.link_subcontractor(db, SUPERVISOR, a.id, a.id, work="自社")
    with pytest.raises(Conflict, match="already re-entrusts"):
        service.link_subcontractor(db, SUPERVISOR, a.id, b.id, work="配送")
    assert _count(db, "SELECT count(*) FROM contractor_subcontractors") == 2
    # a second way down the chain is no circle
    service.link_subcontractor(db, SUPERVISOR, a.id, c.id, work="保守")


def test_approving_a_sub_contractor_checks_the_version(db: Database) -> None:
    a, b = _register(db, "甲社"), _register(db, "乙社")
    link = service.link_subcontractor(db, SUPERVISOR, a.id, b.id, work="配送")
    assert not link.approved
    with pytest.raises(Conflict, match="changed meanwhile"):
        service.approve_subcontractor(db, SUPERVISOR, link.id, expected_version=link.version + 1)
    approved = service.approve_subcontractor(db, SUPERVISOR, link.id, expected_version=link.version)
    assert (approved.approved, approved.approved_by) == (True, "d.sugimoto")
    with pytest.raises(Conflict, match="Already approved"):
        service.approve_subcontractor(db, SUPERVISOR, link.id, expected_version=approved.version)
    detail = service.get_contractor(db, AUDITOR, b.id)
    assert [k.parent_name for k in detail.entrusted_by] == ["甲社"]


# --- the supervisor dashboard -------------------------------------------------------------------


def test_dashboard_lists_what_needs_the_supervisor(db: Database) -> None:
    start = TODAY - timedelta(days=365 * 4)
    overdue = _register(db, "期限超過", contract_start=start)  # low: due start + 36 months
    soon = _register(db, "期限間近", contract_start=add_months(TODAY, -36) + timedelta(days=60))
    _register(db, "余裕あり", contract_start=add_months(TODAY, -36) + timedelta(days=200))
    _register(db, "契約終了", contract_start=start, contract_end=TODAY - timedelta(days=1))
    clauses = _register(db, "条項不足", clauses=Clauses(True, True, True, True, True, None, True))
    certs = _register(db, "認証期限")
    for kind, number, days in (
        ("privacymark", "PM-1", 30),
        ("iso27001", "IS-1", -10),
        ("soc2", "S-OLD", -300),  # renewed below: not listed
        ("soc2", "S-NEW", 200),
    ):
        service.add_certification(
            db,
            SUPERVISOR,
            certs.id,
            kind=kind,
            certificate_id=number,
            expires_on=TODAY + timedelta(days=days),
        )
    link = service.link_subcontractor(db, SUPERVISOR, certs.id, clauses.id, work="入力")

    board = service.supervisor_dashboard(db, SUPERVISOR, TODAY)

    assert board.contractors == 5  # the ended contract is left out
    assert [(d.name, d.overdue) for d in board.due] == [("期限超過", True), ("期限間近", False)]
    assert board.due[0].contractor_id == overdue.id
    assert board.due[0].days_left == (overdue.next_review_due - TODAY).days < 0
    assert board.due[1].contractor_id == soon.id
    assert board.due[1].days_left == 60
    assert [(m.name, m.missing) for m in board.missing_clauses] == [
        ("条項不足", (Clause.BREACH_NOTICE,))
    ]
    assert [(e.certificate_id, e.days_left) for e in board.expiring] == [
        ("IS-1", -10),
        ("PM-1", 30),
    ]
    assert [(u.link_id, u.parent_name, u.child_name) for u in board.unapproved] == [
        (link.id, "認証期限", "条項不足")
    ]
    assert board.by_tier == {Tier.HIGH: 0, Tier.MEDIUM: 0, Tier.LOW: 5}


def test_dashboard_narrows_to_one_owner(db: Database) -> None:
    _register(db, "杉本さんの委託先")
    _register(db, "今井さんの委託先", owner="y.imai")
    mine = service.supervisor_dashboard(db, SUPERVISOR, TODAY, owner="d.sugimoto")
    everyone = service.supervisor_dashboard(db, SUPERVISOR, TODAY)
    assert (mine.contractors, everyone.contractors) == (1, 2)


# --- foreign environments -----------------------------------------------------------------------


def test_data_abroad_raises_the_tier_and_removing_it_lowers_it(db: Database) -> None:
    c = _register(db, approx_individuals=5_000)  # 1 point: low
    location = country_service.add_data_location(
        db,
        SUPERVISOR,
        subject_kind="contractor",
        subject_id=c.code,
        country_code="ph",
        mode="stored",
        today=TODAY,
    )
    assert location.country_code == "PH"
    assert location.subject_id == c.id
    raised = service.get_contractor(db, AUDITOR, c.id).contractor
    assert (raised.tier, raised.tier_points) == (Tier.MEDIUM, 2)
    country_service.remove_data_location(db, SUPERVISOR, location.id, today=TODAY)
    assert service.get_contractor(db, AUDITOR, c.id).contractor.tier == Tier.LOW


@pytest.mark.parametrize(
    ("kind", "subject", "country", "field"),
    [
        (SubjectKind.SYSTEM, "CRM", "XX", "code"),
        (SubjectKind.SYSTEM, "CSC", "US", "subject_id"),  # a department, not a system
        (SubjectKind.SITE, "NOPE", "US", "subject_id"),
    ],
)
def test_a_location_needs_a_real_country_and_subject(
    db: Database, kind: SubjectKind, subject: str, country: str, field: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        country_service.add_data_location(
            db,
            SUPERVISOR,
            subject_kind=kind,
            subject_id=subject,
            country_code=country,
            mode=LocationMode.STORED,
        )
    assert [i.field for i in caught.value.issues] == [field]


def test_seeded_countries_are_data_to_recheck(db: Database) -> None:
    assert country_service.seed_countries(db, SUPERVISOR) == 13
    assert country_service.seed_countries(db, SUPERVISOR) == 0
    countries = {c.code: c for c in country_service.list_countries(db, AUDITOR)}
    assert {"US", "GB", "SG", "PH", "VN", "IN", "CN", "KR", "TW", "DE", "FR", "IE", "NL"} == set(
        countries
    )
    assert all(c.verified_by is None for c in countries.values())
    assert "not legal advice" in countries["US"].entry.source
    for unit, country in (("CRM", "SG"), ("HRS", "JP"), ("CRM", "BR")):
        country_service.add_data_location(
            db,
            SUPERVISOR,
            subject_kind="system",
            subject_id=unit,
            country_code=country,
            mode="stored",
        )
    before = {c.code: c for c in country_service.where_data_sits(db, AUDITOR, TODAY).countries}
    assert (before["SG"].systems, before["SG"].stale, before["SG"].verified) == (1, True, False)
    assert (before["BR"].in_register, before["BR"].stale) == (False, True)
    assert before["BR"].alpha_3 == "BRA"
    assert before["BR"].name_en == "Brazil"
    assert before["JP"].stale is False  # home: no foreign review needed

    sg = countries["SG"]
    entry = replace(sg.entry, reviewed_on=TODAY, review_due=add_months(TODAY, 12))
    saved = country_service.save_country(db, SUPERVISOR, entry, expected_version=sg.version)
    assert saved.verified_by == "d.sugimoto"
    after = country_service.where_data_sits(db, AUDITOR, TODAY)
    # only countries with data show up as stale when unverified; the others have no data yet
    assert {c.code for c in after.stale} == {"BR"} | (set(countries) - {"SG"})
    later = {
        c.code: c for c in country_service.where_data_sits(db, AUDITOR, date(2028, 1, 1)).countries
    }
    assert later["SG"].stale  # past its review date
    with pytest.raises(Conflict, match="changed"):
        country_service.save_country(db, SUPERVISOR, entry, expected_version=sg.version)


def test_a_country_with_data_stays_in_the_register(db: Database) -> None:
    country_service.seed_countries(db, SUPERVISOR)
    country_service.add_data_location(
        db, SUPERVISOR, subject_kind="site", subject_id="HQ", country_code="US", mode="accessed"
    )
    us = country_service.get_country(db, AUDITOR, "us")
    with pytest.raises(Conflict, match="stays in the register"):
        country_service.remove_country(db, SUPERVISOR, "US", expected_version=us.version)
    nl = country_service.get_country(db, AUDITOR, "NL")
    country_service.remove_country(db, SUPERVISOR, "NL", expected_version=nl.version)
    with pytest.raises(NotFound):
        country_service.get_country(db, AUDITOR, "NL")


# --- reviews ------------------------------------------------------------------------------------


def _all_answers(db: Database, review_id: str, level: int = 4) -> list[ReviewAnswer]:
    maturity = assessments.score(db, SUPERVISOR, review_id).score.controls
    given = [ReviewAnswer(cid, level, level) for cid in maturity]
    given += [
        ReviewAnswer("CR-SUB-01", value="no"),
        ReviewAnswer("CR-SUB-02", na_reason="再委託なし"),
        ReviewAnswer("CR-LOC-01", value="東京のデータセンター"),
        ReviewAnswer("CR-LOC-02", na_reason="国外からのアクセスなし"),
        ReviewAnswer("CR-LOC-03", value="yes"),
        ReviewAnswer("CR-CERT-01", value="yes"),
        ReviewAnswer("CR-CERT-02", value="2027-03-31"),
        ReviewAnswer("CR-CERT-03", value="no"),
        ReviewAnswer("CR-CERT-04", na_reason="取得していない"),
        ReviewAnswer("CR-CERT-05", value="no"),
        ReviewAnswer("CR-CERT-06", na_reason="報告書なし"),
    ]
    return given


def test_a_completed_review_sets_tier_and_next_due_date(db: Database) -> None:
    c = _register(db, approx_individuals=20_000)  # 2 points: medium
    review = review_service.start_review(db, SUPERVISOR, c.id, today=TODAY)
    assert review.catalogue_version == "2026.1"
    assert review.status == "planned"
    with pytest.raises(Conflict, match="already has a review under way"):
        review_service.start_review(db, SUPERVISOR, c.id, today=TODAY)
    with pytest.raises(Conflict, match="28 question"):
        review_service.complete_review(
            db, SUPERVISOR, review.assessment_id, expected_version=review.assessment_version
        )
    saved = review_service.save_review_answers(
        db,
        SUPERVISOR,
        review.assessment_id,
        [(a, None) for a in _all_answers(db, review.assessment_id, 2)],
    )
    assert saved == 28
    review = review_service.get_review(db, AUDITOR, review.assessment_id)
    done = review_service.complete_review(
        db,
        SUPERVISOR,
        review.assessment_id,
        expected_version=review.assessment_version,
        today=TODAY,
    )
    assert done.status == "closed"
    assert done.completed_on == TODAY
    assert done.score == pytest.approx(40.0)  # D = I = 2 everywhere
    after = service.get_contractor(db, AUDITOR, c.id, today=TODAY)
    assert (done.tier_after, after.contractor.tier_points) == (Tier.MEDIUM, 4)  # 2 + 2 (score)
    assert after.contractor.last_review_on == TODAY
    assert after.contractor.next_review_due == add_months(TODAY, after.tier.interval_months)
    assert done.next_review_due == after.contractor.next_review_due
    with pytest.raises(Conflict, match="already completed"):
        review_service.complete_review(
            db, SUPERVISOR, done.assessment_id, expected_version=done.assessment_version
        )
    with pytest.raises(Conflict, match="read-only"):
        review_service.save_review_answers(
            db, SUPERVISOR, done.assessment_id, [(ReviewAnswer("CR-SUB-01", value="yes"), 1)]
        )


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (ReviewAnswer("CR-SUB-01", value="maybe"), "answer yes or no"),
        (ReviewAnswer("CR-CERT-02", value="31/03/2027"), "YYYY-MM-DD"),
        (ReviewAnswer("CR-POL-01", value="yes"), "documented and implemented"),
        (ReviewAnswer("CR-POL-01", 6, 1), "whole numbers 0-5"),
        (ReviewAnswer("CR-SUB-01", 3, 3), "only maturity questions"),
        (ReviewAnswer("CR-LOC-01", value="x", na_reason="y"), "N/A leaves"),
        (ReviewAnswer("CR-LOC-01"), "give an answer"),
        (ReviewAnswer("NOPE-01", value="yes"), "not a question"),
    ],
)
def test_review_answers_are_checked_by_answer_type(
    db: Database, answer: ReviewAnswer, message: str
) -> None:
    review = review_service.start_review(db, SUPERVISOR, _register(db).id, today=TODAY)
    with pytest.raises(ValidationFailed, match=message):
        review_service.save_review_answers(db, SUPERVISOR, review.assessment_id, [(answer, None)])
    assert review_service.list_review_answers(db, AUDITOR, review.assessment_id) == []


def test_a_typed_answer_saved_meanwhile_is_a_conflict(db: Database) -> None:
    review = review_service.start_review(db, SUPERVISOR, _register(db).id, today=TODAY)
    first = ReviewAnswer("CR-SUB-01", value="yes")
    review_service.save_review_answers(db, SUPERVISOR, review.assessment_id, [(first, None)])
    with pytest.raises(Conflict, match="CR-SUB-01"):
        review_service.save_review_answers(
            db, SUPERVISOR, review.assessment_id, [(replace(first, value="no"), None)]
        )
    (stored,) = review_service.list_review_answers(db, AUDITOR, review.assessment_id)
    assert (stored.value, stored.version) == ("yes", 1)
    review_service.save_review_answers(
        db, SUPERVISOR, review.assessment_id, [(replace(first, value="no"), 1)]
    )
    (stored,) = review_service.list_review_answers(db, AUDITOR, review.assessment_id)
    assert (stored.value, stored.version) == ("no", 2)


def test_an_open_nonconformity_raises_the_tier(db: Database) -> None:
    c = _register(db, approx_individuals=1_000)  # 1 point: low
    review = review_service.start_review(db, SUPERVISOR, c.id, today=TODAY)
    with db.transaction() as cur:
        cur.execute(
            """INSERT INTO findings (ref, assessment_id, control_id, grade, statement,
                   criterion_en, criterion_ja, org_unit_code, owner, due_date, raised_by,
                   updated_by)
               VALUES ('F-2026-9001', CAST(? AS UUID), 'CR-TEC-01', 'major', 'MFA missing',
                       'x', 'x', 'PRV', 'd.sugimoto', DATE '2027-01-31', 'a.miyoshi',
                       'a.miyoshi')""",
            [review.assessment_id],
        )
    assert service.recompute_tiers(db, SUPERVISOR, today=TODAY) == 1
    after = service.get_contractor(db, AUDITOR, c.id, today=TODAY)
    assert (after.contractor.tier, after.contractor.tier_points) == (Tier.MEDIUM, 2)
    assert "点検での不適合: 1件 → +1" in after.tier.explain("ja")
    assert service.recompute_tiers(db, SUPERVISOR, today=TODAY) == 0


def test_a_country_review_is_an_assessment_on_the_foreign_environment_catalogue(
    db: Database,
) -> None:
    country_service.seed_countries(db, SUPERVISOR)
    a = country_service.start_country_review(db, SUPERVISOR, "vn", today=TODAY)
    assert (a.scope_unit, a.catalogue_urn) == ("CTY-VN", "urn:kansa:catalogue:foreign-environment")
    with pytest.raises(Conflict, match="already under way"):
        country_service.start_country_review(db, SUPERVISOR, "VN", today=TODAY)
    review_service.save_review_answers(
        db, SUPERVISOR, a.id, [(ReviewAnswer("FE-REG-01", value="yes"), None)]
    )
    (answer,) = review_service.list_review_answers(db, AUDITOR, a.id)
    assert (answer.control_id, answer.value) == ("FE-REG-01", "yes")
