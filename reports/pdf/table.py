"""A data table for long listings (3,000 evidence rows): literal text, wrapped, header repeated.

Why not ``platypus.Table`` with a ``Paragraph`` in every cell: at 3,000 rows that costs about
five seconds (markup parsing and one text object per cell), and a cell taller than a page
cannot be split. Here every cell is plain text drawn literally (markup characters print as
they are), broken into lines with the real font metrics (:func:`text.wrap_lines`) so nothing
is cut, each page's text goes into one PDF text object, the header row is repeated on every
page, and a row taller than a page continues on the next one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.platypus import Flowable

from reports.pdf.text import text_width, wrap_lines

Align = Literal["left", "center", "right"]

HEADER_FILL = colors.HexColor("#E4E9F0")
ZEBRA_FILL = colors.HexColor("#F7F8FA")
GRID = colors.HexColor("#A9B1BC")


@dataclass(frozen=True, slots=True)
class Column:
    """``width`` is a share of the table width (the shares are normalised to sum to 1)."""

    title: str
    width: float
    align: Align = "left"


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell with a background colour (ratings, results, heat map) or bold-ish emphasis."""

    text: str
    fill: Any = None  # a reportlab colour
    color: Any = None  # text colour
    emphasis: bool = False


CellValue = str | Cell


@dataclass(slots=True)
class _Row:
    lines: list[list[str]]  # per cell
    fills: list[Any]
    colors: list[Any]
    emphasis: list[bool]
    height: float


class DataTable(Flowable):  # type: ignore[misc]  # reportlab has no type information
    """Rows of plain-text cells under a header that repeats on every page."""

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[CellValue]],
        *,
        font: str,
        size: float = 7.5,
        header: bool = True,
        zebra: bool = True,
        keep_together_below: float = 0.0,
        label_column: bool = False,
    ) -> None:
        super().__init__()
        self.columns = tuple(columns)
        self.font = font
        self.size = size
        self.leading = round(size * 1.28, 2)
        self.pad_x = 3.0
        self.pad_y = 2.2
        self.header = header
        self.zebra = zebra
        self.keep_together_below = keep_together_below  # points: do not split if this short
        # Rows taller than this may continue on the next page; must stay below a page's height.
        self.split_rows_taller_than = 160.0
        self.label_column = label_column  # first column shaded like a header (key/value)
        self._source = [list(r) for r in rows]
        self._rows: list[_Row] | None = None
        self._total = 0.0  # height of all rows (without the header)
        self._head: _Row | None = None
        self._widths: list[float] = []
        self._for_width = -1.0
        self._first_index = 0  # index of the first row in the whole table (zebra continuity)

    # -- layout -------------------------------------------------------------------------

    def _layout(self, avail_width: float) -> list[_Row]:
        """The rows measured for ``avail_width`` (cached: wrap and split ask repeatedly)."""
        if self._rows is not None and abs(self._for_width - avail_width) < 0.01:
            return self._rows
        total = sum(c.width for c in self.columns) or 1.0
        self._widths = [avail_width * c.width / total for c in self.columns]
        self._for_width = avail_width
        self._head = (
            self._make_row([Cell(c.title, emphasis=True) for c in self.columns])
            if self.header
            else None
        )
        rows = [self._make_row(r) for r in self._source]
        self._rows = rows
        self._total = sum(r.height for r in rows)
        return rows

    def _make_row(self, cells: Sequence[CellValue]) -> _Row:
        lines: list[list[str]] = []
        fills: list[Any] = []
        text_colors: list[Any] = []
        emphasis: list[bool] = []
        for index, width in enumerate(self._widths):
            value = cells[index] if index < len(cells) else ""
            cell = value if isinstance(value, Cell) else Cell(value)
            inner = width - 2 * self.pad_x
            lines.append(wrap_lines(cell.text, self.font, self.size, inner))
            fills.append(cell.fill)
            text_colors.append(cell.color)
            emphasis.append(cell.emphasis)
        return _Row(lines, fills, text_colors, emphasis, self._height_of(lines))

    def _height_of(self, lines: list[list[str]]) -> float:
        return max(len(c) for c in lines) * self.leading + 2 * self.pad_y

    def _head_height(self) -> float:
        return self._head.height if self._head is not None else 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._layout(availWidth)
        self.width = availWidth
        self.height = self._head_height() + self._total
        return self.width, self.height

    def _clone(self, rows: list[_Row], first_index: int, total: float | None = None) -> DataTable:
        part = DataTable(
            self.columns,
            [],
            font=self.font,
            size=self.size,
            header=self.header,
            zebra=self.zebra,
            label_column=self.label_column,
        )
        part._rows = rows
        part._total = sum(r.height for r in rows) if total is None else total
        part._head = self._head
        part._widths = self._widths
        part._for_width = self._for_width
        part._first_index = first_index
        return part

    def _split_row(self, row: _Row, room: float) -> tuple[_Row, _Row] | None:
        """Cut one row so its first part fits ``room`` points (at least three lines)."""
        count = int((room - 2 * self.pad_y) // self.leading)
        if count < 3 or count >= max(len(c) for c in row.lines):
            return None
        head = [c[:count] for c in row.lines]
        tail = [c[count:] or [""] for c in row.lines]
        return (
            _Row(head, row.fills, row.colors, row.emphasis, self._height_of(head)),
            _Row(tail, row.fills, row.colors, row.emphasis, self._height_of(tail)),
        )

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        rows = self._layout(availWidth)
        full = self._head_height() + self._total
        if full <= availHeight:
            return [self]
        if full <= self.keep_together_below:
            return []  # a short block moves to the next page whole
        room = availHeight - self._head_height()
        used = 0.0
        count = 0
        for row in rows:
            if used + row.height > room:
                break
            used += row.height
            count += 1
        if count >= len(rows):
            return [self]
        # A tall row (a long note) is cut to fill the page; a short one moves down whole.
        following = rows[count]
        parts = None
        if following.height > self.split_rows_taller_than:
            parts = self._split_row(following, room - used)
        if parts is not None:
            head, tail = parts
            first = self._clone([*rows[:count], head], self._first_index)
            rest = self._clone([tail, *rows[count + 1 :]], self._first_index + count)
            return [first, rest]
        if count == 0:
            return []
        first = self._clone(rows[:count], self._first_index, used)
        rest = self._clone(rows[count:], self._first_index + count, self._total - used)
        return [first, rest]

    # -- drawing ------------------------------------------------------------------------

    def draw(self) -> None:
        if self._rows is None:
            raise RuntimeError("DataTable.draw() before wrap()")
        canvas = self.canv
        xs = [0.0]
        for width in self._widths:
            xs.append(xs[-1] + width)
        rows: list[tuple[_Row, bool]] = []
        if self._head is not None:
            rows.append((self._head, True))
        rows.extend((r, False) for r in self._rows)
        canvas.saveState()
        # Backgrounds first, then one text object for the page, then the grid on top.
        tops = self._draw_fills(rows, xs)
        self._draw_text(rows, xs)
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        canvas.grid(xs, tops)
        canvas.restoreState()

    def _draw_fills(self, rows: list[tuple[_Row, bool]], xs: list[float]) -> list[float]:
        """Row and cell backgrounds; returns the y of every row boundary (top first)."""
        canvas = self.canv
        y = self.height
        tops: list[float] = [y]
        for position, (row, is_head) in enumerate(rows):
            bottom = y - row.height
            index = self._first_index + position - (1 if self._head is not None else 0)
            base = HEADER_FILL if is_head else (ZEBRA_FILL if self.zebra and index % 2 else None)
            if base is not None:
                canvas.setFillColor(base)
                canvas.rect(0, bottom, xs[-1], row.height, 0, 1)
            for column, fill in enumerate(row.fills):
                colour = fill or (HEADER_FILL if self.label_column and column == 0 else None)
                if colour is not None:
                    canvas.setFillColor(colour)
                    canvas.rect(xs[column], bottom, xs[column + 1] - xs[column], row.height, 0, 1)
            y = bottom
            tops.append(y)
        return tops

    def _draw_text(self, rows: list[tuple[_Row, bool]], xs: list[float]) -> None:
        canvas = self.canv
        text = canvas.beginText()
        text.setFont(self.font, self.size, self.leading)
        current = colors.black
        text.setFillColor(current)
        text.setStrokeColor(current)
        bold = False
        canvas.setLineWidth(0.3)  # the outline that thickens emphasised text
        y = self.height
        for row, _is_head in rows:
            for column, lines in enumerate(row.lines):
                wanted = row.colors[column] or colors.black
                if wanted != current:
                    text.setFillColor(wanted)
                    text.setStrokeColor(wanted)
                    current = wanted
                if row.emphasis[column] != bold:
                    # IPAex fonts have no bold face: fill and stroke the glyphs instead.
                    bold = row.emphasis[column]
                    text.setTextRenderMode(2 if bold else 0)
                align = self.columns[column].align
                left = xs[column] + self.pad_x
                right = xs[column + 1] - self.pad_x
                baseline = y - self.pad_y - self.size
                for line in lines:
                    if line:
                        x = left
                        if align != "left":
                            w = text_width(line, self.font, self.size)
                            x = right - w if align == "right" else (left + right - w) / 2
                        text.setTextOrigin(x, baseline)
                        text.textOut(line)
                    baseline -= self.leading
            y -= row.height
        canvas.drawText(text)
