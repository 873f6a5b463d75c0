"""User text in PDFs: escaping for Paragraph markup, measured line breaking, formats, fonts."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.platypus import Paragraph

from reports.pdf.doc import CONTENT_WIDTH, DocMeta, make_styles, para, render, table_of_contents
from reports.pdf.fonts import FONT_ENV, FONT_PACKAGE, FontMissing, register_fonts
from reports.pdf.parts import Story
from reports.pdf.table import Column, DataTable
from reports.pdf.text import (
    clean,
    escape,
    fmt_date,
    fmt_datetime,
    fmt_delta,
    fmt_long_date,
    fmt_percent,
    fmt_score,
    short_hash,
    text_width,
    wrap_lines,
)
from tests.fixtures.pdf import poppler
from tests.fixtures.pdf.sample_data import HOSTILE_MARKUP, LONG_RUN

FONT = register_fonts().sans

HOSTILE = [
    "<b>not bold</b>",
    "<font name=x>no font x</font>",
    "AT&T &amp; &lt; &#169; &nbsp;",
    "an unclosed <i tag",
    "<para>inside</para> <br/> <img src='x'/> <a href='javascript:alert(1)'>link</a>",
    "",
]


def _meta() -> DocMeta:
    return DocMeta(
        title="t",
        subject="s",
        author="a",
        lang="en",
        report_id="T-1",
        confidentiality="Internal",
        header_left="test",
        page_label=lambda page, total: f"page {page} of {total}",
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_markup_builds_a_paragraph_that_shows_the_characters(text: str) -> None:
    paragraph = Paragraph(escape(text), make_styles(register_fonts(), "en").body)
    assert "".join(frag.text for frag in paragraph.frags) == text
    paragraph.wrap(400, 800)


def test_unescaped_markup_would_fail_or_vanish() -> None:
    """Why escaping matters: the raw strings are not safe (the test can fail without escape)."""
    style = make_styles(register_fonts(), "en").body
    with pytest.raises(ValueError, match="unclosed"):
        Paragraph("an unclosed <i tag", style).wrap(400, 800)
    vanished = Paragraph("<b>not bold</b>", style)
    assert "".join(frag.text for frag in vanished.frags) == "not bold"


def test_escape_turns_newlines_into_breaks_and_drops_control_characters() -> None:
    assert escape("a\r\nb\rc") == "a<br/>b<br/>c"
    assert escape("x\x00y\x1bz\u202e") == "xyz"
    assert escape('"q" & <') == "&quot;q&quot; &amp; &lt;"
    assert clean("tab\there") == "tab    here"


@pytest.mark.parametrize(
    ("text", "width"),
    [
        (LONG_RUN, 120.0),
        (
            "個人情報取扱台帳に、2025年度に導入した採用管理システムの個人データが登録されていない。",
            90.0,
        ),
        ("Two leavers kept active accounts on the file server for 41 and 63 days.", 70.0),
        ("contract_vendor-07_signed_2026-03-31_final_v2_reviewed.pdf", 60.0),
        ("5f" * 32, 40.0),
        (HOSTILE_MARKUP, 50.0),
    ],
)
def test_wrapped_lines_fit_and_keep_every_character(text: str, width: float) -> None:
    lines = wrap_lines(text, FONT, 7.5, width)
    assert len(lines) > 1
    for line in lines:
        assert text_width(line, FONT, 7.5) <= width + 0.01, line
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_a_5000_character_run_wraps_into_many_lines() -> None:
    lines = wrap_lines(LONG_RUN, FONT, 7.5, 150.0)
    assert len(LONG_RUN) == 5_000
    assert len(lines) >= 5_000 * text_width("x", FONT, 7.5) // 150
    assert "".join(lines).endswith("END_OF_RUN")


def test_words_break_at_spaces_not_inside() -> None:
    words = ["alpha", "beta", "gamma", "delta", "epsilon"]
    lines = wrap_lines(" ".join(words), FONT, 10, 60)
    assert len(lines) > 1
    # no word is cut and no line starts or ends with a space
    assert [w for line in lines for w in line.split(" ")] == words


def test_japanese_closing_marks_never_start_a_line() -> None:
    text = "監査の結果、規程は整備されている。一方、運用記録（2025年11月分）に漏れがあった。" * 3
    for width in (40.0, 55.0, 70.0, 85.0):
        lines = wrap_lines(text, FONT, 9, width)
        assert all(line[:1] not in "、。）」" for line in lines[1:]), lines
        assert all(line[-1:] not in "（「" for line in lines), lines
        assert "".join(lines) == text


def test_a_hostile_paragraph_and_table_render_literally(tmp_path: Path) -> None:
    styles = make_styles(register_fonts(), "en")
    story = [para(text, styles.body) for text in [*HOSTILE, LONG_RUN]]
    story.append(
        DataTable(
            [Column("Field", 0.3), Column("Value", 0.7)],
            [[text, text] for text in HOSTILE] + [["long", LONG_RUN]],
            font=FONT,
        )
    )
    path = poppler.write(render(story, _meta(), register_fonts()), tmp_path / "hostile.pdf")
    text = "".join(poppler.pages_text(path))
    flat = text.replace("\n", "")
    for hostile in HOSTILE[:-1]:
        assert hostile.replace(" ", "") in flat.replace(" ", "")
    assert flat.count("x" * 30) > 100  # the run is printed, not dropped
    assert flat.count("END_OF_RUN") == 2
    for page in poppler.word_boxes(path):
        for word in page.words:
            assert word.x_max <= page.width - 40, f"{word.text!r} runs off page {word.page}"


def test_formats() -> None:
    assert fmt_score(61.428571) == "61.4"
    assert fmt_score(None) == "—"
    assert fmt_delta(3.25) == "+3.2"
    assert fmt_delta(-1.55) == "-1.6"
    assert fmt_delta(0.04) == "±0.0"
    assert fmt_percent(10 / 11) == "91%"
    assert fmt_date("2026-03-31T10:00:00") == "2026-03-31"
    assert fmt_datetime("2026-03-31T10:05:09+09:00") == "2026-03-31 10:05"
    assert fmt_datetime(datetime(2026, 3, 31, 9, 5)) == "2026-03-31 09:05"
    assert fmt_long_date(date(2026, 3, 31), "ja") == "2026年3月31日"
    assert fmt_long_date(date(2026, 3, 31), "en") == "31 March 2026"
    assert short_hash("ab" * 32) == "abababababab"


def test_a_missing_font_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(FONT_ENV, raising=False)
    with pytest.raises(FontMissing, match=FONT_PACKAGE):
        register_fonts(gothic_paths=("/nonexistent/ipaexg.ttf",), mincho_paths=())


def test_a_wrong_font_override_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(FONT_ENV, str(tmp_path / "missing.ttf"))
    with pytest.raises(FontMissing, match=FONT_ENV):
        register_fonts()
    not_a_font = tmp_path / "broken.ttf"
    not_a_font.write_bytes(b"this is not a font")
    monkeypatch.setenv(FONT_ENV, str(not_a_font))
    with pytest.raises(FontMissing, match="TrueType"):
        register_fonts()


def test_a_font_override_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    mincho = register_fonts().serif_path
    if mincho is None:
        pytest.skip("IPAexMincho is not installed")
    monkeypatch.setenv(FONT_ENV, mincho)
    fonts = register_fonts()
    assert fonts.sans == "IPAexMincho"
    assert fonts.sans_path == mincho


def test_page_numbers_and_contents_are_filled_in_at_the_end(tmp_path: Path) -> None:
    styles = make_styles(register_fonts(), "en")
    story = [para(f"line {n}", styles.body) for n in range(400)]
    path = poppler.write(render(story, _meta(), register_fonts()), tmp_path / "pages.pdf")
    pages = poppler.pages_text(path)
    total = poppler.page_count(path)
    assert total == len(pages) > 3
    for number, text in enumerate(pages, start=1):
        assert f"page {number} of {total}" in text
    assert CONTENT_WIDTH > 0


def test_heading_keys_with_any_characters_make_working_bookmarks(tmp_path: Path) -> None:
    story = Story.start("en", register_fonts())
    for key in ("a b", "a b", "é/<x>", ""):
        story.section(f"Section {key!r} <b>", key)
        story.subsection("Sub (1) & more", key + " sub")
        story.para("text")
    story.flow[0:0] = table_of_contents(story.toc, story.styles)
    pdf = render(story.flow, _meta(), register_fonts(), story.toc)
    path = poppler.write(pdf, tmp_path / "keys.pdf")
    document = pdfium.PdfDocument(str(path))
    try:
        outline = [(item.get_title(), item.get_dest().get_index()) for item in document.get_toc()]
    finally:
        document.close()
    assert [title for title, _ in outline] == [item.title for item in story.toc]
    assert len({item.key for item in story.toc}) == len(story.toc) == 8
    assert all(index >= 0 for _, index in outline)
    assert "Section 'a b' <b>" in poppler.pages_text(path)[0]
