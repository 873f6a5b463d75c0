"""Server time of the Findings register page with 20,000 findings in the database.

The page is run headless with Streamlit's AppTest as a signed-in auditor: each run is a full
script run (sign-in check, navigation, filters, count + newest-rows query, table styling and
serialisation), which is what the server spends before the browser gets the page.

Run: .venv/bin/python benchmarks/bench_findings.py [--findings 20000] [--runs 7]
Last line JSON: {"findings": N, "page_ms_median": ..., "page_ms_max": ..., "query_ms": ...,
"all_rows_ms": ...}  (query_ms: count + the page's rows; all_rows_ms: every finding as
objects, what the exports build on click)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auth import service as auth_service
from auth.model import Principal
from auth.secret import load_or_create_secret
from controls.service import sync_library
from core.settings import Settings
from demo.service import load_demo
from findings import service as findings
from findings.model import FindingFilter
from storage.migrate import open_database, open_shared

ROOT = Path(__file__).resolve().parent.parent
OPERATOR = Principal.cli("bench")
REGISTER_ROWS = 500

FILL = """
INSERT INTO findings (ref, assessment_id, control_id, grade, status, statement, criterion_en,
                      criterion_ja, org_unit_code, owner, due_date, raised_by, updated_by,
                      raised_at)
SELECT 'F-2019-' || lpad(CAST(i AS VARCHAR), 6, '0'),
       a.ids[1 + i % len(a.ids)],
       ['ORG-03', 'TEC-01', 'PHY-02', 'HUM-01', 'CON-02', 'POL-02'][1 + i % 6],
       ['major', 'minor', 'observation', 'ofi', 'good'][1 + i % 5],
       ['open', 'action_planned', 'action_done', 'verified', 'closed'][1 + (i // 5) % 5],
       '台帳の更新が遅れている事例 ' || i || ': 保管場所の記載が実態と異なる',
       'ORG-03 Personal-information register (ledger) kept current',
       'ORG-03 個人情報取扱台帳の整備',
       a.units[1 + i % len(a.ids)],
       ['s.okamoto', 'y.imai', 'd.sugimoto'][1 + i % 3],
       DATE '2025-01-01' + CAST(i % 800 AS INTEGER),
       'a.miyoshi', 'a.miyoshi',
       TIMESTAMPTZ '2024-04-01 09:00:00+09' + to_days(CAST(i % 900 AS INTEGER))
FROM range(?) t(i),
     (SELECT list(id) AS ids, list(scope_unit) AS units FROM assessments) a
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--findings", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        load_or_create_secret(data / "session.key")
        with open_database(data / "kansa.duckdb") as db:
            sync_library(db, OPERATOR)
            summary = load_demo(db, OPERATOR)
            with db.transaction() as cur:
                cur.execute(FILL, [args.findings])
        os.environ["KANSA_DATA_DIR"] = str(data)
        db = open_shared(data / "kansa.duckdb")
        auditor = next(u for u, r in summary.users if r == "auditor")
        grant = auth_service.sign_in(
            db,
            Settings(data_dir=data),
            load_or_create_secret(data / "session.key"),
            username=auditor,
            password=summary.password,
            client="bench",
        )
        total = findings.count_findings(db, OPERATOR, FindingFilter())[0]

        today = date.today()
        start = time.perf_counter()
        findings.count_findings(db, OPERATOR, FindingFilter(), today)
        findings.list_findings(db, OPERATOR, FindingFilter(limit=REGISTER_ROWS), today)
        query_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        every = findings.list_findings(db, OPERATOR, FindingFilter(), today)
        all_rows_ms = (time.perf_counter() - start) * 1000
        assert len(every) == total

        from streamlit.testing.v1 import AppTest  # noqa: PLC0415 -- after KANSA_DATA_DIR is set

        from ui.routing import disable_legacy_pages_folder  # noqa: PLC0415

        disable_legacy_pages_folder()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state["lang"] = "en"
        at.session_state["kansa_token"] = grant.token
        at.switch_page("pages/findings.py")
        at.run()  # first run: imports and caches, not what a user waits for on each click
        assert not at.exception, at.exception
        assert len(at.dataframe[0].value) == REGISTER_ROWS
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - start) * 1000)
            assert not at.exception, at.exception
    print(
        f"findings: {total} ({args.findings} generated + demo); register shows the newest "
        f"{REGISTER_ROWS}; {args.runs} page runs"
    )
    print(
        f"page run median {statistics.median(times):.0f} ms, max {max(times):.0f} ms; "
        f"count + rows query {query_ms:.0f} ms; all {total} rows as objects {all_rows_ms:.0f} ms"
    )
    print(
        json.dumps(
            {
                "findings": total,
                "page_ms_median": round(statistics.median(times), 1),
                "page_ms_max": round(max(times), 1),
                "query_ms": round(query_ms, 1),
                "all_rows_ms": round(all_rows_ms, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
