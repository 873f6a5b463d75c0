"""A real ``streamlit run server.py`` on a free port with a temp data dir, and Chromium.

The server is ready when it prints its URL; pages are ready when Streamlit marks the script
as not running. Nothing here sleeps.
"""

from __future__ import annotations

import os
import selectors
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import ROOT, DemoData, prepare_data_dir

CHROMIUM = os.environ.get("KANSA_CHROMIUM", "/usr/bin/chromium")
READY = "[data-testid=stApp][data-test-script-state=notRunning]"
SCREENSHOTS = Path(os.environ.get("KANSA_SCREENSHOTS", ROOT / "screenshots"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_output(proc: subprocess.Popen[bytes], marker: bytes, timeout: float) -> bytes:
    """Read the server's output until ``marker`` appears (or the process dies)."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    seen = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while marker not in seen:
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(timeout=left):
                raise RuntimeError("Streamlit did not start:\n" + seen.decode(errors="replace"))
            chunk = os.read(fd, 65536)
            if not chunk:
                raise RuntimeError("Streamlit exited:\n" + seen.decode(errors="replace"))
            seen += chunk
    return seen


def _drain(proc: subprocess.Popen[bytes], log: list[bytes]) -> None:
    """Keep reading the server's output so a full pipe never blocks it."""
    assert proc.stdout is not None
    for line in proc.stdout:
        log.append(line)


@pytest.fixture(scope="session")
def e2e_demo(tmp_path_factory: pytest.TempPathFactory) -> DemoData:
    return prepare_data_dir(tmp_path_factory.mktemp("kansa-e2e"))


@pytest.fixture(scope="session")
def server(e2e_demo: DemoData) -> Iterator[str]:
    data_dir = e2e_demo.data_dir
    port = _free_port()
    env = {**os.environ, "KANSA_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "server.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    log: list[bytes] = []
    try:
        log.append(_wait_for_output(proc, b"URL:", timeout=60))
        threading.Thread(target=_drain, args=(proc, log), daemon=True).start()
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (see .ci/run)")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ja-JP")
    pg = context.new_page()
    yield pg
    context.close()


def settle(page: Page) -> None:
    """Wait until Streamlit has finished running the script for the current state."""
    page.wait_for_selector(READY, timeout=30_000)


def shot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(
    page: Page, server: str, demo: DemoData, role: str, *, path: str = "/", lang: str = "en"
) -> None:
    """Sign in through the real form as the demo user of ``role``; land on ``path``."""
    page.goto(f"{server}{path}{'&' if '?' in path else '?'}lang={lang}")
    page.wait_for_selector("form[action^='/auth/login']")
    page.fill("#username", demo.users[role])
    page.fill("#password", demo.password)
    page.click("button[type=submit]")
    settle(page)
