"""SQL for assessments, their members and responses."""

from __future__ import annotations

from typing import Any

from assessments.model import (
    Answer,
    Assessment,
    DomainProgress,
    MemberRole,
    Response,
    ReviewState,
    Status,
)
from storage.db import Cursor

_ASSESSMENT = """
    SELECT CAST(a.id AS VARCHAR), a.title, CAST(a.catalogue_id AS VARCHAR), c.urn, c.version,
           a.scope_unit, CAST(a.period_start AS VARCHAR), CAST(a.period_end AS VARCHAR),
           a.lead_auditor, a.status, a.created_by, strftime(a.created_at, '%Y-%m-%d %H:%M'),
           strftime(a.closed_at, '%Y-%m-%d %H:%M'), a.version,
           COALESCE((SELECT list(m.username ORDER BY m.username) FROM assessment_members m
                     WHERE m.assessment_id = a.id AND m.member_role = 'auditor'), []),
           COALESCE((SELECT list(m.username ORDER BY m.username) FROM assessment_members m
                     WHERE m.assessment_id = a.id AND m.member_role = 'auditee'), [])
    FROM assessments a JOIN catalogues c ON c.id = a.catalogue_id
"""


def _assessment(r: tuple[Any, ...]) -> Assessment:
    return Assessment(
        id=r[0],
        title=r[1],
        catalogue_id=r[2],
        catalogue_urn=r[3],
        catalogue_version=r[4],
        scope_unit=r[5],
        period_start=r[6],
        period_end=r[7],
        lead_auditor=r[8],
        status=Status(r[9]),
        created_by=r[10],
        created_at=r[11],
        closed_at=r[12],
        version=int(r[13]),
        auditors=tuple(r[14]),
        auditees=tuple(r[15]),
    )


def latest_catalogue_id(cur: Cursor, urn: str) -> str | None:
    """The newest stored version of a catalogue: what a new campaign pins."""
    row = cur.execute(
        "SELECT CAST(id AS VARCHAR) FROM catalogues WHERE urn = ? "
        "ORDER BY imported_at DESC LIMIT 1",
        [urn],
    ).fetchone()
    return str(row[0]) if row else None


def insert_assessment(
    cur: Cursor,
    *,
    title: str,
    catalogue_id: str,
    scope_unit: str,
    period_start: str | None,
    period_end: str | None,
    lead_auditor: str | None,
    created_by: str,
    members: list[tuple[str, MemberRole]],
) -> str:
    row = cur.execute(
        """INSERT INTO assessments (title, catalogue_id, scope_unit, period_start, period_end,
                                    lead_auditor, created_by)
           VALUES (?, CAST(? AS UUID), ?, CAST(? AS DATE), CAST(? AS DATE), ?, ?)
           RETURNING CAST(id AS VARCHAR)""",
        [title, catalogue_id, scope_unit, period_start, period_end, lead_auditor, created_by],
    ).fetchone()
    if row is None:
        raise RuntimeError("INSERT ... RETURNING returned no row")
    assessment_id = str(row[0])
    if members:
        cur.executemany(
            "INSERT INTO assessment_members VALUES (CAST(? AS UUID), ?, ?)",
            [[assessment_id, user, role.value] for user, role in members],
        )
    return assessment_id


def get_assessment(cur: Cursor, assessment_id: str) -> Assessment | None:
    row = cur.execute(_ASSESSMENT + " WHERE a.id = TRY_CAST(? AS UUID)", [assessment_id]).fetchone()
    return _assessment(row) if row else None


def list_assessments(
    cur: Cursor,
    *,
    status: str | None = None,
    scope_units: list[str] | None = None,
    year: int | None = None,
    member: str | None = None,
) -> list[Assessment]:
    """Assessments newest first; ``scope_units``/``member`` restrict what an auditee sees."""
    sql = _ASSESSMENT + " WHERE true"
    params: list[Any] = []
    if status:
        sql += " AND a.status = ?"
        params.append(status)
    if year:
        sql += " AND year(a.period_start) = ?"
        params.append(year)
    if scope_units is not None or member is not None:
        sql += """ AND (list_contains(?, a.scope_unit) OR EXISTS (
                     SELECT 1 FROM assessment_members m
                     WHERE m.assessment_id = a.id AND m.username = ?))"""
        params += [scope_units or [], member or ""]
    sql += " ORDER BY a.period_start DESC NULLS LAST, a.created_at DESC"
    return [_assessment(r) for r in cur.execute(sql, params).fetchall()]


def update_status(
    cur: Cursor, assessment_id: str, expected_version: int, status: Status, actor: str
) -> bool:
    row = cur.execute(
        """UPDATE assessments SET status = ?, version = version + 1,
                  closed_by = CASE WHEN ? = 'closed' THEN ? ELSE closed_by END,
                  closed_at = CASE WHEN ? = 'closed' THEN current_timestamp ELSE closed_at END
           WHERE id = CAST(? AS UUID) AND version = ? RETURNING id""",
        [status.value, status.value, actor, status.value, assessment_id, expected_version],
    ).fetchone()
    return row is not None


def scored_controls(cur: Cursor, catalogue_id: str) -> list[tuple[str, str, bool]]:
    """(control_id, domain_id, is_key) of the controls answered on the maturity scale."""
    rows = cur.execute(
        """SELECT control_id, domain_id, is_key FROM controls
           WHERE catalogue_id = CAST(? AS UUID) AND is_assessable AND answer_type = 'maturity'
           ORDER BY position""",
        [catalogue_id],
    ).fetchall()
    return [(str(c), str(d), bool(k)) for c, d, k in rows]


_RESPONSE = """
    SELECT CAST(assessment_id AS VARCHAR), control_id, documented, implemented, na_reason, note,
           answered_by, strftime(answered_at, '%Y-%m-%d %H:%M:%S'), review_state,
           review_comment, reviewed_by, version
    FROM responses
"""


_RESPONSE_COLUMNS = _RESPONSE.split("FROM", maxsplit=1)[0].replace("SELECT", "", 1)


def _response(r: tuple[Any, ...]) -> Response:
    return Response(
        assessment_id=r[0],
        control_id=r[1],
        documented=r[2],
        implemented=r[3],
        na_reason=r[4],
        note=r[5],
        answered_by=r[6],
        answered_at=r[7],
        review_state=ReviewState(r[8]),
        review_comment=r[9],
        reviewed_by=r[10],
        version=int(r[11]),
    )


def list_responses(cur: Cursor, assessment_id: str) -> list[Response]:
    rows = cur.execute(
        _RESPONSE + " WHERE assessment_id = TRY_CAST(? AS UUID) ORDER BY control_id",
        [assessment_id],
    ).fetchall()
    return [_response(r) for r in rows]


def get_response(cur: Cursor, assessment_id: str, control_id: str) -> Response | None:
    row = cur.execute(
        _RESPONSE + " WHERE assessment_id = TRY_CAST(? AS UUID) AND control_id = ?",
        [assessment_id, control_id],
    ).fetchone()
    return _response(row) if row else None


def insert_response(cur: Cursor, assessment_id: str, answer: Answer, actor: str) -> Response:
    row = cur.execute(
        f"""INSERT INTO responses (assessment_id, control_id, documented, implemented,
                                   na_reason, note, answered_by)
            VALUES (CAST(? AS UUID), ?, ?, ?, ?, ?, ?)
            RETURNING {_RESPONSE_COLUMNS}""",  # noqa: S608 -- constant column list
        [
            assessment_id,
            answer.control_id,
            answer.documented,
            answer.implemented,
            answer.na_reason,
            answer.note,
            actor,
        ],
    ).fetchone()
    if row is None:
        raise RuntimeError("INSERT ... RETURNING returned no row")
    return _response(row)


def update_response(
    cur: Cursor, assessment_id: str, answer: Answer, actor: str, expected_version: int
) -> Response | None:
    """Overwrite an answer if it is still at ``expected_version`` (None: someone moved it on).

    A changed answer goes back to review (pending)."""
    row = cur.execute(
        f"""UPDATE responses SET documented = ?, implemented = ?, na_reason = ?, note = ?,
                   answered_by = ?, answered_at = current_timestamp, review_state = 'pending',
                   review_comment = NULL, reviewed_by = NULL, reviewed_at = NULL,
                   version = version + 1
            WHERE assessment_id = CAST(? AS UUID) AND control_id = ? AND version = ?
            RETURNING {_RESPONSE_COLUMNS}""",  # noqa: S608 -- constant column list
        [
            answer.documented,
            answer.implemented,
            answer.na_reason,
            answer.note,
            actor,
            assessment_id,
            answer.control_id,
            expected_version,
        ],
    ).fetchone()
    return _response(row) if row else None


def review_response(
    cur: Cursor,
    assessment_id: str,
    control_id: str,
    expected_version: int,
    state: ReviewState,
    comment: str | None,
    reviewer: str,
) -> Response | None:
    row = cur.execute(
        f"""UPDATE responses SET review_state = ?, review_comment = ?, reviewed_by = ?,
                   reviewed_at = current_timestamp, version = version + 1
            WHERE assessment_id = CAST(? AS UUID) AND control_id = ? AND version = ?
            RETURNING {_RESPONSE_COLUMNS}""",  # noqa: S608 -- constant column list
        [state.value, comment, reviewer, assessment_id, control_id, expected_version],
    ).fetchone()
    return _response(row) if row else None


def progress(cur: Cursor, assessment_id: str, catalogue_id: str) -> list[DomainProgress]:
    rows = cur.execute(
        """SELECT k.domain_id, count(*), count(r.control_id),
                  count(*) FILTER (WHERE r.review_state = 'accepted'),
                  count(*) FILTER (WHERE r.review_state = 'returned')
           FROM controls k
           LEFT JOIN responses r ON r.assessment_id = CAST(? AS UUID)
                                AND r.control_id = k.control_id
           WHERE k.catalogue_id = CAST(? AS UUID) AND k.is_assessable
                 AND k.answer_type = 'maturity'
           GROUP BY k.domain_id ORDER BY min(k.position)""",
        [assessment_id, catalogue_id],
    ).fetchall()
    return [DomainProgress(str(d), int(n), int(a), int(ok), int(ret)) for d, n, a, ok, ret in rows]


def previous_closed(cur: Cursor, assessment: Assessment) -> str | None:
    """The closed assessment of the same scope and catalogue URN just before this one."""
    row = cur.execute(
        """SELECT CAST(a.id AS VARCHAR)
           FROM assessments a JOIN catalogues c ON c.id = a.catalogue_id
           WHERE a.status = 'closed' AND a.scope_unit = ? AND c.urn = ?
                 AND a.id <> CAST(? AS UUID)
                 AND COALESCE(a.period_start, DATE '1900-01-01')
                     <= COALESCE(CAST(? AS DATE), DATE '9999-12-31')
           ORDER BY a.period_start DESC NULLS LAST, a.closed_at DESC LIMIT 1""",
        [assessment.scope_unit, assessment.catalogue_urn, assessment.id, assessment.period_start],
    ).fetchone()
    return str(row[0]) if row else None


def bulk_insert_responses(cur: Cursor, rows: list[dict[str, Any]]) -> None:
    """Insert many responses at once (demo data, benchmarks): column-wise through Arrow."""
    if not rows:
        return
    import pyarrow as pa  # noqa: PLC0415 -- only needed for bulk loads

    columns = {name: [r.get(name) for r in rows] for name in _BULK_COLUMNS}
    cur.register("_incoming_responses", pa.table(columns))
    try:
        cur.execute(
            """INSERT INTO responses BY NAME
               SELECT * REPLACE (CAST(assessment_id AS UUID) AS assessment_id,
                                 CAST(documented AS SMALLINT) AS documented,
                                 CAST(implemented AS SMALLINT) AS implemented,
                                 CAST(answered_at AS TIMESTAMPTZ) AS answered_at,
                                 CAST(reviewed_at AS TIMESTAMPTZ) AS reviewed_at)
               FROM _incoming_responses"""
        )
    finally:
        cur.unregister("_incoming_responses")


_BULK_COLUMNS = (
    "assessment_id",
    "control_id",
    "documented",
    "implemented",
    "na_reason",
    "note",
    "answered_by",
    "answered_at",
    "review_state",
    "reviewed_by",
    "reviewed_at",
)


def set_status_at(cur: Cursor, assessment_id: str, status: Status, by: str, at: str) -> None:
    """Set a status with its time directly (demo history only; no version check)."""
    cur.execute(
        """UPDATE assessments SET status = ?, version = version + 1,
                  closed_by = CASE WHEN ? = 'closed' THEN ? END,
                  closed_at = CASE WHEN ? = 'closed' THEN CAST(? AS TIMESTAMPTZ) END
           WHERE id = CAST(? AS UUID)""",
        [status.value, status.value, by, status.value, at, assessment_id],
    )
