"""AppTest fixtures: app.py against the demo data, signed in as a demo user of some role."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from auth import service as auth_service
from auth.secret import load_or_create_secret
from core.settings import Settings
from storage.migrate import open_shared
from tests.conftest import DemoData
from ui.routing import disable_legacy_pages_folder

ROOT = Path(__file__).resolve().parents[2]
TOKEN_KEY = "kansa_token"


def sign_in_token(demo: DemoData, role: str) -> str:
    """A real session token for the demo user of ``role`` (signed with the data dir's key)."""
    grant = auth_service.sign_in(
        open_shared(demo.db_path),
        Settings(data_dir=demo.data_dir),
        load_or_create_secret(demo.data_dir / "session.key"),
        username=demo.users[role],
        password=demo.password,
        client="apptest",
    )
    return grant.token


@pytest.fixture
def make_app(demo_data: DemoData, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """Build an AppTest of app.py in a language, signed in as ``role`` (None: signed out)."""
    monkeypatch.setenv("KANSA_DATA_DIR", str(demo_data.data_dir))
    disable_legacy_pages_folder()  # as server.py does

    def build(lang: str = "ja", role: str | None = "auditor", token: str | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        at.session_state["lang"] = lang
        if token is not None:
            at.session_state[TOKEN_KEY] = token
        elif role is not None:
            at.session_state[TOKEN_KEY] = sign_in_token(demo_data, role)
        return at

    return build
