"""AppTest fixtures: run app.py against the demo data dir."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.routing import disable_legacy_pages_folder

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def make_app(demo_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """Build an AppTest of app.py in a given language (not yet run)."""
    monkeypatch.setenv("KANSA_DATA_DIR", str(demo_data_dir))
    disable_legacy_pages_folder()  # as server.py does

    def build(lang: str = "ja") -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        at.session_state["lang"] = lang
        return at

    return build
