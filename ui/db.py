"""The one DuckDB connection of the server process, opened and migrated once."""

from __future__ import annotations

import streamlit as st

from core.errors import StorageError
from core.settings import load_settings
from storage.db import Database
from storage.migrate import open_shared
from ui.i18n import t


def get_db() -> Database:
    """The shared database; a page that cannot open it says why and stops."""
    try:
        return open_shared(load_settings().db_path)
    except StorageError as exc:
        st.error(t("error.storage", detail=str(exc)))
        st.stop()
        raise  # unreachable: st.stop() ends the script run
