"""Kansa's Streamlit entry point: page config, language, sign-in gate and navigation.

Every page is registered with ``st.navigation`` (hidden) so that a URL always runs inside this
script; the sidebar lists only the pages the signed-in user's role may open, and each page
checks its permission again.
"""

import streamlit as st

from auth.permissions import has_permission
from ui.db import get_db
from ui.i18n import init_lang, language_switch, t
from ui.navigation import PAGES
from ui.session import current_principal, same_tab_link, sign_in_prompt

st.set_page_config(page_title="Kansa 監査", page_icon=":material/fact_check:", layout="wide")
init_lang()  # before any text: the first run of a session takes ?lang= from the URL
get_db()  # open and migrate once; stops with a message if the database is unusable

pages = {
    spec.path: st.Page(spec.path, title=t(spec.title_key), icon=spec.icon, default=spec.default)
    for spec in PAGES
}
navigation = st.navigation(list(pages.values()), position="hidden")
principal = current_principal()

if principal is None:
    language_switch()
    sign_in_prompt(navigation.url_path)
    st.stop()

with st.sidebar:
    group = None
    for spec in PAGES:
        if not has_permission(principal.role, spec.permission):
            continue
        if spec.group_key != group:
            group = spec.group_key
            st.caption(t(group))
        st.page_link(pages[spec.path], icon=spec.icon)
    st.divider()
language_switch()
with st.sidebar:
    st.caption(
        t(
            "auth.signed_in_as",
            name=principal.display_name or principal.username,
            role=t(f"role.{principal.role.value}"),
        )
    )
    same_tab_link(t("auth.sign_out"), "/auth/logout")

navigation.run()
