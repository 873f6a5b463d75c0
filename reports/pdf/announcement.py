"""The public announcement of security control measures (APPI Art. 32), as Markdown and PDF.

A draft for legal to edit and publish: one heading per area the General Rules guideline names
(basic policy, internal rules, organizational (1)-(5), human, physical (1)-(4), technological
(1)-(4), supervision of contractors, external environment with the countries). Each heading
carries the sentences derived from the controls that implement it, or a standard sentence.
A measure the latest assessment does not show in place is marked for review, never published
silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import NextPageTemplate, Paragraph, Spacer, Table, TableStyle

from reports.pdf.doc import CONTENT_WIDTH, DocMeta, Progress, render
from reports.pdf.fonts import register_fonts
from reports.pdf.labels import t
from reports.pdf.model import (
    AREA_ITEMS,
    AREAS,
    AnnouncedMeasure,
    AnnouncementData,
    Area,
    Lang,
    pick,
)
from reports.pdf.parts import Story
from reports.pdf.text import clean, escape, fmt_long_date

REVIEW_FILL = colors.HexColor("#FDF0D5")
REVIEW_LINE = colors.HexColor("#E0A100")


@dataclass(frozen=True, slots=True)
class _Block:
    """One heading of the announcement, ready to print in either format."""

    area: Area
    item: int | None
    heading: str
    lines: tuple[str, ...]
    review: str | None  # why legal must look at it, or None


def _lang(lang: str) -> Lang:
    if lang not in ("ja", "en"):
        raise ValueError(f"lang must be 'ja' or 'en', not {lang!r}")
    return "ja" if lang == "ja" else "en"


def _find(data: AnnouncementData, area: Area, item: int | None) -> AnnouncedMeasure | None:
    for measure in data.measures:
        if measure.area == area and measure.item == item:
            return measure
    return None


def _blocks(data: AnnouncementData, lang: Lang) -> Iterator[_Block]:
    """Every area (and numbered item) in the guideline's order."""
    for area in AREAS:
        items: list[int | None] = (
            list(range(1, AREA_ITEMS[area] + 1)) if area in AREA_ITEMS else [None]
        )
        for item in items:
            suffix = "" if item is None else f".{item}"
            measure = _find(data, area, item)
            if measure is not None and measure.lines:
                lines = tuple(clean(pick(line, lang)) for line in measure.lines)
            else:
                lines = (t(lang, f"ann.text.{area}{suffix}"),)
            if area == "external":
                countries = [clean(pick(c, lang)) for c in data.countries]
                lines = (
                    *lines,
                    t(lang, "ann.countries", countries=t(lang, "list_sep").join(countries))
                    if countries
                    else t(lang, "ann.no_countries"),
                )
            review = None
            if measure is None:
                review = t(lang, "ann.not_covered")
            elif not measure.in_place:
                review = t(lang, "ann.review", controls=", ".join(measure.control_ids) or "—")
            heading = t(lang, f"ann.{area}{suffix}")
            if item is not None:
                heading = f"({item}) {heading}"
            yield _Block(area, item, heading, lines, review)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_MD_BLOCK_START = re.compile(r"^(\s*)([#>+\-=])", re.MULTILINE)
_MD_ORDERED_START = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def md_escape(text: str) -> str:
    """Text that Markdown shows as written (no emphasis, links, HTML, headings or lists)."""
    value = _MD_SPECIAL.sub(r"\\\1", clean(text))
    value = _MD_BLOCK_START.sub(r"\1\\\2", value)
    return _MD_ORDERED_START.sub(r"\1\\\2", value)


def announcement_markdown(data: AnnouncementData, lang: str) -> str:
    """The announcement as Markdown, for legal to edit (review notes as block quotes)."""
    language = _lang(lang)
    organisation = clean(pick(data.organisation, language))
    out = [f"# {md_escape(t(language, 'ann.title'))}", ""]
    out.append(f"{md_escape(organisation)}  ")
    out.append(md_escape(t(language, "ann.as_of", date=fmt_long_date(data.as_of, language))))
    out.append("")
    out.append(f"> {md_escape(t(language, 'ann.draft'))}")
    out.append("")
    out.append(md_escape(t(language, "ann.intro", org=organisation)))
    current_area: str | None = None
    for block in _blocks(data, language):
        if block.area != current_area:
            current_area = block.area
            out.extend(["", f"## {md_escape(t(language, f'ann.{block.area}'))}"])
        if block.item is not None:
            out.extend(["", f"### {md_escape(block.heading)}"])
        for line in block.lines:
            out.extend(["", md_escape(line)])
        if block.review is not None:
            out.extend(["", f"> **{md_escape(block.review)}**"])
    out.append("")
    out.append("---")
    out.append("")
    if data.basis is not None:
        out.append(
            md_escape(t(language, "ann.basis", basis=clean(pick(data.basis, language)))) + "  "
        )
    if data.contact is not None:
        out.append(
            md_escape(t(language, "ann.contact", contact=clean(pick(data.contact, language))))
        )
    return "\n".join(out).rstrip() + "\n"


def _review_box(text: str, story: Story) -> Table:
    box = Table([[Paragraph(escape(text), story.styles.small)]], colWidths=[CONTENT_WIDTH])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), REVIEW_FILL),
                ("LINEBEFORE", (0, 0), (0, -1), 3, REVIEW_LINE),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("FONT", (0, 0), (-1, -1), story.font),
            ]
        )
    )
    return box


def build_announcement_pdf(
    data: AnnouncementData, lang: str, progress: Progress | None = None
) -> bytes:
    """The announcement as PDF (Mincho body text when IPAexMincho is installed)."""
    language = _lang(lang)
    fonts = register_fonts()
    story = Story.start(language, fonts, serif=True)
    styles = story.styles
    organisation = pick(data.organisation, language)
    title = t(language, "ann.title")
    story.add(NextPageTemplate("body"))
    story.add(Spacer(1, 4 * mm))
    story.add(Paragraph(escape(title), styles.title))
    story.add(Paragraph(escape(organisation), styles.subtitle))
    story.note(t(language, "ann.as_of", date=fmt_long_date(data.as_of, language)))
    story.space(4)
    story.add(_review_box(t(language, "ann.draft"), story))
    story.space(6)
    story.para(t(language, "ann.intro", org=organisation))
    current_area: str | None = None
    for block in _blocks(data, language):
        if block.area != current_area:
            current_area = block.area
            story.section(t(language, f"ann.{block.area}"), f"area-{block.area}", numbered=False)
        if block.item is not None:
            story.heading3(block.heading)
        for line in block.lines:
            story.para(line)
        if block.review is not None:
            story.add(_review_box(block.review, story))
            story.space(4)
    story.space(10)
    if data.basis is not None:
        story.note(t(language, "ann.basis", basis=pick(data.basis, language)))
    if data.contact is not None:
        story.note(t(language, "ann.contact", contact=pick(data.contact, language)))
    meta = DocMeta(
        title=title,
        subject=title,
        author=organisation,
        lang="ja-JP" if language == "ja" else "en",
        report_id=f"{organisation} · {fmt_long_date(data.as_of, language)}",
        confidentiality=t(language, "ann.draft_label"),
        header_left=f"{organisation} · {title}",
        page_label=lambda page, total: t(language, "page", page=page, total=total),
    )
    return render(story.flow, meta, fonts, (), progress)
