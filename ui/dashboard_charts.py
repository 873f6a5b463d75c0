"""Plotly figures of the dashboards, built from plain data (no database, no Streamlit).

Same palette and meaning as every other chart (``ui.charts``): vermillion / orange / bluish
green are red / amber / green; each cell or bar also carries its number as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from ui.charts import AMBER, BLUE, GREEN, GREY, LIGHT_GREY, RED, _layout, wrap_label

RATING_INDEX = {"red": 0, "amber": 1, "green": 2}
# A discrete scale: 0 red, 1 amber, 2 green, 3 no figure.
_DISCRETE = [
    [0.0, RED],
    [0.25, RED],
    [0.25, AMBER],
    [0.5, AMBER],
    [0.5, GREEN],
    [0.75, GREEN],
    [0.75, LIGHT_GREY],
    [1.0, LIGHT_GREY],
]
AGE_COLOURS = {"0-30": "#56B4E9", "31-90": BLUE, "91-180": AMBER, "180+": RED}
TIER_COLOURS = {"high": RED, "medium": AMBER, "low": GREEN}


def heatmap(
    units: Sequence[str],
    domains: Sequence[str],
    scores: Sequence[Sequence[float | None]],
    ratings: Sequence[Sequence[str | None]],
    *,
    title: str,
    hover: str,
) -> go.Figure:
    """Units (rows) x domains (columns), coloured by rating, each cell showing its score."""
    z = [[RATING_INDEX.get(r or "", 3) for r in row] for row in ratings]
    text = [["–" if s is None else f"{s:.0f}" for s in row] for row in scores]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(domains),
            y=list(units),
            text=text,
            texttemplate="%{text}",
            textfont={"size": 14, "color": "#000000"},
            colorscale=_DISCRETE,
            zmin=0,
            zmax=3,
            showscale=False,
            xgap=3,
            ygap=3,
            customdata=[[r or "" for r in row] for row in ratings],
            hovertemplate=hover + "<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top")
    return _layout(fig, title, 80 + 44 * max(len(units), 3))


def trend_lines(
    series: Mapping[str, Sequence[tuple[str, float | None]]], *, title: str, y_title: str
) -> go.Figure:
    """One line per unit (or domain): score over audit periods, with 50 and 75 marked."""
    fig = go.Figure()
    for name, points in series.items():
        fig.add_trace(
            go.Scatter(
                x=[p for p, _ in points],
                y=[s for _, s in points],
                mode="lines+markers",
                name=name,
                hovertemplate=f"{name}<br>%{{x}}: %{{y:.1f}}<extra></extra>",
            )
        )
    for level, colour in ((50, RED), (75, AMBER)):
        fig.add_hline(y=level, line_dash="dot", line_color=colour, opacity=0.6)
    fig.update_yaxes(range=[0, 100], title=y_title)
    _layout(fig, title, 400)
    fig.update_layout(legend={"orientation": "v", "x": 1.02, "y": 1})
    return fig


def weakest_bars(
    labels: Sequence[str], scores: Sequence[float], *, title: str, hover: str
) -> go.Figure:
    """The weakest controls, lowest first, coloured by the rating their score would have."""
    colours = [RED if s < 50 else AMBER if s < 75 else GREEN for s in scores]
    fig = go.Figure(
        go.Bar(
            x=list(scores),
            y=[wrap_label(x, 40) for x in labels],
            orientation="h",
            marker={"color": colours},
            text=[f"{s:.0f}" for s in scores],
            textposition="outside",
            hovertemplate=hover + "<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 105])
    return _layout(fig, title, 70 + 34 * max(len(labels), 3))


def findings_bars(
    grades: Sequence[str],
    buckets: Sequence[str],
    counts: Mapping[tuple[str, str], int],
    bucket_names: Mapping[str, str],
    *,
    title: str,
) -> go.Figure:
    """Open findings per grade, stacked by age bucket."""
    fig = go.Figure()
    for b in buckets:
        values = [counts.get((g, b), 0) for g in grades]
        fig.add_trace(
            go.Bar(
                x=list(grades),
                y=values,
                name=bucket_names.get(b, b),
                marker={"color": AGE_COLOURS.get(b, GREY)},
                text=[v or "" for v in values],
                textposition="inside",
            )
        )
    _layout(fig, title, 340)
    fig.update_layout(barmode="stack", legend={"orientation": "v", "x": 1.02, "y": 1})
    return fig


def tier_bars(tiers: Mapping[str, int], names: Mapping[str, str], *, title: str) -> go.Figure:
    keys = [k for k in ("high", "medium", "low") if k in tiers]
    fig = go.Figure(
        go.Bar(
            x=[names.get(k, k) for k in keys],
            y=[tiers[k] for k in keys],
            marker={"color": [TIER_COLOURS[k] for k in keys]},
            text=[tiers[k] for k in keys],
            textposition="outside",
        )
    )
    return _layout(fig, title, 300)


def country_map(
    codes3: Sequence[str], names: Sequence[str], counts: Sequence[int], *, title: str
) -> go.Figure:
    fig = go.Figure(
        go.Choropleth(
            locations=list(codes3),
            z=list(counts),
            text=list(names),
            colorscale="Blues",
            marker_line_color="#666666",
            hovertemplate="%{text}: %{z}<extra></extra>",
            colorbar={"thickness": 10},
        )
    )
    fig.update_geos(showframe=False, projection_type="natural earth", showcountries=True)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 50, "b": 0})
    return _layout(fig, title, 360)


def country_bars(names: Sequence[str], counts: Sequence[int], *, title: str) -> go.Figure:
    """Countries by how many contractors, systems and sites hold personal data there (a bar
    chart: it needs no map tiles, so it also draws on machines without internet access)."""
    fig = go.Figure(
        go.Bar(
            x=list(counts),
            y=list(names),
            orientation="h",
            marker={"color": BLUE},
            text=list(counts),
            textposition="outside",
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, 70 + 26 * max(len(names), 3))


def coverage_bars(labels: Sequence[str], coverage: Sequence[float], *, title: str) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=[c * 100 for c in coverage],
            y=list(labels),
            orientation="h",
            marker={"color": BLUE},
            text=[f"{c:.0%}" for c in coverage],
            textposition="outside",
        )
    )
    fig.update_xaxes(range=[0, 110], title="%")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, 70 + 34 * max(len(labels), 3))
