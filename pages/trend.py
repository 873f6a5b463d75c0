"""Trend: each department's score over audit periods, and each domain's for one department."""

import pandas as pd  # type: ignore[import-untyped]  # no stubs installed
import streamlit as st

from auth.model import Permission
from controls import service as catalogues
from dashboards import service as dashboards
from dashboards.model import DashboardFilter
from org import service as org
from reports.csv_export import to_csv_bytes
from ui.dashboard_charts import trend_lines
from ui.db import get_db
from ui.i18n import current_lang, t
from ui.session import require

me = require(Permission.DASHBOARD_READ)
db = get_db()
lang = current_lang()
st.title(t("trend.title"))

units = {u.code: u.name(lang) for u in org.list_units(db, me)}
maturity = {
    c.urn: c.name(lang)
    for c in catalogues.latest_catalogues(db, me)
    if c.scale.startswith("maturity")
}
unit_names = {"": t("trend.all_units"), **units}
c1, c2 = st.columns(2)
unit = c1.selectbox(
    t("overview.filter.unit"),
    ["", *units],
    format_func=lambda u: unit_names.get(u, u),
    key="t_unit",
)
urn = c2.selectbox(
    t("overview.filter.catalogue"),
    list(maturity),
    format_func=lambda u: maturity.get(u, u),
    key="t_urn",
)
points = dashboards.trend(
    db, me, DashboardFilter(urn=urn or DashboardFilter().urn, unit=unit or None)
)
if not points:
    st.info(t("overview.none"), icon=":material/info:")
    st.stop()

domains = list(dict.fromkeys(d for p in points for d in p.domains))
overall_name = t("scores.overall")
series = {overall_name: [(p.period_start, p.score) for p in points]}
series.update({d: [(p.period_start, p.domains.get(d)) for p in points] for d in domains})
title = t("trend.by_domain", unit=units.get(unit, unit)) if unit else t("trend.company")
st.plotly_chart(
    trend_lines(series, title=title, y_title=t("scores.col.score")), width="stretch", key="t_chart"
)

# Better or worse: each unit's latest closed assessment against the one before it.
view = dashboards.overview(
    db, me, DashboardFilter(urn=urn or DashboardFilter().urn, unit=unit or None)
)
moves = sorted(view.changes, key=lambda c: c[2] - c[1])
if moves:
    st.subheader(t("trend.changes"), anchor=False)
    worse, better = st.columns(2)
    for column, label, rows in (
        (better, t("trend.better"), moves[::-1][:10]),
        (worse, t("trend.worse"), moves[:10]),
    ):
        column.markdown(f"**{label}**")
        column.dataframe(
            [
                {
                    t("overview.col.unit"): f"{u} {units.get(u, '')}",
                    t("trend.col.from"): round(before, 1),
                    t("trend.col.to"): round(after, 1),
                    t("scores.col.trend"): round(after - before, 1),
                }
                for u, before, after in rows
            ],
            hide_index=True,
            width="stretch",
        )
table = pd.DataFrame(
    [
        {
            t("trend.col.period"): p.period_start,
            t("trend.col.count"): p.assessments,
            t("scores.overall"): None if p.score is None else round(p.score, 1),
            **{d: None if s is None else round(s, 1) for d, s in p.domains.items()},
        }
        for p in points
    ]
)
with st.expander(t("trend.table"), icon=":material/table:"):
    st.dataframe(table, hide_index=True, width="stretch")
st.download_button(
    t("overview.csv"),
    to_csv_bytes(list(table.columns), table.itertuples(index=False, name=None)),
    file_name="trend.csv",
    mime="text/csv",
)
