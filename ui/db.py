"""The one DuckDB connection of the server process, opened and migrated once."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.errors import StorageError
from core.settings import load_settings
from storage.db import Database
from storage.migrate import open_database
from ui.i18n import t


@st.cache_resource(show_spinner=False)
def _open(path: str) -> Database:
    return open_database(Path(path))


def get_db() -> Database:
    """The shared database; a page that cannot open it says why and stops."""
    path = str(load_settings().db_path)
    try:
        return _open(path)
    except StorageError as exc:
        st.error(t("error.storage", detail=str(exc)))
        st.stop()
        raise  # unreachable: st.stop() ends the script run
