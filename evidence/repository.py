"""SQL for evidence files and links."""

from __future__ import annotations

from typing import Any

from evidence.model import EvidenceItem, StoredFile
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


def list_items(cur: Cursor, assessment_id: str) -> list[EvidenceItem]:
    rows = cur.execute(
        """SELECT CAST(l.id AS VARCHAR), l.sha256, CAST(l.assessment_id AS VARCHAR), l.control_id,
                  l.filename, l.description, CAST(l.valid_until AS VARCHAR), f.size, f.media_type,
                  l.added_by, strftime(l.added_at, '%Y-%m-%d %H:%M')
           FROM evidence_links l JOIN evidence_files f ON f.sha256 = l.sha256
           WHERE l.assessment_id = TRY_CAST(? AS UUID)
           ORDER BY l.control_id, l.added_at""",
        [assessment_id],
    ).fetchall()
    return [_item(r) for r in rows]


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
