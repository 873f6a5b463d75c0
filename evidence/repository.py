"""SQL for evidence files and links."""

from __future__ import annotations

from typing import Any

from evidence.model import EvidenceFilter, EvidenceItem, StoredFile, UnlinkedFile
from storage.db import Cursor


def upsert_file(cur: Cursor, stored: StoredFile, actor: str) -> bool:
    """Record a stored file once; False when it was already recorded (deduplicated)."""
    row = cur.execute(
        """INSERT INTO evidence_files (sha256, size, media_type, stored_by) VALUES (?, ?, ?, ?)
           ON CONFLICT DO NOTHING RETURNING sha256""",
        [stored.sha256, stored.size, stored.media_type, actor],
    ).fetchone()
    return row is not None


def insert_link(
    cur: Cursor,
    *,
    sha256: str,
    assessment_id: str,
    control_id: str,
    filename: str,
    description: str | None,
    valid_until: str | None,
    actor: str,
) -> str | None:
    """Link a file to a control; None when that file is already linked there."""
    row = cur.execute(
        """INSERT INTO evidence_links (sha256, assessment_id, control_id, filename, description,
                                       valid_until, added_by)
           VALUES (?, CAST(? AS UUID), ?, ?, ?, CAST(? AS DATE), ?)
           ON CONFLICT DO NOTHING RETURNING CAST(id AS VARCHAR)""",
        [sha256, assessment_id, control_id, filename, description, valid_until, actor],
    ).fetchone()
    return str(row[0]) if row else None


_ITEM = """
    SELECT CAST(l.id AS VARCHAR), l.sha256, CAST(l.assessment_id AS VARCHAR), l.control_id,
           l.filename, l.description, CAST(l.valid_until AS VARCHAR), f.size, f.media_type,
           l.added_by, strftime(l.added_at, '%Y-%m-%d %H:%M')
    FROM evidence_links l JOIN evidence_files f ON f.sha256 = l.sha256
"""


def list_items(cur: Cursor, assessment_id: str) -> list[EvidenceItem]:
    rows = cur.execute(
        _ITEM + " WHERE l.assessment_id = TRY_CAST(? AS UUID) ORDER BY l.control_id, l.added_at",
        [assessment_id],
    ).fetchall()
    return [_item(r) for r in rows]


def get_item(cur: Cursor, link_id: str) -> EvidenceItem | None:
    row = cur.execute(_ITEM + " WHERE l.id = TRY_CAST(? AS UUID)", [link_id]).fetchone()
    return _item(row) if row else None


def search_items(
    cur: Cursor, flt: EvidenceFilter, assessment_ids: list[str], today: str
) -> list[EvidenceItem]:
    """Links of the given assessments that match the filter, newest first."""
    where = ["list_contains(?, CAST(l.assessment_id AS VARCHAR))"]
    params: list[Any] = [assessment_ids]
    if flt.assessment_id:
        where.append("l.assessment_id = TRY_CAST(? AS UUID)")
        params.append(flt.assessment_id)
    if flt.control_id:
        where.append("l.control_id = ?")
        params.append(flt.control_id)
    if flt.media_type:
        where.append("f.media_type = ?")
        params.append(flt.media_type)
    if flt.added_by:
        where.append("l.added_by = ?")
        params.append(flt.added_by)
    if flt.expired:
        where.append("l.valid_until < CAST(? AS DATE)")
        params.append(today)
    if flt.expiring_within_days is not None:
        where.append(
            "l.valid_until BETWEEN CAST(? AS DATE) "
            "AND CAST(? AS DATE) + to_days(CAST(? AS INTEGER))"
        )
        params += [today, today, flt.expiring_within_days]
    rows = cur.execute(
        _ITEM + " WHERE " + " AND ".join(where) + " ORDER BY l.added_at DESC, l.control_id",
        params,
    ).fetchall()
    return [_item(r) for r in rows]


def counts_by_control(cur: Cursor, assessment_id: str) -> dict[str, int]:
    rows = cur.execute(
        """SELECT control_id, count(*) FROM evidence_links
           WHERE assessment_id = TRY_CAST(? AS UUID) GROUP BY control_id""",
        [assessment_id],
    ).fetchall()
    return {str(c): int(n) for c, n in rows}


def unsupported(cur: Cursor, assessment_ids: list[str]) -> list[tuple[str, str, str, int, int]]:
    """Answers with min(D, I) >= 3 and no evidence linked: (assessment, title, control, D, I)."""
    rows = cur.execute(
        """SELECT CAST(r.assessment_id AS VARCHAR), a.title, r.control_id, r.documented,
                  r.implemented
           FROM responses r JOIN assessments a ON a.id = r.assessment_id
           WHERE list_contains(?, CAST(r.assessment_id AS VARCHAR))
             AND r.na_reason IS NULL AND least(r.documented, r.implemented) >= 3
             AND NOT EXISTS (SELECT 1 FROM evidence_links l
                             WHERE l.assessment_id = r.assessment_id
                               AND l.control_id = r.control_id)
           ORDER BY a.period_start DESC NULLS LAST, a.title, r.control_id""",
        [assessment_ids],
    ).fetchall()
    return [(str(a), str(t), str(c), int(d), int(i)) for a, t, c, d, i in rows]


def delete_link(cur: Cursor, link_id: str) -> None:
    cur.execute("DELETE FROM evidence_links WHERE id = TRY_CAST(? AS UUID)", [link_id])


def unlinked_files(cur: Cursor) -> list[UnlinkedFile]:
    """Stored files that no control and no finding refers to, with the name they were last
    added under."""
    rows = cur.execute(
        """WITH unlinked AS (
               SELECT f.* FROM evidence_files f
               WHERE NOT EXISTS (SELECT 1 FROM evidence_links l WHERE l.sha256 = f.sha256)
                 AND NOT EXISTS (SELECT 1 FROM finding_evidence e WHERE e.sha256 = f.sha256)
           ),
           names AS (
               SELECT json_extract_string(after, '$.sha256') AS sha256,
                      arg_max(json_extract_string(after, '$.filename'), seq) AS filename
               FROM audit_log WHERE action = 'evidence.add' GROUP BY 1
           )
           SELECT u.sha256, u.size, u.media_type, u.stored_by,
                  strftime(u.stored_at, '%Y-%m-%d %H:%M'), n.filename
           FROM unlinked u LEFT JOIN names n ON n.sha256 = u.sha256
           ORDER BY u.stored_at""",
    ).fetchall()
    return [UnlinkedFile(r[0], int(r[1]), r[2], r[3], r[4], r[5]) for r in rows]


def delete_file_row(cur: Cursor, sha256: str) -> bool:
    """Forget a file nothing refers to; False when a control or finding uses it (or unknown)."""
    row = cur.execute(
        """DELETE FROM evidence_files f WHERE f.sha256 = ?
             AND NOT EXISTS (SELECT 1 FROM evidence_links l WHERE l.sha256 = f.sha256)
             AND NOT EXISTS (SELECT 1 FROM finding_evidence e WHERE e.sha256 = f.sha256)
           RETURNING sha256""",
        [sha256],
    ).fetchone()
    return row is not None


def earlier_assessment(cur: Cursor, assessment_id: str) -> str | None:
    """The most recent other assessment of the same scope and catalogue that has evidence."""
    row = cur.execute(
        """SELECT CAST(p.id AS VARCHAR)
           FROM assessments a
           JOIN catalogues ca ON ca.id = a.catalogue_id
           JOIN assessments p ON p.scope_unit = a.scope_unit AND p.id <> a.id
           JOIN catalogues cp ON cp.id = p.catalogue_id AND cp.urn = ca.urn
           WHERE a.id = TRY_CAST(? AS UUID)
             AND coalesce(p.period_start, CAST(p.created_at AS DATE))
                 <= coalesce(a.period_start, CAST(a.created_at AS DATE))
             AND EXISTS (SELECT 1 FROM evidence_links l WHERE l.assessment_id = p.id)
           ORDER BY coalesce(p.period_start, CAST(p.created_at AS DATE)) DESC, p.created_at DESC
           LIMIT 1""",
        [assessment_id],
    ).fetchone()
    return str(row[0]) if row else None


def _item(r: tuple[Any, ...]) -> EvidenceItem:
    return EvidenceItem(
        link_id=r[0],
        sha256=r[1],
        assessment_id=r[2],
        control_id=r[3],
        filename=r[4],
        description=r[5],
        valid_until=r[6],
        size=int(r[7]),
        media_type=r[8],
        added_by=r[9],
        added_at=r[10],
    )


def file_hashes(cur: Cursor) -> list[str]:
    return [str(r[0]) for r in cur.execute("SELECT sha256 FROM evidence_files").fetchall()]
