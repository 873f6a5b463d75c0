"""One kind of message for each kind of error (core.errors)."""

from __future__ import annotations

import streamlit as st

from core.errors import Conflict, KansaError, NotFound, PermissionDenied, ValidationFailed
from ui.i18n import t


def show_error(exc: KansaError) -> None:
    if isinstance(exc, ValidationFailed):
        detail = "; ".join(f"{i.field}: {i.message}" for i in exc.issues)
        st.error(t("error.invalid", detail=detail), icon=":material/error:")
    elif isinstance(exc, Conflict):
        st.error(t("error.conflict", detail=str(exc)), icon=":material/sync_problem:")
    elif isinstance(exc, PermissionDenied):
        st.error(t("error.not_permitted", detail=str(exc)), icon=":material/block:")
    elif isinstance(exc, NotFound):
        st.error(t("error.not_found", detail=str(exc)), icon=":material/search_off:")
    else:
        st.error(str(exc), icon=":material/error:")
