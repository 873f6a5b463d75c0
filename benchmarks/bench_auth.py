"""Time sign-in, session resolution and permission checks; print the figures.

Run: .venv/bin/python benchmarks/bench_auth.py [--sign-ins N] [--resolves N] [--checks N]
Uses a temp database (open_database) with one auditor. Sign-ins use distinct client strings
so the lock-out throttle never interferes. The last line is JSON:
{"sign_in_ms_median": ..., "sign_in_ms_p95": ..., "resolve_session_us_median": ...,
 "permission_check_ns": ..., "requires_overhead_us": ...}
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import tempfile
import time
from argparse import Namespace
from collections.abc import Callable
from pathlib import Path

from argon2 import PasswordHasher

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auth import service
from auth.model import Permission, Principal
from auth.passwords import verify_password
from auth.permissions import check, requires
from auth.secret import load_or_create_secret
from core.settings import Settings
from storage.db import Database
from storage.migrate import open_database

USERNAME = "bench.auditor"
PASSWORD = "Kansa-bench-2026"  # noqa: S105 -- 16 characters, a throwaway benchmark user
KEYS = (
    "sign_in_ms_median",
    "sign_in_ms_p95",
    "resolve_session_us_median",
    "permission_check_ns",
    "requires_overhead_us",
)
RESULTS: dict[str, float] = {}


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 20 samples is the 19th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil
    return ordered[int(rank) - 1]


def per_call_ns(func: Callable[[], object], calls: int, repeat: int = 5) -> float:
    """Best-of-``repeat`` nanoseconds per call of ``func`` over ``calls`` calls in a loop."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter_ns()
        for _ in range(calls):
            func()
        best = min(best, (time.perf_counter_ns() - start) / calls)
    return best


def bench_sign_in(db: Database, settings: Settings, secret: str, args: Namespace) -> str:
    """(a) Successful and failed sign-ins; returns a session token and prints the figures."""
    with db.cursor() as cur:
        row = cur.execute(
            "SELECT password_hash FROM users WHERE username = ?", [USERNAME]
        ).fetchone()
    assert row is not None
    stored = str(row[0])
    print(f"stored hash parameters: {stored.rsplit('$', 2)[0]}")

    # Raw argon2 verification, for comparison with the full sign-in.
    hash_ms = []
    for _ in range(5):
        start = time.perf_counter()
        assert verify_password(stored, PASSWORD)
        hash_ms.append((time.perf_counter() - start) * 1000)
    print(f"argon2 verify alone ms (5x): median {statistics.median(hash_ms):.1f}")

    sign_in_ms = []
    token = ""
    for i in range(args.sign_ins):
        start = time.perf_counter()
        grant = service.sign_in(
            db, settings, secret, username=USERNAME, password=PASSWORD, client=f"bench-ok-{i}"
        )
        sign_in_ms.append((time.perf_counter() - start) * 1000)
        token = grant.token
    RESULTS["sign_in_ms_median"] = round(statistics.median(sign_in_ms), 1)
    RESULTS["sign_in_ms_p95"] = round(percentile(sign_in_ms, 95), 1)
    print(
        f"sign-in ms ({args.sign_ins} successful): min {min(sign_in_ms):.1f}, "
        f"median {statistics.median(sign_in_ms):.1f}, "
        f"p95 {percentile(sign_in_ms, 95):.1f}, max {max(sign_in_ms):.1f}"
    )

    failed_ms: list[float] = []
    unknown_ms: list[float] = []
    for i in range(args.failed):
        for name, out in ((USERNAME, failed_ms), (f"nobody{i}", unknown_ms)):
            start = time.perf_counter()
            try:
                service.sign_in(
                    db,
                    settings,
                    secret,
                    username=name,
                    password="wrong-password-123",  # noqa: S106
                    client=f"bench-bad-{name}-{i}",
                )
            except service.SignInRefused:
                out.append((time.perf_counter() - start) * 1000)
            else:
                raise AssertionError("a wrong password signed in")
    print(
        f"failed sign-in ms (wrong password, {args.failed}x): "
        f"{', '.join(f'{v:.1f}' for v in failed_ms)}; "
        f"unknown user: {', '.join(f'{v:.1f}' for v in unknown_ms)}"
    )
    return token


def bench_resolve(
    db: Database, settings: Settings, secret: str, token: str, args: Namespace
) -> Principal:
    """(b) Session resolution, as every page run does it."""
    resolve_us = []
    principal = None
    for _ in range(args.resolves):
        start = time.perf_counter()
        principal = service.resolve_session(db, settings, secret, token, client="bench")
        resolve_us.append((time.perf_counter() - start) * 1e6)
    assert principal is not None
    assert principal.username == USERNAME
    RESULTS["resolve_session_us_median"] = round(statistics.median(resolve_us))
    print(
        f"resolve_session us ({args.resolves}x): median "
        f"{statistics.median(resolve_us):.0f}, p95 {percentile(resolve_us, 95):.0f}, "
        f"max {max(resolve_us):.0f}"
    )
    return principal


def bench_permissions(principal: Principal, args: Namespace) -> None:
    """(c) ``check`` per call, and what ``@requires`` adds to a trivial service function."""
    allowed = Permission.AUDIT_LOG_READ
    check_ns = float("inf")
    for _ in range(5):  # a direct loop: no lambda call in the figure
        start = time.perf_counter_ns()
        for _ in range(args.checks):
            check(principal, allowed)
        check_ns = min(check_ns, (time.perf_counter_ns() - start) / args.checks)

    def trivial(db: object, actor: Principal) -> int:
        return 1

    decorated = requires(allowed)(trivial)
    assert decorated(None, principal) == 1
    calls = max(args.checks // 10, 1)
    plain_us = per_call_ns(lambda: trivial(None, principal), calls) / 1000
    wrapped_us = per_call_ns(lambda: decorated(None, principal), calls) / 1000
    kw_plain_us = per_call_ns(lambda: trivial(db=None, actor=principal), calls) / 1000
    kw_wrapped_us = per_call_ns(lambda: decorated(db=None, actor=principal), calls) / 1000
    RESULTS["permission_check_ns"] = round(check_ns)
    RESULTS["requires_overhead_us"] = round(wrapped_us - plain_us, 2)
    print(f"permission check ns/call ({args.checks:,}x, best of 5, loop included): {check_ns:.0f}")
    print(
        f"@requires us/call ({calls:,}x): positional {wrapped_us:.2f} vs plain "
        f"{plain_us:.2f}; keyword {kw_wrapped_us:.2f} vs plain {kw_plain_us:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sign-ins", type=int, default=20)
    parser.add_argument("--failed", type=int, default=3, help="failed sign-ins (< 5: lock-out)")
    parser.add_argument("--resolves", type=int, default=1000)
    parser.add_argument("--checks", type=int, default=100_000)
    args = parser.parse_args()
    assert args.failed < 5, "5 failures for one username within 15 minutes lock it out"
    # The failed sign-ins log warnings; keep stderr quiet so the JSON stays the last line.
    logging.getLogger("kansa.auth").addHandler(logging.NullHandler())

    hasher = PasswordHasher()
    print(
        f"argon2 (PasswordHasher defaults): type={hasher.type.name}, "
        f"time_cost={hasher.time_cost}, memory_cost={hasher.memory_cost} KiB "
        f"({hasher.memory_cost // 1024} MiB), parallelism={hasher.parallelism}, "
        f"hash_len={hasher.hash_len}, salt_len={hasher.salt_len}"
    )

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        secret = load_or_create_secret(settings.secret_path)
        with open_database(settings.db_path) as db:
            service.create_user(
                db,
                Principal.cli("bench"),
                username=USERNAME,
                display_name="Bench Auditor",
                role="auditor",
                password=PASSWORD,
            )
            token = bench_sign_in(db, settings, secret, args)
            principal = bench_resolve(db, settings, secret, token, args)
    bench_permissions(principal, args)
    print(json.dumps({key: RESULTS[key] for key in KEYS}))


if __name__ == "__main__":
    main()
