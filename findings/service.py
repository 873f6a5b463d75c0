"""Findings: raise, respond, verify, close and reopen; the register, "my actions", follow-up."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import date

from assessments import repository as assessment_repository
from assessments import service as assessments
from assessments.model import Assessment
from assessments.model import Status as AssessmentStatus
from auth import repository as auth_repository
from auth.model import Permission, Principal, Role
from auth.permissions import assert_independent, requires
from controls import repository as control_repository
from core.errors import Conflict, Issue, NotFound, PermissionDenied, ValidationFailed
from findings import repository
from findings.model import (
    NONCONFORMITIES,
    RESPONDABLE,
    EvidenceRole,
    Finding,
    FindingEvidence,
    FindingFilter,
    Grade,
    HistoryEntry,
    Status,
    criterion_texts,
    is_overdue,
    transition_problem,
)
from org import repository as org_repository
from storage.db import Cursor, Database

MAX_STATEMENT = 4000
MAX_TEXT = 5000
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed([Issue("finding", 0, field, message)])


def _text(field: str, value: str | None, limit: int = MAX_TEXT) -> str | None:
    """The trimmed text (None when empty); refused rather than cut when it is too long."""
    cleaned = (value or "").strip()
    if len(cleaned) > limit:
        raise _invalid(field, f"{len(cleaned)} characters; at most {limit}")
    return cleaned or None


def _can_see(actor: Principal, f: Finding) -> bool:
    if actor.role != Role.AUDITEE:
        return True
    return f.org_unit_code == actor.org_unit_code or f.owner == actor.username


def _visibility(actor: Principal) -> dict[str, str | None]:
    """Repository arguments restricting an auditee to their department's and own findings."""
    if actor.role != Role.AUDITEE:
        return {}
    return {"visible_unit": actor.org_unit_code or "", "visible_owner": actor.username}


def _load(cur: Cursor, actor: Principal, finding_id: str) -> Finding:
    found = repository.get_finding(cur, finding_id)
    if found is None or not _can_see(actor, found):
        raise NotFound(f"No finding {finding_id} that you can see.")
    return found


def _reload(cur: Cursor, finding_id: str) -> Finding:
    found = repository.get_finding(cur, finding_id)
    if found is None:
        raise RuntimeError(f"finding {finding_id} vanished")
    return found


def _check_version(f: Finding, version: int) -> None:
    if f.version != version:
        raise Conflict(
            f"Not saved: {f.ref} was changed by {f.updated_by} at {f.updated_at} (it is now "
            f"{f.status.value}, version {f.version}; you saw version {version}). "
            "Reload to see the change, then decide again."
        )


def _check_move(f: Finding, target: Status) -> None:
    problem = transition_problem(f.grade, f.status, target)
    if problem:
        raise Conflict(f"{f.ref}: {problem}.")


def _stale(f: Finding) -> Conflict:  # pragma: no cover - the write lock makes this unreachable
    return Conflict(f"{f.ref} changed meanwhile; reload and try again.")


def _audit(
    cur: Cursor, actor: Principal, action: str, f: Finding, before: object, after: object
) -> None:
    auth_repository.append_audit(
        cur,
        actor=actor.username,
        action=action,
        entity="finding",
        entity_id=f.id,
        before=before,
        after=after,
    )


def _independent(cur: Cursor, actor: Principal, f: Finding) -> None:
    """Raising, verifying, closing and reopening are audit acts: not in one's own department."""
    assessment = assessment_repository.get_assessment(cur, f.assessment_id)
    units = [f.org_unit_code] + ([assessment.scope_unit] if assessment else [])
    assert_independent(actor, units)


def _parse_grade(grade: Grade | str) -> Grade | None:
    try:
        return Grade(str(grade).strip().lower())
    except ValueError:
        return None


def _parse_due(due_date: date | str) -> date:
    if isinstance(due_date, date):
        return due_date
    try:
        return date.fromisoformat(due_date.strip())
    except ValueError:
        raise _invalid("due_date", f"{due_date[:20]!r} is not a date (YYYY-MM-DD)") from None


def _check_files(cur: Cursor, hashes: Sequence[str] | str) -> list[str]:
    wanted = [h.strip().lower() for h in ([hashes] if isinstance(hashes, str) else hashes)]
    malformed = [h for h in wanted if not SHA256.fullmatch(h)]
    if malformed:
        raise _invalid("evidence", f"not a SHA-256: {malformed[0][:80]!r}")
    unknown = sorted(set(wanted) - repository.existing_files(cur, wanted))
    if unknown:
        raise _invalid("evidence", f"no stored evidence file {unknown[0][:12]}…")
    return list(dict.fromkeys(wanted))


def _link(
    cur: Cursor, actor: Principal, f: Finding, hashes: Iterable[str], role: EvidenceRole
) -> list[str]:
    return [h for h in hashes if repository.insert_evidence(cur, f.id, h, role, actor.username)]


# --- raising -------------------------------------------------------------------------------


@requires(Permission.FINDING_MANAGE)
def raise_finding(
    db: Database,
    actor: Principal,
    *,
    assessment_id: str,
    control_id: str,
    grade: Grade | str,
    statement: str,
    owner: str,
    due_date: date | str,
    org_unit_code: str | None = None,
    evidence: Sequence[str] = (),
    today: date | None = None,
) -> Finding:
    """Raise a finding on a control of an assessment; the criterion comes from the control.

    ``org_unit_code`` is the responsible department (default: the assessment's scope unit);
    ``evidence`` the SHA-256 of stored files the auditor saw.
    """
    today = today or date.today()
    issues: list[Issue] = []
    parsed = _parse_grade(grade)
    if parsed is None:
        allowed = ", ".join(g.value for g in Grade)
        issues.append(Issue("finding", 0, "grade", f"{grade!r} is not one of {allowed}"))
    statement = statement.strip()
    if not statement or len(statement) > MAX_STATEMENT:
        issues.append(
            Issue("finding", 0, "statement", f"give a statement of 1-{MAX_STATEMENT} characters")
        )
    try:
        due = _parse_due(due_date)
        if due < today:
            issues.append(
                Issue("finding", 0, "due_date", f"{due} is in the past (today is {today})")
            )
    except ValidationFailed as exc:
        issues.extend(exc.issues)
    if issues or parsed is None:
        raise ValidationFailed(issues)
    with db.transaction() as cur:
        a = assessment_repository.get_assessment(cur, assessment_id)
        if a is None:
            raise NotFound(f"No assessment {assessment_id}.")
        if a.status == AssessmentStatus.CLOSED:
            raise Conflict(
                f"{a.title} is closed: raise the finding in the current audit of {a.scope_unit}."
            )
        unit = (org_unit_code or a.scope_unit).strip()
        owner = owner.strip()
        f_en, f_ja = _criterion(cur, a, control_id)
        _check_owner_and_unit(cur, owner, unit)
        assert_independent(actor, {a.scope_unit, unit})
        hashes = _check_files(cur, evidence)
        finding_id = repository.insert_finding(
            cur,
            ref=repository.next_ref(cur, today.year),
            assessment_id=a.id,
            control_id=control_id,
            grade=parsed,
            statement=statement,
            criterion_en=f_en,
            criterion_ja=f_ja,
            org_unit_code=unit,
            owner=owner,
            due_date=due,
            raised_by=actor.username,
        )
        created = _reload(cur, finding_id)
        _link(cur, actor, created, hashes, EvidenceRole.SEEN)
        repository.insert_history(
            cur,
            finding_id,
            from_status=None,
            to_status=Status.OPEN,
            actor=actor.username,
            note=None,
        )
        _audit(cur, actor, "finding.raise", created, None, {**asdict(created), "evidence": hashes})
    return created


def _criterion(cur: Cursor, a: Assessment, control_id: str) -> tuple[str, str]:
    control = control_repository.get_control(cur, a.catalogue_id, control_id)
    if control is None:
        raise _invalid(
            "control_id",
            f"{control_id!r} is not a control of {a.catalogue_urn} {a.catalogue_version}",
        )
    return criterion_texts(
        control.control_id,
        control.title_en,
        control.title_ja,
        control.refs_of("appi_guideline"),
        control.refs_of("iso27001_2022"),
    )


def _check_owner_and_unit(cur: Cursor, owner: str, unit: str) -> None:
    issues: list[Issue] = []
    user = auth_repository.find_user(cur, owner)
    if user is None or not user.active:
        issues.append(Issue("finding", 0, "owner", f"{owner!r} is not an active user"))
    if unit not in {u.code for u in org_repository.list_units(cur)}:
        issues.append(Issue("finding", 0, "org_unit_code", f"unknown org unit {unit!r}"))
    if issues:
        raise ValidationFailed(issues)


# --- the owner's response ------------------------------------------------------------------


@requires(Permission.FINDING_RESPOND)
def respond(
    db: Database,
    actor: Principal,
    finding_id: str,
    *,
    version: int,
    root_cause: str | None,
    correction: str | None,
    corrective_action: str | None,
    mark_done: bool = False,
) -> Finding:
    """The owner records root cause, correction and corrective action.

    The first response moves an open finding to action planned; ``mark_done`` then moves it
    to action done (both steps at once when the first response already reports it done).
    """
    cause = _text("root_cause", root_cause)
    fix = _text("correction", correction)
    action = _text("corrective_action", corrective_action)
    with db.transaction() as cur:
        f = _load(cur, actor, finding_id)
        if actor.username != f.owner and actor.role != Role.ADMIN:
            raise PermissionDenied(f"Only the owner of {f.ref} ({f.owner}) responds to it.")
        _check_version(f, version)
        if f.status not in RESPONDABLE:
            allowed = ", ".join(s.value for s in Status if s in RESPONDABLE)
            raise Conflict(
                f"{f.ref} is {f.status.value}: the response can be changed only while it is "
                f"{allowed}."
            )
        _check_response(f, cause, fix, action)
        steps = [Status.ACTION_PLANNED] if f.status == Status.OPEN else []
        if mark_done:
            steps.append(Status.ACTION_DONE)
        target = steps[-1] if steps else f.status
        new_version = repository.record_response(
            cur,
            f.id,
            version,
            status=target,
            root_cause=cause,
            correction=fix,
            corrective_action=action,
            actor=actor.username,
        )
        if new_version is None:
            raise _stale(f)
        previous = f.status
        for step in steps or [f.status]:
            note = "response updated" if step == previous else None
            repository.insert_history(
                cur, f.id, from_status=previous, to_status=step, actor=actor.username, note=note
            )
            previous = step
        updated = _reload(cur, f.id)
        _audit(cur, actor, "finding.respond", f, _response_view(f), _response_view(updated))
    return updated


def _check_response(f: Finding, cause: str | None, fix: str | None, action: str | None) -> None:
    issues: list[Issue] = []
    if f.grade in NONCONFORMITIES:
        if not cause:
            issues.append(Issue("finding", 0, "root_cause", "a nonconformity needs its root cause"))
        if not action:
            issues.append(
                Issue(
                    "finding",
                    0,
                    "corrective_action",
                    "a nonconformity needs a corrective action that removes the root cause",
                )
            )
    elif not (cause or fix or action):
        issues.append(Issue("finding", 0, "corrective_action", "say what was or will be done"))
    if issues:
        raise ValidationFailed(issues)


def _response_view(f: Finding) -> dict[str, object]:
    return {
        "status": f.status.value,
        "root_cause": f.root_cause,
        "correction": f.correction,
        "corrective_action": f.corrective_action,
    }


# --- verification, closing, reopening ------------------------------------------------------


@requires(Permission.FINDING_MANAGE)
def verify(
    db: Database,
    actor: Principal,
    finding_id: str,
    *,
    version: int,
    note: str,
    evidence: Sequence[str] = (),
) -> Finding:
    """Record that the corrective action is effective (action done -> verified).

    A nonconformity is verified only with evidence (``evidence``: SHA-256 of stored files,
    added to any verification evidence linked before)."""
    text = _text("note", note)
    if not text:
        raise _invalid("note", "say how the effectiveness was verified")
    with db.transaction() as cur:
        f = _load(cur, actor, finding_id)
        _check_version(f, version)
        _check_move(f, Status.VERIFIED)
        _independent(cur, actor, f)
        hashes = _check_files(cur, evidence)
        linked = _link(cur, actor, f, hashes, EvidenceRole.VERIFICATION)
        if f.grade in NONCONFORMITIES and not _has_verification_evidence(cur, f):
            raise _invalid(
                "evidence",
                f"{f.ref} is a {f.grade.value} nonconformity: attach the evidence that shows "
                "the corrective action works",
            )
        if repository.record_verification(cur, f.id, version, text, actor.username) is None:
            raise _stale(f)
        repository.insert_history(
            cur,
            f.id,
            from_status=f.status,
            to_status=Status.VERIFIED,
            actor=actor.username,
            note=text,
        )
        updated = _reload(cur, f.id)
        _audit(
            cur,
            actor,
            "finding.verify",
            f,
            {"status": f.status.value},
            {"status": updated.status.value, "note": text, "evidence": linked},
        )
    return updated


def _has_verification_evidence(cur: Cursor, f: Finding) -> bool:
    return any(e.role == EvidenceRole.VERIFICATION for e in repository.list_evidence(cur, f.id))


@requires(Permission.FINDING_MANAGE)
def close(
    db: Database, actor: Principal, finding_id: str, *, version: int, note: str | None = None
) -> Finding:
    """Close a verified finding. Observations, opportunities for improvement and good practice
    need no corrective action and may also be closed before that."""
    text = _text("note", note)
    with db.transaction() as cur:
        f = _load(cur, actor, finding_id)
        _check_version(f, version)
        _check_move(f, Status.CLOSED)
        _independent(cur, actor, f)
        if f.grade in NONCONFORMITIES and not _has_verification_evidence(cur, f):
            raise Conflict(
                f"{f.ref} has no verification evidence: verify it with evidence before closing."
            )
        if repository.record_closure(cur, f.id, version, actor.username) is None:
            raise _stale(f)
        repository.insert_history(
            cur,
            f.id,
            from_status=f.status,
            to_status=Status.CLOSED,
            actor=actor.username,
            note=text,
        )
        updated = _reload(cur, f.id)
        _audit(
            cur,
            actor,
            "finding.close",
            f,
            {"status": f.status.value},
            {"status": updated.status.value, "note": text},
        )
    return updated


@requires(Permission.FINDING_MANAGE)
def reopen(
    db: Database, actor: Principal, finding_id: str, *, version: int, reason: str
) -> Finding:
    """Reopen a verified or closed finding whose action did not hold; the reason is kept."""
    text = _text("reason", reason)
    if not text:
        raise _invalid("reason", "say why the finding is reopened")
    with db.transaction() as cur:
        f = _load(cur, actor, finding_id)
        _check_version(f, version)
        _check_move(f, Status.OPEN)
        _independent(cur, actor, f)
        if repository.record_reopening(cur, f.id, version, actor.username) is None:
            raise _stale(f)
        repository.insert_history(
            cur, f.id, from_status=f.status, to_status=Status.OPEN, actor=actor.username, note=text
        )
        updated = _reload(cur, f.id)
        _audit(
            cur,
            actor,
            "finding.reopen",
            f,
            {"status": f.status.value, "verification_note": f.verification_note},
            {"status": updated.status.value, "reason": text},
        )
    return updated


@requires(Permission.FINDING_MANAGE)
def link_evidence(
    db: Database,
    actor: Principal,
    finding_id: str,
    *,
    evidence: Sequence[str] | str,
    role: EvidenceRole | str = EvidenceRole.SEEN,
) -> list[FindingEvidence]:
    """Link stored evidence files (SHA-256) to a finding; returns every file linked to it."""
    try:
        kind = EvidenceRole(role)
    except ValueError:
        raise _invalid("role", f"{role!r} is not seen or verification") from None
    with db.transaction() as cur:
        f = _load(cur, actor, finding_id)
        if f.status == Status.CLOSED:
            raise Conflict(f"{f.ref} is closed: reopen it before adding evidence.")
        hashes = _check_files(cur, evidence)
        linked = _link(cur, actor, f, hashes, kind)
        if linked:
            _audit(
                cur, actor, "finding.evidence", f, None, {"role": kind.value, "evidence": linked}
            )
        return repository.list_evidence(cur, f.id)


# --- reading -------------------------------------------------------------------------------


@requires(Permission.FINDING_READ)
def get_finding(db: Database, actor: Principal, finding_id: str) -> Finding:
    """One finding by id or human number (F-2026-0001)."""
    with db.cursor() as cur:
        return _load(cur, actor, finding_id)


@requires(Permission.FINDING_READ)
def list_findings(
    db: Database, actor: Principal, flt: FindingFilter, today: date | None = None
) -> list[Finding]:
    """The register: findings the actor may see that match ``flt``, newest first.

    Auditees see their own department's findings and those they own."""
    with db.cursor() as cur:
        return repository.list_findings(cur, flt, today or date.today(), **_visibility(actor))


@requires(Permission.FINDING_READ)
def count_findings(
    db: Database, actor: Principal, flt: FindingFilter, today: date | None = None
) -> tuple[int, int]:
    """How many findings the actor may see match ``flt``, and how many of them are overdue."""
    with db.cursor() as cur:
        return repository.count_findings(cur, flt, today or date.today(), **_visibility(actor))


@requires(Permission.FINDING_READ)
def history(db: Database, actor: Principal, finding_id: str) -> list[HistoryEntry]:
    with db.cursor() as cur:
        f = _load(cur, actor, finding_id)
        return repository.list_history(cur, f.id)


@requires(Permission.FINDING_READ)
def list_evidence(db: Database, actor: Principal, finding_id: str) -> list[FindingEvidence]:
    with db.cursor() as cur:
        f = _load(cur, actor, finding_id)
        return repository.list_evidence(cur, f.id)


@requires(Permission.FINDING_RESPOND)
def my_actions(db: Database, actor: Principal, today: date | None = None) -> list[Finding]:
    """Findings the actor owns that are not yet verified: overdue ones first; within each
    group those awaiting the owner before those done and awaiting verification, by due date."""
    day = today or date.today()
    flt = FindingFilter(owner=actor.username, open_only=True)
    with db.cursor() as cur:
        rows = repository.list_findings(cur, flt, day)
    return sorted(
        rows,
        key=lambda f: (not is_overdue(f, day), f.status == Status.ACTION_DONE, f.due_date, f.ref),
    )


@requires(Permission.FINDING_READ)
def open_grades(db: Database, actor: Principal, assessment_id: str) -> dict[str, Grade]:
    """Control id -> gravest grade of its open (not yet verified or closed) findings."""
    a = assessments.get_assessment(db, actor, assessment_id)  # visibility: auditees' own scope
    with db.cursor() as cur:
        return {c: Grade(g) for c, g in repository.open_grades(cur, a.id).items()}


@requires(Permission.FINDING_READ)
def follow_up(db: Database, actor: Principal, assessment_id: str) -> list[Finding]:
    """Findings of earlier audits of the same scope and catalogue to follow up in this one:
    those not yet closed, and those closed since the previous audit."""
    a = assessments.get_assessment(db, actor, assessment_id)
    with db.cursor() as cur:
        return repository.follow_up(cur, a.id, **_visibility(actor))
