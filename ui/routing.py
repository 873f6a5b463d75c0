"""Make every request go through ``app.py``'s ``st.navigation``."""

from __future__ import annotations

from streamlit.runtime.pages_manager import PagesManager


def disable_legacy_pages_folder() -> None:
    """Stop Streamlit treating ``pages/`` as automatic pages.

    Streamlit decides this once per process, when the first session starts: if a ``pages``
    folder sits beside the main script and that first visit asks for a page URL, it runs the
    page file directly -- skipping ``app.py`` and so its navigation and any sign-in gate --
    and keeps doing so. Deciding it before any session starts closes that path.
    """
    PagesManager.uses_pages_directory = False
