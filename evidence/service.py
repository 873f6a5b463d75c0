"""Adding, listing and verifying evidence."""

from __future__ import annotations

from datetime import date
from typing import BinaryIO

from assessments import repository as assessment_repository
from assessments import service as assessments
from assessments.model import Status
from auth.model import Permission, Principal
from auth.permissions import requires
from auth.repository import append_audit
from core.errors import Conflict, Issue, ValidationFailed
from evidence import repository
from evidence.model import EvidenceItem, VerifyReport
from evidence.store import EvidenceStore, clean_filename
from storage.db import Database


@requires(Permission.ASSESSMENT_ANSWER)
def add_evidence(
    db: Database,
    actor: Principal,
    store: EvidenceStore,
    *,
    assessment_id: str,
    control_id: str,
    filename: str,
    stream: BinaryIO,
    description: str | None = None,
    valid_until: str | None = None,
) -> EvidenceItem:
    """Store a file (once, whatever its name) and link it to a control of an open assessment."""
    name = clean_filename(filename)
    if valid_until:
        try:
            valid_until = date.fromisoformat(valid_until).isoformat()
        except ValueError:
            raise ValidationFailed(
                [Issue(name, 0, "valid_until", f"{valid_until[:20]!r} is not a date (YYYY-MM-DD)")]
            ) from None
    a = assessments.get_assessment(db, actor, assessment_id)  # visibility: auditees' own scope
    if a.status == Status.CLOSED:
        raise Conflict(f"{a.title} is closed: no evidence can be added.")
    with db.cursor() as cur:
        controls = {c for c, _, _ in assessment_repository.scored_controls(cur, a.catalogue_id)}
    if control_id not in controls:
        raise ValidationFailed([Issue(name, 0, "control_id", f"unknown control {control_id!r}")])
    stored = store.ingest(stream, name)  # the file exists before any row names it
    with db.transaction() as cur:
        new_file = repository.upsert_file(cur, stored, actor.username)
        link = repository.insert_link(
            cur,
            sha256=stored.sha256,
            assessment_id=a.id,
            control_id=control_id,
            filename=name,
            description=(description or "").strip()[:2000] or None,
            valid_until=valid_until,
            actor=actor.username,
        )
        if link is None:
            raise Conflict(f"{name} is already linked to {control_id} in this assessment.")
        append_audit(
            cur,
            actor=actor.username,
            action="evidence.add",
            entity="evidence",
            entity_id=link,
            after={
                "sha256": stored.sha256,
                "assessment_id": a.id,
                "control_id": control_id,
                "filename": name,
                "size": stored.size,
                "new_file": new_file,
            },
        )
    items = {i.link_id: i for i in list_evidence(db, actor, a.id)}
    return items[link]


@requires(Permission.ASSESSMENT_READ)
def list_evidence(db: Database, actor: Principal, assessment_id: str) -> list[EvidenceItem]:
    assessments.get_assessment(db, actor, assessment_id)
    with db.cursor() as cur:
        return repository.list_items(cur, assessment_id)


@requires(Permission.EVIDENCE_VERIFY)
def verify_store(db: Database, actor: Principal, store: EvidenceStore) -> VerifyReport:
    """Re-hash every stored file; report rows without files, corrupt and orphaned files."""
    with db.cursor() as cur:
        recorded = set(repository.file_hashes(cur))
    present = set(store.stored())
    corrupt = sorted(h for h in recorded & present if store.rehash(h) != h)
    return VerifyReport(
        checked=len(recorded | present),
        missing=tuple(sorted(recorded - present)),
        corrupt=tuple(corrupt),
        orphaned=tuple(sorted(present - recorded)),
    )
