"""Self-inspection campaigns: list and filter them, open one, and (auditors) plan a new one."""

from datetime import date

import streamlit as st

from assessments import service as assessments
from assessments.model import Status
from auth import service as users
from auth.model import Permission, Role
from auth.permissions import has_permission
from controls import service as catalogues
from core.errors import KansaError
from org import service as org
from ui.assessments import (
    assessments_columns,
    assessments_table,
    flash,
    pick_assessment,
    remember,
    show_flash,
    status_label,
)
from ui.db import get_db
from ui.feedback import show_error
from ui.i18n import current_lang, t
from ui.session import require
from ui.text import md_escape

me = require(Permission.ASSESSMENT_READ)
db = get_db()
lang = current_lang()
st.title(t("assessments.title"))
st.caption(t("assessments.caption"))
show_flash()

units = {u.code: u.name(lang) for u in org.list_units(db, me)}
catalogue_names = {c.id: c.name(lang) for c in catalogues.list_catalogues(db, me)}
all_users = users.list_users(db, me) if has_permission(me.role, Permission.USER_READ) else []
names = {u.username: u.display_name or u.username for u in all_users}

everything = assessments.list_assessments(db, me)
years = sorted({a.year for a in everything if a.year is not None}, reverse=True)
c1, c2, c3 = st.columns(3)
# Option labels are computed here, in the script run: format_func may also be called where the
# session (and so the language) is not at hand.
everyone_label = t("assessments.filter.all")
status_labels = {"": everyone_label, **{s.value: status_label(s) for s in Status}}
scope_labels = {
    "": everyone_label,
    **{u: f"{u} · {units.get(u, u)}" for u in sorted({a.scope_unit for a in everything})},
}
year_labels = {0: everyone_label, **{y: str(y) for y in years}}
status = c1.selectbox(
    t("assessments.filter.status"),
    list(status_labels),
    format_func=status_labels.__getitem__,
    key="assessments_status",
)
scope = c2.selectbox(
    t("assessments.filter.scope"),
    list(scope_labels),
    format_func=scope_labels.__getitem__,
    key="assessments_scope",
)
year = c3.selectbox(
    t("assessments.filter.year"),
    list(year_labels),
    format_func=year_labels.__getitem__,
    key="assessments_year",
)
shown = assessments.list_assessments(
    db, me, status=status or None, scope=scope or None, year=year or None
)
st.caption(t("assessments.count", shown=len(shown), total=len(everything)))
if shown:
    st.dataframe(
        assessments_table(shown, units, catalogue_names, names),
        hide_index=True,
        width="stretch",
        column_config=assessments_columns(),
    )
    with st.container(border=True):
        chosen = pick_assessment(shown, units, key="assessments_open")
        if chosen is None:
            st.caption(t("assessments.open_hint"))
        else:
            links = st.columns(3)
            target = {"id": chosen.id, "lang": lang}
            links[0].page_link(
                "pages/workspace.py",
                label=t("assessments.link.workspace"),
                icon=":material/edit_note:",
                query_params=target,
            )
            if has_permission(me.role, Permission.ASSESSMENT_REVIEW):
                links[1].page_link(
                    "pages/review.py",
                    label=t("assessments.link.review"),
                    icon=":material/rule:",
                    query_params=target,
                )
            links[2].page_link(
                "pages/scores.py",
                label=t("assessments.link.scores"),
                icon=":material/monitoring:",
                query_params=target,
            )
else:
    st.info(t("assessments.empty"), icon=":material/info:")

if has_permission(me.role, Permission.ASSESSMENT_PLAN):
    latest = catalogues.latest_catalogues(db, me)
    team = [u for u in all_users if u.active and u.role in (Role.AUDITOR, Role.ADMIN)]
    team_names = {u.username: f"{u.display_name} ({u.username})" for u in team}
    everyone = {u.username: f"{u.display_name} ({u.username})" for u in all_users if u.active}
    own = [me.username] if me.username in team_names else []
    with (
        st.expander(t("assessments.new.title"), icon=":material/add:", expanded=not everything),
        st.form("new_assessment", border=False),
    ):
        st.caption(t("assessments.new.caption"))
        title = st.text_input(t("assessments.new.name"), max_chars=200)
        catalogue_labels = {
            c.urn: f"{c.name(lang)} · {t('catalogue.version', version=c.version)}" for c in latest
        }
        urn = st.selectbox(
            t("assessments.new.catalogue"),
            list(catalogue_labels),
            format_func=catalogue_labels.__getitem__,
        )
        unit_labels = {u: f"{u} · {name}" for u, name in units.items()}
        unit = st.selectbox(
            t("assessments.new.scope"),
            list(unit_labels),
            index=None,
            format_func=unit_labels.__getitem__,
            placeholder=t("assessments.new.scope_placeholder"),
        )
        p1, p2 = st.columns(2)
        start = p1.date_input(t("assessments.new.start"), value=date.today())
        end = p2.date_input(t("assessments.new.end"), value=None)
        lead = st.selectbox(
            t("assessments.new.lead"),
            list(team_names),
            index=list(team_names).index(own[0]) if own else None,
            format_func=team_names.__getitem__,
            placeholder=t("assessments.new.none"),
        )
        auditors = st.multiselect(
            t("assessments.new.auditors"),
            list(team_names),
            format_func=team_names.__getitem__,
            placeholder=t("assessments.new.none"),
        )
        auditees = st.multiselect(
            t("assessments.new.auditees"),
            list(everyone),
            format_func=everyone.__getitem__,
            placeholder=t("assessments.new.none"),
        )
        if st.form_submit_button(t("assessments.new.submit"), type="primary"):
            try:
                created = assessments.create_assessment(
                    db,
                    me,
                    title=title,
                    catalogue_urn=urn or "",
                    scope_unit=unit or "",
                    period_start=start.isoformat() if isinstance(start, date) else None,
                    period_end=end.isoformat() if isinstance(end, date) else None,
                    lead_auditor=lead,
                    auditors=auditors,
                    auditees=auditees,
                )
            except KansaError as exc:
                show_error(exc)
            else:
                remember(created.id)
                flash(t("assessments.new.created", title=md_escape(created.title)))
                st.rerun()
