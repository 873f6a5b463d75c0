"""The one DuckDB connection of the server process, opened and migrated once."""

from __future__ import annotations

import streamlit as st

from core.errors import StorageError
from core.settings import load_settings
from storage.db import Database
from storage.migrate import open_shared
from ui.i18n import t


def shared_db() -> Database:
    """The server process's database (for code outside a script run, e.g. HTTP routes)."""
    return open_shared(load_settings().db_path)


def get_db() -> Database:
    """The shared database; a page that cannot open it says why and stops."""
    try:
        return shared_db()
    except StorageError as exc:
        st.error(t("error.storage", detail=str(exc)))
        st.stop()
        raise  # unreachable: st.stop() ends the script run
