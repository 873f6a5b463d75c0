"""Ingest a large file through the evidence store against a bare SHA-256; verify many files.

Run: .venv/bin/python benchmarks/bench_evidence.py [--mb 512] [--files 10000]
Last line JSON: {"mb": N, "ingest_mb_s": ..., "sha256_mb_s": ..., "peak_rss_mb": ...,
"verify_files_per_s": ..., "write_fsync_mb_s": ...}. peak_rss_mb is the growth of the
process's peak RSS during the ingest (the file is streamed in 1 MB chunks through a queue of a
few chunks, so it should not grow with the file).

sha256_mb_s hashes the source from the page cache: it never touches the disk. The ingest also
writes every byte to disk and fsyncs it, so it is bounded by the disk instead: write_fsync_mb_s
is the throughput of writing the same number of bytes from memory in 1 MB os.write calls plus
one fsync on the same filesystem (what ``dd bs=1M conv=fsync`` measures), measured right after
the ingest. The ingest can edge past it only by starting writeback before its final fsync.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.settings import EVIDENCE_TYPES
from evidence.store import CHUNK, EvidenceStore


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def write_fsync_seconds(path: Path, mb: int, block: bytes) -> float:
    """Time writing ``block`` ``mb`` times to ``path`` and fsyncing it: no reading, no hashing."""
    start = time.perf_counter()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        for _ in range(mb):
            os.write(fd, block)
        os.fsync(fd)
    finally:
        os.close(fd)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=512)
    parser.add_argument("--files", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        source = root / "big.txt"
        block = os.urandom(1024 * 1024).hex().encode()[: 1024 * 1024]  # text: accepted type
        with source.open("wb") as out:
            for _ in range(args.mb):
                out.write(block)
            out.flush()
            os.fsync(out.fileno())  # its writeback must not compete with the timed ingest
        start = time.perf_counter()
        digest = hashlib.sha256()
        with source.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
        bare_s = time.perf_counter() - start

        store = EvidenceStore(
            root / "evidence", max_bytes=(args.mb + 1) * 1024 * 1024, allowed_types=EVIDENCE_TYPES
        )
        before = peak_rss_mb()
        start = time.perf_counter()
        with source.open("rb") as fh:
            stored = store.ingest(fh, "big.txt")
        ingest_s = time.perf_counter() - start
        growth = peak_rss_mb() - before
        assert stored.sha256 == digest.hexdigest()
        # before any large unlink: this filesystem may be mounted with discard
        floor_s = write_fsync_seconds(root / "floor.bin", args.mb, block)
        (root / "floor.bin").unlink()
        source.unlink()
        store.path_of(stored.sha256).unlink()

        many = EvidenceStore(root / "many", max_bytes=1024 * 1024, allowed_types=EVIDENCE_TYPES)
        for i in range(args.files):
            data = f"evidence {i}\n".encode() * 40
            sha = hashlib.sha256(data).hexdigest()
            path = many.path_of(sha)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        start = time.perf_counter()
        bad = [h for h in many.stored() if many.rehash(h) != h]
        verify_s = time.perf_counter() - start
        assert bad == []

    ingest = args.mb / ingest_s
    bare = args.mb / bare_s
    print(
        f"file: {args.mb} MB; bare sha256 {bare_s:.2f} s, store ingest {ingest_s:.2f} s "
        f"({ingest / bare:.0%} of bare); peak RSS growth {growth:.1f} MB"
    )
    print(
        f"disk floor: write+fsync of {args.mb} MB from memory {floor_s:.2f} s "
        f"({args.mb / floor_s:.0f} MB/s; ingest runs at {floor_s / ingest_s:.0%} of it)"
    )
    print(f"verify: {args.files} files of 440 bytes in {verify_s:.2f} s")
    print(
        json.dumps(
            {
                "mb": args.mb,
                "ingest_mb_s": round(ingest, 1),
                "sha256_mb_s": round(bare, 1),
                "peak_rss_mb": round(growth, 1),
                "verify_files_per_s": round(args.files / verify_s),
                "write_fsync_mb_s": round(args.mb / floor_s, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
