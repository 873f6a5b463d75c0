"""Findings through the service: raising, the status flow, conflicts, visibility, the register."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from assessments import service as assessments
from assessments.model import Answer
from auth import audit_service
from auth import service as users
from auth.model import Principal, Role
from controls.service import sync_library
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.settings import Settings
from demo.service import load_demo
from evidence import service as evidence
from evidence.store import EvidenceStore
from findings import service
from findings.model import EvidenceRole, Finding, FindingFilter, Grade, Status, is_overdue
from storage.db import Database
from storage.migrate import open_database
from tests.conftest import OPERATOR

URN = "urn:kansa:catalogue:appi-security-measures"
TODAY = date.today()
DUE = TODAY + timedelta(days=30)
AUDITOR = Principal("a.miyoshi", Role.AUDITOR, "IAD", display_name="三好 彩")
ADMIN = Principal("y.imai", Role.ADMIN, "ITS")
OWNER = Principal("s.okamoto", Role.AUDITEE, "CSC")
COLLEAGUE = Principal("y.chiba", Role.AUDITEE, "CSC")  # same department, not the owner
SALES = Principal("k.matsuoka", Role.AUDITEE, "SLS")
SUPERVISOR = Principal("d.sugimoto", Role.SUPERVISOR, "PRV")
EXECUTIVE = Principal("m.aoyagi", Role.EXECUTIVE, "MGT")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Catalogues, the demo company and two more auditees, built once and copied per test."""
    path = tmp_path_factory.mktemp("findings") / "template.duckdb"
    with open_database(path) as db:
        sync_library(db, OPERATOR)
        load_demo(db, OPERATOR, with_findings=False)
        for who in (COLLEAGUE, SALES):
            users.create_user(
                db,
                OPERATOR,
                username=who.username,
                display_name=who.username,
                role=who.role,
                org_unit_code=who.org_unit_code,
            )
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path)


@pytest.fixture
def db(template: Path, settings: Settings) -> Iterator[Database]:
    shutil.copyfile(template, settings.db_path)
    database = open_database(settings.db_path)
    yield database
    database.close()


@pytest.fixture
def campaign(db: Database) -> str:
    return assessments.create_assessment(
        db,
        AUDITOR,
        title="所見テスト",
        catalogue_urn=URN,
        scope_unit="CSC",
        period_start="2026-10-01",
        lead_auditor="a.miyoshi",
        auditees=["s.okamoto"],
    ).id


@pytest.fixture
def stored(db: Database, settings: Settings, campaign: str) -> Callable[[bytes], str]:
    """Store a file as evidence of the campaign; returns its SHA-256."""
    store = EvidenceStore.from_settings(settings)

    def add(data: bytes) -> str:
        return evidence.add_evidence(
            db,
            OWNER,
            store,
            assessment_id=campaign,
            control_id="ORG-03",
            filename=f"台帳-{len(data)}.pdf",
            stream=io.BytesIO(data),
        ).sha256

    return add


def raise_one(db: Database, campaign: str, **changes: object) -> Finding:
    fields: dict[str, object] = {
        "assessment_id": campaign,
        "control_id": "ORG-03",
        "grade": Grade.MAJOR,
        "statement": "通話録音システムが個人情報取扱台帳に登録されていない。",
        "owner": "s.okamoto",
        "due_date": DUE,
        "today": TODAY,
    }
    fields.update(changes)
    return service.raise_finding(db, AUDITOR, **fields)  # type: ignore[arg-type]


def respond(
    db: Database, f: Finding, *, mark_done: bool = False, actor: Principal = OWNER
) -> Finding:
    return service.respond(
        db,
        actor,
        f.id,
        version=f.version,
        root_cause="導入時の台帳登録手順がなかった",
        correction="台帳に登録した",
        corrective_action="システム導入の承認条件に台帳登録を加える",
        mark_done=mark_done,
    )


def drive(db: Database, f: Finding, target: Status, proof: str) -> Finding:
    """Move a major finding along the normal flow until it reaches ``target``."""
    steps: dict[Status, Callable[[Finding], Finding]] = {
        Status.OPEN: lambda x: respond(db, x),
        Status.ACTION_PLANNED: lambda x: respond(db, x, mark_done=True),
        Status.ACTION_DONE: lambda x: service.verify(
            db, AUDITOR, x.id, version=x.version, note="台帳を確認した", evidence=[proof]
        ),
        Status.VERIFIED: lambda x: service.close(db, AUDITOR, x.id, version=x.version),
    }
    while f.status != target:
        f = steps[f.status](f)
    return f


def audit_actions(db: Database, entity_id: str) -> list[str]:
    with db.cursor() as cur:
        rows = cur.execute(
            "SELECT action FROM audit_log WHERE entity_id = ? ORDER BY seq", [entity_id]
        ).fetchall()
    return [str(r[0]) for r in rows]


# --- raising -------------------------------------------------------------------------------


def test_raise_fills_criterion_number_unit_history_and_trail(db: Database, campaign: str) -> None:
    f = raise_one(db, campaign, today=date(2031, 5, 1), due_date="2031-06-30")
    assert f.ref == "F-2031-0001"
    assert raise_one(db, campaign, today=date(2031, 5, 2), due_date="2031-07-31").ref == (
        "F-2031-0002"
    )
    assert (f.status, f.grade, f.org_unit_code, f.scope_unit) == (
        Status.OPEN,
        Grade.MAJOR,
        "CSC",
        "CSC",
    )
    assert f.due_date == date(2031, 6, 30)
    assert f.criterion_en.startswith("ORG-03 Personal-information register (ledger) kept current")
    assert "10-3(3)" in f.criterion_en
    assert "A.5.9" in f.criterion_en
    assert f.criterion("ja").startswith("ORG-03 個人情報取扱台帳の整備と更新")
    assert "通則編ガイドライン 10-3(3)" in f.criterion_ja
    (entry,) = service.history(db, AUDITOR, f.id)
    assert (entry.seq, entry.from_status, entry.to_status, entry.actor) == (
        1,
        None,
        Status.OPEN,
        "a.miyoshi",
    )
    assert audit_actions(db, f.id) == ["finding.raise"]
    assert service.get_finding(db, EXECUTIVE, f.ref) == f  # by human number too


def test_raise_links_evidence_seen_and_a_responsible_unit(
    db: Database, campaign: str, stored: Callable[[bytes], str]
) -> None:
    sha = stored(PDF)
    f = raise_one(db, campaign, org_unit_code="PRV", owner="d.sugimoto", evidence=[sha.upper()])
    assert (f.org_unit_code, f.owner) == ("PRV", "d.sugimoto")
    (item,) = service.list_evidence(db, AUDITOR, f.id)
    assert (item.sha256, item.role, item.filename) == (sha, EvidenceRole.SEEN, "台帳-65.pdf")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"grade": "critical"}, "grade"),
        ({"statement": "   "}, "statement"),
        ({"statement": "x" * 4001}, "statement"),
        ({"due_date": TODAY - timedelta(days=1)}, "due_date"),
        ({"due_date": "2026-02-30"}, "due_date"),
        ({"due_date": "next week"}, "due_date"),
        ({"owner": "nobody"}, "owner"),
        ({"control_id": "ORG-99"}, "control_id"),
        ({"org_unit_code": "XXX"}, "org_unit_code"),
        ({"evidence": ["ab" * 32]}, "evidence"),
        ({"evidence": ["not-a-hash"]}, "evidence"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(
    db: Database, campaign: str, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationFailed) as info:
        raise_one(db, campaign, **changes)
    assert field in {i.field for i in info.value.issues}
    assert service.list_findings(db, AUDITOR, FindingFilter()) == []


def test_inactive_owner_is_refused(db: Database, campaign: str) -> None:
    users.deactivate_user(db, OPERATOR, username="y.chiba")
    with pytest.raises(ValidationFailed, match="not an active user"):
        raise_one(db, campaign, owner="y.chiba")


def test_markup_and_formulas_in_statements_are_kept_verbatim(db: Database, campaign: str) -> None:
    text = '=HYPERLINK("x") <b>未登録</b> & <script>'
    assert raise_one(db, campaign, statement=text).statement == text


def test_auditor_may_not_raise_in_own_department(db: Database, campaign: str) -> None:
    with pytest.raises(Conflict, match="may not audit their own department"):
        raise_one(db, campaign, org_unit_code="IAD")
    assert service.list_findings(db, AUDITOR, FindingFilter()) == []


def test_no_findings_on_a_closed_assessment(db: Database) -> None:
    closed = assessments.list_assessments(db, AUDITOR, status="closed", scope="CSC")[0]
    with pytest.raises(Conflict, match="is closed"):
        raise_one(db, closed.id)


def test_only_finding_managers_raise(db: Database, campaign: str) -> None:
    for actor in (OWNER, SUPERVISOR, EXECUTIVE):
        with pytest.raises(PermissionDenied):
            service.raise_finding(
                db,
                actor,
                assessment_id=campaign,
                control_id="ORG-03",
                grade="minor",
                statement="x",
                owner="s.okamoto",
                due_date=DUE,
            )


# --- the status flow -----------------------------------------------------------------------


def test_full_flow_writes_history_and_audit_trail(
    db: Database, campaign: str, stored: Callable[[bytes], str]
) -> None:
    proof = stored(PDF)
    f = raise_one(db, campaign)
    planned = respond(db, f)
    assert (planned.status, planned.version, planned.responded_by) == (
        Status.ACTION_PLANNED,
        2,
        "s.okamoto",
    )
    assert planned.root_cause == "導入時の台帳登録手順がなかった"
    edited = respond(db, planned)  # a second response changes the text, not the status
    assert edited.status == Status.ACTION_PLANNED
    done = respond(db, edited, mark_done=True)
    assert done.status == Status.ACTION_DONE
    verified = service.verify(
        db, AUDITOR, done.id, version=done.version, note="登録済みを確認", evidence=[proof]
    )
    assert (verified.status, verified.verified_by) == (Status.VERIFIED, "a.miyoshi")
    closed = service.close(db, AUDITOR, verified.id, version=verified.version, note="完了")
    assert closed.status == Status.CLOSED
    assert closed.closed_at is not None
    moves = [(h.from_status, h.to_status) for h in service.history(db, OWNER, f.id)]
    assert moves == [
        (None, Status.OPEN),
        (Status.OPEN, Status.ACTION_PLANNED),
        (Status.ACTION_PLANNED, Status.ACTION_PLANNED),
        (Status.ACTION_PLANNED, Status.ACTION_DONE),
        (Status.ACTION_DONE, Status.VERIFIED),
        (Status.VERIFIED, Status.CLOSED),
    ]
    assert service.history(db, AUDITOR, f.id)[4].note == "登録済みを確認"
    assert audit_actions(db, f.id) == [
        "finding.raise",
        "finding.respond",
        "finding.respond",
        "finding.respond",
        "finding.verify",
        "finding.close",
    ]
    assert {(e.sha256, e.role) for e in service.list_evidence(db, AUDITOR, f.id)} == {
        (proof, EvidenceRole.VERIFICATION)
    }
    assert audit_service.verify(db, AUDITOR).ok


def test_first_response_may_report_the_action_done(db: Database, campaign: str) -> None:
    f = respond(db, raise_one(db, campaign), mark_done=True)
    assert f.status == Status.ACTION_DONE
    assert [h.to_status for h in service.history(db, OWNER, f.id)] == [
        Status.OPEN,
        Status.ACTION_PLANNED,
        Status.ACTION_DONE,
    ]


# For a major finding: what each action does from each status (None: refused).
ACTIONS = ("respond", "mark_done", "verify", "close", "reopen")
EXPECTED_MOVES: dict[Status, dict[str, Status | None]] = {
    Status.OPEN: {
        "respond": Status.ACTION_PLANNED,
        "mark_done": Status.ACTION_DONE,
        "verify": None,
        "close": None,
        "reopen": None,
    },
    Status.ACTION_PLANNED: {
        "respond": Status.ACTION_PLANNED,
        "mark_done": Status.ACTION_DONE,
        "verify": None,
        "close": None,
        "reopen": None,
    },
    Status.ACTION_DONE: {
        "respond": None,
        "mark_done": None,
        "verify": Status.VERIFIED,
        "close": None,
        "reopen": None,
    },
    Status.VERIFIED: {
        "respond": None,
        "mark_done": None,
        "verify": None,
        "close": Status.CLOSED,
        "reopen": Status.OPEN,
    },
    Status.CLOSED: {
        "respond": None,
        "mark_done": None,
        "verify": None,
        "close": None,
        "reopen": Status.OPEN,
    },
}


def act(db: Database, f: Finding, action: str, proof: str) -> Finding:
    if action in ("respond", "mark_done"):
        return respond(db, f, mark_done=action == "mark_done")
    if action == "verify":
        return service.verify(db, AUDITOR, f.id, version=f.version, note="ok", evidence=[proof])
    if action == "close":
        return service.close(db, AUDITOR, f.id, version=f.version)
    return service.reopen(db, AUDITOR, f.id, version=f.version, reason="再発")


@pytest.mark.parametrize(
    ("start", "action"), [(s, a) for s in EXPECTED_MOVES for a in ACTIONS], ids=str
)
def test_every_transition_allowed_or_refused(
    db: Database, campaign: str, stored: Callable[[bytes], str], start: Status, action: str
) -> None:
    proof = stored(PDF)
    f = drive(db, raise_one(db, campaign), start, proof)
    expected = EXPECTED_MOVES[start][action]
    if expected is not None:
        moved = act(db, f, action, proof)
        assert moved.status == expected
        assert moved.version > f.version
        assert service.history(db, AUDITOR, f.id)[-1].to_status == expected
        return
    history = service.history(db, AUDITOR, f.id)
    with pytest.raises(Conflict) as info:
        act(db, f, action, proof)
    assert f"is {start.value}" in str(info.value)  # the message names the current status
    if action in ("verify", "close", "reopen"):
        assert "it can move to" in str(info.value)  # ... and what is allowed from there
    assert service.get_finding(db, AUDITOR, f.id) == f  # nothing changed
    assert service.history(db, AUDITOR, f.id) == history


@pytest.mark.parametrize("start", [Status.OPEN, Status.ACTION_PLANNED, Status.ACTION_DONE])
@pytest.mark.parametrize("grade", [Grade.OBSERVATION, Grade.OFI, Grade.GOOD])
def test_findings_needing_no_action_close_from_any_unsettled_status(
    db: Database, campaign: str, start: Status, grade: Grade
) -> None:
    f = raise_one(db, campaign, grade=grade)
    if start != Status.OPEN:
        f = respond(db, f, mark_done=start == Status.ACTION_DONE)
    closed = service.close(db, AUDITOR, f.id, version=f.version, note="対応不要")
    assert closed.status == Status.CLOSED
    assert service.history(db, AUDITOR, f.id)[-1].note == "対応不要"


def test_a_nonconformity_is_verified_only_with_evidence(db: Database, campaign: str) -> None:
    f = respond(db, raise_one(db, campaign, grade=Grade.MINOR), mark_done=True)
    with pytest.raises(ValidationFailed, match="attach the evidence"):
        service.verify(db, AUDITOR, f.id, version=f.version, note="口頭で確認")
    with pytest.raises(ValidationFailed, match="how the effectiveness was verified"):
        service.verify(db, AUDITOR, f.id, version=f.version, note=" ")
    assert service.get_finding(db, AUDITOR, f.id).status == Status.ACTION_DONE


def test_a_nonconformity_response_needs_root_cause_and_action(db: Database, campaign: str) -> None:
    f = raise_one(db, campaign)
    with pytest.raises(ValidationFailed) as info:
        service.respond(
            db, OWNER, f.id, version=1, root_cause=" ", correction="直した", corrective_action=None
        )
    assert {i.field for i in info.value.issues} == {"root_cause", "corrective_action"}
    assert service.get_finding(db, OWNER, f.id).status == Status.OPEN


def test_overlong_text_is_refused_not_cut(db: Database, campaign: str) -> None:
    f = raise_one(db, campaign)
    with pytest.raises(ValidationFailed, match="at most 5000"):
        service.respond(
            db,
            OWNER,
            f.id,
            version=f.version,
            root_cause="原" * 5001,
            correction=None,
            corrective_action="対策",
        )
    assert service.get_finding(db, OWNER, f.id) == f


def test_reopen_needs_a_reason_and_counts_as_open_again(
    db: Database, campaign: str, stored: Callable[[bytes], str]
) -> None:
    f = drive(db, raise_one(db, campaign), Status.CLOSED, stored(PDF))
    assert service.open_grades(db, AUDITOR, campaign) == {}
    with pytest.raises(ValidationFailed, match="why"):
        service.reopen(db, AUDITOR, f.id, version=f.version, reason="  ")
    reopened = service.reopen(db, AUDITOR, f.id, version=f.version, reason="翌月も未登録")
    assert (reopened.status, reopened.closed_at, reopened.verified_at) == (Status.OPEN, None, None)
    assert service.history(db, AUDITOR, f.id)[-1].note == "翌月も未登録"
    assert audit_actions(db, f.id)[-1] == "finding.reopen"
    assert service.open_grades(db, AUDITOR, campaign) == {"ORG-03": Grade.MAJOR}


def test_stale_version_is_a_conflict_and_nothing_changes(db: Database, campaign: str) -> None:
    f = raise_one(db, campaign)
    planned = respond(db, f)
    trail = audit_actions(db, f.id)
    with pytest.raises(Conflict, match=r"changed by s\.okamoto .*action_planned, version 2"):
        service.respond(
            db, OWNER, f.id, version=1, root_cause="x", correction="y", corrective_action="z"
        )
    with pytest.raises(Conflict, match="you saw version 1"):
        service.reopen(db, AUDITOR, f.id, version=1, reason="r")
    assert service.get_finding(db, AUDITOR, f.id) == planned
    assert audit_actions(db, f.id) == trail
    assert len(service.history(db, AUDITOR, f.id)) == 2


def test_only_the_owner_or_an_admin_responds(db: Database, campaign: str) -> None:
    f = raise_one(db, campaign)
    for other in (COLLEAGUE, AUDITOR, SUPERVISOR):
        with pytest.raises(PermissionDenied, match=r"Only the owner .*\(s\.okamoto\)"):
            respond(db, f, actor=other)
    with pytest.raises(PermissionDenied):
        respond(db, f, actor=EXECUTIVE)  # no respond permission at all
    assert respond(db, f, actor=ADMIN).responded_by == "y.imai"


def test_the_supervisor_responds_to_findings_they_own(db: Database, campaign: str) -> None:
    f = raise_one(db, campaign, org_unit_code="PRV", owner="d.sugimoto", grade="minor")
    assert respond(db, f, actor=SUPERVISOR).status == Status.ACTION_PLANNED


# --- evidence ------------------------------------------------------------------------------


def test_link_evidence_only_for_stored_files_and_open_findings(
    db: Database, campaign: str, stored: Callable[[bytes], str]
) -> None:
    sha = stored(PDF)
    f = raise_one(db, campaign, grade="observation")
    with pytest.raises(ValidationFailed, match="no stored evidence"):
        service.link_evidence(db, AUDITOR, f.id, evidence=["cd" * 32])
    with pytest.raises(ValidationFailed, match="seen or verification"):
        service.link_evidence(db, AUDITOR, f.id, evidence=sha, role="other")
    linked = service.link_evidence(db, AUDITOR, f.id, evidence=sha)
    assert [(e.sha256, e.role) for e in linked] == [(sha, EvidenceRole.SEEN)]
    assert service.link_evidence(db, AUDITOR, f.id, evidence=[sha]) == linked  # once only
    assert audit_actions(db, f.id) == ["finding.raise", "finding.evidence"]
    closed = service.close(db, AUDITOR, f.id, version=f.version)
    with pytest.raises(Conflict, match="reopen it"):
        service.link_evidence(db, AUDITOR, closed.id, evidence=sha, role="verification")


# --- who sees what -------------------------------------------------------------------------


def test_auditees_see_their_department_and_what_they_own(db: Database, campaign: str) -> None:
    csc = raise_one(db, campaign)
    prv = raise_one(db, campaign, org_unit_code="PRV", owner="d.sugimoto")
    owned_elsewhere = raise_one(db, campaign, org_unit_code="SLS", owner="s.okamoto")
    sales = raise_one(db, campaign, org_unit_code="SLS", owner="k.matsuoka")

    def seen(actor: Principal) -> set[str]:
        return {f.id for f in service.list_findings(db, actor, FindingFilter())}

    assert seen(OWNER) == {csc.id, owned_elsewhere.id}
    assert seen(COLLEAGUE) == {csc.id}
    assert seen(SALES) == {owned_elsewhere.id, sales.id}
    assert seen(EXECUTIVE) == seen(SUPERVISOR) == {csc.id, prv.id, owned_elsewhere.id, sales.id}
    with pytest.raises(NotFound):
        service.get_finding(db, OWNER, prv.id)
    with pytest.raises(NotFound):
        service.history(db, COLLEAGUE, sales.ref)
    with pytest.raises(NotFound):
        service.respond(
            db, SALES, csc.id, version=1, root_cause="x", correction=None, corrective_action="y"
        )


# --- the register, my actions, ratings, follow-up ------------------------------------------


def test_register_filters(db: Database, campaign: str) -> None:
    major = raise_one(db, campaign)
    minor = raise_one(db, campaign, grade="minor", control_id="TEC-05", due_date=TODAY)
    good = raise_one(db, campaign, grade="good", org_unit_code="PRV", owner="d.sugimoto")
    service.close(db, AUDITOR, good.id, version=good.version)
    later = TODAY + timedelta(days=31)

    def ids(today: date | None = None, **flt: object) -> set[str]:
        found = service.list_findings(db, EXECUTIVE, FindingFilter(**flt), today)  # type: ignore[arg-type]
        return {f.ref for f in found}

    assert ids() == {major.ref, minor.ref, good.ref}
    assert ids(grades=(Grade.MAJOR, Grade.GOOD)) == {major.ref, good.ref}
    assert ids(statuses=(Status.CLOSED,)) == {good.ref}
    assert ids(org_units=("PRV",)) == {good.ref}
    assert ids(owner="s.okamoto", control_id="TEC-05") == {minor.ref}
    assert ids(open_only=True) == {major.ref, minor.ref}
    assert ids(overdue_only=True) == set()  # due today is not overdue yet
    assert ids(TODAY + timedelta(days=1), overdue_only=True) == {minor.ref}
    assert ids(later, overdue_only=True) == {major.ref, minor.ref}  # the closed one never is
    assert ids(min_age_days=1) == set()
    assert ids(later, min_age_days=31, max_age_days=31) == {major.ref, minor.ref, good.ref}
    assert ids(later, max_age_days=30) == set()
    assert len(ids(assessment_id=campaign, limit=2)) == 2


def test_sql_overdue_agrees_with_is_overdue(db: Database, campaign: str) -> None:
    raise_one(db, campaign, due_date=TODAY + timedelta(days=3))
    raise_one(db, campaign, grade="minor", due_date=TODAY + timedelta(days=10))
    for days in range(15):
        day = TODAY + timedelta(days=days)
        every = service.list_findings(db, AUDITOR, FindingFilter(), day)
        overdue = service.list_findings(db, AUDITOR, FindingFilter(overdue_only=True), day)
        assert {f.id for f in overdue} == {f.id for f in every if is_overdue(f, day)}


def test_my_actions_lists_what_the_owner_must_do_overdue_first(db: Database, campaign: str) -> None:
    later = raise_one(db, campaign, due_date=TODAY + timedelta(days=20))
    soon = raise_one(db, campaign, grade="minor", due_date=TODAY + timedelta(days=5))
    done = respond(db, raise_one(db, campaign, due_date=TODAY + timedelta(days=1)), mark_done=True)
    raise_one(db, campaign, org_unit_code="PRV", owner="d.sugimoto")  # someone else's
    closed = raise_one(db, campaign, grade="good")
    service.close(db, AUDITOR, closed.id, version=closed.version)

    def order(days: int) -> list[str]:
        return [f.ref for f in service.my_actions(db, OWNER, today=TODAY + timedelta(days=days))]

    assert order(0) == [soon.ref, later.ref, done.ref]  # nothing overdue: done ones last
    assert order(10) == [soon.ref, done.ref, later.ref]  # overdue first, done or not
    assert order(30) == [soon.ref, later.ref, done.ref]
    with pytest.raises(PermissionDenied):
        service.my_actions(db, EXECUTIVE)


def test_open_grades_keep_the_gravest_until_verified(
    db: Database, campaign: str, stored: Callable[[bytes], str]
) -> None:
    proof = stored(PDF)
    raise_one(db, campaign, grade="observation")
    major = raise_one(db, campaign)
    raise_one(db, campaign, grade="minor", control_id="TEC-05")
    assert service.open_grades(db, EXECUTIVE, campaign) == {
        "ORG-03": Grade.MAJOR,
        "TEC-05": Grade.MINOR,
    }
    done = drive(db, major, Status.ACTION_DONE, proof)
    assert service.open_grades(db, EXECUTIVE, campaign)["ORG-03"] == Grade.MAJOR  # still open
    drive(db, done, Status.VERIFIED, proof)
    assert service.open_grades(db, EXECUTIVE, campaign)["ORG-03"] == Grade.OBSERVATION
    with pytest.raises(NotFound):
        service.open_grades(db, SALES, campaign)  # not their department's assessment


def _answer_all(db: Database, assessment_id: str) -> None:
    with db.cursor() as cur:
        ids = [
            str(r[0])
            for r in cur.execute(
                """SELECT k.control_id FROM controls k
                   JOIN assessments a ON a.catalogue_id = k.catalogue_id
                   WHERE a.id = CAST(? AS UUID) AND k.answer_type = 'maturity'""",
                [assessment_id],
            ).fetchall()
        ]
    assessments.save_answers(db, OWNER, assessment_id, [(Answer(c, 3, 3), None) for c in ids])


def test_follow_up_shows_earlier_findings_not_closed_or_closed_since(
    db: Database, campaign: str, stored: Callable[[bytes], str]
) -> None:
    proof = stored(PDF)
    still_open = raise_one(db, campaign)
    closed_before = raise_one(db, campaign, grade="ofi")
    closed_since = raise_one(db, campaign, grade="minor", control_id="TEC-05")
    service.close(db, AUDITOR, closed_before.id, version=closed_before.version)
    _answer_all(db, campaign)
    assessments.close_assessment(db, AUDITOR, campaign)
    drive(db, closed_since, Status.CLOSED, proof)
    other_scope = assessments.create_assessment(
        db, AUDITOR, title="営業部", catalogue_urn=URN, scope_unit="SLS", period_start="2027-04-01"
    )
    raise_one(db, other_scope.id, owner="k.matsuoka")
    nxt = assessments.create_assessment(
        db,
        AUDITOR,
        title="次回",
        catalogue_urn=URN,
        scope_unit="CSC",
        period_start="2027-04-01",
        lead_auditor="a.miyoshi",
    )
    raise_one(db, nxt.id)  # this audit's own finding is not a follow-up
    follow = service.follow_up(db, AUDITOR, nxt.id)
    assert [f.ref for f in follow] == [still_open.ref, closed_since.ref]
    assert service.follow_up(db, AUDITOR, campaign) == []  # nothing earlier in this scope
    assert service.follow_up(db, SALES, other_scope.id) == []
