"""Server time of the supervisor dashboard over a large contractor register: the service call
(permission check, four SQL queries, row mapping) as the page makes it.

The register is generated in SQL: N contractors with random tiers, review dates spread over
four years, a quarter of them lacking clauses, 1.5 certificates each, re-entrustment links
from a fifth of them (always to a later contractor, so no circles) and data locations.

Run: .venv/bin/python benchmarks/bench_contractors.py [--contractors N] [--runs R]
Last line JSON: {"contractors": N, "dashboard_ms_median": ..., "dashboard_ms_p95": ..., ...}
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auth.model import Principal, Role
from contractors import service
from storage.db import Database
from storage.migrate import open_database

SUPERVISOR = Principal("bench.supervisor", Role.SUPERVISOR)
TODAY = date(2026, 11, 25)


def populate(db: Database, n: int) -> None:
    with db.transaction() as cur:
        cur.execute(
            """INSERT INTO contractors (code, name, services, data_categories, approx_individuals,
                   special_care, contract_start, contract_end, clause_security_measures,
                   clause_confidentiality, clause_reentrustment, clause_handling_reports,
                   clause_return_deletion, breach_notice_hours, clause_audit_rights, owner,
                   tier, tier_points, last_review_on, next_review_due, created_by, updated_by)
               SELECT printf('CTR-%05d', i), printf('委託先 %05d', i), 'bench',
                      ['顧客の氏名・連絡先'], (hash(i) % 200000)::INTEGER, i % 17 = 0,
                      DATE '2020-04-01' + (i % 1500)::INTEGER,
                      CASE WHEN i % 25 = 0 THEN DATE '2026-01-01' END,
                      i % 4 <> 0, true, i % 7 <> 0, i % 5 <> 0, true,
                      CASE WHEN i % 9 <> 0 THEN 24 END, i % 6 <> 0,
                      CASE WHEN i % 3 = 0 THEN 'bench.other' ELSE 'bench.supervisor' END,
                      ['high', 'medium', 'low'][i % 3 + 1], i % 8,
                      DATE '2024-01-01' + (hash(i * 7) % 700)::INTEGER,
                      ? - 700 + (hash(i * 13) % 1460)::INTEGER, 'bench', 'bench'
               FROM range(1, ? + 1) t(i)""",
            [TODAY, n],
        )
        cur.execute(
            """INSERT INTO contractor_certifications (contractor_id, kind, certificate_id,
                                                      expires_on, added_by)
               SELECT id, ['privacymark', 'iso27001', 'soc2'][k + 1], printf('C-%s-%d', code, k),
                      ? - 400 + (hash(code || k) % 1200)::INTEGER, 'bench'
               FROM contractors, range(0, 2) r(k)
               WHERE k = 0 OR hash(code) % 2 = 0""",
            [TODAY],
        )
        cur.execute(
            """INSERT INTO contractor_subcontractors (parent_id, child_id, work, approved,
                                                      approved_by, added_by)
               SELECT p.id, c.id, 'bench', p.code[-1:] < '5',
                      CASE WHEN p.code[-1:] < '5' THEN 'bench' END, 'bench'
               FROM contractors p JOIN contractors c
                 ON c.code = printf('CTR-%05d', CAST(substr(p.code, 5) AS INTEGER) + 1)
               WHERE CAST(substr(p.code, 5) AS INTEGER) % 5 = 0"""
        )
        cur.execute(
            """INSERT INTO data_locations (subject_kind, subject_id, subject_name, country_code,
                                           mode, added_by)
               SELECT 'contractor', CAST(id AS VARCHAR), name,
                      ['JP', 'US', 'PH', 'SG', 'VN', 'IN'][(hash(code) % 6)::INTEGER + 1],
                      'stored', 'bench'
               FROM contractors"""
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contractors", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, open_database(Path(tmp) / "k.duckdb") as db:
        populate(db, args.contractors)
        service.supervisor_dashboard(db, SUPERVISOR, TODAY)  # warm the query plans
        times: list[float] = []
        for _ in range(args.runs):
            start = time.perf_counter()
            board = service.supervisor_dashboard(db, SUPERVISOR, TODAY)
            times.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        mine = service.supervisor_dashboard(db, SUPERVISOR, TODAY, owner="bench.supervisor")
        owner_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        listed = service.list_contractors(db, SUPERVISOR, today=TODAY)
        list_ms = (time.perf_counter() - start) * 1000
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(
        f"contractors: {args.contractors} ({board.contractors} under contract); due or overdue "
        f"{len(board.due)} ({len(board.overdue)} overdue), missing clauses "
        f"{len(board.missing_clauses)}, certificates expiring {len(board.expiring)}, "
        f"unapproved links {len(board.unapproved)}; one owner's view {len(mine.due)} due"
    )
    print(
        f"dashboard ms over {args.runs} runs: min {times[0]:.1f}, median "
        f"{statistics.median(times):.1f}, p95 {p95:.1f}, max {times[-1]:.1f}; "
        f"one owner {owner_ms:.1f}; register list of {len(listed)} {list_ms:.1f}"
    )
    print(
        json.dumps(
            {
                "contractors": args.contractors,
                "dashboard_ms_median": round(statistics.median(times), 1),
                "dashboard_ms_p95": round(p95, 1),
                "owner_dashboard_ms": round(owner_ms, 1),
                "list_ms": round(list_ms, 1),
                "rows": len(board.due)
                + len(board.missing_clauses)
                + len(board.expiring)
                + len(board.unapproved),
            }
        )
    )


if __name__ == "__main__":
    main()
