"""Users (admin): add users, set role and department, deactivate, reset passwords."""

import streamlit as st

from auth import service as users
from auth.model import Permission, Role
from core.errors import KansaError
from org import service as org
from ui.db import get_db
from ui.feedback import show_error
from ui.i18n import current_lang, t
from ui.session import require
from ui.users import show_password_once, users_table

me = require(Permission.USER_ADMIN)
db = get_db()
lang = current_lang()
st.title(t("users.title"))
st.caption(t("users.caption"))

show_password_once()
all_users = users.list_users(db, me)
units = {u.code: u.name(lang) for u in org.list_units(db, me)}
roles = {r.value: t(f"role.{r.value}") for r in Role}
unit_options = ["", *units]
unit_labels = {"": t("users.add.no_unit"), **{c: f"{c} · {n}" for c, n in units.items()}}

st.dataframe(users_table(all_users, roles, units), hide_index=True, width="stretch")

left, right = st.columns(2)
with left, st.form("add_user", clear_on_submit=True, border=True):
    st.subheader(t("users.add.title"))
    username = st.text_input(t("users.add.username"), max_chars=64)
    display_name = st.text_input(t("users.add.display_name"), max_chars=200)
    role = st.selectbox(t("users.add.role"), list(roles), format_func=roles.__getitem__)
    unit = st.selectbox(t("users.add.unit"), unit_options, format_func=unit_labels.__getitem__)
    if st.form_submit_button(t("users.add.submit"), type="primary"):
        try:
            created = users.create_user(
                db,
                me,
                username=username,
                display_name=display_name,
                role=role,
                org_unit_code=unit or None,
            )
        except KansaError as exc:
            show_error(exc)
        else:
            message = t("users.added", username=created.user.username)
            st.session_state["password_once"] = (message, created.password)
            st.rerun()

with right, st.container(border=True):
    st.subheader(t("users.edit.title"))
    by_name = {u.username: u for u in all_users}
    name = st.selectbox(t("users.edit.select"), list(by_name), key="edit_user")
    user = by_name[name]
    # Saving checks against the version this form first showed, not the one re-read on the
    # click's rerun: a change someone made in between is reported, not overwritten.
    shown_key = f"shown_version_{name}"
    shown = st.session_state.setdefault(shown_key, user.version)
    st.caption(t("users.edit.version", version=shown))
    new_role = st.selectbox(
        t("users.add.role"),
        list(roles),
        format_func=roles.__getitem__,
        index=list(roles).index(user.role.value),
        key=f"role_{name}",
    )
    current_unit = user.org_unit_code if user.org_unit_code in units else ""
    new_unit = st.selectbox(
        t("users.add.unit"),
        unit_options,
        format_func=unit_labels.__getitem__,
        index=unit_options.index(current_unit),
        key=f"unit_{name}",
    )
    save = st.button(t("users.edit.save"), key="save_user", type="primary")
    b2, b3 = st.columns(2)
    toggle_key = "users.edit.deactivate" if user.active else "users.edit.reactivate"
    toggle = b2.button(t(toggle_key), key="toggle_user", width="stretch")
    reset = b3.button(t("users.edit.reset"), key="reset_password", width="stretch")
    if save or toggle or reset:
        st.session_state.pop(shown_key)  # whatever happens, the next run shows the latest
        try:
            if save:
                users.change_user(
                    db,
                    me,
                    username=name,
                    expected_version=shown,
                    role=new_role,
                    org_unit_code=new_unit,
                )
                st.toast(t("users.edit.saved", username=name))
            elif toggle and user.active:
                users.deactivate_user(db, me, username=name, expected_version=shown)
                st.toast(t("users.edit.deactivated", username=name))
            elif toggle:
                users.reactivate_user(db, me, username=name, expected_version=shown)
                st.toast(t("users.edit.reactivated", username=name))
            else:
                password = users.reset_password(db, me, username=name, expected_version=shown)
                message = t("users.edit.reset_done", username=name)
                st.session_state["password_once"] = (message, password)
        except KansaError as exc:
            show_error(exc)
        else:
            st.rerun()
