"""Server time to save one answer, as the workspace does (service call incl. transaction,
conflict check and audit entry), on the demo database with its three years of history.

Run: .venv/bin/python benchmarks/bench_save_answer.py [--saves N]
Last line JSON: {"saves": N, "save_ms_median": ..., "save_ms_p95": ...}
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessments import service
from assessments.model import Answer
from auth.model import Principal, Role
from controls.service import sync_library
from demo.service import load_demo
from storage.migrate import open_database

OPERATOR = Principal.cli("bench")
AUDITEE = Principal("s.okamoto", Role.AUDITEE, "CSC")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, open_database(Path(tmp) / "k.duckdb") as db:
        sync_library(db, OPERATOR)
        load_demo(db, OPERATOR)
        a = service.create_assessment(
            db,
            OPERATOR,
            title="bench",
            catalogue_urn="urn:kansa:catalogue:appi-security-measures",
            scope_unit="CSC",
        )
        controls = list(service.score(db, OPERATOR, a.id).score.controls)
        versions: dict[str, int | None] = dict.fromkeys(controls)
        times: list[float] = []
        for i in range(args.saves):
            control = controls[i % len(controls)]
            answer = Answer(control, i % 6, (i + 2) % 6, note=f"save {i}")
            start = time.perf_counter()
            saved = service.save_answer(db, AUDITEE, a.id, answer, versions[control])
            times.append((time.perf_counter() - start) * 1000)
            versions[control] = saved.version
        with db.cursor() as cur:
            entries = cur.execute("SELECT count(*) FROM audit_log").fetchall()[0][0]
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"saves: {args.saves} over {len(controls)} controls; audit log ends at {entries} entries")
    print(
        f"save ms: min {times[0]:.1f}, median {statistics.median(times):.1f}, p95 {p95:.1f}, "
        f"max {times[-1]:.1f}"
    )
    print(
        json.dumps(
            {
                "saves": args.saves,
                "save_ms_median": round(statistics.median(times), 1),
                "save_ms_p95": round(p95, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
