"""Audit progress (internal audit): campaigns in flight, coverage, answers awaiting review,
days to the end of each period."""

import streamlit as st

from auth.model import Permission
from dashboards import service as dashboards
from org import service as org
from ui.dashboard_charts import coverage_bars
from ui.db import get_db
from ui.i18n import current_lang, t
from ui.session import require

me = require(Permission.ASSESSMENT_PLAN)
db = get_db()
lang = current_lang()
st.title(t("progress.title"))

units = {u.code: u.name(lang) for u in org.list_units(db, me)}
campaigns = dashboards.progress(db, me)
if not campaigns:
    st.info(t("progress.none"), icon=":material/task_alt:")
    st.stop()

m1, m2, m3 = st.columns(3)
m1.metric(t("progress.in_flight"), len(campaigns))
m2.metric(t("progress.pending"), sum(c.pending_review for c in campaigns))
late = [c for c in campaigns if c.days_left is not None and c.days_left < 0]
m3.metric(t("progress.past_end"), len(late))
labels = [f"{c.unit} · {c.title}" for c in campaigns]
st.plotly_chart(
    coverage_bars(labels, [c.coverage for c in campaigns], title=t("progress.coverage")),
    width="stretch",
    key="p_chart",
)
st.dataframe(
    [
        {
            t("overview.col.unit"): units.get(c.unit, c.unit),
            t("overview.col.assessment"): c.title,
            t("progress.col.status"): t(f"status.{c.status}"),
            t("progress.col.answered"): f"{c.answered} / {c.controls}",
            t("scores.coverage"): f"{c.coverage:.0%}",
            t("progress.col.pending"): c.pending_review,
            t("progress.col.returned"): c.returned,
            t("progress.col.days_left"): c.days_left,
            t("progress.col.open"): f"review?id={c.assessment_id}",
        }
        for c in campaigns
    ],
    column_config={
        t("progress.col.open"): st.column_config.LinkColumn(display_text=t("progress.open_review"))
    },
    hide_index=True,
    width="stretch",
)
