"""Time `make run` (dependencies already installed) until the first page is rendered.

Run: .venv/bin/python benchmarks/bench_cold_start.py [--runs N]
Starts `make run` on a free port with a temp data dir; the first start (which creates the
database and loads the demo data, printing the demo password) is not timed; then N timed
starts measure, from launching `make run`: the sign-in form shown in Chromium (the first page
a visitor gets), and the Home page rendered after signing in as the demo auditor. Last line
is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import re
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


def start_and_render(browser: Browser, data_dir: str, password: str) -> tuple[float, float, str]:
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
        found = re.search(rb"password: (\S+)", seen)
        password = found.group(1).decode() if found else password
        page = browser.new_page()
        page.goto(f"http://localhost:{port}/")
        page.wait_for_selector("form[action^='/auth/login']", timeout=60_000)
        to_form = time.perf_counter() - started
        page.fill("#username", "a.miyoshi")
        page.fill("#password", password)
        page.click("button[type=submit]")
        page.wait_for_selector(READY, timeout=60_000)
        page.get_by_role("heading", name="Kansa（監査）").wait_for(timeout=60_000)
        to_home = time.perf_counter() - started
        page.close()
        return to_form, to_home, password
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
        first_form, first_home, password = start_and_render(browser, data_dir, "")
        runs = [start_and_render(browser, data_dir, password) for _ in range(args.runs)]
        browser.close()
    forms = [r[0] for r in runs]
    homes = [r[1] for r in runs]
    print(
        f"first start (creates database, loads demo): form {first_form:.2f} s, "
        f"home {first_home:.2f} s",
        file=sys.stderr,
    )
    print(
        f"later starts, to the sign-in form: {', '.join(f'{t:.2f}' for t in forms)} s",
        file=sys.stderr,
    )
    print(
        f"later starts, to Home after signing in: {', '.join(f'{t:.2f}' for t in homes)} s",
        file=sys.stderr,
    )
    result = {
        "runs": args.runs,
        "median_s": round(statistics.median(forms), 2),
        "max_s": round(max(forms), 2),
        "home_median_s": round(statistics.median(homes), 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
