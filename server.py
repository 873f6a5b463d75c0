"""The server entry point: ``streamlit run server.py`` serves ``app.py``."""

import streamlit as st

from ui.routing import disable_legacy_pages_folder

disable_legacy_pages_folder()

app = st.App("app.py")
