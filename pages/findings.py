"""Findings register: every finding the user may see, filtered; open one to act on it."""

from dataclasses import replace
from datetime import date

import streamlit as st

from assessments import service as assessments
from auth import service as users
from auth.model import Permission
from auth.permissions import has_permission
from core.errors import KansaError
from findings import service as findings
from findings.model import FindingFilter, Grade, Status
from org import service as org
from reports.findings_export import findings_csv, findings_xlsx
from ui.assessments import show_flash
from ui.db import get_db, shared_db
from ui.feedback import show_error
from ui.findings import (
    finding_detail,
    grade_labels,
    register_frame,
    status_labels,
    styled_register,
)
from ui.i18n import current_lang, t
from ui.session import require

me = require(Permission.FINDING_READ)
db = get_db()
lang = current_lang()
today = date.today()
st.title(t("findings.title"))
show_flash()

units = {u.code: u.name(lang) for u in org.list_units(db, me)}
names = (
    {u.username: u.display_name or u.username for u in users.list_users(db, me)}
    if has_permission(me.role, Permission.USER_READ)
    else {}
)
titles = {a.id: a.title for a in assessments.list_assessments(db, me)}
grades, statuses = grade_labels(), status_labels()
all_label = t("evidence.filter.all")
assessment_names = {"": all_label, **titles}

c1, c2, c3 = st.columns(3)
picked_grades = c1.multiselect(
    t("finding.col.grade"), list(grades), format_func=lambda k: grades.get(k, k), key="f_grades"
)
picked_statuses = c2.multiselect(
    t("finding.col.status"),
    list(statuses),
    format_func=lambda k: statuses.get(k, k),
    key="f_statuses",
)
picked_units = c3.multiselect(
    t("finding.col.department"),
    list(units),
    format_func=lambda k: units.get(k, k),
    key="f_units",
)
c4, c5, c6, c7 = st.columns([3, 2, 1.4, 1.4])
assessment_id = c4.selectbox(
    t("finding.col.assessment"),
    ["", *titles],
    format_func=lambda k: assessment_names.get(k, k),
    key="f_assessment",
)
min_age = c5.number_input(
    t("findings.filter.min_age"),
    min_value=0,
    max_value=3650,
    value=None,
    step=30,
    placeholder=t("findings.filter.any"),
    key="f_min_age",
)
overdue_only = c6.checkbox(t("findings.filter.overdue"), key="f_overdue")
open_only = c7.checkbox(t("findings.filter.open"), key="f_open")

REGISTER_ROWS = 500  # newest first; the exports hold every matching finding

flt = FindingFilter(
    grades=tuple(Grade(g) for g in picked_grades),
    statuses=tuple(Status(s) for s in picked_statuses),
    org_units=tuple(picked_units),
    assessment_id=assessment_id or None,
    overdue_only=overdue_only,
    open_only=open_only,
    min_age_days=int(min_age) if min_age is not None else None,
)
try:
    total, overdue_count = findings.count_findings(db, me, flt, today)
    found = findings.list_findings(db, me, replace(flt, limit=REGISTER_ROWS), today)
except KansaError as exc:
    show_error(exc)
    st.stop()
    raise  # unreachable

st.caption(t("findings.count", count=total, overdue=overdue_count))
if total > len(found):
    st.caption(t("findings.first_rows", shown=len(found), total=total))
if not found:
    st.info(t("findings.empty"), icon=":material/inbox:")
else:
    frame, overdue = register_frame(found, names, units, today)
    st.dataframe(
        styled_register(frame, overdue, [f.grade.value for f in found]),
        hide_index=True,
        width="stretch",
    )
    e1, e2, _ = st.columns([2, 2, 5])
    stamp = today.strftime("%Y%m%d")
    # Built only when clicked; every cell goes through the spreadsheet formula guard.
    e1.download_button(
        t("findings.export.xlsx"),
        data=lambda: findings_xlsx(
            findings.list_findings(shared_db(), me, flt, today), today, lang
        ),
        file_name=f"findings-{stamp}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        on_click="ignore",
    )
    e2.download_button(
        t("findings.export.csv"),
        data=lambda: findings_csv(findings.list_findings(shared_db(), me, flt, today), today, lang),
        file_name=f"findings-{stamp}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )

refs = {f.ref: f"{f.ref} · {f.control_id} · {f.statement[:60]}" for f in found}
asked = st.query_params.get("ref")
if asked and asked not in refs:
    try:
        extra = findings.get_finding(db, me, asked)
        refs[extra.ref] = f"{extra.ref} · {extra.control_id} · {extra.statement[:60]}"
    except KansaError:
        asked = None
if asked and st.session_state.get("f_open_ref") != asked:
    st.session_state["f_open_ref"] = asked
chosen = st.selectbox(
    t("findings.open"),
    list(refs),
    index=None,
    format_func=lambda k: refs.get(k, k),
    placeholder=t("findings.open.placeholder"),
    key="f_open_ref",
)
if chosen:
    if st.query_params.get("ref") != chosen:
        st.query_params["ref"] = chosen
    try:
        finding = findings.get_finding(db, me, chosen)
    except KansaError as exc:
        show_error(exc)
    else:
        with st.container(border=True):
            finding_detail(me, finding, names, units, lang)
