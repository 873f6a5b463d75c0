"""Building blocks the report builders share: numbered sections, tables, key/value blocks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from reports.pdf.doc import CONTENT_WIDTH, Heading, Styles, TocItem, make_styles, para
from reports.pdf.fonts import ReportFonts
from reports.pdf.labels import t
from reports.pdf.model import Lang, Text, pick
from reports.pdf.table import CellValue, Column, DataTable
from reports.pdf.text import escape

# Cells of the result column: the colour follows the result; the word is always there.
RESULT_FILL = {
    "conformant": colors.HexColor("#CDE8CF"),
    "partially_conformant": colors.HexColor("#FBE7B0"),
    "nonconformant": colors.HexColor("#F6C9C6"),
    "not_assessed": colors.HexColor("#E6E9ED"),
}
GRADE_FILL = {
    "major": colors.HexColor("#F6C9C6"),
    "minor": colors.HexColor("#FBE7B0"),
    "observation": colors.HexColor("#DCE6F2"),
    "ofi": colors.HexColor("#E4F0F6"),
    "good": colors.HexColor("#CDE8CF"),
}
GRADE_COLOUR = {
    "major": colors.HexColor("#C62828"),
    "minor": colors.HexColor("#E0A100"),
    "observation": colors.HexColor("#3B6EA5"),
    "ofi": colors.HexColor("#7FA7C9"),
    "good": colors.HexColor("#2E7D32"),
}


@dataclass(slots=True)
class Story:
    """The flowables of one report and the contents entries its headings create."""

    lang: Lang
    fonts: ReportFonts
    styles: Styles
    flow: list[Flowable] = field(default_factory=list)
    toc: list[TocItem] = field(default_factory=list)
    _section: int = 0
    _subsection: int = 0
    _keys: set[str] = field(default_factory=set)

    @classmethod
    def start(cls, lang: Lang, fonts: ReportFonts, serif: bool = False) -> Story:
        return cls(lang, fonts, make_styles(fonts, lang, serif=serif))

    @property
    def font(self) -> str:
        return self.fonts.sans

    def _key(self, wanted: str) -> str:
        """A unique bookmark name made of safe characters (PDF names allow no spaces)."""
        key = re.sub(r"[^A-Za-z0-9_.-]", "_", wanted) or "section"
        unique = key
        count = 1
        while unique in self._keys:
            count += 1
            unique = f"{key}.{count}"
        self._keys.add(unique)
        return unique

    def t(self, key: str, **values: object) -> str:
        return t(self.lang, key, **values)

    def pick(self, value: Text | None) -> str:
        return pick(value, self.lang)

    # -- headings -----------------------------------------------------------------------

    def section(
        self,
        title: str,
        key: str,
        *,
        new_page: bool = False,
        numbered: bool = True,
        room: float = 90,
    ) -> None:
        """A top-level section: contents line, outline entry, bookmark.

        It starts a new page when ``new_page`` or when less than ``room`` points are left.
        """
        self._section += 1
        self._subsection = 0
        if numbered:
            title = f"{self._section}. {title}"
        key = self._key(key)
        self.flow.append(PageBreak() if new_page else CondPageBreak(room))
        self.flow.append(Heading(title, key, 0, self.styles.h1 if numbered else self.styles.h2))
        self.toc.append(TocItem(title, key, 0))

    def subsection(self, title: str, key: str, *, in_contents: bool = True) -> None:
        self._subsection += 1
        numbered = f"{self._section}.{self._subsection} {title}"
        key = self._key(key)
        # Heading, its summary line and the first rows of its table stay on one page.
        self.flow.append(CondPageBreak(150))
        self.flow.append(Heading(numbered, key, 1, self.styles.h2))
        if in_contents:
            self.toc.append(TocItem(numbered, key, 1))

    def heading3(self, text: str) -> None:
        self.flow.append(Paragraph(escape(text), self.styles.h3))

    # -- content ------------------------------------------------------------------------

    def para(self, text: object) -> None:
        self.flow.append(para(text, self.styles.body))

    def paras(self, text: object) -> None:
        """One Paragraph per line of ``text`` (long user text splits across pages cleanly).

        A line longer than PARA_CHARS becomes several Paragraphs: ReportLab re-lays the rest of
        a Paragraph at every page it spills onto, so one huge line costs time quadratic in its
        length (a 100 KB line took 50 s; cut into pieces, a megabyte takes seconds)."""
        for line in str(text or "").splitlines() or [""]:
            for piece in _pieces(line):
                if piece.strip():
                    self.flow.append(para(piece, self.styles.body))

    def note(self, text: object) -> None:
        self.flow.append(para(text, self.styles.note))

    def space(self, height: float = 6) -> None:
        self.flow.append(Spacer(1, height))

    def add(self, flowable: Flowable) -> None:
        self.flow.append(flowable)

    def table(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[CellValue]],
        *,
        size: float = 7.5,
        keep_together_below: float = 0.0,
    ) -> None:
        self.flow.append(
            DataTable(
                columns, rows, font=self.font, size=size, keep_together_below=keep_together_below
            )
        )
        self.space(6)

    def key_values(
        self,
        pairs: Sequence[tuple[str, CellValue]],
        *,
        label_share: float = 0.26,
        size: float = 8.5,
        keep_together_below: float = 260.0,
    ) -> DataTable:
        """A two-column block of labels and values (no header row)."""
        table = DataTable(
            [Column("", label_share), Column("", 1 - label_share)],
            [[label, value] for label, value in pairs],
            font=self.font,
            size=size,
            header=False,
            zebra=False,
            label_column=True,
            keep_together_below=keep_together_below,
        )
        self.flow.append(table)
        return table


PARA_CHARS = 2000


def _pieces(line: str) -> list[str]:
    """``line`` in pieces of at most PARA_CHARS characters, cut after a space where there is one
    in the second half of the piece (so words stay whole), otherwise at the limit."""
    pieces: list[str] = []
    while len(line) > PARA_CHARS:
        cut = line.rfind(" ", PARA_CHARS // 2, PARA_CHARS) + 1 or PARA_CHARS
        pieces.append(line[:cut])
        line = line[cut:]
    pieces.append(line)
    return pieces


def boxes(cells: Sequence[tuple[str, str]], styles: Styles, font: str) -> Table:
    """A row of figure boxes (big number over a caption) for the executive summary."""
    big = make_big(styles)
    data = [[Paragraph(escape(value), big) for value, _ in cells]]
    data.append([Paragraph(escape(caption), styles.small) for _, caption in cells])
    width = CONTENT_WIDTH / max(len(cells), 1)
    table = Table(data, colWidths=[width] * len(cells))
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#A9B1BC")),
                ("INNERGRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#D5DBE3")),
                ("LINEBELOW", (0, 0), (-1, 0), 0, colors.white),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#F4F6F9")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, 0), 6),
                ("BOTTOMPADDING", (0, 1), (-1, 1), 6),
                ("FONT", (0, 0), (-1, -1), font),
            ]
        )
    )
    return table


def make_big(styles: Styles) -> ParagraphStyle:
    return ParagraphStyle(
        "big", parent=styles.body, fontSize=20, leading=24, textColor=colors.HexColor("#1F4E79")
    )


def keep(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))


def side_by_side(left: Flowable, right: Flowable, font: str, split: float = 0.5) -> Table:
    """Two flowables next to each other (charts)."""
    table = Table([[left, right]], colWidths=[CONTENT_WIDTH * split, CONTENT_WIDTH * (1 - split)])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("FONT", (0, 0), (-1, -1), font),
            ]
        )
    )
    return table


def natural_key(text: str) -> tuple[object, ...]:
    """Sort ``10-3(2)`` after ``10-3(1)`` and ``10-10`` after ``10-9``."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def joined(values: Sequence[str], lang: str) -> str:
    return t(lang, "list_sep").join(v for v in values if v)
