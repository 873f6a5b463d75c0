"""Operations as use cases: back up, restore, check health.

Backups go through whichever process holds the database (see :mod:`storage.backup` for why):
the server's Backup page, or ``kansa backup`` when no server runs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from auth.model import Permission, Principal
from auth.permissions import public, requires
from auth.repository import append_audit
from core.errors import StorageError
from core.settings import Settings
from evidence import service as evidence
from evidence.store import EvidenceStore
from storage.backup import BackupResult, RestoreResult, restore_backup, write_backup
from storage.db import Database
from storage.health import migration_status, ping, table_exists

BACKUP_FOLDER = "backups"


@dataclass(frozen=True, slots=True)
class Check:
    """One line of ``kansa doctor``."""

    name: str
    ok: bool
    detail: str


@requires(Permission.SYSTEM_BACKUP)
def backup(
    db: Database,
    actor: Principal,
    settings: Settings,
    out: Path,
    *,
    with_evidence: bool,
    exclusive: bool = False,
) -> BackupResult:
    """A consistent backup of the database (and, if asked, the evidence) in ``out``; audited.

    ``exclusive``: the caller holds the only connection (the command line while the server is
    stopped), so the checkpointed file is archived as it is instead of copied row by row."""
    result = write_backup(
        db, settings.evidence_dir, out, with_evidence=with_evidence, exclusive=exclusive
    )
    with db.transaction() as cur:
        append_audit(
            cur,
            actor=actor.username,
            action="system.backup",
            entity="backup",
            entity_id=out.name,
            after={
                "file": out.name,
                "size": result.size,
                "with_evidence": with_evidence,
                "tables": len(result.tables),
                "evidence_files": result.evidence_files,
                "missing": len(result.missing),
                "corrupt": len(result.corrupt),
            },
        )
    return result


@requires(Permission.SYSTEM_BACKUP)
def backup_to_folder(
    db: Database,
    actor: Principal,
    settings: Settings,
    *,
    with_evidence: bool,
    now: datetime | None = None,
) -> BackupResult:
    """A backup named by its time in ``<data dir>/backups/`` (what the Backup page makes)."""
    moment = now or datetime.now(UTC)
    suffix = "-with-evidence" if with_evidence else ""
    name = f"kansa-backup-{moment:%Y%m%d-%H%M%S}{suffix}.tar"
    out = settings.data_dir / BACKUP_FOLDER / name
    return backup(db, actor, settings, out, with_evidence=with_evidence)


@public
def restore(archive: Path, data_dir: Path, *, evidence_from: Path | None = None) -> RestoreResult:
    """Restore a backup into a new or empty data folder (an operator's action at the command
    line: whoever may write the data folder may restore into it; no user exists there yet)."""
    return restore_backup(archive, data_dir, evidence_from=evidence_from)


def _font() -> Check:
    from reports.pdf.fonts import FontMissing, register_fonts  # noqa: PLC0415 -- ReportLab

    try:
        fonts = register_fonts()
    except FontMissing as exc:
        return Check("font", False, str(exc))
    return Check("font", True, f"Japanese font for PDF reports: {fonts.sans_path}")


def _migrations(db: Database) -> Check:
    status = migration_status(db)
    if status.current:
        return Check("migrations", True, f"current ({status.applied} applied)")
    problems = []
    if status.pending:
        problems.append(
            f"{len(status.pending)} pending ({', '.join(status.pending)}): `kansa init` or "
            "starting the server applies them"
        )
    if status.changed:
        problems.append(
            f"changed after being applied: {', '.join(status.changed)} (restore the original "
            "files; the server refuses to start)"
        )
    if status.unknown:
        problems.append(f"applied by a newer Kansa: {list(status.unknown)}")
    return Check("migrations", False, "; ".join(problems))


@requires(Permission.EVIDENCE_VERIFY)
def doctor(settings: Settings, actor: Principal) -> list[Check]:
    """Database, migrations, evidence store and PDF font: one check each (reads only)."""
    path = settings.db_path
    checks: list[Check] = []
    if not path.exists():
        checks.append(Check("database", False, f"no database at {path}: run `kansa init`"))
        return [*checks, _font()]
    try:
        db = Database(path)
    except StorageError as exc:
        hint = (
            " (while the server runs, its /healthz page reports on the database)"
            if "in use" in str(exc)
            else ""
        )
        checks.append(Check("database", False, f"{exc}{hint}"))
        return [*checks, _font()]
    with db:
        if not ping(db):
            checks.append(Check("database", False, f"{path} opens but does not answer"))
            return [*checks, _font()]
        size = path.stat().st_size / 1_048_576
        checks.append(Check("database", True, f"{path} opens ({size:.1f} MB)"))
        checks.append(_migrations(db))
        if table_exists(db, "evidence_files"):
            report = evidence.verify_store(db, actor, EvidenceStore.from_settings(settings))
            detail = (
                f"{report.checked} files checked: {len(report.missing)} missing, "
                f"{len(report.corrupt)} corrupt, {len(report.orphaned)} orphaned"
            )
            if not report.ok:
                detail += " (`kansa evidence verify` lists them)"
            checks.append(Check("evidence", report.ok, detail))
        else:
            checks.append(Check("evidence", False, "no evidence tables: run `kansa init`"))
    checks.append(_font())
    return checks


@public
def health(db: Database, settings: Settings) -> dict[str, str]:
    """A quick health summary for ``/healthz``: no sign-in, so no paths, names or counts."""
    database = "ok" if ping(db) else "failing"
    migrations = "unknown"
    if database == "ok":
        status = migration_status(db)
        migrations = "current" if status.current else "not current"
    store = settings.evidence_dir
    if not store.exists():
        evidence_state = "empty"  # a new installation: the folder appears with the first file
    elif store.is_dir() and os.access(store, os.W_OK):
        evidence_state = "ok"
    else:
        evidence_state = "not writable"
    from reports.pdf.fonts import FontMissing, register_fonts  # noqa: PLC0415 -- ReportLab

    try:
        register_fonts()
        font = "ok"
    except FontMissing:
        font = "missing"
    healthy = database == "ok" and migrations == "current" and evidence_state != "not writable"
    return {
        "status": "ok" if healthy else "failing",
        "database": database,
        "migrations": migrations,
        "evidence_store": evidence_state,
        "font": font,
    }
