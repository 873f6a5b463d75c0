"""Build a hash-chained audit log of N entries and time verifying the whole chain.

Run: .venv/bin/python benchmarks/bench_audit_log.py [--entries N] [--repeat R]
The chain is generated in Python (appending 1,000,000 rows one ``append_audit`` at a time
would take hours) with the same canonical JSON DuckDB builds in ``auth/repository.py``, then
bulk-inserted from a pyarrow table. Before timing, the script asserts that
``auth.audit_service.verify`` finds the generated log intact (so the Python canonical form
really matches DuckDB's); after timing, it changes one middle row and asserts that verify
names that row. The last line is JSON: {"entries": N, "entries_per_s": ...} (best of R runs).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from hashlib import sha256
from pathlib import Path

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auth import audit_service, repository
from auth.model import Principal
from storage.db import Database
from storage.migrate import open_database

CHUNK = 100_000
SELF_CHECK_ROWS = 2_000  # rows whose canonical JSON is also rebuilt with json.dumps

ACTORS = (
    "a.miyoshi",
    "k.tanaka",
    "y.sato",
    "h.suzuki",
    "m.kobayashi",
    "r.watanabe",
    "t.ito",
    "n.yamamoto",
    "s.nakamura",
    "e.kato",
)
STATUSES = ("not_started", "in_progress", "compliant", "partially_compliant", "not_compliant")
COMMENTS = (
    "Checked the access log for March.",
    "Locked cabinet confirmed on site.",
    "Retention schedule attached.",
    "Awaiting the contractor's report.",
    "Encryption enabled on all laptops.",
    "",
)
ROLES = ("admin", "auditor", "supervisor", "auditee", "executive")
UNITS = ("SALES", "HR", "IT", "FIN", "LEGAL", "CS")
FILES = ("access-log-2026-03.pdf", "cabinet.jpg", "retention.xlsx", "training-roster.csv")
CLIENTS = tuple(f"10.0.{a}.{b}" for a in range(4) for b in range(2, 40, 3))
REASONS = ("BadSignature", "SignatureExpired", "BadTimeSignature")


def q(text: str) -> str:
    """``text`` as a JSON string literal (DuckDB escapes the same way for these ASCII values)."""
    return json.dumps(text)


# Each generator returns (actor, action, entity, entity_id, before_json, after_json) with the
# JSON values already canonical (sorted keys, compact) or None.
Row = tuple[str, str, str, str | None, str | None, str | None]


def _response(rng: random.Random, i: int) -> Row:
    rid = f"RSP-{rng.randrange(1, 20_000):06d}"
    old, new = rng.choice(STATUSES), rng.choice(STATUSES)
    before = f'{{"comment":{q(rng.choice(COMMENTS))},"status":"{old}","version":{i % 7 + 1}}}'
    after = f'{{"comment":{q(rng.choice(COMMENTS))},"status":"{new}","version":{i % 7 + 2}}}'
    action = "response.save" if i % 5 else "response.submit"
    return rng.choice(ACTORS), action, "response", rid, before, after


def _evidence(rng: random.Random, i: int) -> Row:
    digest = f"{rng.getrandbits(256):064x}"
    after = (
        f'{{"filename":"{rng.choice(FILES)}","sha256":"{digest}",'
        f'"size":{rng.randrange(1_000, 5_000_000)}}}'
    )
    return rng.choice(ACTORS), "evidence.upload", "evidence", digest[:16], None, after


def _sign_in(rng: random.Random, i: int) -> Row:
    uid = f"0193{rng.getrandbits(112):028x}"
    uuid = f"{uid[:8]}-{uid[8:12]}-7{uid[13:16]}-{uid[16:20]}-{uid[20:]}"
    after = f'{{"client":"{rng.choice(CLIENTS)}"}}'
    return rng.choice(ACTORS), "auth.sign_in", "session", uuid, None, after


def _sign_in_failed(rng: random.Random, i: int) -> Row:
    after = f'{{"client":"{rng.choice(CLIENTS)}"}}'
    return "anonymous", "auth.sign_in_failed", "user", rng.choice(ACTORS), None, after


def _sign_out(rng: random.Random, i: int) -> Row:
    return "session", "auth.sign_out", "session", f"{rng.getrandbits(32):08x}", None, None


def _session_rejected(rng: random.Random, i: int) -> Row:
    after = f'{{"client":"{rng.choice(CLIENTS)}","reason":"{rng.choice(REASONS)}"}}'
    return "anonymous", "auth.session_rejected", "session", None, None, after


def _user_view(username: str, role: str, unit: str | None, active: bool, version: int) -> str:
    unit_json = "null" if unit is None else f'"{unit}"'
    return (
        f'{{"active":{"true" if active else "false"},"created_at":"2026-04-01 09:00",'
        f'"display_name":"{username.title()}","id":"0193a5c2-7f00-7000-8000-00000000{version:04x}",'
        f'"org_unit_code":{unit_json},"role":"{role}","sso_only":false,'
        f'"username":"{username}","version":{version}}}'
    )


def _user_change(rng: random.Random, i: int) -> Row:
    username = rng.choice(ACTORS)
    version = rng.randrange(1, 40)
    unit = rng.choice((*UNITS, None))
    before = _user_view(username, rng.choice(ROLES), unit, True, version)
    after = _user_view(username, rng.choice(ROLES), rng.choice((*UNITS, None)), True, version + 1)
    uid = f"0193a5c2-7f00-7000-8000-00000000{version:04x}"
    return "cli:ops", "user.change", "user", uid, before, after


def _catalogue_import(rng: random.Random, i: int) -> Row:
    after = (
        f'{{"controls":{rng.randrange(80, 1200)},"source":"pmark-2017.yaml","version":"1.{i % 9}"}}'
    )
    return "cli:ops", "catalogue.import", "catalogue", "pmark-2017", None, after


# Weighted like a working system: mostly answers and sign-ins, now and then an admin change.
GENERATORS: tuple[Callable[[random.Random, int], Row], ...] = (
    *([_response] * 10),
    *([_sign_in] * 4),
    *([_evidence] * 3),
    _sign_in_failed,
    _sign_out,
    _session_rejected,
    _user_change,
    _catalogue_import,
)

COLUMNS = ("seq", "at", "actor", "action", "entity", "entity_id", "before", "after")
SCHEMA = pa.schema(
    [
        ("seq", pa.int64()),
        ("at", pa.string()),
        ("actor", pa.string()),
        ("action", pa.string()),
        ("entity", pa.string()),
        ("entity_id", pa.string()),
        ("before", pa.string()),
        ("after", pa.string()),
        ("prev_hash", pa.string()),
        ("hash", pa.string()),
    ]
)


def reference_json(values: Mapping[str, object]) -> str:
    """The canonical row JSON built the slow, obviously-right way (for the self-check)."""
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def generate(n: int, seed: int = 2026) -> Iterator[pa.Table]:
    """The chain as pyarrow tables of up to CHUNK rows each."""
    rng = random.Random(seed)
    clock = datetime(2026, 4, 1, 0, 0, tzinfo=UTC)
    step = timedelta(microseconds=1)
    encoded: dict[str, str] = {}  # JSON string literals of repeated values
    prev = repository.GENESIS
    seq = 0
    while seq < n:
        size = min(CHUNK, n - seq)
        cols: list[list[object]] = [[] for _ in SCHEMA]
        seq_c, at_c, actor_c, action_c, entity_c, eid_c, before_c, after_c, prev_c, hash_c = cols
        for _ in range(size):
            seq += 1
            actor, action, entity, entity_id, before, after = rng.choice(GENERATORS)(rng, seq)
            clock += step * rng.randrange(1_000, 30_000_000)
            at = f"{clock:%Y-%m-%dT%H:%M:%S}.{clock.microsecond:06d}Z"
            a_j = encoded.get(actor) or encoded.setdefault(actor, q(actor))
            ac_j = encoded.get(action) or encoded.setdefault(action, q(action))
            e_j = encoded.get(entity) or encoded.setdefault(entity, q(entity))
            canon = (
                f'{{"action":{ac_j},"actor":{a_j},"after":{q(after) if after else "null"},'
                f'"at":"{at}","before":{q(before) if before else "null"},"entity":{e_j},'
                f'"entity_id":{"null" if entity_id is None else q(entity_id)},"seq":{seq}}}'
            )
            if seq <= SELF_CHECK_ROWS:
                values = dict(
                    zip(
                        COLUMNS,
                        (seq, at, actor, action, entity, entity_id, before, after),
                        strict=True,
                    )
                )
                assert canon == reference_json(values), (canon, reference_json(values))
            digest = sha256((prev + canon).encode()).hexdigest()
            seq_c.append(seq)
            at_c.append(at)
            actor_c.append(actor)
            action_c.append(action)
            entity_c.append(entity)
            eid_c.append(entity_id)
            before_c.append(before)
            after_c.append(after)
            prev_c.append(prev)
            hash_c.append(digest)
            prev = digest
        yield pa.Table.from_arrays(
            [pa.array(c, type=f.type) for c, f in zip(cols, SCHEMA, strict=True)], schema=SCHEMA
        )


def build(db: Database, n: int) -> None:
    with db.transaction() as cur:
        for table in generate(n):
            cur.register("bench_chunk", table)
            cur.execute(
                """INSERT INTO audit_log
                   SELECT seq, "at", actor, action, entity, entity_id,
                          CAST(before AS JSON), CAST(after AS JSON), prev_hash, hash
                   FROM bench_chunk"""
            )
            cur.unregister("bench_chunk")


def db_size_mb(path: Path) -> float:
    files = [path, path.with_name(path.name + ".wal")]
    return sum(f.stat().st_size for f in files if f.exists()) / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = args.entries
    assert n >= 3, "need at least 3 entries (one is tampered in the middle)"
    actor = Principal.cli("bench")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "audit.duckdb"
        with open_database(path) as db:
            start = time.perf_counter()
            build(db, n)
            build_s = time.perf_counter() - start
            with db.cursor() as cur:
                cur.execute("CHECKPOINT")
            print(f"build: {n:,} entries in {build_s:.1f} s, DB size {db_size_mb(path):.1f} MB")

            result = audit_service.verify(db, actor)
            assert result.entries == n, result
            assert result.ok, f"generated chain does not verify: first broken seq {result}"

            verify_s: list[float] = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                result = audit_service.verify(db, actor)
                verify_s.append(time.perf_counter() - start)
                assert result.ok
                assert result.entries == n
            print(f"verify s:    {', '.join(f'{v:.3f}' for v in verify_s)}")

            # One more append on the big log (what every audited change pays).
            append_ms: list[float] = []
            for i in range(20):
                with db.transaction() as cur:
                    start = time.perf_counter()
                    repository.append_audit(
                        cur,
                        actor="bench",
                        action="bench.append",
                        entity="bench",
                        entity_id=str(i),
                        after={"i": i},
                    )
                    append_ms.append((time.perf_counter() - start) * 1000)
            print(
                f"append_audit on a {n:,}-entry log: median {statistics.median(append_ms):.2f} ms"
            )

            middle = n // 2
            with db.transaction() as cur:
                cur.execute(
                    """UPDATE audit_log SET after = CAST('{"tampered":true}' AS JSON)
                       WHERE seq = ?""",
                    [middle],
                )
            tampered = audit_service.verify(db, actor)
            assert tampered.first_broken_seq == middle, tampered
            print(f"tampered seq {middle:,}; verify named seq {tampered.first_broken_seq:,}")
            print("tamper check: ok")

        print(json.dumps({"entries": n, "entries_per_s": int(n / min(verify_s))}))


if __name__ == "__main__":
    main()
