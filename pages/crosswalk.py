"""Annex A view: an assessment seen as ISO/IEC 27001:2022 Annex A coverage (assess once,
report to many), with a CSV download."""

import streamlit as st

from assessments import service as assessments
from auth.model import Permission
from controls import service as catalogues
from org import service as org
from reporting import crosswalk_service
from reporting.crosswalk import STATUSES
from ui.assessments import choose_or_stop, header
from ui.crosswalk import column_config, items_frame, status_label, themes_frame
from ui.db import get_db
from ui.i18n import current_lang, t
from ui.session import require

me = require(Permission.ASSESSMENT_READ)
db = get_db()
lang = current_lang()
st.title(t("crosswalk.title"))
st.caption(t("crosswalk.caption"))

units = {u.code: u.name(lang) for u in org.list_units(db, me)}
a = choose_or_stop(assessments.list_assessments(db, me), units, key="crosswalk_pick")
header(a, units, catalogues.get_catalogue(db, me, a.catalogue_id).name(lang), {})

view = crosswalk_service.annex_a_view(db, me, a.id)
if view.addressed == 0:
    st.info(t("crosswalk.none"), icon=":material/info:")
    st.stop()

total = len(view.items)
m1, m2, m3, m4 = st.columns(4)
m1.metric(t("crosswalk.addressed"), f"{view.addressed} / {total}", border=True)
m2.metric(status_label("conformant"), view.count("conformant"), border=True)
m3.metric(status_label("partially_conformant"), view.count("partially_conformant"), border=True)
m4.metric(
    t("crosswalk.gaps"),
    view.count("nonconformant") + view.count("not_assessed"),
    help=t("crosswalk.gaps_help"),
    border=True,
)
st.dataframe(themes_frame(view, lang), hide_index=True, width="stretch")

shown = st.multiselect(
    t("crosswalk.filter"),
    list(STATUSES),
    default=[s for s in STATUSES if s != "not_addressed"],
    format_func=status_label,
    key="crosswalk_filter",
)
items = [i for i in view.items if i.result in shown]
st.caption(t("crosswalk.shown", shown=len(items), total=total))
st.dataframe(
    items_frame(items, lang), hide_index=True, width="stretch", column_config=column_config()
)

st.download_button(
    t("crosswalk.download"),
    data=crosswalk_service.annex_a_csv(db, me, a.id, lang),
    file_name=f"annex-a-{a.scope_unit}-{a.id[-8:]}-{lang}.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
)
with st.expander(t("crosswalk.how"), icon=":material/help:"):
    st.markdown(t("crosswalk.how.body"))
