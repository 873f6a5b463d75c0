"""SQL for users, sessions, sign-in attempts and the hash-chained audit log."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from auth.model import AuditEntry, Role, User
from storage.db import Cursor

GENESIS = "0" * 64

# The canonical JSON of an audit row: keys sorted, compact, UTF-8, built by DuckDB both when
# appending and when verifying. before/after enter as their stored text (JSON strings), not as
# re-rendered JSON values, so how a DuckDB version prints numbers can never change a hash, and
# anyone can recompute it with a standard JSON library from an export.
_ROW_JSON = """CAST(json_object(
    'action', action, 'actor', actor, 'after', CAST(after AS VARCHAR), 'at', "at",
    'before', CAST(before AS VARCHAR), 'entity', entity, 'entity_id', entity_id,
    'seq', seq) AS VARCHAR)"""
_HASH = f"sha256(prev_hash || {_ROW_JSON})"


def canonical_json(value: object) -> str:
    """JSON text with sorted keys and no spaces (what before/after are stored as)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


# --- audit log -----------------------------------------------------------------------------


def append_audit(
    cur: Cursor,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | None = None,
    before: object = None,
    after: object = None,
) -> int:
    """Append one entry chained to the last; call inside the transaction of the change."""
    row = cur.execute(
        f"""
        INSERT INTO audit_log
        WITH last AS (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1),
             new AS (
                SELECT COALESCE((SELECT seq FROM last), 0) + 1 AS seq,
                       ?::VARCHAR AS "at", ?::VARCHAR AS actor, ?::VARCHAR AS action,
                       ?::VARCHAR AS entity, ?::VARCHAR AS entity_id,
                       ?::JSON AS before, ?::JSON AS after,
                       COALESCE((SELECT hash FROM last), ?) AS prev_hash)
        SELECT seq, "at", actor, action, entity, entity_id, before, after, prev_hash, {_HASH}
        FROM new
        RETURNING seq
        """,  # noqa: S608 -- the f-string inserts only the constant hash expression
        [
            now_text(),
            actor,
            action,
            entity,
            entity_id,
            None if before is None else canonical_json(before),
            None if after is None else canonical_json(after),
            GENESIS,
        ],
    ).fetchone()
    if row is None:
        raise RuntimeError("audit append returned no row")
    return int(row[0])


def verify_audit(cur: Cursor) -> tuple[int, int | None]:
    """(entries checked, first broken seq or None).

    A row is broken when its hash does not match its content, its prev_hash is not the
    previous row's hash, or its seq does not follow the previous one (a deleted or
    re-ordered row). Runs as one query: DuckDB hashes every row in parallel.
    """
    row = cur.execute(
        f"""
        WITH chain AS (
            SELECT seq, hash, prev_hash, {_HASH} AS expected,
                   lag(hash) OVER (ORDER BY seq) AS previous_hash,
                   lag(seq) OVER (ORDER BY seq) AS previous_seq
            FROM audit_log)
        SELECT count(*),
               min(seq) FILTER (WHERE hash IS DISTINCT FROM expected
                                 OR prev_hash IS DISTINCT FROM COALESCE(previous_hash, ?)
                                 OR seq IS DISTINCT FROM COALESCE(previous_seq + 1, 1))
        FROM chain
        """,  # noqa: S608 -- constant expression only
        [GENESIS],
    ).fetchone()
    if row is None:
        return 0, None
    return int(row[0]), (None if row[1] is None else int(row[1]))


def list_audit(
    cur: Cursor,
    *,
    actor: str | None = None,
    entity: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 1000,
) -> list[AuditEntry]:
    """Entries newest first, filtered by actor, entity and an inclusive date range (YYYY-MM-DD)."""
    sql = "SELECT * FROM audit_log WHERE true"
    params: list[Any] = []
    if actor:
        sql += " AND actor = ?"
        params.append(actor)
    if entity:
        sql += " AND entity = ?"
        params.append(entity)
    if since:
        sql += ' AND "at" >= ?'
        params.append(since)
    if until:
        sql += ' AND "at" < CAST(CAST(? AS DATE) + INTERVAL 1 DAY AS VARCHAR)'
        params.append(until)
    sql += " ORDER BY seq DESC LIMIT ?"
    params.append(limit)
    return [
        AuditEntry(
            seq=int(r[0]),
            at=str(r[1]),
            actor=str(r[2]),
            action=str(r[3]),
            entity=str(r[4]),
            entity_id=r[5],
            before=r[6],
            after=r[7],
            prev_hash=str(r[8]),
            hash=str(r[9]),
        )
        for r in cur.execute(sql, params).fetchall()
    ]


def audit_facets(cur: Cursor) -> tuple[list[str], list[str]]:
    """The distinct actors and entities in the log (for filter choices)."""
    actors = [
        str(r[0]) for r in cur.execute("SELECT DISTINCT actor FROM audit_log ORDER BY 1").fetchall()
    ]
    entities = [
        str(r[0])
        for r in cur.execute("SELECT DISTINCT entity FROM audit_log ORDER BY 1").fetchall()
    ]
    return actors, entities


# --- users ---------------------------------------------------------------------------------

_USER_COLUMNS = """CAST(id AS VARCHAR), username, display_name, role, org_unit_code, active,
    version, strftime(created_at, '%Y-%m-%d %H:%M'), password_hash IS NULL"""


def _user(row: tuple[Any, ...]) -> User:
    return User(
        id=str(row[0]),
        username=str(row[1]),
        display_name=str(row[2]),
        role=Role(row[3]),
        org_unit_code=row[4],
        active=bool(row[5]),
        version=int(row[6]),
        created_at=str(row[7]),
        sso_only=bool(row[8]),
    )


def insert_user(
    cur: Cursor,
    *,
    username: str,
    display_name: str,
    role: Role,
    org_unit_code: str | None,
    password_hash: str | None,
) -> User:
    row = cur.execute(
        f"""INSERT INTO users (username, display_name, role, org_unit_code, password_hash)
            VALUES (?, ?, ?, ?, ?) RETURNING {_USER_COLUMNS}""",  # noqa: S608 -- constant columns
        [username, display_name, role.value, org_unit_code, password_hash],
    ).fetchone()
    if row is None:
        raise RuntimeError("INSERT ... RETURNING returned no row")
    return _user(row)


def find_user(cur: Cursor, username: str) -> User | None:
    row = cur.execute(
        f"SELECT {_USER_COLUMNS} FROM users WHERE username = ?",  # noqa: S608 -- constant columns
        [username],
    ).fetchone()
    return _user(row) if row else None


def password_hash(cur: Cursor, username: str) -> tuple[User, str | None] | None:
    row = cur.execute(
        f"SELECT {_USER_COLUMNS}, password_hash FROM users WHERE username = ?",  # noqa: S608
        [username],
    ).fetchone()
    return (_user(row), row[9]) if row else None


def list_users(cur: Cursor) -> list[User]:
    rows = cur.execute(
        f"SELECT {_USER_COLUMNS} FROM users ORDER BY active DESC, username"  # noqa: S608
    ).fetchall()
    return [_user(r) for r in rows]


def update_user(
    cur: Cursor,
    user_id: str,
    expected_version: int,
    *,
    role: Role | None = None,
    org_unit_code: str | None = None,
    active: bool | None = None,
    password_hash: str | None = None,
) -> User | None:
    """Change the given fields if the row still has ``expected_version``; None if it moved on."""
    row = cur.execute(
        f"""UPDATE users SET
                role = COALESCE(?, role),
                org_unit_code = CASE WHEN ? THEN ? ELSE org_unit_code END,
                active = COALESCE(?, active),
                password_hash = COALESCE(?, password_hash),
                version = version + 1,
                updated_at = current_timestamp
            WHERE id = CAST(? AS UUID) AND version = ?
            RETURNING {_USER_COLUMNS}""",  # noqa: S608 -- constant columns
        [
            None if role is None else role.value,
            org_unit_code is not None,
            org_unit_code or None,
            active,
            password_hash,
            user_id,
            expected_version,
        ],
    ).fetchone()
    return _user(row) if row else None


# --- sessions and sign-in attempts ---------------------------------------------------------


def insert_session(cur: Cursor, session_id: str, user_id: str, hours: float, client: str) -> None:
    cur.execute(
        """INSERT INTO sessions (id, user_id, expires_at, client)
           VALUES (?, CAST(? AS UUID),
                   current_timestamp + to_microseconds(CAST(? AS BIGINT)), ?)""",
        [session_id, user_id, int(hours * 3_600_000_000), client],
    )


def session_user(cur: Cursor, session_id: str) -> User | None:
    """The active user of a live session (not ended, not expired)."""
    row = cur.execute(
        f"""SELECT {_USER_COLUMNS} FROM users
            WHERE id = (SELECT user_id FROM sessions
                        WHERE id = ? AND ended_at IS NULL AND expires_at > current_timestamp)
              AND active""",  # noqa: S608 -- constant columns
        [session_id],
    ).fetchone()
    return _user(row) if row else None


def end_session(cur: Cursor, session_id: str) -> bool:
    row = cur.execute(
        "UPDATE sessions SET ended_at = current_timestamp WHERE id = ? AND ended_at IS NULL "
        "RETURNING id",
        [session_id],
    ).fetchone()
    return row is not None


def end_user_sessions(cur: Cursor, user_id: str) -> None:
    cur.execute(
        "UPDATE sessions SET ended_at = current_timestamp "
        "WHERE user_id = CAST(? AS UUID) AND ended_at IS NULL",
        [user_id],
    )


def record_attempt(cur: Cursor, username: str, client: str, success: bool) -> None:
    cur.execute(
        "INSERT INTO login_attempts (username, client, success) VALUES (?, ?, ?)",
        [username, client, success],
    )


def recent_failures(cur: Cursor, username: str, client: str, minutes: int) -> tuple[int, int]:
    """Failed attempts in the last ``minutes`` for this username and for this client."""
    row = cur.execute(
        """SELECT count(*) FILTER (WHERE username = ?), count(*) FILTER (WHERE client = ?)
           FROM login_attempts
           WHERE NOT success AND "at" > current_timestamp - to_minutes(CAST(? AS BIGINT))""",
        [username, client, minutes],
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)
