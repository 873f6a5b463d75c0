"""Dashboards at a million answers: server time of each query set, and the executive overview's
first paint in headless Chromium.

Builds a data dir with `kansa init` + the demo company + `demo --scale N` (timed: the
generation target is < 60 s), then
- overview_ms: dashboards.service.overview (scores of each unit's latest two closed
  assessments, weakest controls, open findings, contractors, countries);
- heatmap_ms: the latest-closed-per-unit scores alone (what the heatmap draws);
- trend_ms: dashboards.service.trend (every closed assessment of the catalogue);
- first_paint_ms: a real browser, already signed in, navigating to /overview until the last
  Plotly chart has drawn (median of 3; the cache is cleared between runs by a write).

Run: .venv/bin/python benchmarks/bench_dashboard.py [--responses 1000000]
Last line JSON: {"responses": N, "overview_ms": ..., "heatmap_ms": ..., "trend_ms": ...,
"first_paint_ms": ..., "generate_s": ...}
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auth.model import Principal
from auth.secret import load_or_create_secret
from controls.service import sync_library
from core.settings import Settings
from dashboards import repository
from dashboards import service as dashboards
from dashboards.model import DashboardFilter
from demo.service import load_demo, load_scale
from evidence.store import EvidenceStore
from storage.migrate import open_database

ROOT = Path(__file__).resolve().parent.parent
OPERATOR = Principal.cli("bench")
READY = "[data-testid=stApp][data-test-script-state=notRunning]"


def best_ms(func: object, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def first_paint(data: Path, password: str, runs: int = 3) -> list[float]:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 -- only for this figure

    port = free_port()
    env = {**os.environ, "KANSA_DATA_DIR": str(data), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    assert proc.stdout is not None
    while b"URL:" not in proc.stdout.readline():
        pass
    url = f"http://127.0.0.1:{port}"
    times = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{url}/?lang=en")
            page.wait_for_selector("form[action^='/auth/login']")
            page.fill("#username", "m.aoyagi")
            page.fill("#password", password)
            page.click("button[type=submit]")
            page.wait_for_selector(READY, timeout=60_000)
            for _ in range(runs):
                start = time.perf_counter()
                page.goto(f"{url}/overview?lang=en")
                # the page's charts: heatmap, weakest, findings, tiers, countries
                page.wait_for_function(
                    "document.querySelectorAll('.js-plotly-plot .main-svg').length >= 10",
                    timeout=120_000,
                )
                page.wait_for_selector(READY, timeout=120_000)
                times.append((time.perf_counter() - start) * 1000)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        load_or_create_secret(data / "session.key")
        start = time.perf_counter()
        with open_database(data / "kansa.duckdb") as db:
            sync_library(db, OPERATOR)
            summary = load_demo(db, OPERATOR, EvidenceStore.from_settings(Settings(data_dir=data)))
            counts = load_scale(db, OPERATOR, args.responses)
            generate_s = time.perf_counter() - start
            with db.cursor() as cur:
                total = cur.execute("SELECT count(*) FROM responses").fetchone()
                cur.execute("CHECKPOINT")
            responses = int(total[0]) if total else 0
            flt = DashboardFilter()
            overview_ms = best_ms(lambda: dashboards.overview(db, OPERATOR, flt))
            with db.cursor() as cur:
                heatmap_ms = best_ms(
                    lambda: repository.latest_scores(cur, flt.urn, None, None, depth=1)
                )
            trend_ms = best_ms(lambda: dashboards.trend(db, OPERATOR, flt))
            units = len(dashboards.overview(db, OPERATOR, flt).units)
        paints = first_paint(data, summary.password)
    print(
        f"data: {responses} answers ({counts['responses']} generated) in {counts['assessments']} "
        f"closed self-inspections of {units} units, {counts['findings']} findings; "
        f"generated in {generate_s:.1f} s"
    )
    print(
        f"overview {overview_ms:.0f} ms, heatmap {heatmap_ms:.0f} ms, trend {trend_ms:.0f} ms "
        f"(best of 5); first paint of the overview {[round(x) for x in paints]} ms"
    )
    print(
        json.dumps(
            {
                "responses": responses,
                "overview_ms": round(overview_ms, 1),
                "heatmap_ms": round(heatmap_ms, 1),
                "trend_ms": round(trend_ms, 1),
                "first_paint_ms": round(statistics.median(paints), 1),
                "generate_s": round(generate_s, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
