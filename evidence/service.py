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
from core.errors import Conflict, Issue, NotFound, ValidationFailed
from evidence import repository
from evidence.model import (
    CarryForward,
    EvidenceFilter,
    EvidenceItem,
    UnlinkedFile,
    UnsupportedAnswer,
    VerifyReport,
)
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


def _visible_ids(db: Database, actor: Principal) -> list[str]:
    return [a.id for a in assessments.list_assessments(db, actor)]


@requires(Permission.ASSESSMENT_READ)
def search_evidence(
    db: Database, actor: Principal, flt: EvidenceFilter, *, today: date | None = None
) -> list[EvidenceItem]:
    """Evidence of every assessment the actor can see that matches the filter."""
    if flt.expiring_within_days is not None and not 0 <= flt.expiring_within_days <= 3650:
        raise ValidationFailed(
            [Issue("filter", 0, "expiring_within_days", "give a number of days from 0 to 3650")]
        )
    ids = _visible_ids(db, actor)
    day = (today or date.today()).isoformat()
    with db.cursor() as cur:
        return repository.search_items(cur, flt, ids, day)


@requires(Permission.ASSESSMENT_READ)
def evidence_counts(db: Database, actor: Principal, assessment_id: str) -> dict[str, int]:
    """How many pieces of evidence back each control of an assessment."""
    assessments.get_assessment(db, actor, assessment_id)
    with db.cursor() as cur:
        return repository.counts_by_control(cur, assessment_id)


@requires(Permission.ASSESSMENT_READ)
def unsupported_answers(
    db: Database, actor: Principal, assessment_id: str | None = None
) -> list[UnsupportedAnswer]:
    """Answers at level 3 or above that no evidence backs (one assessment, or all visible)."""
    if assessment_id:
        ids = [assessments.get_assessment(db, actor, assessment_id).id]
    else:
        ids = _visible_ids(db, actor)
    with db.cursor() as cur:
        rows = repository.unsupported(cur, ids)
    return [UnsupportedAnswer(*r) for r in rows]


@requires(Permission.ASSESSMENT_READ)
def get_evidence(db: Database, actor: Principal, link_id: str) -> EvidenceItem:
    """One piece of evidence, if it belongs to an assessment the actor can see."""
    with db.cursor() as cur:
        item = repository.get_item(cur, link_id)
    if item is None:
        raise NotFound(f"No evidence {link_id[:40]}.")
    try:
        assessments.get_assessment(db, actor, item.assessment_id)
    except NotFound:
        raise NotFound(f"No evidence {link_id[:40]}.") from None
    return item


@requires(Permission.ASSESSMENT_READ)
def read_evidence(
    db: Database, actor: Principal, store: EvidenceStore, link_id: str
) -> tuple[EvidenceItem, bytes]:
    """The original bytes of a piece of evidence (for download and preview)."""
    item = get_evidence(db, actor, link_id)
    try:
        with store.open(item.sha256) as fh:
            return item, fh.read()
    except FileNotFoundError:
        raise NotFound(
            f"The file of {item.filename} is missing from the evidence store; "
            "an administrator should run `kansa evidence verify`."
        ) from None


@requires(Permission.ASSESSMENT_ANSWER)
def unlink_evidence(
    db: Database, actor: Principal, link_id: str, *, reason: str | None = None
) -> EvidenceItem:
    """Remove evidence from a control (the file stays until an admin purges it); audited."""
    item = get_evidence(db, actor, link_id)
    a = assessments.get_assessment(db, actor, item.assessment_id)
    if a.status == Status.CLOSED:
        raise Conflict(f"{a.title} is closed: its evidence can no longer be changed.")
    with db.transaction() as cur:
        if repository.get_item(cur, link_id) is None:
            raise Conflict(f"{item.filename} was already removed from {item.control_id}.")
        repository.delete_link(cur, link_id)
        append_audit(
            cur,
            actor=actor.username,
            action="evidence.unlink",
            entity="evidence",
            entity_id=link_id,
            before={
                "sha256": item.sha256,
                "assessment_id": item.assessment_id,
                "control_id": item.control_id,
                "filename": item.filename,
                "added_by": item.added_by,
            },
            after={"reason": (reason or "").strip()[:500] or None},
        )
    return item


@requires(Permission.EVIDENCE_PURGE)
def list_unlinked(db: Database, actor: Principal) -> list[UnlinkedFile]:
    """Stored files that no control links to any more."""
    with db.cursor() as cur:
        return repository.unlinked_files(cur)


@requires(Permission.EVIDENCE_PURGE)
def purge_unlinked(
    db: Database, actor: Principal, store: EvidenceStore, sha256s: list[str] | None = None
) -> list[str]:
    """Delete stored files that nothing links to (all of them, or the ones named); audited.

    The row goes first, then the bytes: a crash in between leaves a file without a row, which
    ``verify`` reports as orphaned and the next purge removes."""
    with db.cursor() as cur:
        candidates = {u.sha256 for u in repository.unlinked_files(cur)}
    wanted = candidates if sha256s is None else candidates & set(sha256s)
    orphans = set(store.stored()) - set(_recorded(db)) if sha256s is None else set()
    purged: list[str] = []
    for sha in sorted(wanted | orphans):
        with db.transaction() as cur:
            if sha in wanted and not repository.delete_file_row(cur, sha):
                continue  # linked again meanwhile: keep it
            append_audit(
                cur,
                actor=actor.username,
                action="evidence.purge",
                entity="evidence_file",
                entity_id=sha,
                before={"sha256": sha, "recorded": sha in wanted},
            )
        store.path_of(sha).unlink(missing_ok=True)
        purged.append(sha)
    return purged


def _recorded(db: Database) -> list[str]:
    with db.cursor() as cur:
        return repository.file_hashes(cur)


@requires(Permission.ASSESSMENT_ANSWER)
def carry_forward(
    db: Database,
    actor: Principal,
    assessment_id: str,
    *,
    source_assessment_id: str | None = None,
    today: date | None = None,
) -> CarryForward:
    """Link the evidence of an earlier assessment of the same scope to this one.

    Evidence whose valid-until date has passed is not carried (and is listed as expired);
    controls the target does not ask are skipped. Each link created is audited."""
    target = assessments.get_assessment(db, actor, assessment_id)
    if target.status == Status.CLOSED:
        raise Conflict(f"{target.title} is closed: no evidence can be added.")
    with db.cursor() as cur:
        source_id = source_assessment_id or repository.earlier_assessment(cur, target.id)
    if source_id is None:
        raise NotFound(f"No earlier assessment of {target.scope_unit} has evidence to carry.")
    source = assessments.get_assessment(db, actor, source_id)
    if source.id == target.id:
        raise ValidationFailed([Issue("carry", 0, "source", "choose an earlier assessment")])
    if source.scope_unit != target.scope_unit or source.catalogue_urn != target.catalogue_urn:
        raise ValidationFailed(
            [
                Issue(
                    "carry",
                    0,
                    "source",
                    "evidence is carried only within the same scope and catalogue",
                )
            ]
        )
    day = today or date.today()
    carried: list[str] = []
    expired: list[str] = []
    not_asked: list[str] = []
    already = 0
    with db.transaction() as cur:
        asked = {c for c, _, _ in assessment_repository.scored_controls(cur, target.catalogue_id)}
        for item in repository.list_items(cur, source.id):
            label = f"{item.control_id}: {item.filename}"
            if item.valid_until and date.fromisoformat(item.valid_until) < day:
                expired.append(label)
                continue
            if item.control_id not in asked:
                not_asked.append(label)
                continue
            link = repository.insert_link(
                cur,
                sha256=item.sha256,
                assessment_id=target.id,
                control_id=item.control_id,
                filename=item.filename,
                description=item.description,
                valid_until=item.valid_until,
                actor=actor.username,
            )
            if link is None:
                already += 1
                continue
            carried.append(label)
            append_audit(
                cur,
                actor=actor.username,
                action="evidence.carry_forward",
                entity="evidence",
                entity_id=link,
                after={
                    "sha256": item.sha256,
                    "assessment_id": target.id,
                    "control_id": item.control_id,
                    "filename": item.filename,
                    "from_assessment_id": source.id,
                },
            )
    return CarryForward(source.id, tuple(carried), tuple(expired), already, tuple(not_asked))
