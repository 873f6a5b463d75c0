"""Catalogue use cases: validate and import files, browse and search controls, crosswalk."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from auth.model import Permission, Principal
from auth.permissions import public, requires
from auth.repository import append_audit
from controls import repository
from controls.model import (
    CatalogueSummary,
    ControlRow,
    DomainSummary,
    ImportResult,
    ImportStatus,
    LoadedCatalogue,
)
from core.errors import Conflict, Issue, NotFound, ValidationFailed
from core.settings import LIBRARY_DIR, PROJECT_ROOT
from storage.db import Database


def _display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


@public
def validate_files(paths: Iterable[Path]) -> list[LoadedCatalogue]:
    """Validate every file; raise one ``ValidationFailed`` with the issues of all of them."""
    from controls.loader import load_catalogue  # noqa: PLC0415 -- pydantic only when validating

    loaded: list[LoadedCatalogue] = []
    issues: list[Issue] = []
    for path in paths:
        try:
            loaded.append(load_catalogue(path, _display_name(path)))
        except ValidationFailed as exc:
            issues.extend(exc.issues)
    if issues:
        raise ValidationFailed(issues)
    return loaded


@requires(Permission.CATALOGUE_IMPORT)
def import_catalogue(db: Database, actor: Principal, loaded: LoadedCatalogue) -> ImportResult:
    """Store a validated catalogue as a new version; the same file again changes nothing.

    A stored version is frozen: the same URN and version with other content is refused, so an
    assessment pinned to that version can never see its text change.
    """
    cat = loaded.catalogue
    count = sum(1 for _, c in cat.controls() if c.assessable)
    with db.transaction() as cur:
        existing = repository.find_catalogue(cur, cat.urn, cat.version)
        if existing is not None:
            catalogue_id, sha = existing
            if sha != loaded.sha256:
                raise Conflict(
                    f"{loaded.source_file}: {cat.urn} version {cat.version} is already stored "
                    f"with different content (SHA-256 {sha[:12]}…, file {loaded.sha256[:12]}…). "
                    "A stored version never changes: give the edited file a new version."
                )
            return ImportResult(ImportStatus.UNCHANGED, catalogue_id, cat.urn, cat.version, count)
        catalogue_id = repository.insert_catalogue(
            cur, cat, sha256=loaded.sha256, source_file=loaded.source_file, actor=actor.username
        )
        append_audit(
            cur,
            actor=actor.username,
            action="catalogue.import",
            entity="catalogue",
            entity_id=catalogue_id,
            after={
                "urn": cat.urn,
                "version": cat.version,
                "sha256": loaded.sha256,
                "source_file": loaded.source_file,
                "control_count": count,
            },
        )
    return ImportResult(ImportStatus.IMPORTED, catalogue_id, cat.urn, cat.version, count)


@requires(Permission.CATALOGUE_IMPORT)
def import_file(db: Database, actor: Principal, path: Path) -> ImportResult:
    """Validate then import one file (two phases: nothing is written unless all is valid)."""
    (loaded,) = validate_files([path])
    return import_catalogue(db, actor, loaded)


def _library_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


@requires(Permission.CATALOGUE_IMPORT)
def sync_library(
    db: Database, actor: Principal, directory: Path = LIBRARY_DIR
) -> list[ImportResult]:
    """Import the shipped catalogues that are new; validate all of them before writing any.

    A file whose exact bytes are already stored is reported unchanged without re-validating
    it (that keeps every start of the app fast); any other file goes through full validation.
    """
    paths = _library_files(directory)
    with db.cursor() as cur:
        stored = repository.catalogues_by_sha256(cur, [_sha256(p) for p in paths])
    known = {p: stored[h] for p in paths if (h := _sha256(p)) in stored}
    loaded = validate_files(p for p in paths if p not in known)
    fresh = iter(import_catalogue(db, actor, item) for item in loaded)
    return [known[p] if p in known else next(fresh) for p in paths]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@requires(Permission.CATALOGUE_READ)
def list_catalogues(db: Database, actor: Principal) -> list[CatalogueSummary]:
    """Every stored catalogue version, newest version of each URN first."""
    with db.cursor() as cur:
        return repository.list_catalogues(cur)


@requires(Permission.CATALOGUE_READ)
def latest_catalogues(db: Database, actor: Principal) -> list[CatalogueSummary]:
    """The newest stored version of each catalogue."""
    seen: set[str] = set()
    latest: list[CatalogueSummary] = []
    for summary in list_catalogues(db, actor):
        if summary.urn not in seen:
            seen.add(summary.urn)
            latest.append(summary)
    return latest


@requires(Permission.CATALOGUE_READ)
def get_catalogue(db: Database, actor: Principal, catalogue_id: str) -> CatalogueSummary:
    with db.cursor() as cur:
        found = repository.get_catalogue(cur, catalogue_id)
    if found is None:
        raise NotFound(f"No catalogue with id {catalogue_id}")
    return found


@requires(Permission.CATALOGUE_READ)
def list_domains(db: Database, actor: Principal, catalogue_id: str) -> list[DomainSummary]:
    with db.cursor() as cur:
        return repository.list_domains(cur, catalogue_id)


@requires(Permission.CATALOGUE_READ)
def search_controls(
    db: Database,
    actor: Principal,
    catalogue_id: str,
    *,
    query: str = "",
    domains: Iterable[str] = (),
    key_only: bool = False,
) -> list[ControlRow]:
    """Controls matching every word of ``query`` in either language (ids and refs too)."""
    terms = [t for t in repository.fold(query[:200]).split() if t]
    with db.cursor() as cur:
        return repository.search_controls(
            cur, catalogue_id, folded_terms=terms, domains=list(domains), key_only=key_only
        )


@requires(Permission.CATALOGUE_READ)
def get_control(db: Database, actor: Principal, catalogue_id: str, control_id: str) -> ControlRow:
    with db.cursor() as cur:
        found = repository.get_control(cur, catalogue_id, control_id)
    if found is None:
        raise NotFound(f"No control {control_id} in catalogue {catalogue_id}")
    return found
