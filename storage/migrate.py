"""Numbered SQL migrations, recorded with each file's SHA-256.

``storage/migrations/NNNN_name.sql`` files are applied in order, all pending ones in one
transaction. A file that was applied and has since changed stops start-up with a message:
editing history would make databases disagree about their schema.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from core.errors import StorageError
from storage.db import Cursor, Database

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
)
"""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str
    sha256: str


def discover(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Every migration file in ``directory``, ordered; refuses gaps and duplicate numbers."""
    found: list[Migration] = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise StorageError(f"Migration file name {path.name} is not NNNN_name.sql")
        raw = path.read_bytes()
        found.append(
            Migration(
                version=int(match.group(1)),
                name=match.group(2),
                sql=raw.decode("utf-8"),
                sha256=hashlib.sha256(raw).hexdigest(),
            )
        )
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise StorageError(
            f"Migrations in {directory} must be numbered 0001, 0002, ...: {versions}"
        )
    return found


def _applied(cur: Cursor) -> dict[int, tuple[str, str]]:
    rows = cur.execute("SELECT version, name, sha256 FROM schema_migrations").fetchall()
    return {int(v): (str(n), str(s)) for v, n, s in rows}


def migrate(db: Database, directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Apply pending migrations; return those applied now (empty when up to date)."""
    migrations = discover(directory)
    with db.transaction() as cur:
        cur.execute(_BOOKKEEPING)
        applied = _applied(cur)
        for m in migrations:
            if m.version in applied and applied[m.version][1] != m.sha256:
                raise StorageError(
                    f"Migration {m.version:04d}_{m.name}.sql was changed after it was applied to "
                    f"{db.path} (recorded SHA-256 {applied[m.version][1][:12]}…, file now "
                    f"{m.sha256[:12]}…). Restore the original file and add a new migration instead."
                )
        unknown = sorted(set(applied) - {m.version for m in migrations})
        if unknown:
            raise StorageError(
                f"The database {db.path} has migrations this version of Kansa does not know "
                f"({unknown}); it was created by a newer Kansa."
            )
        pending = [m for m in migrations if m.version not in applied]
        for m in pending:
            cur.execute(m.sql)
            cur.execute(
                "INSERT INTO schema_migrations (version, name, sha256) VALUES (?, ?, ?)",
                [m.version, m.name, m.sha256],
            )
    return pending


def open_database(path: Path, *, directory: Path = MIGRATIONS_DIR) -> Database:
    """Open (creating if needed) and migrate the database at ``path``."""
    db = Database(path)
    try:
        migrate(db, directory)
    except BaseException:
        db.close()
        raise
    return db


_SHARED: dict[Path, Database] = {}
_SHARED_LOCK = threading.Lock()


def open_shared(path: Path) -> Database:
    """The process-wide database at ``path``, opened and migrated on first use.

    The Streamlit pages and the sign-in routes of the server share this one connection
    (DuckDB allows one writing process, and one connection per process keeps it simple).
    """
    key = path.resolve()
    with _SHARED_LOCK:
        db = _SHARED.get(key)
        if db is None:
            db = _SHARED[key] = open_database(key)
        return db
