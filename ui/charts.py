"""Plotly figures built from plain lists and dicts (no database, no Streamlit).

Colours follow the Okabe-Ito palette, which stays distinguishable for the common kinds of
colour blindness; every figure also carries its numbers as text, and every page shows the
table beside it, so colour is never the only carrier of meaning.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

# Okabe-Ito: vermillion / orange / bluish green for red / amber / green, blue for "this
# assessment", greys for "no figure".
RED = "#D55E00"
AMBER = "#E69F00"
GREEN = "#009E73"
BLUE = "#0072B2"
GREY = "#8C8C8C"
LIGHT_GREY = "#C8C8C8"

RATING_COLOURS: dict[str, str] = {"red": RED, "amber": AMBER, "green": GREEN}
RESULT_COLOURS: dict[str, str] = {
    "conformant": GREEN,
    "partially_conformant": AMBER,
    "nonconformant": RED,
    "not_assessed": GREY,
    "not_applicable": LIGHT_GREY,
}
FONT = "Noto Sans JP, Hiragino Sans, Yu Gothic, Meiryo, IPAexGothic, sans-serif"


def wrap_label(text: str, width: int = 16) -> str:
    """Break a long axis label over lines (``<br>``): on spaces, or every few characters of
    Japanese, which has none."""
    if text.isascii():
        return "<br>".join(textwrap.wrap(text, width)) or text
    head, _, rest = text.partition(" ")
    body = rest or head
    step = max(width // 2, 1)
    lines = -(-len(body) // step)  # as few lines as the width allows, evenly filled
    size = -(-len(body) // lines)
    chunks = [body[i : i + size] for i in range(0, len(body), size)]
    return "<br>".join([head, *chunks] if rest else chunks)


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        height=height,
        margin={"l": 40, "r": 40, "t": 60, "b": 40},
        font={"family": FONT, "size": 13},
        paper_bgcolor="rgba(0,0,0,0)",
        legend={"orientation": "h", "yanchor": "bottom", "y": -0.2, "x": 0},
    )
    return fig


def domain_radar(
    labels: Sequence[str],
    scores: Sequence[float | None],
    *,
    title: str,
    name: str,
    previous: Sequence[float | None] | None = None,
    previous_name: str = "",
) -> go.Figure:
    """Radar of domain scores on 0-100; a domain without a score sits at the centre (gap).

    ``previous`` (same order as ``labels``) draws the earlier assessment as a dashed outline.
    """
    wrapped = [wrap_label(label) for label in labels]
    closed_labels = [*wrapped, wrapped[0]] if wrapped else []

    def closed(values: Sequence[float | None]) -> list[float | None]:
        return [*values, values[0]] if values else []

    fig = go.Figure()
    if previous is not None and any(v is not None for v in previous):
        fig.add_trace(
            go.Scatterpolar(
                r=closed(previous),
                theta=closed_labels,
                name=previous_name,
                mode="lines",
                line={"color": GREY, "dash": "dash", "width": 2},
                hovertemplate="%{theta}: %{r:.1f}<extra>" + previous_name + "</extra>",
            )
        )
    fig.add_trace(
        go.Scatterpolar(
            r=closed(scores),
            theta=closed_labels,
            name=name,
            mode="lines+markers",
            fill="toself",
            fillcolor="rgba(0, 114, 178, 0.18)",
            line={"color": BLUE, "width": 2},
            marker={"size": 7},
            connectgaps=False,
            hovertemplate="%{theta}: %{r:.1f}<extra>" + name + "</extra>",
        )
    )
    fig.update_layout(
        polar={
            "radialaxis": {
                "range": [0, 100],
                "tickvals": [25, 50, 75, 100],
                "angle": 90,
                "tickangle": 90,
                "gridcolor": "#DDDDDD",
            },
            "angularaxis": {"direction": "clockwise", "rotation": 90, "gridcolor": "#DDDDDD"},
        },
        showlegend=previous is not None,
    )
    fig = _layout(fig, title, height=480)
    fig.update_layout(  # room for the wrapped labels; the legend keeps its corner
        margin={"l": 60, "r": 60, "t": 110, "b": 60},
        legend={"orientation": "v", "x": 0, "xanchor": "left", "y": 0, "yanchor": "bottom"},
    )
    return fig


def result_bars(
    counts: Mapping[str, int], labels: Mapping[str, str], *, title: str, axis_title: str
) -> go.Figure:
    """Horizontal bars: how many controls ended in each result (key of ``RESULT_COLOURS``)."""
    keys = [k for k in RESULT_COLOURS if k in counts]
    fig = go.Figure(
        go.Bar(
            x=[counts[k] for k in keys],
            y=[labels.get(k, k) for k in keys],
            orientation="h",
            marker={"color": [RESULT_COLOURS[k] for k in keys], "line": {"color": "#333333"}},
            text=[counts[k] for k in keys],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.update_layout(
        xaxis={"title": {"text": axis_title}, "rangemode": "tozero"},
        yaxis={"autorange": "reversed"},
        showlegend=False,
    )
    return _layout(fig, title, height=320)
