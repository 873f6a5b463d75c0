"""Kansa's Streamlit entry point: page config, language, and the navigation."""

import streamlit as st

from ui.db import get_db
from ui.i18n import language_switch, t

st.set_page_config(page_title="Kansa 監査", page_icon=":material/fact_check:", layout="wide")
language_switch()
get_db()  # open and migrate once; stops with a message if the database is unusable

navigation = st.navigation(
    {
        t("nav.group.overview"): [
            st.Page("pages/home.py", title=t("nav.home"), icon=":material/home:", default=True),
        ],
        t("nav.group.library"): [
            st.Page("pages/catalogue.py", title=t("nav.catalogue"), icon=":material/menu_book:"),
        ],
    }
)
navigation.run()
