"""Backups of a Kansa data folder, and restoring one into an empty folder.

Why it works this way
---------------------
DuckDB lets one process open the database file (even a read-only open from a second process
is refused), and the running Streamlit server is that process. A backup therefore always goes
through the connection of the process that holds the file:

- the server's Backup page (admin) calls :func:`write_backup` with the server's own
  connection: ``ATTACH`` a new file, ``COPY FROM DATABASE`` into it and count the rows of every
  table on both sides, all inside one transaction. DuckDB's MVCC gives that transaction one
  snapshot, so the copy is consistent while people keep working (their writes simply are not
  in it) and nobody is blocked;
- ``kansa backup`` does the same through its own connection when no server runs; while one
  runs, opening the file fails and the command says to use the Backup page instead (or to stop
  the server). Copying the database file with ``cp`` is never safe while it is open: DuckDB
  may be mid-checkpoint, and recent commits may live only in the ``.wal`` file.

Evidence files are immutable and named by their SHA-256, so they need no snapshot: the backup
takes exactly the files the copied ``evidence_files`` rows name (a file uploaded after the
snapshot has no row in the copy and is not needed).

The backup file
---------------
One uncompressed tar (evidence is mostly PDFs and images that do not compress; plain tar
streams at disk speed and opens with any tool)::

    kansa-backup/kansa.duckdb             the consistent copy
    kansa-backup/evidence/<aa>/<sha256>   every evidence file (``--with-evidence`` only)
    kansa-backup/manifest.json            last: format, time, migrations, row counts per
                                          table, the database's SHA-256, every evidence file
                                          with SHA-256 and size (missing / corrupt ones listed)

The manifest comes last so a file cut short anywhere is detected: no manifest, or a member
that ends early. The tar is written to a temporary file beside the target, fsynced and renamed
into place, so ``--out`` never names half a backup.

Restoring
---------
:func:`restore_backup` restores only into a folder that is new or empty. It extracts into a
temporary folder beside the target (plain files with names it expects; nothing else from the
archive is trusted, so no path can escape), checks the database copy's SHA-256, opens it and
compares every table's row count with the manifest, re-hashes every evidence file against its
name, and only then renames the temporary folder to the target in one step. On any failure the
temporary folder is removed and the target is left exactly as it was. The session signing key
(``session.key``) is not in a backup: a restored server makes a new one and everybody signs in
again.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import tarfile
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import duckdb

from core.errors import StorageError
from storage.db import Cursor, Database
from storage.migrate import discover

FORMAT = "kansa-backup/1"
ROOT = "kansa-backup"
DB_NAME = "kansa.duckdb"
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
MAX_MANIFEST = 256 * 1024 * 1024
_EVIDENCE = re.compile(r"^kansa-backup/evidence/([0-9a-f]{2})/([0-9a-f]{64})$")
_SHA = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    size: int
    tables: dict[str, int]
    database_bytes: int
    evidence_files: int  # files the database names
    evidence_bytes: int
    with_evidence: bool
    missing: tuple[str, ...] = ()  # named by the database, not in the store
    corrupt: tuple[str, ...] = ()  # in the store, but its bytes no longer hash to its name
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class RestoreResult:
    data_dir: Path
    created_at: str
    tables: dict[str, int]
    evidence_files: int
    evidence_bytes: int
    evidence_restored: bool
    skipped_corrupt: tuple[str, ...] = field(default=())


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _tables(cur: Cursor, database: str) -> list[str]:
    rows = cur.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main'"
        " AND NOT temporary ORDER BY table_name",
        [database],
    ).fetchall()
    return [str(r[0]) for r in rows]


def _count(cur: Cursor, database: str, table: str) -> int:
    sql = f"SELECT count(*) FROM {_quote(database)}.main.{_quote(table)}"  # noqa: S608 -- quoted catalog names
    row = cur.execute(sql).fetchone()
    return int(row[0]) if row else 0


def snapshot(db: Database, target: Path) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Copy the database into the new file ``target`` as of one moment.

    Returns the row count of every table (checked equal on both sides) and the evidence files
    the copy names, as (sha256, size).
    """
    alias = f"kansa_backup_{secrets.token_hex(6)}"
    with db.cursor() as cur:
        row = cur.execute("SELECT current_database()").fetchone()
        source = str(row[0]) if row else "main"
        cur.execute(f"ATTACH {_literal(str(target))} AS {alias}")
        try:
            cur.begin()
            try:
                cur.execute(f"COPY FROM DATABASE {_quote(source)} TO {alias}")
                counts: dict[str, int] = {}
                for table in _tables(cur, source):
                    here, there = _count(cur, source, table), _count(cur, alias, table)
                    if here != there:
                        raise StorageError(
                            f"The backup copy of table {table} has {there} rows, the database "
                            f"{here}: the backup was not written."
                        )
                    counts[table] = here
                evidence: list[tuple[str, int]] = []
                if "evidence_files" in counts:
                    evidence = [
                        (str(sha), int(size))
                        for sha, size in cur.execute(
                            f"SELECT sha256, size FROM {alias}.main.evidence_files ORDER BY sha256"  # noqa: S608
                        ).fetchall()
                    ]
                cur.commit()
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    cur.rollback()
                raise
        except duckdb.Error as exc:
            raise StorageError(f"The database could not be copied: {exc}") from exc
        finally:
            with contextlib.suppress(duckdb.Error):
                cur.execute(f"DETACH {alias}")
    return counts, evidence


class _Hashing(io.RawIOBase):
    """A reader that hashes what passes through it."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self.raw = raw
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        return data


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _member(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime)
    info.mode = 0o600
    return info


def exclusive_snapshot(db: Database) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Make the database file itself a consistent copy: CHECKPOINT folds the write-ahead log
    into it. Only for a process that holds the only connection and writes nothing meanwhile
    (``kansa backup`` with the server stopped); the file can then be read as it is."""
    with db.cursor() as cur:
        cur.execute("CHECKPOINT")
        name = _db_name(cur)
        counts = {t: _count(cur, name, t) for t in _tables(cur, name)}
        evidence: list[tuple[str, int]] = []
        if "evidence_files" in counts:
            evidence = [
                (str(sha), int(size))
                for sha, size in cur.execute(
                    "SELECT sha256, size FROM evidence_files ORDER BY sha256"
                ).fetchall()
            ]
    return counts, evidence


def _stored(evidence_root: Path) -> list[tuple[str, Path]]:
    """Every complete file in the store (names checked), as (sha256, path)."""
    if not evidence_root.is_dir():
        return []
    return [
        (p.name, p)
        for folder in sorted(evidence_root.iterdir())
        if len(folder.name) == 2 and folder.is_dir()
        for p in sorted(folder.iterdir())
        if _SHA.match(p.name) and p.name.startswith(folder.name)
    ]


@dataclass(slots=True)
class _Writing:
    """What went into the tar so far."""

    tar: tarfile.TarFile
    added: dict[str, bool] = field(default_factory=dict)  # sha256 -> bytes match the name

    def evidence(self, sha: str, path: Path) -> None:
        if sha not in self.added:
            self.added[sha] = _add_evidence(self.tar, path, sha)

    def database(self, path: Path, mtime: float) -> tuple[int, str]:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            reader = _Hashing(fh)  # hashed on its way into the tar: read once
            self.tar.addfile(_member(f"{ROOT}/{DB_NAME}", size, mtime), reader)
        return size, reader.digest.hexdigest()


def write_backup(
    db: Database,
    evidence_root: Path,
    out: Path,
    *,
    with_evidence: bool,
    exclusive: bool = False,
    created_at: datetime | None = None,
) -> BackupResult:
    """Write a backup of ``db`` (and, if asked, the evidence under ``evidence_root``) to ``out``.

    ``exclusive``: this process holds the only connection and nothing else writes (the command
    line with the server stopped): the checkpointed file is archived as it is. Otherwise (the
    server) the database is copied by :func:`snapshot` on a worker thread while the evidence
    files already in the store go into the tar; files the copy names that arrived meanwhile
    follow, and files in the tar that the copy does not name are listed as ``extra`` (a
    restore leaves them out).
    """
    start = time.perf_counter()
    out = out.absolute()
    if out.is_dir():
        raise StorageError(f"{out} is a folder: give the name of the backup file to write.")
    out.parent.mkdir(parents=True, exist_ok=True)
    moment = (created_at or datetime.now(UTC)).astimezone(UTC)
    work = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial"))
    try:
        partial = work / "backup.tar"
        with partial.open("wb") as raw:
            with tarfile.TarFile(
                fileobj=raw, mode="w", format=tarfile.PAX_FORMAT, copybufsize=CHUNK
            ) as tar:
                writing = _Writing(tar)
                if exclusive:
                    tables, evidence = exclusive_snapshot(db)
                    db_size, db_sha = writing.database(db.path, moment.timestamp())
                else:
                    db_copy = work / DB_NAME
                    with ThreadPoolExecutor(1, thread_name_prefix="kansa-backup") as pool:
                        copying = pool.submit(snapshot, db, db_copy)
                        if with_evidence:
                            for sha, path in _stored(evidence_root):
                                writing.evidence(sha, path)
                        tables, evidence = copying.result()
                    db_size, db_sha = writing.database(db_copy, moment.timestamp())
                    db_copy.unlink()  # the tar holds it now
                missing: list[str] = []
                files: list[dict[str, Any]] = []
                for sha, size in evidence:
                    path = evidence_root / sha[:2] / sha
                    if not _SHA.match(sha) or not (sha in writing.added or path.is_file()):
                        missing.append(sha)
                        continue
                    files.append({"sha256": sha, "size": size})
                    if with_evidence:
                        writing.evidence(sha, path)
                named = {sha for sha, _ in evidence}
                corrupt = sorted(sha for sha, ok in writing.added.items() if not ok)
                manifest = {
                    "format": FORMAT,
                    "created_at": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "migrations": [[m.version, m.name, m.sha256] for m in discover()],
                    "database": {"file": DB_NAME, "size": db_size, "sha256": db_sha},
                    "tables": tables,
                    "evidence": {
                        "included": with_evidence,
                        "files": files,
                        "missing": missing,
                        "corrupt": [sha for sha in corrupt if sha in named],
                        "extra": sorted(set(writing.added) - named),
                    },
                }
                body = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
                tar.addfile(
                    _member(f"{ROOT}/{MANIFEST}", len(body), moment.timestamp()),
                    io.BytesIO(body),
                )
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, out)
        _fsync_dir(out.parent)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BackupResult(
        path=out,
        size=out.stat().st_size,
        tables=tables,
        database_bytes=db_size,
        evidence_files=len(evidence),
        evidence_bytes=sum(int(f["size"]) for f in files),
        with_evidence=with_evidence,
        missing=tuple(missing),
        corrupt=tuple(sha for sha in corrupt if sha in named),
        seconds=time.perf_counter() - start,
    )


def _add_evidence(tar: tarfile.TarFile, path: Path, sha: str) -> bool:
    """Add one evidence file, hashing it on the way; False when its bytes do not match."""
    with path.open("rb") as fh:
        stat = os.fstat(fh.fileno())
        reader = _Hashing(fh)
        tar.addfile(
            _member(f"{ROOT}/evidence/{sha[:2]}/{sha}", stat.st_size, stat.st_mtime), reader
        )
    return reader.digest.hexdigest() == sha


# --- restore ---------------------------------------------------------------------------------


def _check_target(data_dir: Path) -> None:
    if data_dir.exists():
        if not data_dir.is_dir():
            raise StorageError(f"{data_dir} is a file: restore into a new or empty folder.")
        if any(data_dir.iterdir()):
            raise StorageError(
                f"{data_dir} is not empty: a backup is restored only into a new or empty folder "
                "(nothing there was changed). Choose another folder, or move its contents away."
            )


def _truncated(archive: Path, detail: str) -> StorageError:
    return StorageError(
        f"{archive} is not a complete Kansa backup ({detail}); nothing was restored."
    )


def _copy_out(source: IO[bytes], target: Path) -> tuple[str, int]:
    """Write ``source`` to the new file ``target``; its SHA-256 and size."""
    digest = hashlib.sha256()
    size = 0
    with target.open("xb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


@dataclass(slots=True)
class _Extracted:
    manifest: dict[str, Any] | None = None
    database: tuple[str, int] | None = None
    evidence: dict[str, str] = field(default_factory=dict)  # name -> sha256 of the bytes


def _members(tar: tarfile.TarFile, archive: Path) -> Iterator[tarfile.TarInfo]:
    try:
        yield from tar
    except (tarfile.ReadError, EOFError) as exc:
        raise _truncated(archive, f"the archive ends early: {exc}") from exc


def _extract(archive: Path, staging: Path) -> _Extracted:
    try:
        tar = tarfile.open(archive, mode="r:")  # noqa: SIM115 -- closed below
    except (tarfile.ReadError, EOFError) as exc:
        raise StorageError(
            f"{archive} is not a Kansa backup (not a tar archive: {exc}); nothing was restored."
        ) from exc
    except OSError as exc:
        raise StorageError(f"cannot read {archive}: {exc.strerror}") from exc
    found = _Extracted()
    with tar:
        for member in _members(tar, archive):
            name = member.name
            if not member.isfile():
                raise StorageError(
                    f"{archive} holds {name!r}, which is not a plain file: not a Kansa backup; "
                    "nothing was restored."
                )
            source = tar.extractfile(member)
            if source is None:  # pragma: no cover - isfile() members always have data
                continue
            try:
                if name == f"{ROOT}/{MANIFEST}":
                    if member.size > MAX_MANIFEST:
                        raise _truncated(archive, "the manifest is implausibly large")
                    found.manifest = json.loads(source.read().decode("utf-8"))
                elif name == f"{ROOT}/{DB_NAME}" and found.database is None:
                    found.database = _copy_out(source, staging / DB_NAME)
                elif (match := _EVIDENCE.match(name)) and match.group(2) not in found.evidence:
                    folder = staging / "evidence" / match.group(1)
                    folder.mkdir(parents=True, exist_ok=True)
                    found.evidence[match.group(2)] = _copy_out(source, folder / match.group(2))[0]
                else:
                    raise StorageError(
                        f"{archive} holds {name!r}, which does not belong in a Kansa backup; "
                        "nothing was restored."
                    )
            except (tarfile.ReadError, EOFError) as exc:
                raise _truncated(archive, f"{name} ends early") from exc
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise _truncated(archive, "the manifest cannot be read") from exc
    return found


def _verify_database(path: Path, manifest: dict[str, Any], archive: Path) -> dict[str, int]:
    known = {m.version: m.sha256 for m in discover()}
    try:
        db = Database(path, read_only=True)
    except StorageError as exc:
        raise StorageError(f"The database in {archive} cannot be opened: {exc}") from exc
    try:
        with db.cursor() as cur:
            applied = cur.execute("SELECT version, sha256 FROM schema_migrations").fetchall()
            newer = sorted(int(v) for v, _ in applied if int(v) not in known)
            if newer:
                raise StorageError(
                    f"{archive} comes from a newer Kansa (migrations {newer} are unknown here): "
                    "restore it with that version."
                )
            changed = sorted(int(v) for v, s in applied if known.get(int(v)) != s)
            if changed:
                raise StorageError(
                    f"{archive} was made with migrations {changed} that differ from this "
                    "Kansa's files; nothing was restored."
                )
            name = _db_name(cur)
            counts = {t: _count(cur, name, t) for t in _tables(cur, name)}
    finally:
        db.close()
    expected = {str(k): int(v) for k, v in dict(manifest.get("tables") or {}).items()}
    if counts != expected:
        differ = sorted(t for t in set(counts) | set(expected) if counts.get(t) != expected.get(t))
        raise StorageError(
            f"The database in {archive} does not match its manifest (row counts differ in "
            f"{', '.join(differ)}); nothing was restored."
        )
    return counts


def _db_name(cur: Cursor) -> str:
    row = cur.execute("SELECT current_database()").fetchone()
    return str(row[0]) if row else "main"


def _evidence_files(manifest: dict[str, Any]) -> list[tuple[str, int]]:
    section = manifest.get("evidence") or {}
    return [(str(f["sha256"]), int(f["size"])) for f in section.get("files") or []]


def _copy_evidence_from(
    source_root: Path, staging: Path, files: list[tuple[str, int]]
) -> dict[str, str]:
    hashes: dict[str, str] = {}
    for sha, _ in files:
        source = source_root / sha[:2] / sha
        folder = staging / "evidence" / sha[:2]
        folder.mkdir(parents=True, exist_ok=True)
        try:
            with source.open("rb") as fh:
                hashes[sha] = _copy_out(fh, folder / sha)[0]
        except FileNotFoundError:
            raise StorageError(
                f"Evidence file {sha} is not in {source_root}; nothing was restored."
            ) from None
    return hashes


def _check_evidence(
    archive: Path, staging: Path, manifest: dict[str, Any], hashes: dict[str, str]
) -> list[str]:
    """Every listed evidence file is there with bytes that hash to its name; returns the files
    left out because they were already damaged when the backup was made."""
    section = manifest.get("evidence") or {}
    expected = {sha for sha, _ in _evidence_files(manifest)}
    for sha in set(section.get("extra") or []) & set(hashes) - expected:
        # in the store when the backup ran, but not named by its database copy
        (staging / "evidence" / sha[:2] / sha).unlink(missing_ok=True)
        del hashes[sha]
    extra = sorted(set(hashes) - expected)
    if extra:
        raise StorageError(
            f"{archive} holds evidence its manifest does not list ({extra[0]}…); "
            "nothing was restored."
        )
    corrupt_at_backup = set(section.get("corrupt") or [])
    skipped: list[str] = []
    for sha in sorted(expected):
        if hashes.get(sha) == sha:
            continue
        if sha in corrupt_at_backup:
            skipped.append(sha)  # already damaged when the backup was made (reported then)
            (staging / "evidence" / sha[:2] / sha).unlink(missing_ok=True)
            continue
        what = "missing from" if sha not in hashes else "damaged in"
        raise StorageError(f"Evidence file {sha} is {what} the backup; nothing was restored.")
    return skipped


def restore_backup(
    archive: Path, data_dir: Path, *, evidence_from: Path | None = None
) -> RestoreResult:
    """Restore ``archive`` into ``data_dir`` (new or empty); all or nothing.

    ``evidence_from``: for a backup made without evidence, an evidence folder (``data/evidence``
    of the old installation, or a copy of it) to take the files from, each checked against its
    SHA-256.
    """
    data_dir = data_dir.absolute()
    _check_target(data_dir)
    if not archive.is_file():
        raise StorageError(f"{archive}: no such backup file.")
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=data_dir.parent, prefix=f".{data_dir.name}.restoring-"))
    try:
        found = _extract(archive, staging)
        manifest = found.manifest
        if manifest is None:
            raise _truncated(archive, "it has no manifest: cut short, or not made by Kansa")
        if manifest.get("format") != FORMAT:
            raise StorageError(
                f"{archive} is a backup in format {manifest.get('format')!r}, which this Kansa "
                f"does not read ({FORMAT}); nothing was restored."
            )
        database = manifest.get("database") or {}
        if found.database is None:
            raise _truncated(archive, "it holds no database")
        if found.database != (database.get("sha256"), database.get("size")):
            raise StorageError(
                f"The database in {archive} does not match its recorded SHA-256: the file is "
                "damaged; nothing was restored."
            )
        counts = _verify_database(staging / DB_NAME, manifest, archive)
        files = _evidence_files(manifest)
        included = bool((manifest.get("evidence") or {}).get("included"))
        hashes = found.evidence
        if not included and evidence_from is not None:
            hashes = _copy_evidence_from(evidence_from, staging, files)
        restored = included or evidence_from is not None
        skipped = _check_evidence(archive, staging, manifest, hashes) if restored else []
        os.sync()  # everything on disk before the folder gets its final name
        _check_target(data_dir)
        os.rename(staging, data_dir)  # replaces an empty folder in one step (POSIX)
        _fsync_dir(data_dir.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return RestoreResult(
        data_dir=data_dir,
        created_at=str(manifest.get("created_at", "")),
        tables=counts,
        evidence_files=len(files),
        evidence_bytes=sum(size for _, size in files),
        evidence_restored=restored,
        skipped_corrupt=tuple(skipped),
    )
