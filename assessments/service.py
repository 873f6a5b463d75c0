"""Self-inspection campaigns: plan, answer, review, close and score."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from assessments import repository
from assessments.importer import read_answers
from assessments.model import (
    Answer,
    Assessment,
    DomainProgress,
    MemberRole,
    Response,
    ReviewState,
    Status,
)
from assessments.score_queries import assessment_score
from assessments.scoring import AssessmentScore, TrendDict, trend
from auth import repository as auth_repository
from auth.model import Permission, Principal, Role
from auth.permissions import assert_independent, requires
from core.errors import Conflict, Issue, NotFound, PermissionDenied, ValidationFailed
from dashboards import repository as dashboard_repository
from findings.repository import open_grades
from org import repository as org_repository
from org.model import OrgUnit, UnitKind
from storage.db import Cursor, Database

MAX_NOTE = 5000


@dataclass(frozen=True, slots=True)
class ScoreView:
    score: AssessmentScore
    previous_id: str | None
    trend: TrendDict


def _invalid(field: str, message: str, line: int = 0) -> ValidationFailed:
    return ValidationFailed([Issue("assessment", line, field, message)])


def _can_see(actor: Principal, a: Assessment) -> bool:
    if actor.role != Role.AUDITEE:
        return True
    return a.scope_unit == actor.org_unit_code or actor.username in a.auditees


def _load(cur: Cursor, actor: Principal, assessment_id: str) -> Assessment:
    found = repository.get_assessment(cur, assessment_id)
    if found is None or not _can_see(actor, found):
        raise NotFound(f"No assessment {assessment_id} that you can see.")
    return found


def _check_answerable(actor: Principal, a: Assessment) -> None:
    if a.status == Status.CLOSED:
        raise Conflict(f"{a.title} is closed: its answers are read-only.")
    if actor.role == Role.AUDITEE and not (
        a.scope_unit == actor.org_unit_code or actor.username in a.auditees
    ):
        raise PermissionDenied("You answer only for your own department.")


def _audit(cur: Cursor, actor: Principal, action: str, entity_id: str, **kw: object) -> None:
    auth_repository.append_audit(
        cur, actor=actor.username, action=action, entity="assessment", entity_id=entity_id, **kw
    )


# --- planning ------------------------------------------------------------------------------


@requires(Permission.ASSESSMENT_PLAN)
def create_assessment(
    db: Database,
    actor: Principal,
    *,
    title: str,
    catalogue_urn: str,
    scope_unit: str,
    period_start: str | None = None,
    period_end: str | None = None,
    lead_auditor: str | None = None,
    auditors: Sequence[str] = (),
    auditees: Sequence[str] = (),
    create_unit: bool = False,
) -> Assessment:
    """Plan a campaign pinned to the newest stored version of ``catalogue_urn``."""
    title = title.strip()
    if not title or len(title) > 200:
        raise _invalid("title", "give a title of 1-200 characters")
    scope_unit = scope_unit.strip()
    if not scope_unit or len(scope_unit) > 64:
        raise _invalid("scope", "give the org unit (department, site or system) to inspect")
    if period_start and period_end and period_end < period_start:
        raise _invalid("period", "the period ends before it starts")
    team = list(dict.fromkeys([*([lead_auditor] if lead_auditor else []), *auditors]))
    with db.transaction() as cur:
        catalogue_id = repository.latest_catalogue_id(cur, catalogue_urn)
        if catalogue_id is None:
            raise _invalid("catalogue", f"no stored catalogue {catalogue_urn}")
        units = {u.code for u in org_repository.list_units(cur)}
        if scope_unit not in units:
            if not create_unit:
                raise _invalid("scope", f"unknown org unit {scope_unit!r}")
            unit = OrgUnit(scope_unit, UnitKind.DEPARTMENT, scope_unit, scope_unit)
            org_repository.insert_units(cur, [unit])
            auth_repository.append_audit(
                cur,
                actor=actor.username,
                action="org_unit.create",
                entity="org_unit",
                entity_id=scope_unit,
                after={**asdict(unit), "kind": unit.kind.value},
            )
        members: list[tuple[str, MemberRole]] = []
        for username in team:
            user = auth_repository.find_user(cur, username)
            if user is None or user.role not in (Role.AUDITOR, Role.ADMIN):
                raise _invalid("auditors", f"{username} is not an auditor")
            assert_independent(Principal.of(user), [scope_unit])
            members.append((username, MemberRole.AUDITOR))
        for username in auditees:
            if auth_repository.find_user(cur, username) is None:
                raise _invalid("auditees", f"no user {username}")
            members.append((username, MemberRole.AUDITEE))
        assessment_id = repository.insert_assessment(
            cur,
            title=title,
            catalogue_id=catalogue_id,
            scope_unit=scope_unit,
            period_start=period_start,
            period_end=period_end,
            lead_auditor=lead_auditor,
            created_by=actor.username,
            members=members,
        )
        created = repository.get_assessment(cur, assessment_id)
        if created is None:
            raise RuntimeError("created assessment not found")
        _audit(cur, actor, "assessment.create", assessment_id, after=asdict(created))
    return created


@requires(Permission.ASSESSMENT_READ)
def list_assessments(
    db: Database,
    actor: Principal,
    *,
    status: str | None = None,
    scope: str | None = None,
    year: int | None = None,
) -> list[Assessment]:
    """Assessments the actor may see (auditees: their department's), newest first."""
    with db.cursor() as cur:
        if actor.role == Role.AUDITEE:
            rows = repository.list_assessments(
                cur,
                status=status,
                year=year,
                scope_units=[actor.org_unit_code] if actor.org_unit_code else [],
                member=actor.username,
            )
        else:
            rows = repository.list_assessments(cur, status=status, year=year)
    return [a for a in rows if scope is None or a.scope_unit == scope]


@requires(Permission.ASSESSMENT_READ)
def get_assessment(db: Database, actor: Principal, assessment_id: str) -> Assessment:
    with db.cursor() as cur:
        return _load(cur, actor, assessment_id)


@requires(Permission.ASSESSMENT_READ)
def list_responses(db: Database, actor: Principal, assessment_id: str) -> list[Response]:
    with db.cursor() as cur:
        _load(cur, actor, assessment_id)
        return repository.list_responses(cur, assessment_id)


@requires(Permission.ASSESSMENT_READ)
def progress(db: Database, actor: Principal, assessment_id: str) -> list[DomainProgress]:
    with db.cursor() as cur:
        a = _load(cur, actor, assessment_id)
        return repository.progress(cur, assessment_id, a.catalogue_id)


# --- answering -----------------------------------------------------------------------------


def _validate_answer(answer: Answer, known: Iterable[str]) -> list[str]:
    """Problems with one answer (empty: fine)."""
    problems = []
    if answer.control_id not in set(known):
        problems.append(f"{answer.control_id}: not a control of this assessment's catalogue")
    reason = (answer.na_reason or "").strip()
    for name, value in (("documented", answer.documented), ("implemented", answer.implemented)):
        if value is not None and (not isinstance(value, int) or not 0 <= value <= 5):
            problems.append(f"{answer.control_id}: {name} must be a whole number 0-5")
    if reason and (answer.documented is not None or answer.implemented is not None):
        problems.append(f"{answer.control_id}: N/A leaves documented and implemented empty")
    if not reason and (answer.documented is None or answer.implemented is None):
        problems.append(
            f"{answer.control_id}: give documented and implemented (0-5), or N/A with a reason"
        )
    if len(answer.note or "") > MAX_NOTE or len(reason) > MAX_NOTE:
        problems.append(f"{answer.control_id}: text longer than {MAX_NOTE} characters")
    return problems


def _describe(r: Response) -> str:
    given = f"N/A ({r.na_reason})" if r.na_reason else f"D={r.documented}, I={r.implemented}"
    note = f", note {r.note!r}" if r.note else ""
    said = f"{r.answered_by} saved {r.control_id} at {r.answered_at}: {given}{note}"
    if r.reviewed_by and r.review_state != ReviewState.PENDING:
        # A review changes the version too: without this, a save refused because the answer
        # was accepted meanwhile would name only the (unchanged) answer as the reason.
        said += f"; {r.reviewed_by} has since reviewed it ({r.review_state.value})"
    return said


def _normalise(answer: Answer) -> Answer:
    reason = (answer.na_reason or "").strip() or None
    note = (answer.note or "").strip() or None
    return Answer(answer.control_id, answer.documented, answer.implemented, reason, note)


def _save(
    cur: Cursor, actor: Principal, a: Assessment, answer: Answer, expected_version: int | None
) -> Response:
    current = repository.get_response(cur, a.id, answer.control_id)
    if current is not None and current.version != expected_version:
        raise Conflict(f"Not saved: {_describe(current)}. Reload to see it, then decide again.")
    if current is None and expected_version is not None:
        raise Conflict(f"{answer.control_id} changed meanwhile; reload and decide again.")
    if current is None:
        saved = repository.insert_response(cur, a.id, answer, actor.username)
    else:
        updated = repository.update_response(cur, a.id, answer, actor.username, current.version)
        if updated is None:  # pragma: no cover - the write lock makes this unreachable
            raise Conflict(f"{answer.control_id} changed meanwhile; reload and decide again.")
        saved = updated
    _audit(
        cur,
        actor,
        "response.save",
        a.id,
        before=None if current is None else asdict(current.as_answer()),
        after=asdict(saved.as_answer()),
    )
    return saved


def _start_if_planned(cur: Cursor, actor: Principal, a: Assessment) -> None:
    if a.status == Status.PLANNED:
        if not repository.update_status(cur, a.id, a.version, Status.IN_PROGRESS, actor.username):
            raise Conflict("The assessment changed meanwhile; reload and try again.")
        _audit(cur, actor, "assessment.start", a.id, after={"status": Status.IN_PROGRESS.value})


@requires(Permission.ASSESSMENT_ANSWER)
def save_answers(
    db: Database,
    actor: Principal,
    assessment_id: str,
    changes: Sequence[tuple[Answer, int | None]],
) -> list[Response]:
    """Save answers, each against the version the user saw (None: it was unanswered).

    All or nothing: if any answer is invalid or was changed by someone else meanwhile, none
    is saved and the message shows the other person's answer.
    """
    with db.transaction() as cur:
        a = _load(cur, actor, assessment_id)
        _check_answerable(actor, a)
        known = [c for c, _, _ in repository.scored_controls(cur, a.catalogue_id)]
        answers = [(_normalise(ans), v) for ans, v in changes]
        problems = [p for ans, _ in answers for p in _validate_answer(ans, known)]
        if problems:
            raise ValidationFailed([Issue("answer", 0, "answer", p) for p in problems])
        saved = [_save(cur, actor, a, ans, version) for ans, version in answers]
        if saved:
            _start_if_planned(cur, actor, a)
    return saved


@requires(Permission.ASSESSMENT_ANSWER)
def save_answer(
    db: Database, actor: Principal, assessment_id: str, answer: Answer, expected_version: int | None
) -> Response:
    (saved,) = save_answers(db, actor, assessment_id, [(answer, expected_version)])
    return saved


@requires(Permission.ASSESSMENT_ANSWER)
def import_answers(
    db: Database, actor: Principal, assessment_id: str, file_name: str, data: bytes
) -> int:
    """Import answers from CSV/XLSX; all rows must be good or nothing is written."""
    with db.transaction() as cur:
        a = _load(cur, actor, assessment_id)
        _check_answerable(actor, a)
        known = [c for c, _, _ in repository.scored_controls(cur, a.catalogue_id)]
        rows = read_answers(file_name, data, known)
        for _, answer in rows:
            current = repository.get_response(cur, a.id, answer.control_id)
            if current is None:
                repository.insert_response(cur, a.id, answer, actor.username)
            else:
                repository.update_response(cur, a.id, answer, actor.username, current.version)
        _audit(
            cur,
            actor,
            "assessment.import",
            a.id,
            after={
                "file": file_name[:200],
                "sha256": hashlib.sha256(data).hexdigest(),
                "rows": len(rows),
            },
        )
        _start_if_planned(cur, actor, a)
    return len(rows)


# --- review and closing --------------------------------------------------------------------


def _transition(
    db: Database, actor: Principal, assessment_id: str, allowed: set[Status], target: Status
) -> Assessment:
    with db.transaction() as cur:
        a = _load(cur, actor, assessment_id)
        if a.status not in allowed:
            raise Conflict(
                f"{a.title} is {a.status.value}; it cannot move to {target.value} from there."
            )
        if target == Status.CLOSED:
            score = assessment_score(cur, a.id)
            returned = [
                r.control_id
                for r in repository.list_responses(cur, a.id)
                if r.review_state == ReviewState.RETURNED
            ]
            if score.overall_coverage < 1.0:
                raise Conflict(
                    f"Not closed: coverage is {score.overall_coverage:.0%}; every applicable "
                    "control needs an answer first."
                )
            if returned:
                raise Conflict(f"Not closed: answers returned for rework: {', '.join(returned)}.")
        if not repository.update_status(cur, a.id, a.version, target, actor.username):
            raise Conflict("The assessment changed meanwhile; reload and try again.")
        if target == Status.CLOSED:
            dashboard_repository.snapshot(cur, a.id)  # final from now on: keep its scores
        _audit(
            cur,
            actor,
            f"assessment.{target.value}",
            a.id,
            before={"status": a.status.value},
            after={"status": target.value},
        )
        updated = repository.get_assessment(cur, a.id)
    if updated is None:
        raise RuntimeError("assessment vanished")
    return updated


@requires(Permission.ASSESSMENT_REVIEW)
def submit_for_review(db: Database, actor: Principal, assessment_id: str) -> Assessment:
    return _transition(
        db, actor, assessment_id, {Status.PLANNED, Status.IN_PROGRESS}, Status.IN_REVIEW
    )


@requires(Permission.ASSESSMENT_CLOSE)
def close_assessment(db: Database, actor: Principal, assessment_id: str) -> Assessment:
    """Close: answers become read-only for ever (the catalogue version stays pinned)."""
    return _transition(
        db, actor, assessment_id, {Status.IN_PROGRESS, Status.IN_REVIEW}, Status.CLOSED
    )


@requires(Permission.ASSESSMENT_REVIEW)
def review_answer(
    db: Database,
    actor: Principal,
    assessment_id: str,
    control_id: str,
    *,
    accept: bool,
    comment: str | None,
    expected_version: int,
) -> Response:
    """Accept an answer, or return it with a comment for the auditee to rework."""
    comment = (comment or "").strip()[:MAX_NOTE] or None
    if not accept and not comment:
        raise _invalid("comment", "say why the answer goes back")
    with db.transaction() as cur:
        a = _load(cur, actor, assessment_id)
        if a.status == Status.CLOSED:
            raise Conflict(f"{a.title} is closed: its answers are read-only.")
        current = repository.get_response(cur, a.id, control_id)
        if current is None:
            raise NotFound(f"{control_id} has no answer to review.")
        state = ReviewState.ACCEPTED if accept else ReviewState.RETURNED
        reviewed = repository.review_response(
            cur, a.id, control_id, expected_version, state, comment, actor.username
        )
        if reviewed is None:
            raise Conflict(f"Not saved: {_describe(current)}. Review the new answer instead.")
        _audit(
            cur,
            actor,
            "response.review",
            a.id,
            after={"control_id": control_id, "state": state.value, "comment": comment},
        )
    return reviewed


# --- scores --------------------------------------------------------------------------------


@requires(Permission.ASSESSMENT_READ)
def score(db: Database, actor: Principal, assessment_id: str) -> ScoreView:
    """Scores per control, domain and overall, with the trend against the previous closed
    assessment of the same scope and catalogue."""
    with db.cursor() as cur:
        a = _load(cur, actor, assessment_id)
        # Open findings (until verified or closed) set the ratings: a Major turns its domain red.
        current = assessment_score(cur, a.id, open_grades(cur, a.id))
        previous_id = repository.previous_closed(cur, a)
        previous = assessment_score(cur, previous_id) if previous_id else None
    return ScoreView(current, previous_id, trend(current, previous))
