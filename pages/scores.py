"""Scores of one assessment: overall, per domain and per control, with charts and the formula."""

import streamlit as st

from assessments import service as assessments
from auth.model import Permission
from controls import service as catalogues
from core.errors import KansaError
from org import service as org
from ui.assessments import (
    DASH,
    choose_or_stop,
    coloured,
    control_table,
    domain_table,
    fmt_delta,
    fmt_percent,
    fmt_score,
    header,
    previous_scores,
    result_counts,
    results_table,
)
from ui.charts import RESULT_COLOURS, domain_radar, result_bars
from ui.db import get_db
from ui.findings import assessment_findings
from ui.i18n import current_lang, t
from ui.session import require
from ui.text import md_escape

me = require(Permission.ASSESSMENT_READ)
db = get_db()
lang = current_lang()
st.title(t("scores.title"))

units = {u.code: u.name(lang) for u in org.list_units(db, me)}
a = choose_or_stop(assessments.list_assessments(db, me), units, key="scores_pick")
header(a, units, catalogues.get_catalogue(db, me, a.catalogue_id).name(lang), {})

view = assessments.score(db, me, a.id)
score, trend = view.score, view.trend
domain_names = {d.domain_id: d.name(lang) for d in catalogues.list_domains(db, me, a.catalogue_id)}
controls = {c.control_id: c for c in catalogues.search_controls(db, me, a.catalogue_id)}

previous_title = None
if view.previous_id:
    try:
        previous_title = assessments.get_assessment(db, me, view.previous_id).title
    except KansaError:  # an earlier assessment this reader may not open: compare, do not name it
        previous_title = None

m1, m2, m3 = st.columns(3)
m1.metric(
    t("scores.overall"),
    fmt_score(score.overall_score),
    delta=fmt_delta(trend["overall"]) or None,
    delta_description=t("scores.delta") if trend["overall"] is not None else None,
    help=t("scores.overall_help"),
    border=True,
)
m2.metric(
    t("scores.level"),
    DASH if score.overall_level is None else t("scores.level_value", level=score.overall_level),
    help=t("scores.level_help"),
    border=True,
)
m3.metric(
    t("scores.coverage"),
    fmt_percent(score.overall_coverage),
    help=t("scores.coverage_help"),
    border=True,
)
if view.previous_id:
    st.caption(t("scores.trend_caption", title=md_escape(previous_title or DASH)))
else:
    st.caption(t("scores.no_previous"))

# --- domains -------------------------------------------------------------------------------
st.subheader(t("scores.domains"))
labels = list(score.domains)
values = [d.score for d in score.domains.values()]
previous = previous_scores(score, trend) if view.previous_id else None
if labels:
    st.plotly_chart(
        domain_radar(
            [f"{k} {domain_names.get(k, '')}" for k in labels],
            values,
            title=t("scores.radar"),
            name=t("scores.radar.current"),
            previous=previous,
            previous_name=t("scores.radar.previous"),
        ),
        width="stretch",
        key="scores_radar",
    )
frame, ratings = domain_table(score, trend, domain_names)
st.dataframe(coloured(frame, t("scores.col.rating"), ratings), hide_index=True, width="stretch")
st.caption(t("scores.rating_hint"))

# --- controls ------------------------------------------------------------------------------
assessment_findings(me, a.id, {}, units)

st.subheader(t("scores.results"))
counts = result_counts(score)
result_labels = {k: t(f"result.{k}") for k in RESULT_COLOURS}
left, right = st.columns([3, 2], vertical_alignment="center")
with left:
    st.plotly_chart(
        result_bars(
            counts, result_labels, title=t("scores.results_chart"), axis_title=t("scores.col.count")
        ),
        width="stretch",
        key="scores_results",
    )
with right:
    st.dataframe(
        coloured(results_table(counts, result_labels), t("scores.col.result"), list(counts)),
        hide_index=True,
        width="stretch",
    )

st.subheader(t("scores.controls"))
control_frame, results = control_table(score, controls, lang)
st.dataframe(
    coloured(control_frame, t("scores.col.result"), results), hide_index=True, width="stretch"
)

with st.expander(t("scores.how"), icon=":material/help:"):
    st.markdown(t("scores.how.body"))
