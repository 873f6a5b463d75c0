"""Rendering pieces of the Users page."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from auth.model import User
from ui.i18n import t


def users_table(
    users: Sequence[User], roles: dict[str, str], units: dict[str, str]
) -> list[dict[str, object]]:
    return [
        {
            t("users.col.username"): u.username,
            t("users.col.name"): u.display_name,
            t("users.col.role"): roles.get(u.role.value, u.role.value),
            t("users.col.unit"): units.get(u.org_unit_code or "", u.org_unit_code or ""),
            t("users.col.active"): u.active,
            t("users.col.created"): u.created_at,
        }
        for u in users
    ]


def show_password_once() -> None:
    """Show a generated password once, then forget it."""
    pending = st.session_state.pop("password_once", None)
    if pending:
        message, password = pending
        st.success(message, icon=":material/key:")
        st.code(password, language=None)
        st.caption(t("users.password_once"))
