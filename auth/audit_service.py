"""Reading, exporting and verifying the audit trail."""

from __future__ import annotations

from auth import repository
from auth.model import AuditEntry, Permission, Principal, VerifyResult
from auth.permissions import requires
from reports.csv_export import to_csv_bytes
from storage.db import Database

CSV_HEADER = ("seq", "at", "actor", "action", "entity", "entity_id", "before", "after", "hash")


@requires(Permission.AUDIT_LOG_READ)
def list_entries(
    db: Database,
    actor: Principal,
    *,
    person: str | None = None,
    entity: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 1000,
) -> list[AuditEntry]:
    """Entries newest first; ``since``/``until`` are dates (YYYY-MM-DD), both inclusive."""
    with db.cursor() as cur:
        return repository.list_audit(
            cur, actor=person, entity=entity, since=since, until=until, limit=limit
        )


@requires(Permission.AUDIT_LOG_READ)
def facets(db: Database, actor: Principal) -> tuple[list[str], list[str]]:
    """The people and entity kinds that occur in the trail."""
    with db.cursor() as cur:
        return repository.audit_facets(cur)


@requires(Permission.AUDIT_LOG_READ)
def export_csv(db: Database, actor: Principal, entries: list[AuditEntry]) -> bytes:
    """The given entries as CSV (UTF-8 with BOM, formula-guarded)."""
    return to_csv_bytes(
        CSV_HEADER,
        (
            (e.seq, e.at, e.actor, e.action, e.entity, e.entity_id, e.before, e.after, e.hash)
            for e in entries
        ),
    )


@requires(Permission.AUDIT_LOG_VERIFY)
def verify(db: Database, actor: Principal) -> VerifyResult:
    """Recompute the whole hash chain; name the first entry that does not fit."""
    with db.cursor() as cur:
        entries, broken = repository.verify_audit(cur)
    return VerifyResult(entries, broken)
