"""The ASGI entry point: ``streamlit run server.py`` serves ``app.py``.

Our screens live in ``pages/`` and are routed by ``st.navigation`` in ``app.py``. Streamlit
would also treat a folder named ``pages`` as old-style automatic pages and, when a visitor's
first request names a page URL, run that page *without* ``app.py`` (no navigation, no
language switch, no sign-in gate). Turning that mode off before any session starts makes
every request go through ``app.py``.
"""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

PagesManager.uses_pages_directory = False

app = st.App("app.py")
