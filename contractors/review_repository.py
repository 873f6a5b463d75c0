"""SQL for contractor reviews, country reviews and answers off the maturity scale."""

from __future__ import annotations

from datetime import date
from typing import Any

from contractors.model import ContractorReview, ReviewAnswer, ReviewMethod, Tier, TypedResponse
from storage.db import Cursor

_REVIEW = """
    SELECT CAST(r.assessment_id AS VARCHAR), CAST(r.contractor_id AS VARCHAR), a.title, a.status,
           a.version, c.version, r.method, r.started_by, r.started_on, r.completed_by,
           r.completed_on, r.score, r.tier_after, r.next_review_due
    FROM contractor_reviews r
    JOIN assessments a ON a.id = r.assessment_id
    JOIN catalogues c ON c.id = a.catalogue_id
"""


def _review(r: tuple[Any, ...]) -> ContractorReview:
    return ContractorReview(
        assessment_id=r[0],
        contractor_id=r[1],
        title=r[2],
        status=r[3],
        assessment_version=int(r[4]),
        catalogue_version=r[5],
        method=ReviewMethod(r[6]),
        started_by=r[7],
        started_on=r[8],
        completed_by=r[9],
        completed_on=r[10],
        score=r[11],
        tier_after=None if r[12] is None else Tier(r[12]),
        next_review_due=r[13],
    )


def insert_review(
    cur: Cursor,
    assessment_id: str,
    contractor_id: str,
    method: ReviewMethod,
    actor: str,
    started_on: date,
) -> None:
    cur.execute(
        """INSERT INTO contractor_reviews (assessment_id, contractor_id, method, started_by,
                                           started_on)
           VALUES (CAST(? AS UUID), CAST(? AS UUID), ?, ?, ?)""",
        [assessment_id, contractor_id, method.value, actor, started_on],
    )


def get_review(cur: Cursor, assessment_id: str) -> ContractorReview | None:
    row = cur.execute(
        _REVIEW + " WHERE r.assessment_id = TRY_CAST(? AS UUID)", [assessment_id]
    ).fetchone()
    return _review(row) if row else None


def list_reviews(cur: Cursor, contractor_id: str) -> list[ContractorReview]:
    rows = cur.execute(
        _REVIEW + " WHERE r.contractor_id = TRY_CAST(? AS UUID)"
        " ORDER BY r.started_on DESC, a.created_at DESC",
        [contractor_id],
    ).fetchall()
    return [_review(r) for r in rows]


def open_review(cur: Cursor, contractor_id: str) -> ContractorReview | None:
    row = cur.execute(
        _REVIEW + " WHERE r.contractor_id = TRY_CAST(? AS UUID) AND r.completed_on IS NULL"
        " ORDER BY r.started_on DESC LIMIT 1",
        [contractor_id],
    ).fetchone()
    return _review(row) if row else None


def record_completion(
    cur: Cursor, assessment_id: str, *, actor: str, completed_on: date, score: float | None
) -> None:
    cur.execute(
        """UPDATE contractor_reviews SET completed_by = ?, completed_on = ?, score = ?
           WHERE assessment_id = CAST(? AS UUID)""",
        [actor, completed_on, score, assessment_id],
    )


def record_outcome(
    cur: Cursor, assessment_id: str, *, tier_after: Tier, next_review_due: date
) -> None:
    cur.execute(
        """UPDATE contractor_reviews SET tier_after = ?, next_review_due = ?
           WHERE assessment_id = CAST(? AS UUID)""",
        [tier_after.value, next_review_due, assessment_id],
    )


def answer_count(cur: Cursor, assessment_id: str) -> int:
    row = cur.execute(
        """SELECT (SELECT count(*) FROM responses WHERE assessment_id = CAST(? AS UUID))
                + (SELECT count(*) FROM typed_responses WHERE assessment_id = CAST(? AS UUID))""",
        [assessment_id, assessment_id],
    ).fetchone()
    return int(row[0]) if row else 0


def unanswered_controls(cur: Cursor, assessment_id: str) -> list[str]:
    """Assessable controls of the assessment's catalogue with no answer of either kind."""
    rows = cur.execute(
        """SELECT k.control_id FROM assessments a
           JOIN controls k ON k.catalogue_id = a.catalogue_id AND k.is_assessable
           WHERE a.id = CAST(? AS UUID)
             AND NOT EXISTS (SELECT 1 FROM responses r
                             WHERE r.assessment_id = a.id AND r.control_id = k.control_id)
             AND NOT EXISTS (SELECT 1 FROM typed_responses t
                             WHERE t.assessment_id = a.id AND t.control_id = k.control_id)
           ORDER BY k.position""",
        [assessment_id],
    ).fetchall()
    return [str(r[0]) for r in rows]


def answer_types(cur: Cursor, catalogue_id: str) -> dict[str, str]:
    """control id -> answer type, for the assessable controls of a catalogue."""
    rows = cur.execute(
        "SELECT control_id, answer_type FROM controls "
        "WHERE catalogue_id = CAST(? AS UUID) AND is_assessable ORDER BY position",
        [catalogue_id],
    ).fetchall()
    return {str(c): str(t) for c, t in rows}


# --- country reviews --------------------------------------------------------------------------


def insert_country_review(
    cur: Cursor, assessment_id: str, country_code: str, actor: str, started_on: date
) -> None:
    cur.execute(
        "INSERT INTO country_reviews VALUES (CAST(? AS UUID), ?, ?, ?)",
        [assessment_id, country_code, actor, started_on],
    )


def is_country_review(cur: Cursor, assessment_id: str) -> bool:
    row = cur.execute(
        "SELECT 1 FROM country_reviews WHERE assessment_id = TRY_CAST(? AS UUID)", [assessment_id]
    ).fetchone()
    return row is not None


def open_country_review(cur: Cursor, country_code: str) -> str | None:
    row = cur.execute(
        """SELECT CAST(r.assessment_id AS VARCHAR) FROM country_reviews r
           JOIN assessments a ON a.id = r.assessment_id
           WHERE r.country_code = ? AND a.status <> 'closed' LIMIT 1""",
        [country_code],
    ).fetchone()
    return str(row[0]) if row else None


# --- typed responses --------------------------------------------------------------------------

_TYPED = """
    SELECT CAST(assessment_id AS VARCHAR), control_id, answer_type, value, na_reason, note,
           answered_by, strftime(answered_at, '%Y-%m-%d %H:%M:%S'), version
    FROM typed_responses
"""


def _typed(r: tuple[Any, ...]) -> TypedResponse:
    return TypedResponse(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], int(r[8]))


def list_typed(cur: Cursor, assessment_id: str) -> list[TypedResponse]:
    rows = cur.execute(
        _TYPED + " WHERE assessment_id = TRY_CAST(? AS UUID) ORDER BY control_id",
        [assessment_id],
    ).fetchall()
    return [_typed(r) for r in rows]


def get_typed(cur: Cursor, assessment_id: str, control_id: str) -> TypedResponse | None:
    row = cur.execute(
        _TYPED + " WHERE assessment_id = TRY_CAST(? AS UUID) AND control_id = ?",
        [assessment_id, control_id],
    ).fetchone()
    return _typed(row) if row else None


def insert_typed(
    cur: Cursor, assessment_id: str, answer_type: str, answer: ReviewAnswer, actor: str
) -> None:
    cur.execute(
        """INSERT INTO typed_responses (assessment_id, control_id, answer_type, value, na_reason,
                                        note, answered_by)
           VALUES (CAST(? AS UUID), ?, ?, ?, ?, ?, ?)""",
        [
            assessment_id,
            answer.control_id,
            answer_type,
            answer.value,
            answer.na_reason,
            answer.note,
            actor,
        ],
    )


def update_typed(
    cur: Cursor, assessment_id: str, answer: ReviewAnswer, actor: str, expected_version: int
) -> bool:
    row = cur.execute(
        """UPDATE typed_responses SET value = ?, na_reason = ?, note = ?, answered_by = ?,
               answered_at = current_timestamp, version = version + 1
           WHERE assessment_id = CAST(? AS UUID) AND control_id = ? AND version = ?
           RETURNING version""",
        [
            answer.value,
            answer.na_reason,
            answer.note,
            actor,
            assessment_id,
            answer.control_id,
            expected_version,
        ],
    ).fetchone()
    return row is not None


def bulk_insert_typed(cur: Cursor, rows: list[tuple[Any, ...]]) -> None:
    """(assessment_id, control_id, answer_type, value, na_reason, note, answered_by,
    answered_at) rows in one statement (demo data)."""
    if not rows:
        return
    columns = list(zip(*rows, strict=True))
    cur.execute(
        """INSERT INTO typed_responses (assessment_id, control_id, answer_type, value, na_reason,
                                        note, answered_by, answered_at)
           SELECT CAST(unnest($1) AS UUID), unnest($2), unnest($3), unnest($4), unnest($5),
                  unnest($6), unnest($7), CAST(unnest($8) AS TIMESTAMPTZ)""",
        [list(c) for c in columns],
    )


# --- imports: every answer of a workbook in two statements ----------------------------------
# A row per answer with its own audit entry costs ~20 ms; a questionnaire of 100 questions
# would take seconds. The import's single audit entry lists the answers instead.


def upsert_responses(
    cur: Cursor, assessment_id: str, answers: list[ReviewAnswer], actor: str
) -> None:
    """Insert or overwrite maturity answers (``responses``); an overwritten answer goes back
    to review (pending) with its version moved on."""
    if not answers:
        return
    cur.execute(
        """INSERT INTO responses (assessment_id, control_id, documented, implemented, na_reason,
                                  note, answered_by)
           SELECT CAST($id AS UUID), unnest($controls), unnest($documented),
                  unnest($implemented), unnest($reasons), unnest($notes), $actor
           ON CONFLICT (assessment_id, control_id) DO UPDATE SET
               documented = EXCLUDED.documented, implemented = EXCLUDED.implemented,
               na_reason = EXCLUDED.na_reason, note = EXCLUDED.note,
               answered_by = EXCLUDED.answered_by, answered_at = now(),
               review_state = 'pending', review_comment = NULL, reviewed_by = NULL,
               reviewed_at = NULL, version = responses.version + 1""",
        {
            "id": assessment_id,
            "controls": [a.control_id for a in answers],
            "documented": [a.documented for a in answers],
            "implemented": [a.implemented for a in answers],
            "reasons": [a.na_reason for a in answers],
            "notes": [a.note for a in answers],
            "actor": actor,
        },
    )


def upsert_typed(
    cur: Cursor, assessment_id: str, answers: list[tuple[str, ReviewAnswer]], actor: str
) -> None:
    """Insert or overwrite (answer type, answer) pairs in ``typed_responses``."""
    if not answers:
        return
    cur.execute(
        """INSERT INTO typed_responses (assessment_id, control_id, answer_type, value, na_reason,
                                        note, answered_by)
           SELECT CAST($id AS UUID), unnest($controls), unnest($types), unnest($values),
                  unnest($reasons), unnest($notes), $actor
           ON CONFLICT (assessment_id, control_id) DO UPDATE SET
               value = EXCLUDED.value, na_reason = EXCLUDED.na_reason, note = EXCLUDED.note,
               answered_by = EXCLUDED.answered_by, answered_at = now(),
               version = typed_responses.version + 1""",
        {
            "id": assessment_id,
            "controls": [a.control_id for _, a in answers],
            "types": [t for t, _ in answers],
            "values": [a.value for _, a in answers],
            "reasons": [a.na_reason for _, a in answers],
            "notes": [a.note for _, a in answers],
            "actor": actor,
        },
    )
