"""SQL for findings, their history and the evidence linked to them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from findings.model import (
    GRADE_ORDER,
    SETTLED,
    EvidenceRole,
    Finding,
    FindingEvidence,
    FindingFilter,
    Grade,
    HistoryEntry,
    Status,
)
from storage.db import Cursor

_SETTLED = [s.value for s in SETTLED]
_GRADE_ORDER = [g.value for g in GRADE_ORDER]
# Dict look-ups are several times cheaper than Enum(value); the register maps tens of
# thousands of rows.
_GRADES = {g.value: g for g in Grade}
_STATUSES = {s.value: s for s in Status}

_FINDING = """
    SELECT CAST(f.id AS VARCHAR), f.ref, CAST(f.assessment_id AS VARCHAR),
           COALESCE(a.title, ''), COALESCE(a.scope_unit, ''), f.control_id, f.grade, f.status,
           f.statement, f.criterion_en, f.criterion_ja, f.org_unit_code, f.owner, f.due_date,
           f.root_cause, f.correction, f.corrective_action,
           f.responded_by, strftime(f.responded_at, '%Y-%m-%d %H:%M'),
           f.verification_note, f.verified_by, strftime(f.verified_at, '%Y-%m-%d %H:%M'),
           f.closed_by, strftime(f.closed_at, '%Y-%m-%d %H:%M'),
           f.raised_by, strftime(f.raised_at, '%Y-%m-%d %H:%M'), CAST(f.raised_at AS DATE),
           f.updated_by, strftime(f.updated_at, '%Y-%m-%d %H:%M:%S'), f.version
    FROM findings f LEFT JOIN assessments a ON a.id = f.assessment_id
"""


def _finding(r: tuple[Any, ...]) -> Finding:
    return Finding(
        id=r[0],
        ref=r[1],
        assessment_id=r[2],
        assessment_title=r[3],
        scope_unit=r[4],
        control_id=r[5],
        grade=_GRADES[r[6]],
        status=_STATUSES[r[7]],
        statement=r[8],
        criterion_en=r[9],
        criterion_ja=r[10],
        org_unit_code=r[11],
        owner=r[12],
        due_date=r[13],
        root_cause=r[14],
        correction=r[15],
        corrective_action=r[16],
        responded_by=r[17],
        responded_at=r[18],
        verification_note=r[19],
        verified_by=r[20],
        verified_at=r[21],
        closed_by=r[22],
        closed_at=r[23],
        raised_by=r[24],
        raised_at=r[25],
        raised_on=r[26],
        updated_by=r[27],
        updated_at=r[28],
        version=int(r[29]),
    )


# --- findings ------------------------------------------------------------------------------


def next_ref(cur: Cursor, year: int) -> str:
    """The next free human number of ``year``: F-2026-0001, F-2026-0002, ..."""
    prefix = f"F-{year}-"
    row = cur.execute(
        """SELECT COALESCE(max(TRY_CAST(substr(ref, length(?) + 1) AS INTEGER)), 0)
           FROM findings WHERE starts_with(ref, ?)""",
        [prefix, prefix],
    ).fetchone()
    return f"{prefix}{(int(row[0]) if row else 0) + 1:04d}"


def insert_finding(
    cur: Cursor,
    *,
    ref: str,
    assessment_id: str,
    control_id: str,
    grade: Grade,
    statement: str,
    criterion_en: str,
    criterion_ja: str,
    org_unit_code: str,
    owner: str,
    due_date: date,
    raised_by: str,
    raised_at: str | None = None,
) -> str:
    """Insert an open finding; ``raised_at`` (ISO timestamp) defaults to now. Returns the id."""
    row = cur.execute(
        """INSERT INTO findings (ref, assessment_id, control_id, grade, statement, criterion_en,
                                 criterion_ja, org_unit_code, owner, due_date, raised_by,
                                 raised_at, updated_by, updated_at)
           VALUES (?, CAST(? AS UUID), ?, ?, ?, ?, ?, ?, ?, ?, ?,
                   COALESCE(CAST(? AS TIMESTAMPTZ), current_timestamp), ?,
                   COALESCE(CAST(? AS TIMESTAMPTZ), current_timestamp))
           RETURNING CAST(id AS VARCHAR)""",
        [
            ref,
            assessment_id,
            control_id,
            grade.value,
            statement,
            criterion_en,
            criterion_ja,
            org_unit_code,
            owner,
            due_date,
            raised_by,
            raised_at,
            raised_by,
            raised_at,
        ],
    ).fetchone()
    if row is None:
        raise RuntimeError("INSERT ... RETURNING returned no row")
    return str(row[0])


def get_finding(cur: Cursor, id_or_ref: str) -> Finding | None:
    """A finding by its id or its human number."""
    row = cur.execute(
        _FINDING + " WHERE f.id = TRY_CAST(? AS UUID) OR f.ref = ?", [id_or_ref, id_or_ref]
    ).fetchone()
    return _finding(row) if row else None


def _where(
    flt: FindingFilter,
    today: date,
    visible_unit: str | None,
    visible_owner: str | None,
) -> tuple[str, list[Any]]:
    """The WHERE clause (and its parameters) of a register query."""
    sql = " WHERE true"
    params: list[Any] = []
    if flt.grades:
        sql += " AND list_contains(?, f.grade)"
        params.append([g.value for g in flt.grades])
    if flt.statuses:
        sql += " AND list_contains(?, f.status)"
        params.append([s.value for s in flt.statuses])
    if flt.org_units:
        sql += " AND list_contains(?, f.org_unit_code)"
        params.append(list(flt.org_units))
    if flt.assessment_id is not None:
        sql += " AND f.assessment_id = TRY_CAST(? AS UUID)"
        params.append(flt.assessment_id)
    if flt.control_id is not None:
        sql += " AND f.control_id = ?"
        params.append(flt.control_id)
    if flt.owner is not None:
        sql += " AND f.owner = ?"
        params.append(flt.owner)
    if flt.open_only or flt.overdue_only:
        sql += " AND NOT list_contains(?, f.status)"
        params.append(_SETTLED)
    if flt.overdue_only:
        sql += " AND f.due_date < ?"
        params.append(today)
    if flt.min_age_days is not None:
        sql += " AND ? - CAST(f.raised_at AS DATE) >= ?"
        params += [today, flt.min_age_days]
    if flt.max_age_days is not None:
        sql += " AND ? - CAST(f.raised_at AS DATE) <= ?"
        params += [today, flt.max_age_days]
    if visible_unit is not None or visible_owner is not None:
        sql += " AND (f.org_unit_code = ? OR f.owner = ?)"
        params += [visible_unit or "", visible_owner or ""]
    return sql, params


def list_findings(
    cur: Cursor,
    flt: FindingFilter,
    today: date,
    *,
    visible_unit: str | None = None,
    visible_owner: str | None = None,
) -> list[Finding]:
    """Findings matching ``flt``, newest first.

    ``visible_unit``/``visible_owner`` restrict the rows to one department's findings and
    those owned by one person (what an auditee may see)."""
    where, params = _where(flt, today, visible_unit, visible_owner)
    sql = _FINDING + where + " ORDER BY f.raised_at DESC, f.ref DESC"
    if flt.limit is not None:
        sql += " LIMIT ?"
        params.append(max(0, flt.limit))
    return [_finding(r) for r in cur.execute(sql, params).fetchall()]


_COUNT = """
    SELECT count(*), count(*) FILTER (WHERE f.due_date < ? AND NOT list_contains(?, f.status))
    FROM findings f
"""


def count_findings(
    cur: Cursor,
    flt: FindingFilter,
    today: date,
    *,
    visible_unit: str | None = None,
    visible_owner: str | None = None,
) -> tuple[int, int]:
    """How many findings match ``flt``, and how many of those are overdue."""
    where, params = _where(flt, today, visible_unit, visible_owner)
    row = cur.execute(_COUNT + where, [today, _SETTLED, *params]).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def record_response(
    cur: Cursor,
    finding_id: str,
    expected_version: int,
    *,
    status: Status,
    root_cause: str | None,
    correction: str | None,
    corrective_action: str | None,
    actor: str,
    at: str | None = None,
) -> int | None:
    """Store the owner's response if the row is still at ``expected_version``.

    Returns the new version, or None when someone moved it on meanwhile."""
    row = cur.execute(
        """UPDATE findings SET status = ?, root_cause = ?, correction = ?,
                  corrective_action = ?, responded_by = ?,
                  responded_at = COALESCE(CAST(? AS TIMESTAMPTZ), current_timestamp),
                  updated_by = ?, updated_at = COALESCE(CAST(? AS TIMESTAMPTZ), current_timestamp),
                  version = version + 1
           WHERE id = CAST(? AS UUID) AND version = ? RETURNING version""",
        [
            status.value,
            root_cause,
            correction,
            corrective_action,
            actor,
            at,
            actor,
            at,
            finding_id,
            expected_version,
        ],
    ).fetchone()
    return int(row[0]) if row else None


def record_verification(
    cur: Cursor,
    finding_id: str,
    expected_version: int,
    note: str,
    actor: str,
    at: str | None = None,
) -> int | None:
    """Mark the corrective action verified as effective (new version, or None if stale)."""
    row = cur.execute(
        """UPDATE findings SET status = 'verified', verification_note = ?, verified_by = ?,
                  verified_at = COALESCE(CAST(? AS TIMESTAMPTZ), current_timestamp),
                  updated_by = ?, updated_at = COALESCE(CAST(? AS TIMESTAMPTZ), current_timestamp),
                  version = version + 1
           WHERE id = CAST(? AS UUID) AND version = ? RETURNING version""",
        [note, actor, at, actor, at, finding_id, expected_version],
    ).fetchone()
    return int(row[0]) if row else None


def record_closure(
    cur: Cursor, finding_id: str, expected_version: int, actor: str, at: str | None = None
) -> int | None:
    row = cur.execute(
        """UPDATE findings SET status = 'closed', closed_by = ?,
                  closed_at = COALESCE(CAST(? AS TIMESTAMPTZ), current_timestamp),
                  updated_by = ?, updated_at = COALESCE(CAST(? AS TIMESTAMPTZ), current_timestamp),
                  version = version + 1
           WHERE id = CAST(? AS UUID) AND version = ? RETURNING version""",
        [actor, at, actor, at, finding_id, expected_version],
    ).fetchone()
    return int(row[0]) if row else None


def record_reopening(
    cur: Cursor, finding_id: str, expected_version: int, actor: str, at: str | None = None
) -> int | None:
    """Back to open: the verification and closure no longer hold (the history keeps them)."""
    row = cur.execute(
        """UPDATE findings SET status = 'open', verification_note = NULL, verified_by = NULL,
                  verified_at = NULL, closed_by = NULL, closed_at = NULL, updated_by = ?,
                  updated_at = COALESCE(CAST(? AS TIMESTAMPTZ), current_timestamp),
                  version = version + 1
           WHERE id = CAST(? AS UUID) AND version = ? RETURNING version""",
        [actor, at, finding_id, expected_version],
    ).fetchone()
    return int(row[0]) if row else None


def open_grades(cur: Cursor, assessment_id: str) -> dict[str, str]:
    """Control id -> the gravest grade of its findings that are not yet verified or closed."""
    rows = cur.execute(
        """SELECT control_id, arg_min(grade, list_position(?, grade))
           FROM findings
           WHERE assessment_id = TRY_CAST(? AS UUID) AND NOT list_contains(?, status)
           GROUP BY control_id ORDER BY control_id""",
        [_GRADE_ORDER, assessment_id, _SETTLED],
    ).fetchall()
    return {str(c): str(g) for c, g in rows}


# Earlier assessments of the same scope and catalogue URN, and the cutoff: when the one just
# before ended (closed, else its period end).
_FOLLOW_UP = (
    """
    WITH this AS (
        SELECT a.id, a.scope_unit, c.urn, a.created_at,
               COALESCE(a.period_start, CAST(a.created_at AS DATE)) AS start
        FROM assessments a JOIN catalogues c ON c.id = a.catalogue_id
        WHERE a.id = TRY_CAST(? AS UUID)
    ),
    earlier AS (
        SELECT e.id, e.created_at, e.closed_at, e.period_end,
               COALESCE(e.period_start, CAST(e.created_at AS DATE)) AS start
        FROM assessments e JOIN catalogues c ON c.id = e.catalogue_id, this t
        WHERE e.scope_unit = t.scope_unit AND c.urn = t.urn AND e.id <> t.id
          AND (COALESCE(e.period_start, CAST(e.created_at AS DATE)) < t.start
               OR (COALESCE(e.period_start, CAST(e.created_at AS DATE)) = t.start
                   AND e.created_at < t.created_at))
    ),
    previous AS (
        SELECT COALESCE(closed_at, CAST(period_end AS TIMESTAMPTZ), created_at) AS cutoff
        FROM earlier ORDER BY start DESC, created_at DESC LIMIT 1
    )
    """  # noqa: S608 -- constant SQL only
    + _FINDING
    + """
    WHERE f.assessment_id IN (SELECT id FROM earlier)
      AND (f.status <> 'closed' OR f.closed_at >= (SELECT cutoff FROM previous))
    """
)


def follow_up(
    cur: Cursor,
    assessment_id: str,
    *,
    visible_unit: str | None = None,
    visible_owner: str | None = None,
) -> list[Finding]:
    """Findings of the earlier assessments of the same scope and catalogue URN that are not
    closed, or were closed after the previous assessment ended (closed, else its period end)."""
    sql = _FOLLOW_UP
    params: list[Any] = [assessment_id]
    if visible_unit is not None or visible_owner is not None:
        sql += " AND (f.org_unit_code = ? OR f.owner = ?)"
        params += [visible_unit or "", visible_owner or ""]
    sql += " ORDER BY f.raised_at, f.ref"
    return [_finding(r) for r in cur.execute(sql, params).fetchall()]


# --- history -------------------------------------------------------------------------------


def insert_history(
    cur: Cursor,
    finding_id: str,
    *,
    from_status: Status | None,
    to_status: Status,
    actor: str,
    note: str | None,
    at: str | None = None,
) -> int:
    """Append one history row; returns its sequence number within the finding."""
    row = cur.execute(
        """INSERT INTO finding_history (finding_id, seq, from_status, to_status, actor, "at", note)
           SELECT CAST(? AS UUID), COALESCE(max(seq), 0) + 1, ?, ?, ?,
                  COALESCE(CAST(? AS TIMESTAMPTZ), current_timestamp), ?
           FROM finding_history WHERE finding_id = CAST(? AS UUID)
           RETURNING seq""",
        [
            finding_id,
            None if from_status is None else from_status.value,
            to_status.value,
            actor,
            at,
            note,
            finding_id,
        ],
    ).fetchone()
    if row is None:
        raise RuntimeError("INSERT ... RETURNING returned no row")
    return int(row[0])


def list_history(cur: Cursor, finding_id: str) -> list[HistoryEntry]:
    rows = cur.execute(
        """SELECT CAST(finding_id AS VARCHAR), seq, from_status, to_status, actor,
                  strftime("at", '%Y-%m-%d %H:%M:%S'), note
           FROM finding_history WHERE finding_id = TRY_CAST(? AS UUID) ORDER BY seq""",
        [finding_id],
    ).fetchall()
    return [
        HistoryEntry(
            finding_id=str(r[0]),
            seq=int(r[1]),
            from_status=None if r[2] is None else Status(r[2]),
            to_status=Status(r[3]),
            actor=str(r[4]),
            at=str(r[5]),
            note=r[6],
        )
        for r in rows
    ]


# --- evidence ------------------------------------------------------------------------------


def existing_files(cur: Cursor, hashes: Iterable[str]) -> set[str]:
    """Which of ``hashes`` name a stored evidence file."""
    wanted = list(dict.fromkeys(hashes))
    if not wanted:
        return set()
    rows = cur.execute(
        "SELECT sha256 FROM evidence_files WHERE list_contains(?, sha256)", [wanted]
    ).fetchall()
    return {str(r[0]) for r in rows}


def insert_evidence(
    cur: Cursor,
    finding_id: str,
    sha256: str,
    role: EvidenceRole,
    actor: str,
    at: str | None = None,
) -> bool:
    """Link a stored file to a finding; False when it was already linked in that role."""
    row = cur.execute(
        """INSERT INTO finding_evidence (finding_id, sha256, role, added_by, added_at)
           VALUES (CAST(? AS UUID), ?, ?, ?, COALESCE(CAST(? AS TIMESTAMPTZ), current_timestamp))
           ON CONFLICT DO NOTHING RETURNING sha256""",
        [finding_id, sha256, role.value, actor, at],
    ).fetchone()
    return row is not None


def list_evidence(cur: Cursor, finding_id: str) -> list[FindingEvidence]:
    rows = cur.execute(
        """SELECT CAST(e.finding_id AS VARCHAR), e.sha256, e.role,
                  (SELECT min(l.filename) FROM evidence_links l WHERE l.sha256 = e.sha256),
                  e.added_by, strftime(e.added_at, '%Y-%m-%d %H:%M')
           FROM finding_evidence e
           WHERE e.finding_id = TRY_CAST(? AS UUID)
           ORDER BY e.added_at, e.role, e.sha256""",
        [finding_id],
    ).fetchall()
    return [
        FindingEvidence(
            finding_id=str(r[0]),
            sha256=str(r[1]),
            role=EvidenceRole(r[2]),
            filename=r[3],
            added_by=str(r[4]),
            added_at=str(r[5]),
        )
        for r in rows
    ]
