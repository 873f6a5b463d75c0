"""Contractor supervision (APPI Art. 25): what needs the supervisor, the contractor register,
the risk-tier rule, registering a contractor, and one contractor in detail with its reviews."""

from datetime import date

import streamlit as st

from auth import service as users
from auth.model import Permission, Role
from auth.permissions import has_permission
from contractors import service as contractors
from core.errors import KansaError
from ui.assessments import flash, show_flash
from ui.contractor_detail import certifications, chain, header, locations, register_data
from ui.contractor_reviews import reviews
from ui.contractors import (
    OPEN_KEY,
    PENDING_KEY,
    contractor_form,
    dashboard,
    forget_versions,
    open_contractor,
    register_frame,
    reset_form,
    styled_register,
    tier_labels,
    tier_rule,
)
from ui.db import get_db
from ui.feedback import show_error
from ui.i18n import current_lang, t
from ui.session import require
from ui.text import md_escape

REGISTER_ROWS = 500  # a styled table of thousands of rows takes seconds to send

me = require(Permission.CONTRACTOR_READ)
db = get_db()
lang = current_lang()
today = date.today()
can_edit = has_permission(me.role, Permission.CONTRACTOR_EDIT)
st.title(t("ctr.title"))

everyone = contractors.list_contractors(db, me, today=today)
if has_permission(me.role, Permission.USER_READ):
    owners = {
        u.username: f"{u.display_name or u.username} ({u.username})"
        for u in users.list_users(db, me)
        if u.active and u.role in (Role.SUPERVISOR, Role.ADMIN)
    }
else:  # supervisors cannot list users: themselves and the owners already on the register
    owners = {me.username: f"{me.display_name or me.username} ({me.username})"}
    owners.update({c.owner: c.owner for c in everyone if c.owner not in owners})

# --- what needs the supervisor ----------------------------------------------------------------
st.subheader(t("ctr.dash.title"), anchor=False)
mine = me.role == Role.SUPERVISOR and st.toggle(t("ctr.dash.mine"), key="ctr_dash_mine")
try:
    dashboard(contractors.supervisor_dashboard(db, me, today, owner=me.username if mine else None))
except KansaError as exc:
    show_error(exc)

# --- the register ------------------------------------------------------------------------------
st.subheader(t("ctr.register.title"), anchor=False)
tiers = {"": t("ctr.filter.all"), **tier_labels()}
owner_names = {"": t("ctr.filter.all"), **owners}
f1, f2, f3 = st.columns([1, 1, 2])
tier = f1.selectbox(
    t("ctr.col.tier"), list(tiers), format_func=lambda k: tiers.get(k, k), key="ctr_f_tier"
)
owner = f2.selectbox(
    t("ctr.col.owner"),
    list(owner_names),
    format_func=lambda k: owner_names.get(k, k),
    key="ctr_f_owner",
)
query = f3.text_input(
    t("ctr.filter.search"), key="ctr_f_query", placeholder=t("ctr.filter.search.help")
)
found = contractors.list_contractors(
    db, me, tier=tier or None, owner=owner or None, query=query or None, today=today
)
late = sum(1 for c in found if c.overdue)
st.caption(t("ctr.register.count", count=len(found), total=len(everyone), overdue=late))
shown = found[:REGISTER_ROWS]  # ordered by next review: overdue ones come first
if len(found) > len(shown):
    st.caption(t("ctr.register.first_rows", shown=len(shown), total=len(found)))
if shown:
    st.dataframe(
        styled_register(register_frame(shown, lang), shown),
        hide_index=True,
        width="stretch",
        column_config={t("ctr.col.individuals"): st.column_config.NumberColumn(format="localized")},
    )
else:
    st.info(t("ctr.register.empty"), icon=":material/inbox:")

with st.expander(t("ctr.rule.title"), icon=":material/help:"):
    tier_rule()

if can_edit:
    if st.session_state.pop("ctr_new_done", False):
        st.session_state["ctr_new_open"] = False  # registered: fold the emptied form away
    with st.expander(
        t("ctr.new.title"), icon=":material/add_business:", key="ctr_new_open", on_change="rerun"
    ):
        draft = contractor_form("ctr-new", owners, None, submit=t("ctr.new.submit"))
        if draft is not None:
            try:
                created = contractors.register_contractor(db, me, draft, today=today)
            except KansaError as exc:
                show_error(exc)
            else:
                forget_versions()
                reset_form("ctr-new")
                st.session_state["ctr_new_done"] = True
                open_contractor(created.id)
                flash(
                    t(
                        "ctr.new.done",
                        name=md_escape(created.name),
                        code=created.code,
                        tier=tier_labels()[created.tier.value],
                        due=created.next_review_due.isoformat(),
                    )
                )
                st.rerun()

# --- one contractor ----------------------------------------------------------------------------
st.subheader(t("ctr.detail.title"), anchor=False)
labels = {
    c.id: f"{c.code} · {c.name_en if lang == 'en' and c.name_en else c.name}" for c in everyone
}
codes = {c.id: c.code for c in everyone}
by_code = {c.code: c.id for c in everyone}


def _keep_in_url() -> None:
    """A contractor chosen here goes into the URL, so a link (or a reload) opens it again."""
    picked = st.session_state.get(OPEN_KEY)
    if picked in codes:
        st.query_params["contractor"] = codes[picked]
    elif "contractor" in st.query_params:
        del st.query_params["contractor"]


pending = st.session_state.pop(PENDING_KEY, None)
asked = st.query_params.get("contractor")
if pending in labels:
    st.session_state[OPEN_KEY] = pending
elif asked in by_code and st.session_state.get(OPEN_KEY) != by_code[asked]:
    st.session_state[OPEN_KEY] = by_code[asked]
chosen = st.selectbox(
    t("ctr.detail.pick"),
    list(labels),
    index=None,
    format_func=lambda k: labels.get(k, k),
    placeholder=t("ctr.detail.placeholder"),
    key=OPEN_KEY,
    on_change=_keep_in_url,
)
show_flash()  # beside the detail, where the user acted (the page is long)
if chosen:
    if st.query_params.get("contractor") != codes[chosen]:
        st.query_params["contractor"] = codes[chosen]
    try:
        detail = contractors.get_contractor(db, me, chosen, today=today)
    except KansaError as exc:
        show_error(exc)
        st.stop()
    with st.container(border=True):
        header(detail, lang)
        # Keyed: the open tab survives reruns (a message appearing above would otherwise
        # move the tabs and show the first one again, e.g. right after an upload).
        tabs = st.tabs(
            [
                t("ctr.tab.data"),
                t("ctr.tab.certs"),
                t("ctr.tab.chain"),
                t("ctr.tab.locations"),
                t("ctr.tab.reviews"),
            ],
            key="ctr_tab",
            on_change="rerun",
        )
        with tabs[0]:
            register_data(me, detail, owners, lang, can_edit)
        with tabs[1]:
            certifications(me, detail, can_edit)
        with tabs[2]:
            chain(me, detail, everyone, can_edit)
        with tabs[3]:
            locations(me, detail, lang, can_edit)
        with tabs[4]:
            reviews(me, detail, lang, can_edit)
