"""Time `make run` (dependencies already installed) until the first page is rendered.

Run: .venv/bin/python benchmarks/bench_cold_start.py [--runs N]
Starts `make run` on a free port with a temp data dir; the first start (which creates the
database and loads the demo data) is not timed; then N timed starts measure the time from
launching `make run` to Chromium showing the rendered Home page. Last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import selectors
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
READY = "[data-testid=stApp][data-test-script-state=notRunning]"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_and_render(browser: Browser, data_dir: str) -> float:
    port = free_port()
    env = {**os.environ, "KANSA_DATA_DIR": data_dir, "PYTHONUNBUFFERED": "1"}
    started = time.perf_counter()
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        seen = b""
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout.fileno(), selectors.EVENT_READ)
            while b"URL:" not in seen:
                if not sel.select(timeout=120):
                    raise RuntimeError(seen.decode())
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    raise RuntimeError(seen.decode())
                seen += chunk
        page = browser.new_page()
        page.goto(f"http://localhost:{port}/")
        page.wait_for_selector(READY, timeout=60_000)
        page.get_by_role("heading", name="Kansa（監査）").wait_for(timeout=60_000)
        elapsed = time.perf_counter() - started
        page.close()
        return elapsed
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        first = start_and_render(browser, data_dir)
        times = [start_and_render(browser, data_dir) for _ in range(args.runs)]
        browser.close()
    print(f"first start (creates database, loads demo): {first:.2f} s", file=sys.stderr)
    print(f"later starts: {', '.join(f'{t:.2f}' for t in times)} s", file=sys.stderr)
    print(
        json.dumps(
            {
                "runs": args.runs,
                "median_s": round(statistics.median(times), 2),
                "max_s": round(max(times), 2),
            }
        )
    )


if __name__ == "__main__":
    main()
