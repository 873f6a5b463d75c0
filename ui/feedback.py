"""One kind of message for each kind of error (core.errors)."""

from __future__ import annotations

import streamlit as st

from core.errors import Conflict, KansaError, NotFound, PermissionDenied, ValidationFailed
from ui.i18n import t
from ui.text import md_escape


def show_error(exc: KansaError) -> None:
    # Messages can quote what users typed: shown literally, never as Markdown.
    if isinstance(exc, ValidationFailed):
        detail = "; ".join(f"{i.field}: {i.message}" for i in exc.issues)
        st.error(t("error.invalid", detail=md_escape(detail)), icon=":material/error:")
    elif isinstance(exc, Conflict):
        # Conflict messages say themselves what was not done ("Not saved: ...").
        st.error(md_escape(str(exc)), icon=":material/sync_problem:")
    elif isinstance(exc, PermissionDenied):
        st.error(t("error.not_permitted", detail=md_escape(str(exc))), icon=":material/block:")
    elif isinstance(exc, NotFound):
        st.error(t("error.not_found", detail=md_escape(str(exc))), icon=":material/search_off:")
    else:
        st.error(md_escape(str(exc)), icon=":material/error:")
