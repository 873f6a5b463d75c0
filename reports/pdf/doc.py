"""The document engine: A4 pages, running header and footer, outline, table of contents.

One layout pass. "Page X of Y" and the table of contents need numbers that are only known at
the end; ReportLab's usual answers (a canvas that holds every page until ``save()``, and
``multiBuild``, which lays the whole document out two or three times) would double the cost
of a 150-page report, and the held pages break bookmark targets. Instead each page's footer
number and each contents entry's page number is a PDF form XObject that is drawn by reference
during layout and filled in just before the file is written, when the totals are known.
The contents list is known before layout (the builders name every heading up front), so its
size is fixed before the first page is laid out and no page number can move afterwards.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from reports.pdf.fonts import ReportFonts
from reports.pdf.text import clean, escape, text_width

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 16 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 17 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

INK = colors.HexColor("#1F2933")
ACCENT = colors.HexColor("#1F4E79")
MUTED = colors.HexColor("#5F6B7A")
ALERT = colors.HexColor("#B3261E")

Progress = Callable[[float], None]


@dataclass(frozen=True, slots=True)
class Styles:
    """Paragraph styles of one report language (``wordWrap='CJK'`` for Japanese)."""

    body: ParagraphStyle
    small: ParagraphStyle
    note: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    toc1: ParagraphStyle
    toc2: ParagraphStyle
    font: str


def make_styles(fonts: ReportFonts, lang: str, serif: bool = False) -> Styles:
    font = fonts.serif if serif else fonts.sans
    wrap = "CJK" if lang == "ja" else None

    def style(name: str, size: float, **extra: Any) -> ParagraphStyle:
        base: dict[str, Any] = {
            "fontName": font,
            "fontSize": size,
            "leading": round(size * 1.5, 1),
            "textColor": INK,
            "wordWrap": wrap,
            "splitLongWords": 1,
            "alignment": TA_LEFT,
        }
        base.update(extra)
        return ParagraphStyle(name, **base)

    heading_font = fonts.sans
    return Styles(
        body=style("body", 9.5, spaceAfter=4),
        small=style("small", 8, leading=11, spaceAfter=2),
        note=style("note", 8, leading=11, textColor=MUTED, spaceAfter=2),
        title=style("title", 22, leading=30, fontName=heading_font, textColor=ACCENT),
        subtitle=style("subtitle", 13, leading=19, fontName=heading_font, textColor=INK),
        h1=style(
            "h1",
            15,
            leading=21,
            fontName=heading_font,
            textColor=ACCENT,
            spaceBefore=4,
            spaceAfter=8,
            keepWithNext=1,
        ),
        h2=style(
            "h2",
            11.5,
            leading=16,
            fontName=heading_font,
            textColor=ACCENT,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        ),
        h3=style(
            "h3",
            10,
            leading=14,
            fontName=heading_font,
            textColor=INK,
            spaceBefore=6,
            spaceAfter=3,
            keepWithNext=1,
        ),
        toc1=style("toc1", 10.5, leading=17, fontName=heading_font),
        toc2=style("toc2", 9, leading=14, fontName=heading_font, leftIndent=14),
        font=font,
    )


def para(text: object, style: ParagraphStyle) -> Paragraph:
    """A Paragraph showing ``text`` literally (escaped)."""
    return Paragraph(escape(text), style)


class Heading(Paragraph):  # type: ignore[misc]  # reportlab has no type information
    """A section heading: bookmark, outline entry and contents line come from it."""

    def __init__(self, title: str, key: str, level: int, style: ParagraphStyle) -> None:
        super().__init__(escape(title), style)
        self.plain_title = clean(title)
        self.key = key
        self.level = level


@dataclass(frozen=True, slots=True)
class TocItem:
    """A contents line; ``key`` names the heading's bookmark (letters, digits, ``_.-``)."""

    title: str
    key: str
    level: int
    index: int = 0  # position in the contents (names the page-number form)


class TocLine(Flowable):  # type: ignore[misc]
    """One line of the contents: title, dot leader, page number (a form filled in at the end)."""

    def __init__(self, item: TocItem, style: ParagraphStyle) -> None:
        super().__init__()
        self.item = item
        self.style = style

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = float(self.style.leading)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        style = self.style
        size = float(style.fontSize)
        indent = float(style.leftIndent)
        baseline = (self.height - size) / 2 + 1
        number_room = 28.0
        title = _fit(self.item.title, style.fontName, size, self.width - indent - number_room - 12)
        canvas.setFont(style.fontName, size)
        canvas.setFillColor(INK)
        canvas.drawString(indent, baseline, title)
        start = indent + text_width(title, style.fontName, size) + 4
        end = self.width - number_room
        if end > start:
            canvas.setDash(0.5, 2.5)
            canvas.setStrokeColor(MUTED)
            canvas.setLineWidth(0.6)
            canvas.line(start, baseline + 1, end, baseline + 1)
            canvas.setDash()
        canvas.saveState()
        canvas.translate(self.width, baseline)
        canvas.doForm(_toc_form(self.item.index))
        canvas.restoreState()
        canvas.linkRect("", self.item.key, (indent, 0, self.width, self.height), relative=1)


def _toc_form(index: int) -> str:
    return f"kansaToc{index}"


def _page_form(number: int) -> str:
    return f"kansaPage{number}"


@dataclass(slots=True)
class _Book:
    """What is only known at the end of layout."""

    toc_keys: list[str] = field(default_factory=list)
    heading_pages: dict[str, int] = field(default_factory=dict)
    pages: int = 0


@dataclass(frozen=True, slots=True)
class DocMeta:
    """The running header/footer and PDF metadata of one report."""

    title: str
    subject: str
    author: str
    lang: str
    report_id: str
    confidentiality: str
    header_left: str
    page_label: Callable[[int, int], str]  # (page, total) -> "page 3 of 12"
    footer_note: str = ""


class _ReportCanvas(Canvas):  # type: ignore[misc]
    """Counts pages and fills in the number forms before the file is written."""

    def __init__(self, *args: Any, book: _Book, meta: DocMeta, font: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._book = book
        self._meta = meta
        self._font = font
        self.showOutline()  # open with the bookmarks panel

    def showPage(self) -> None:
        self._book.pages += 1
        super().showPage()

    def save(self) -> None:
        total = self._book.pages
        for number in range(1, total + 1):
            self.beginForm(_page_form(number), lowerx=-200, lowery=-4, upperx=0, uppery=12)
            self.setFont(self._font, 8)
            self.setFillColor(MUTED)
            self.drawRightString(0, 0, self._meta.page_label(number, total))
            self.endForm()
        for index, key in enumerate(self._book.toc_keys):
            page = self._book.heading_pages.get(key)
            self.beginForm(_toc_form(index), lowerx=-40, lowery=-4, upperx=0, uppery=14)
            self.setFont(self._font, 10)
            self.setFillColor(INK)
            self.drawRightString(0, 0, "—" if page is None else str(page))
            self.endForm()
        super().save()


def _fit(text: str, font: str, size: float, room: float) -> str:
    if text_width(text, font, size) <= room:
        return text
    while text and text_width(text + "…", font, size) > room:
        text = text[:-1]
    return text + "…"


class ReportDocument(BaseDocTemplate):  # type: ignore[misc]
    """A4 report with a running header (confidentiality label) and footer (report id, X / Y)."""

    def __init__(self, output: io.BytesIO, meta: DocMeta, font: str) -> None:
        super().__init__(
            output,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=meta.title,
            subject=meta.subject,
            author=meta.author,
            creator="Kansa",
            lang=meta.lang,
            initialFontName=font,
            initialFontSize=9,
            displayDocTitle=1,
        )
        self.meta = meta
        self.font = font
        self.book = _Book()
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            CONTENT_WIDTH,
            PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        self.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[frame], onPage=self._decorate_cover),
                PageTemplate(id="body", frames=[frame], onPage=self._decorate),
            ]
        )

    def _label(self, canvas: Canvas) -> None:
        """The confidentiality label, boxed, top right of every page."""
        label = clean(self.meta.confidentiality)
        if not label:
            return
        size = 8.5
        width = text_width(label, self.font, size) + 10
        x = PAGE_WIDTH - MARGIN_X - width
        y = PAGE_HEIGHT - 12.5 * mm
        canvas.setStrokeColor(ALERT)
        canvas.setFillColor(colors.white)
        canvas.setLineWidth(0.8)
        canvas.rect(x, y - 3, width, size + 6, 1, 1)
        canvas.setFillColor(ALERT)
        canvas.setFont(self.font, size)
        canvas.drawString(x + 5, y, label)

    def _footer(self, canvas: Canvas, page: int) -> None:
        canvas.setFont(self.font, 8)
        canvas.setFillColor(MUTED)
        y = 9 * mm
        left = clean(self.meta.report_id)
        if self.meta.footer_note:
            left = f"{left}   {clean(self.meta.footer_note)}"
        canvas.drawString(MARGIN_X, y, _fit(left, self.font, 8, CONTENT_WIDTH * 0.7))
        canvas.saveState()
        canvas.translate(PAGE_WIDTH - MARGIN_X, y)
        canvas.doForm(_page_form(page))
        canvas.restoreState()
        canvas.setStrokeColor(colors.HexColor("#C9D1DB"))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, y + 10, PAGE_WIDTH - MARGIN_X, y + 10)

    def _decorate_cover(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        self._label(canvas)
        self._footer(canvas, doc.page)
        canvas.restoreState()

    def _decorate(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        self._label(canvas)
        canvas.setFont(self.font, 8)
        canvas.setFillColor(MUTED)
        header = clean(self.meta.header_left)
        canvas.drawString(
            MARGIN_X, PAGE_HEIGHT - 12.5 * mm, _fit(header, self.font, 8, CONTENT_WIDTH * 0.72)
        )
        canvas.setStrokeColor(colors.HexColor("#C9D1DB"))
        canvas.setLineWidth(0.5)
        y = PAGE_HEIGHT - 15 * mm
        canvas.line(MARGIN_X, y, PAGE_WIDTH - MARGIN_X, y)
        self._footer(canvas, doc.page)
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Heading):
            key = flowable.key
            self.book.heading_pages.setdefault(key, self.page)
            top = self.frame._y + flowable.height + 6
            self.canv.bookmarkHorizontalAbsolute(key, top)
            self.canv.addOutlineEntry(flowable.plain_title, key, level=flowable.level, closed=None)


def table_of_contents(items: Sequence[TocItem], styles: Styles) -> list[Flowable]:
    """The contents lines; page numbers are filled in when the document is finished."""
    return [
        TocLine(replace(item, index=index), styles.toc1 if item.level == 0 else styles.toc2)
        for index, item in enumerate(items)
    ]


def render(
    story: list[Flowable],
    meta: DocMeta,
    fonts: ReportFonts,
    toc: Sequence[TocItem] = (),
    progress: Progress | None = None,
) -> bytes:
    """Lay out ``story`` once and return the PDF bytes."""
    # Binary (Flate only) streams: ReportLab's default ASCII85 layer costs about a tenth of
    # the build time in pure Python and makes the file a quarter larger. Process-wide, and the
    # same value for every build, so concurrent builds do not disturb each other.
    rl_config.useA85 = 0
    output = io.BytesIO()
    doc = ReportDocument(output, meta, fonts.sans)
    doc.book.toc_keys = [item.key for item in toc]
    if progress is not None:
        total = max(len(story), 1)
        done = [0.0]

        def report(kind: str, value: int) -> None:
            # Flowables split across pages go back on the list, so the count can step back.
            if kind == "PROGRESS" and value / total > done[0]:
                done[0] = min(value / total, 1.0)
                progress(done[0])

        doc.setProgressCallBack(report)
    book = doc.book

    def make_canvas(*args: Any, **kwargs: Any) -> _ReportCanvas:
        return _ReportCanvas(*args, book=book, meta=meta, font=fonts.sans, **kwargs)

    doc.build(story, canvasmaker=make_canvas)
    missing = [key for key in book.toc_keys if key not in book.heading_pages]
    if missing:
        raise RuntimeError(f"contents entries without a heading: {missing}")
    return output.getvalue()
