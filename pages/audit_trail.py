"""Audit trail (admin, auditor): filter by person, record kind and date; verify; export CSV."""

import streamlit as st

from auth import audit_service as audit
from auth.model import Permission
from auth.permissions import has_permission
from ui.db import get_db
from ui.i18n import t
from ui.session import require

LIMIT = 1000

me = require(Permission.AUDIT_LOG_READ)
db = get_db()
st.title(t("audit.title"))
st.caption(t("audit.caption"))

if has_permission(me.role, Permission.AUDIT_LOG_VERIFY) and st.button(
    t("audit.verify"), icon=":material/verified:"
):
    result = audit.verify(db, me)
    if result.ok:
        st.success(t("audit.verify.ok", count=result.entries))
    else:
        st.error(t("audit.verify.broken", seq=result.first_broken_seq, count=result.entries))

people, entities = audit.facets(db, me)
everyone = t("audit.filter.all")
c1, c2, c3, c4 = st.columns(4)
person = c1.selectbox(t("audit.filter.person"), [everyone, *people], key="audit_person")
entity = c2.selectbox(t("audit.filter.entity"), [everyone, *entities], key="audit_entity")
since = c3.date_input(t("audit.filter.from"), value=None, key="audit_from")
until = c4.date_input(t("audit.filter.to"), value=None, key="audit_to")

entries = audit.list_entries(
    db,
    me,
    person=None if person == everyone else person,
    entity=None if entity == everyone else entity,
    since=since.isoformat() if since else None,
    until=until.isoformat() if until else None,
    limit=LIMIT,
)
st.caption(t("audit.count", count=len(entries), limit=LIMIT))
st.dataframe(
    [
        {
            "seq": e.seq,
            "at": e.at,
            "actor": e.actor,
            "action": e.action,
            "entity": e.entity,
            "entity_id": e.entity_id,
            "before": e.before,
            "after": e.after,
            "hash": e.hash[:12],
        }
        for e in entries
    ],
    hide_index=True,
    width="stretch",
)
st.download_button(
    t("audit.download"),
    data=audit.export_csv(db, me, entries),
    file_name="kansa-audit-trail.csv",
    mime="text/csv",
    icon=":material/download:",
)
