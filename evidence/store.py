"""The content-addressed file store: bytes at ``<root>/<sha[:2]>/<sha>``.

Ingest streams the upload in chunks to a temporary file on the same filesystem, hashing as it
goes, fsyncs it and renames it into place atomically. A crash at any point leaves either
nothing under its final name or the complete file; the database row is written only after
that, so there is never a row without its file (at worst a file without a row, which
``verify`` reports as orphaned).

Beyond the first CHUNK, hashing and writing overlap: a writer thread writes each chunk while
the next one is read and hashed (both release the GIL on large buffers), through a small
bounded queue. Every chunk written is handed to the kernel for writeback at once, so the final
fsync waits only for the tail instead of the whole file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import queue
import tempfile
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from core.errors import Issue, ValidationFailed
from core.settings import Settings
from evidence.model import StoredFile
from evidence.sniff import sniff

CHUNK = 1024 * 1024
QUEUE_CHUNKS = 4  # chunks waiting for the writer: bounds ingest memory to a few CHUNKs
_HEX = frozenset("0123456789abcdef")


def _refuse(name: str, message: str) -> ValidationFailed:
    return ValidationFailed([Issue(name, 0, "file", message)])


MAX_NAME = 200


def clean_filename(name: str) -> str:
    """The uploader's file name as safe metadata: last path part, no control characters.

    It is never used to build a path (files are stored under their SHA-256); this only keeps
    what people see and download readable."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if base in {"", ".", ".."}:
        raise ValidationFailed([Issue(name[:80], 0, "filename", "the file needs a proper name")])
    return base[:MAX_NAME]


class EvidenceStore:
    """Files named by their SHA-256 under ``root``."""

    @classmethod
    def from_settings(cls, settings: Settings) -> EvidenceStore:
        return cls(
            settings.evidence_dir,
            max_bytes=settings.evidence_max_mb * 1024 * 1024,
            allowed_types=settings.evidence_types,
        )

    def __init__(self, root: Path, *, max_bytes: int, allowed_types: frozenset[str]) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.allowed_types = allowed_types

    def path_of(self, sha256: str) -> Path:
        if len(sha256) != 64 or not set(sha256) <= _HEX:
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def ingest(self, stream: BinaryIO, display_name: str) -> StoredFile:
        """Store the stream's bytes (once, whatever the name); refuse bad content first."""
        head = stream.read(64 * 1024)
        if not head:
            raise _refuse(display_name, "the file is empty")
        media_type = sniff(head, display_name)
        if media_type not in self.allowed_types:
            raise _refuse(
                display_name,
                f"files of type {media_type} are not accepted as evidence "
                f"(accepted: {', '.join(sorted(self.allowed_types))})",
            )
        incoming = self.root / ".incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, temp_name = tempfile.mkstemp(dir=incoming)
        temp = Path(temp_name)
        try:
            try:
                with _ChunkWriter(fd) as writer:
                    chunk = head
                    while chunk:
                        size += len(chunk)
                        if size > self.max_bytes:
                            raise _refuse(
                                display_name,
                                f"the file is larger than {self.max_bytes // 1_048_576} MB",
                            )
                        digest.update(chunk)
                        writer.write(chunk)
                        chunk = stream.read(CHUNK)
                os.fsync(fd)
            finally:
                os.close(fd)
            sha = digest.hexdigest()
            final = self.path_of(sha)
            final.parent.mkdir(parents=True, exist_ok=True)
            if final.exists():
                temp.unlink()  # the same bytes are already stored
            else:
                os.replace(temp, final)
                _fsync_dir(final.parent)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
            raise
        return StoredFile(sha, size, media_type)

    def open(self, sha256: str) -> BinaryIO:
        return self.path_of(sha256).open("rb")

    def stored(self) -> Iterator[str]:
        """The SHA-256 names of every complete file in the store."""
        if not self.root.exists():
            return
        for folder in sorted(self.root.iterdir()):
            if len(folder.name) != 2 or not folder.is_dir():
                continue  # .incoming and anything else is not a stored file
            for path in sorted(folder.iterdir()):
                yield path.name

    def rehash(self, sha256: str) -> str:
        digest = hashlib.sha256()
        with self.open(sha256) as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest()


class _ChunkWriter:
    """Writes chunks to ``fd`` in order: the first CHUNK bytes directly, the rest on a background
    thread at most QUEUE_CHUNKS behind (a small file never pays for a thread).

    ``write`` raises the thread's error as soon as it is known; leaving the ``with`` block
    always stops and joins the thread, and on a clean exit raises its error if it had one. The
    thread writes through its own duplicate of ``fd``, which it closes, so the caller's
    descriptor stays the caller's to fsync and close.
    """

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._offset = 0
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=QUEUE_CHUNKS)
        self._abandoned = threading.Event()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> _ChunkWriter:
        return self

    def write(self, chunk: bytes) -> None:
        if self._thread is None:
            if self._offset < CHUNK:
                self._write(self._fd, chunk)
                return
            self._start()
        elif self._error is not None:
            raise self._error
        self._queue.put(chunk)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._thread is None:
            return
        if exc_type is not None:
            self._abandoned.set()  # the file will be deleted: drop what is still queued
        self._queue.put(None)  # never blocks for long: the thread drains until it sees None
        self._thread.join()
        if exc_type is None and self._error is not None:
            raise self._error

    def _start(self) -> None:
        fd = os.dup(self._fd)
        try:
            thread = threading.Thread(
                target=self._run, args=(fd,), name="evidence-writer", daemon=True
            )
            thread.start()
        except BaseException:
            os.close(fd)
            raise
        self._thread = thread

    def _write(self, fd: int, chunk: bytes) -> None:
        _write_all(fd, chunk)
        _start_writeback(fd, self._offset, len(chunk))
        self._offset += len(chunk)

    def _run(self, fd: int) -> None:
        try:
            while (chunk := self._queue.get()) is not None:
                if self._error is not None or self._abandoned.is_set():
                    continue  # keep draining so the reading side never waits on a full queue
                try:
                    self._write(fd, chunk)
                except BaseException as exc:  # handed to the reading thread, which raises it
                    self._error = exc
        finally:
            os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _start_writeback(fd: int, offset: int, length: int) -> None:
    """Have the kernel start writing this range to disk now rather than at the final fsync.

    On Linux, POSIX_FADV_DONTNEED starts writeback of the range's dirty pages without waiting
    for it; pages still dirty or being written are kept. Elsewhere this is a no-op.
    """
    if hasattr(os, "posix_fadvise"):
        os.posix_fadvise(fd, offset, length, os.POSIX_FADV_DONTNEED)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
