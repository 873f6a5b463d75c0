"""Executive overview: where the company stands, where it is weak, whether it is improving.

Figures come from a few SQL queries (dashboards.service) and are cached per user and filter
until the data changes (the audit trail's last entry number is part of the cache key)."""

from datetime import date

import pandas as pd  # type: ignore[import-untyped]  # no stubs installed
import streamlit as st

from assessments import service as assessments
from auth.model import Permission, Principal
from controls import service as catalogues
from dashboards import service as dashboards
from dashboards.model import AGE_BUCKETS, GRADES, DashboardFilter, Overview, rating_of
from evidence import service as evidence
from org import service as org
from reports.csv_export import to_csv_bytes
from ui.dashboard_charts import country_bars, findings_bars, heatmap, tier_bars, weakest_bars
from ui.db import get_db, shared_db
from ui.i18n import current_lang, t
from ui.session import require
from ui.text import md_escape

me = require(Permission.DASHBOARD_READ)
db = get_db()
lang = current_lang()
today = date.today()
st.title(t("overview.title"))


@st.cache_data(ttl=900, max_entries=64, show_spinner=False)
def _overview(actor: Principal, flt: DashboardFilter, day: date, version: int) -> Overview:
    # ``actor`` and ``version`` are part of the key: one user's figures are never shown to
    # another, and any write (a new audit-trail entry) makes the next run query again.
    return dashboards.overview(shared_db(), actor, flt, today=day)


def _csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, every cell through the spreadsheet formula guard (titles are typed)."""
    return to_csv_bytes(list(frame.columns), frame.itertuples(index=False, name=None))


units = {u.code: u.name(lang) for u in org.list_units(db, me)}
maturity = {
    c.urn: c.name(lang)
    for c in catalogues.latest_catalogues(db, me)
    if c.scale.startswith("maturity")
}
years = dashboards.fiscal_years(db, me)
all_label = t("evidence.filter.all")
year_names = {
    0: t("overview.filter.latest"),
    **{y: t("overview.fy", year=y, year_end=y + 1) for y in years},
}
unit_names = {"": all_label, **units}

f1, f2, f3 = st.columns(3)
year = f1.selectbox(
    t("overview.filter.period"),
    [0, *years],
    format_func=lambda y: year_names.get(y, str(y)),
    key="o_year",
)
unit = f2.selectbox(
    t("overview.filter.unit"),
    ["", *units],
    format_func=lambda u: unit_names.get(u, u),
    key="o_unit",
)
urn = f3.selectbox(
    t("overview.filter.catalogue"),
    list(maturity),
    format_func=lambda u: maturity.get(u, u),
    key="o_urn",
)
flt = DashboardFilter(urn=urn or DashboardFilter().urn, year=year or None, unit=unit or None)
data = _overview(me, flt, today, dashboards.data_version(db, me))

if not data.units:
    st.info(t("overview.none"), icon=":material/info:")
    st.stop()

# --- headline figures --------------------------------------------------------------------------
m1, m2, m3, m4 = st.columns(4)
delta = (
    None
    if data.overall is None or data.previous_overall is None
    else round(data.overall - data.previous_overall, 1)
)
m1.metric(
    t("scores.overall"),
    "–" if data.overall is None else f"{data.overall:.1f}",
    delta,
    help=t("overview.overall_help"),
)
m2.metric(
    t("scores.level"), "–" if data.level is None else t("scores.level_value", level=data.level)
)
m3.metric(
    t("overview.open_findings"),
    data.findings.open,
    t("overview.overdue_count", count=data.findings.overdue) if data.findings.overdue else None,
    delta_color="inverse",
)
m4.metric(t("overview.contractors_overdue"), data.contractors_overdue)

lights = []
for d in data.domains:
    mean = data.domain_means.get(d)
    rating = rating_of(mean)
    word = t(f"rating.{rating}") if rating else "–"
    figure = "–" if mean is None else f"{mean:.0f}"
    colour = {"red": "red", "amber": "orange", "green": "green"}.get(rating or "", "gray")
    lights.append(f":{colour}-badge[{d} {figure} · {word}]")
st.markdown(t("overview.lights") + " " + " ".join(lights))

# --- heatmap -------------------------------------------------------------------------------------
st.subheader(t("overview.heatmap"), anchor=False)
st.caption(t("overview.heatmap_caption"))
# Many units (a large company): the map shows the weakest ones; the table and CSV hold all.
SHOWN = 30
shown = (
    data.units
    if len(data.units) <= SHOWN
    else tuple(sorted(data.units, key=lambda u: (u.score is None, u.score or 0.0))[:SHOWN])
)
if len(shown) < len(data.units):
    st.caption(t("overview.heatmap_weakest", shown=len(shown), total=len(data.units)))
unit_labels = [f"{u.unit} · {units.get(u.unit, '')}" for u in shown]
scores = [[u.domains.get(d) for d in data.domains] for u in shown]
ratings = [[data.rating(u.unit, d) for d in data.domains] for u in shown]
st.plotly_chart(
    heatmap(
        unit_labels,
        data.domains,
        scores,
        ratings,
        title=t("overview.heatmap"),
        hover=t("overview.heatmap_hover"),
    ),
    width="stretch",
    key="o_heatmap",
)
table = pd.DataFrame(
    [
        {
            t("overview.col.unit"): f"{u.unit} · {units.get(u.unit, '')}",
            t("scores.overall"): None if u.score is None else round(u.score, 1),
            **{d: None if (x := u.domains.get(d)) is None else round(x, 1) for d in data.domains},
            t("overview.col.assessment"): u.title,
        }
        for u in data.units
    ]
)
with st.expander(t("trend.table"), icon=":material/table:"):
    st.dataframe(table, hide_index=True, width="stretch")
st.download_button(
    t("overview.csv"),
    _csv(table),
    file_name=f"heatmap-{today:%Y%m%d}.csv",
    mime="text/csv",
    key="o_csv_heat",
)

# Drill down: one unit and domain, to its controls, answers and evidence.
with st.expander(t("overview.drill"), icon=":material/zoom_in:"):
    by_label = {u.unit: u for u in data.units}
    d1, d2 = st.columns(2)
    pick_unit = d1.selectbox(
        t("overview.col.unit"),
        list(by_label),
        format_func=lambda u: f"{u} · {units.get(u, '')}",
        key="o_drill_unit",
    )
    pick_domain = d2.selectbox(t("scores.col.domain"), list(data.domains), key="o_drill_domain")
    chosen = by_label[pick_unit]
    view = assessments.score(db, me, chosen.assessment_id)
    answers = {r.control_id: r for r in assessments.list_responses(db, me, chosen.assessment_id)}
    counts = evidence.evidence_counts(db, me, chosen.assessment_id)
    st.dataframe(
        [
            {
                t("workspace.col.id"): cid,
                t("scores.col.score"): c.score,
                t("scores.col.result"): t(f"result.{c.result.value}"),
                "D": answers[cid].documented if cid in answers else None,
                "I": answers[cid].implemented if cid in answers else None,
                t("workspace.col.evidence"): counts.get(cid, 0),
                t("workspace.col.note"): answers[cid].note if cid in answers else "",
            }
            for cid, c in view.score.controls.items()
            if c.domain_id == pick_domain
        ],
        hide_index=True,
        width="stretch",
    )
    st.markdown(
        f"[{t('overview.open_scores')}](scores?id={chosen.assessment_id}) · "
        f"[{t('overview.open_answers')}](workspace?id={chosen.assessment_id}) · "
        f"[{t('nav.evidence')}](evidence)"
    )

# --- weakest controls and findings ----------------------------------------------------------------
w, f = st.columns(2)
with w:
    labels = [f"{x.control_id} {x.title(lang)}" for x in data.weakest]
    w.plotly_chart(
        weakest_bars(
            labels,
            [x.score for x in data.weakest],
            title=t("overview.weakest"),
            hover=t("overview.weakest_hover"),
        ),
        width="stretch",
        key="o_weakest",
    )
    weak_table = pd.DataFrame(
        [
            {
                t("workspace.col.id"): x.control_id,
                t("workspace.col.title"): x.title(lang),
                t("scores.col.score"): round(x.score, 1),
                t("overview.col.below_three"): f"{x.below_three} / {x.units}",
            }
            for x in data.weakest
        ]
    )
    w.download_button(
        t("overview.csv"),
        _csv(weak_table),
        file_name=f"weakest-{today:%Y%m%d}.csv",
        mime="text/csv",
        key="o_csv_weak",
    )
with f:
    bucket_names = {b: t(f"overview.age.{b}") for b in AGE_BUCKETS}
    grade_names = [t(f"finding.grade.{g}") for g in GRADES]
    counts_by_label = {
        (t(f"finding.grade.{g}"), b): n for (g, b), n in data.findings.counts.items()
    }
    f.plotly_chart(
        findings_bars(
            grade_names, AGE_BUCKETS, counts_by_label, bucket_names, title=t("overview.findings")
        ),
        width="stretch",
        key="o_findings",
    )
    f.page_link("pages/findings.py", label=t("overview.to_findings"), icon=":material/flag:")
    f.dataframe(
        [
            {
                t("finding.col.grade"): t(f"finding.grade.{g}"),
                **{bucket_names[b]: data.findings.counts.get((g, b), 0) for b in AGE_BUCKETS},
            }
            for g in GRADES
        ],
        hide_index=True,
        width="stretch",
    )

# --- contractors and countries ------------------------------------------------------------------
if data.contractors_by_tier or data.countries:
    c1, c2 = st.columns([2, 3])
    tier_names = {k: t(f"overview.tier.{k}") for k in ("high", "medium", "low")}
    c1.plotly_chart(
        tier_bars(data.contractors_by_tier, tier_names, title=t("overview.tiers")),
        width="stretch",
        key="o_tiers",
    )
    c1.caption(t("overview.contractors_caption", overdue=data.contractors_overdue))
    names = [c[3] if lang == "ja" else c[2] for c in data.countries]
    c2.plotly_chart(
        country_bars(names, [c[4] for c in data.countries], title=t("overview.countries")),
        width="stretch",
        key="o_map",
    )
    c2.dataframe(
        [
            {
                t("overview.col.country"): (c[3] if lang == "ja" else c[2]),
                t("overview.col.subjects"): c[4],
            }
            for c in data.countries
        ],
        hide_index=True,
        height=240,
        width="stretch",
    )

with st.expander(t("scores.how"), icon=":material/help:"):
    st.markdown(t("scores.how.body"))
    st.markdown(md_escape(t("scores.rating_hint")))
