"""Charts drawn with ``reportlab.graphics`` (vector, Japanese font, no browser).

Ratings never rely on colour alone: every light carries a shape (green circle, amber triangle,
red square) and the word, so a greyscale print or a colour-blind reader loses nothing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors

from reports.pdf.labels import t
from reports.pdf.text import fmt_score, text_width

RED = colors.HexColor("#C62828")
AMBER = colors.HexColor("#E0A100")
GREEN = colors.HexColor("#2E7D32")
GREY = colors.HexColor("#9AA5B1")
RED_FILL = colors.HexColor("#F6C9C6")
AMBER_FILL = colors.HexColor("#FBE7B0")
GREEN_FILL = colors.HexColor("#CDE8CF")
GREY_FILL = colors.HexColor("#E6E9ED")
CURRENT = colors.HexColor("#1F4E79")
PREVIOUS = colors.HexColor("#9AA5B1")
INK = colors.HexColor("#1F2933")
GRIDLINE = colors.HexColor("#D5DBE3")

RED_BELOW = 50.0  # the thresholds of assessments.scoring
AMBER_BELOW = 75.0

_RATING_COLOUR = {"red": RED, "amber": AMBER, "green": GREEN}
_RATING_FILL = {"red": RED_FILL, "amber": AMBER_FILL, "green": GREEN_FILL}
RATING_MARK = {"red": "×", "amber": "△", "green": "○"}


def _drawing(width: float, height: float, font: str) -> Drawing:
    drawing = Drawing(width, height)
    drawing.initialFontName = font  # otherwise the PDF references an unembedded Helvetica
    return drawing


def rating_colour(rating: str | None) -> colors.Color:
    return _RATING_COLOUR.get(rating or "", GREY)


def rating_fill(rating: str | None) -> colors.Color:
    return _RATING_FILL.get(rating or "", GREY_FILL)


def score_band(score: float | None) -> str | None:
    """The rating a score alone gives (heat map cells)."""
    if score is None:
        return None
    if score < RED_BELOW:
        return "red"
    return "amber" if score < AMBER_BELOW else "green"


def rating_word(rating: str | None, lang: str) -> str:
    """``○ 緑`` / ``× Red``: the mark and the word."""
    if rating not in _RATING_COLOUR:
        return "— " + t(lang, "rating.none")
    return f"{RATING_MARK[rating]} {t(lang, f'rating.{rating}')}"


@dataclass(frozen=True, slots=True)
class Series:
    """Scores per category; None where there is no score (drawn as 0 / left empty)."""

    name: str
    values: Sequence[float | None]


def _values(series: Series) -> list[float]:
    return [0.0 if v is None else max(0.0, min(100.0, v)) for v in series.values]


def radar_chart(
    labels: Sequence[str],
    current: Series,
    previous: Series | None,
    font: str,
    size: float = 230.0,
) -> Drawing:
    """Spider chart on a fixed 0-100 scale with rings at 25/50/75/100 and a legend below."""
    legend_height = 18.0
    label_room = 34.0
    drawing = _drawing(size, size + legend_height, font)
    radius = (size - 2 * label_room) / 2
    cx = size / 2
    cy = legend_height + size / 2
    count = len(labels)

    def point(index: int, fraction: float) -> tuple[float, float]:
        angle = math.pi / 2 - 2 * math.pi * index / count  # clockwise from the top
        return cx + math.cos(angle) * radius * fraction, cy + math.sin(angle) * radius * fraction

    for ring in (25, 50, 75, 100):
        points: list[float] = []
        for index in range(count):
            points.extend(point(index, ring / 100))
        drawing.add(
            Polygon(
                points,
                strokeColor=GRIDLINE if ring != 50 else RED,
                strokeWidth=0.5 if ring != 50 else 0.7,
                strokeDashArray=None if ring != 50 else (2, 2),
                fillColor=None,
            )
        )
        if ring < 100:  # the outer ring is 100; its label would sit on the first spoke label
            x, y = point(0, ring / 100)
            drawing.add(String(x + 2, y + 1, str(ring), fontName=font, fontSize=6, fillColor=GREY))

    chart = SpiderChart()
    chart.x = cx - radius
    chart.y = cy - radius
    chart.width = chart.height = 2 * radius
    data = [_values(current)]
    if previous is not None:
        data.append(_values(previous))
    data.append([100.0] * count)  # fixes the scale at 100 (drawn invisible)
    chart.data = data
    chart.labels = list(labels)
    chart.spokes.strokeColor = GRIDLINE
    chart.spokes.strokeWidth = 0.5
    chart.spokeLabels.fontName = font
    chart.spokeLabels.fontSize = 7.5
    chart.spokeLabels.fillColor = INK
    chart.strands[0].strokeColor = CURRENT
    chart.strands[0].fillColor = colors.Color(0.12, 0.31, 0.47, alpha=0.22)
    chart.strands[0].strokeWidth = 1.6
    chart.strands[0].symbol = "FilledCircle"
    chart.strands[0].symbolSize = 3.5
    if previous is not None:
        chart.strands[1].strokeColor = PREVIOUS
        chart.strands[1].fillColor = None
        chart.strands[1].strokeWidth = 1.1
        chart.strands[1].strokeDashArray = (3, 2)
    hidden = len(data) - 1
    chart.strands[hidden].strokeColor = None
    chart.strands[hidden].fillColor = None
    chart.strands[hidden].strokeWidth = 0
    drawing.add(chart)
    _legend(
        drawing,
        [(current.name, CURRENT, False)]
        + ([(previous.name, PREVIOUS, True)] if previous is not None else []),
        font,
        4.0,
        4.0,
    )
    return drawing


def _legend(
    drawing: Drawing, items: Sequence[tuple[str, colors.Color, bool]], font: str, x: float, y: float
) -> None:
    for name, colour, dashed in items:
        drawing.add(
            Line(
                x,
                y + 3,
                x + 14,
                y + 3,
                strokeColor=colour,
                strokeWidth=2,
                strokeDashArray=(3, 2) if dashed else None,
            )
        )
        drawing.add(String(x + 18, y, name, fontName=font, fontSize=7.5, fillColor=INK))
        x += 18 + text_width(name, font, 7.5) + 14


def _style_axes(chart: HorizontalBarChart, font: str) -> None:
    """Category labels right-aligned to the axis, a 0-100 value axis with a light grid."""
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.categoryAxis.strokeColor = GREY
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 25
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 6.5
    chart.valueAxis.strokeColor = GREY
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = GRIDLINE
    chart.valueAxis.gridStrokeWidth = 0.4


def bar_chart(
    labels: Sequence[str],
    current: Series,
    previous: Series | None,
    font: str,
    width: float = 240.0,
    bar_height: float = 9.0,
) -> Drawing:
    """Horizontal bars per category (this audit over the previous one), 0-100 axis."""
    count = max(len(labels), 1)
    groups = 2 if previous is not None else 1
    plot_height = count * (groups * bar_height + 8)
    label_room = max((text_width(x, font, 7.5) for x in labels), default=20.0) + 8
    legend_height = 18.0
    axis_room = 14.0
    drawing = _drawing(width, plot_height + legend_height + axis_room + 4, font)
    chart = HorizontalBarChart()
    chart.x = label_room
    chart.y = legend_height + axis_room
    chart.width = width - label_room - 26
    chart.height = plot_height
    data = []
    if previous is not None:
        data.append(_values(previous))
    data.append(_values(current))
    # HorizontalBarChart draws the first category at the bottom: reverse for reading order.
    chart.data = [list(reversed(row)) for row in data]
    chart.categoryAxis.categoryNames = list(reversed(labels))
    _style_axes(chart, font)
    chart.barWidth = bar_height
    chart.groupSpacing = 8
    chart.barSpacing = 1
    chart.bars.strokeColor = None
    if previous is not None:
        chart.bars[0].fillColor = PREVIOUS
        chart.bars[1].fillColor = CURRENT
    else:
        chart.bars[0].fillColor = CURRENT
    chart.barLabelFormat = fmt_score
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    chart.barLabels.fillColor = INK
    drawing.add(chart)
    scale = chart.width / 100.0
    for threshold in (RED_BELOW, AMBER_BELOW):
        x = chart.x + threshold * scale
        drawing.add(
            Line(
                x,
                chart.y,
                x,
                chart.y + chart.height,
                strokeColor=RED if threshold == RED_BELOW else AMBER,
                strokeWidth=0.7,
                strokeDashArray=(2, 2),
            )
        )
    items = [(current.name, CURRENT, False)]
    if previous is not None:
        items.append((previous.name, PREVIOUS, False))
    _legend(drawing, items, font, label_room, 2.0)
    return drawing


def _light(drawing: Drawing, x: float, y: float, rating: str | None, r: float = 7.0) -> None:
    """A shape per rating: circle (green), triangle (amber), square (red), ring (none)."""
    colour = rating_colour(rating)
    if rating == "green":
        drawing.add(Circle(x, y, r, fillColor=colour, strokeColor=None))
    elif rating == "amber":
        drawing.add(
            Polygon(
                [x - r * 1.1, y - r * 0.85, x + r * 1.1, y - r * 0.85, x, y + r * 1.05],
                fillColor=colour,
                strokeColor=None,
            )
        )
    elif rating == "red":
        side = r * 1.7
        drawing.add(
            Rect(x - side / 2, y - side / 2, side, side, fillColor=colour, strokeColor=None)
        )
    else:
        drawing.add(Circle(x, y, r, fillColor=None, strokeColor=colour, strokeWidth=1.2))


def traffic_lights(
    items: Sequence[tuple[str, str | None]], lang: str, font: str, width: float
) -> Drawing:
    """A row of lights, one per domain: the shape, the domain id and the rating word."""
    count = max(len(items), 1)
    per_row = min(count, max(1, int(width // 58)))
    rows = math.ceil(count / per_row)
    cell = width / per_row
    row_height = 44.0
    drawing = _drawing(width, rows * row_height, font)
    for index, (label, rating) in enumerate(items):
        row, column = divmod(index, per_row)
        cx = column * cell + cell / 2
        top = drawing.height - row * row_height
        _light(drawing, cx, top - 11, rating)
        drawing.add(
            String(
                cx, top - 29, label, fontName=font, fontSize=7.5, fillColor=INK, textAnchor="middle"
            )
        )
        word = t(lang, f"rating.{rating}") if rating in _RATING_COLOUR else t(lang, "rating.none")
        drawing.add(
            String(
                cx,
                top - 39,
                word,
                fontName=font,
                fontSize=7,
                fillColor=INK,
                textAnchor="middle",
            )
        )
    return drawing


def column_chart(
    labels: Sequence[str],
    stacks: Sequence[tuple[str, Sequence[int], colors.Color]],
    font: str,
    width: float = 300.0,
    height: float = 150.0,
) -> Drawing:
    """Stacked columns (open findings per age bucket, stacked by grade) with a legend."""
    legend_rows = math.ceil(len(stacks) / 3)
    legend_height = 13.0 * legend_rows + 4
    drawing = _drawing(width, height + legend_height, font)
    chart = VerticalBarChart()
    chart.x = 28
    chart.y = legend_height + 16
    chart.width = width - 40
    chart.height = height - 24
    chart.data = [list(values) for _name, values, _colour in stacks] or [[0] * len(labels)]
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.style = "stacked"
    chart.valueAxis.valueMin = 0
    top = max((sum(col) for col in zip(*chart.data, strict=False)), default=0)
    chart.valueAxis.valueMax = max(4, top + 1)
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 6.5
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = GRIDLINE
    chart.bars.strokeColor = None
    for index, (_name, _values, colour) in enumerate(stacks):
        chart.bars[index].fillColor = colour
    drawing.add(chart)
    x = 28.0
    y = legend_height - 12
    for index, (name, _values, colour) in enumerate(stacks):
        if index and index % 3 == 0:
            x = 28.0
            y -= 13
        drawing.add(Rect(x, y, 8, 8, fillColor=colour, strokeColor=None))
        drawing.add(String(x + 11, y + 1, name, fontName=font, fontSize=7, fillColor=INK))
        x += (width - 28) / 3
    return drawing
