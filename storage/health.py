"""What the health check and ``kansa doctor`` ask of the database: does it answer, and are its
migrations the ones this Kansa ships."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from storage.db import Database
from storage.migrate import discover


@dataclass(frozen=True, slots=True)
class MigrationStatus:
    applied: int
    pending: tuple[str, ...]  # shipped, not applied yet (applied at the next start)
    changed: tuple[str, ...]  # applied, but the file has changed since (start-up refuses)
    unknown: tuple[int, ...]  # applied by a newer Kansa

    @property
    def current(self) -> bool:
        return not (self.pending or self.changed or self.unknown)


def ping(db: Database) -> bool:
    """True when the database answers a query."""
    try:
        with db.cursor() as cur:
            row = cur.execute("SELECT 1").fetchone()
    except duckdb.Error:
        return False
    return row == (1,)


def migration_status(db: Database) -> MigrationStatus:
    """The database's migrations against the files of this Kansa (reads only)."""
    shipped = discover()
    with db.cursor() as cur:
        exists = cur.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_migrations'"
            " AND schema_name = 'main'"
        ).fetchone()
        rows = (
            cur.execute("SELECT version, sha256 FROM schema_migrations").fetchall()
            if exists and exists[0]
            else []
        )
    applied = {int(v): str(s) for v, s in rows}
    names = {m.version: f"{m.version:04d}_{m.name}" for m in shipped}
    return MigrationStatus(
        applied=len(applied),
        pending=tuple(names[m.version] for m in shipped if m.version not in applied),
        changed=tuple(
            names[m.version]
            for m in shipped
            if m.version in applied and applied[m.version] != m.sha256
        ),
        unknown=tuple(sorted(set(applied) - set(names))),
    )


def table_exists(db: Database, table: str) -> bool:
    with db.cursor() as cur:
        row = cur.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND schema_name = 'main'",
            [table],
        ).fetchone()
    return bool(row and row[0])
