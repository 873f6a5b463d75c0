"""My actions: the findings I own that still need something from me (overdue first)."""

from datetime import date

import streamlit as st

from auth.model import Permission
from findings import service as findings
from findings.model import Status, is_overdue
from org import service as org
from ui.assessments import show_flash
from ui.db import get_db
from ui.findings import finding_detail, finding_summary
from ui.i18n import current_lang, t
from ui.session import require

me = require(Permission.FINDING_RESPOND)
db = get_db()
lang = current_lang()
today = date.today()
st.title(t("my_actions.title"))
show_flash()
units = {u.code: u.name(lang) for u in org.list_units(db, me)}

mine = findings.my_actions(db, me, today)
late = [f for f in mine if is_overdue(f, today)]
waiting = [f for f in mine if f.status == Status.ACTION_DONE]
m1, m2, m3 = st.columns(3)
m1.metric(t("my_actions.open"), len(mine))
m2.metric(t("my_actions.overdue"), len(late))
m3.metric(t("my_actions.waiting"), len(waiting))
if not mine:
    st.success(t("my_actions.none"), icon=":material/task_alt:")
    st.stop()
if late:
    st.error(t("my_actions.overdue.banner", count=len(late)), icon=":material/alarm:")
for f in mine:
    with st.expander(finding_summary(f, today), icon=":material/flag:"):
        finding_detail(me, f, {}, units, lang)
