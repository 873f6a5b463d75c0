"""EvidenceStore.ingest on multi-chunk files: content, bounded reading, and clean failures."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from core.errors import ValidationFailed
from evidence import store as store_module
from evidence.store import CHUNK, QUEUE_CHUNKS, EvidenceStore

HEAD = 64 * 1024  # what ingest reads first, to sniff the content
Writer = Callable[[int, bytes], None]


def text(size: int) -> bytes:
    """``size`` bytes of plain text that differ from chunk to chunk."""
    return os.urandom(size // 2 + 1).hex().encode()[:size]


def make_store(root: Path, max_mb: int = 16) -> EvidenceStore:
    return EvidenceStore(
        root, max_bytes=max_mb * 1024 * 1024, allowed_types=frozenset({"text/plain"})
    )


def writer_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "evidence-writer"]


def leftovers(store: EvidenceStore) -> list[Path]:
    return list((store.root / ".incoming").iterdir())


def failing_on_thread(error: OSError) -> Writer:
    """A ``_write_all`` that works in the caller's thread and fails in the writer thread."""
    real = store_module._write_all

    def write_all(fd: int, data: bytes) -> None:
        if threading.current_thread().name == "evidence-writer":
            raise error
        real(fd, data)

    return write_all


def no_threads(*args: object, **kwargs: object) -> threading.Thread:
    raise RuntimeError("can't start new thread")


class FailingRead(io.BytesIO):
    """A stream that breaks after some bytes, like a dropped upload."""

    def __init__(self, data: bytes, fail_after: int) -> None:
        super().__init__(data)
        self.fail_after = fail_after

    def read(self, size: int | None = -1) -> bytes:
        if self.tell() >= self.fail_after:
            raise ConnectionResetError("upload interrupted")
        return super().read(size)


class ShortReads(io.BytesIO):
    """A stream that returns fewer bytes than asked, as sockets and pipes do."""

    def read(self, size: int | None = -1) -> bytes:
        return super().read(min(size if size is not None and size >= 0 else CHUNK, 100_003))


def test_multi_chunk_file_round_trips(tmp_path: Path) -> None:
    data = text(5 * CHUNK + 12_345)
    store = make_store(tmp_path)
    stored = store.ingest(io.BytesIO(data), "big.txt")
    assert (stored.sha256, stored.size, stored.media_type) == (
        hashlib.sha256(data).hexdigest(),
        len(data),
        "text/plain",
    )
    assert store.path_of(stored.sha256).read_bytes() == data
    assert store.rehash(stored.sha256) == stored.sha256
    assert leftovers(store) == []
    assert writer_threads() == []


def test_short_reads_keep_order_and_content(tmp_path: Path) -> None:
    data = text(3 * CHUNK + 7)
    store = make_store(tmp_path)
    stored = store.ingest(ShortReads(data), "pieces.txt")
    assert store.path_of(stored.sha256).read_bytes() == data
    assert stored.size == len(data)


def test_small_files_need_no_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threading, "Thread", no_threads)
    store = make_store(tmp_path)
    data = text(HEAD + CHUNK - 1)  # the head and one chunk, both written directly
    stored = store.ingest(io.BytesIO(data), "small.txt")
    assert store.path_of(stored.sha256).read_bytes() == data
    with pytest.raises(RuntimeError, match="can't start new thread"):
        store.ingest(io.BytesIO(text(3 * CHUNK)), "big.txt")
    assert leftovers(store) == []
    assert list(store.stored()) == [stored.sha256]


def test_size_limit_mid_stream_stops_reading_and_leaves_nothing(tmp_path: Path) -> None:
    store = make_store(tmp_path, max_mb=6)  # refused while the writer thread is busy
    stream = io.BytesIO(text(24 * CHUNK))
    with pytest.raises(ValidationFailed, match="larger than 6 MB"):
        store.ingest(stream, "big.txt")
    assert stream.tell() <= 7 * CHUNK  # refused while streaming, not after reading it all
    assert leftovers(store) == []
    assert list(store.stored()) == []
    assert writer_threads() == []


def test_write_error_in_writer_thread_propagates_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(store_module, "_write_all", failing_on_thread(full))
    store = make_store(tmp_path, max_mb=64)
    stream = io.BytesIO(text(48 * CHUNK))
    with pytest.raises(OSError, match="No space left") as caught:
        store.ingest(stream, "big.txt")
    assert caught.value.errno == errno.ENOSPC
    # the thread's first write fails; the reading side notices within a queue's length
    assert stream.tell() <= HEAD + CHUNK + (QUEUE_CHUNKS + 3) * CHUNK
    assert leftovers(store) == []
    assert list(store.stored()) == []
    assert writer_threads() == []


def test_write_error_on_the_last_chunk_is_raised_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = OSError(errno.EIO, "Input/output error")
    monkeypatch.setattr(store_module, "_write_all", failing_on_thread(broken))
    store = make_store(tmp_path)
    # head and one chunk are written directly; the last 10 bytes are the thread's only write
    with pytest.raises(OSError, match="Input/output error"):
        store.ingest(io.BytesIO(text(HEAD + CHUNK + 10)), "small.txt")
    assert leftovers(store) == []
    assert list(store.stored()) == []
    assert writer_threads() == []


def test_broken_upload_stream_stops_the_writer_and_leaves_nothing(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    stream = FailingRead(text(10 * CHUNK), fail_after=3 * CHUNK)
    with pytest.raises(ConnectionResetError):
        store.ingest(stream, "dropped.txt")
    assert leftovers(store) == []
    assert list(store.stored()) == []
    assert writer_threads() == []


def test_no_descriptor_is_leaked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fd_dir = Path("/proc/self/fd")
    if not fd_dir.exists():
        pytest.skip("needs /proc/self/fd")
    store = make_store(tmp_path, max_mb=4)
    before = len(list(fd_dir.iterdir()))
    store.ingest(io.BytesIO(text(CHUNK // 2)), "small.txt")
    store.ingest(io.BytesIO(text(3 * CHUNK)), "big.txt")
    with pytest.raises(ValidationFailed):
        store.ingest(io.BytesIO(text(8 * CHUNK)), "too-big.txt")
    with pytest.raises(ConnectionResetError):
        store.ingest(FailingRead(text(8 * CHUNK), fail_after=3 * CHUNK), "dropped.txt")
    with monkeypatch.context() as patch:
        patch.setattr(store_module, "_write_all", failing_on_thread(OSError(errno.ENOSPC, "full")))
        with pytest.raises(OSError, match="full"):
            store.ingest(io.BytesIO(text(3 * CHUNK)), "full.txt")
    with monkeypatch.context() as patch:
        patch.setattr(threading, "Thread", no_threads)
        with pytest.raises(RuntimeError, match="can't start"):
            store.ingest(io.BytesIO(text(3 * CHUNK)), "no-thread.txt")
    assert len(list(fd_dir.iterdir())) == before
    assert leftovers(store) == []
