"""The DuckDB connection factory.

One connection per process, opened once; every operation takes a fresh ``cursor()`` so that
threads (one per browser session) never share a cursor. Errors that a user can act on -- the
file is locked by another process, or is not a DuckDB file -- become ``StorageError`` with a
sentence instead of a traceback.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb

from core.errors import Conflict, StorageError

Cursor = duckdb.DuckDBPyConnection

_LOCK_PID = re.compile(r"\(PID (\d+)\)")


def _explain_open_error(path: Path, exc: duckdb.Error) -> StorageError:
    text = str(exc)
    if "Could not set lock" in text or "Conflicting lock" in text:
        pid = _LOCK_PID.search(text)
        holder = f" (process {pid.group(1)})" if pid else ""
        return StorageError(
            f"The database {path} is in use by another Kansa process{holder}. "
            "DuckDB allows one writing process: stop the running server (or use it) and try again."
        )
    if "not a valid DuckDB database file" in text:
        return StorageError(
            f"{path} exists but is not a DuckDB database. Point KANSA_DATA_DIR at another "
            "folder, or move the file away if it is not needed."
        )
    return StorageError(f"Cannot open the database {path}: {text}")


class Database:
    """A process-wide DuckDB connection handing out cursors and transactions."""

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        self.path = Path(path)
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            raise _explain_open_error(self.path, exc) from exc
        self._closed = False
        self._lock = threading.Lock()
        # One writer at a time within the process: DuckDB would abort all but one of
        # several concurrent writers anyway, and the audit trail's hash chain needs each
        # append to see the one before it. Reentrant so a service may nest a helper.
        self._write_lock = threading.RLock()

    @contextmanager
    def cursor(self) -> Iterator[Cursor]:
        """A fresh cursor for one read operation."""
        cur = self._new_cursor()
        try:
            yield cur
        finally:
            cur.close()

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        """A cursor inside ``BEGIN`` .. ``COMMIT``; rolls back on any exception.

        Write transactions of this process run one at a time. DuckDB's write-write conflict
        (e.g. with a transaction nested on another cursor) becomes ``Conflict``.
        """
        with self._write_lock:
            yield from self._transaction()

    def _transaction(self) -> Iterator[Cursor]:
        cur = self._new_cursor()
        try:
            cur.begin()
            try:
                yield cur
                cur.commit()
            except BaseException:
                with suppress(duckdb.Error):
                    cur.rollback()
                raise
        except duckdb.TransactionException as exc:
            raise Conflict(
                "Someone else changed the same data at the same moment; nothing was saved. "
                "Reload and try again."
            ) from exc
        finally:
            cur.close()

    def _new_cursor(self) -> Cursor:
        with self._lock:
            if self._closed:
                raise StorageError(f"The database {self.path} is closed.")
            return self._conn.cursor()

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._conn.close()
                self._closed = True

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
