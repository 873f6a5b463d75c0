"""The world map of where personal data sits (Plotly, built from plain values; no Streamlit).

Each country is coloured by the state of its review, and its number of subjects (contractors,
systems, sites) is written on it, so the colour is never the only carrier of meaning; the page
shows the same rows as a table.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from ui.charts import BLUE, FONT, GREEN, GREY, RED

# The world outline plotly.js draws countries from (its own file, MIT; Natural Earth data).
WORLD_TOPOJSON = Path(__file__).resolve().parent / "geo" / "world_110m.json"

# Review state of a country -> colour (Okabe-Ito, as the other charts).
STATE_COLOURS: dict[str, str] = {"home": BLUE, "current": GREEN, "stale": RED, "missing": GREY}


@dataclass(frozen=True, slots=True)
class MapCountry:
    alpha_3: str
    name: str
    state: str  # a key of STATE_COLOURS
    subjects: int  # contractors + systems + sites keeping or accessing data there
    hover: str  # the lines shown on hover (<br> between them)


def data_map(
    countries: Sequence[MapCountry],
    state_labels: Mapping[str, str],
    *,
    title: str,
    height: int = 520,
) -> go.Figure:
    """A choropleth world map: one trace per review state (so the legend names each), and the
    number of subjects written at each country's centre."""
    fig = go.Figure()
    for state, colour in STATE_COLOURS.items():
        rows = [c for c in countries if c.state == state and c.alpha_3]
        if not rows:
            continue
        fig.add_trace(
            go.Choropleth(
                locations=[c.alpha_3 for c in rows],
                locationmode="ISO-3",
                z=[1] * len(rows),
                colorscale=[[0, colour], [1, colour]],
                showscale=False,
                showlegend=True,
                name=state_labels.get(state, state),
                legendgroup=state,
                marker={"line": {"color": "#FFFFFF", "width": 0.6}},
                text=[c.hover for c in rows],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    placed = [c for c in countries if c.alpha_3]
    if placed:
        fig.add_trace(
            go.Scattergeo(
                locations=[c.alpha_3 for c in placed],
                locationmode="ISO-3",
                mode="text",
                text=[str(c.subjects) for c in placed],
                textfont={"color": "#000000", "size": 13, "family": FONT},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    fig.update_geos(
        projection_type="natural earth",
        showcountries=True,
        countrycolor="#BBBBBB",
        showland=True,
        landcolor="#EEEEEE",
        showocean=True,
        oceancolor="#F7FAFC",
        showframe=False,
        lataxis_range=[-58, 85],
    )
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        height=height,
        margin={"l": 0, "r": 0, "t": 50, "b": 0},
        font={"family": FONT, "size": 13},
        paper_bgcolor="rgba(0,0,0,0)",
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": -0.02,
            "x": 0,
            "bgcolor": "rgba(0,0,0,0)",
        },
    )
    return fig


@cache
def _topojson_url() -> str:
    # plotly.js fetches the outline from its CDN unless told otherwise, and Kansa runs where
    # that may be unreachable. The map carries the file as a data: URL; the name plotly.js
    # appends ("/world_110m.json") falls into the URL's fragment, so the URL stays valid.
    encoded = base64.b64encode(WORLD_TOPOJSON.read_bytes()).decode("ascii")
    return f"data:application/json;base64,{encoded}#"


def map_config() -> dict[str, Any]:
    """The ``config`` for ``st.plotly_chart`` of a map: the outline built in, no toolbar."""
    return {"displayModeBar": False, "scrollZoom": False, "topojsonURL": _topojson_url()}
