"""The server entry point: ``streamlit run server.py`` serves ``app.py`` and the sign-in routes."""

import streamlit as st

from ui.auth_routes import MIDDLEWARE, ROUTES
from ui.health_routes import ROUTES as HEALTH_ROUTES
from ui.routing import disable_legacy_pages_folder

disable_legacy_pages_folder()

app = st.App("app.py", routes=[*ROUTES, *HEALTH_ROUTES], middleware=MIDDLEWARE)
