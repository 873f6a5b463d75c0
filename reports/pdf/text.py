"""User text made safe for a PDF: Paragraph markup escaping, line breaking, number formats.

ReportLab's ``Paragraph`` reads HTML-like markup: an unknown tag vanishes, an unclosed one raises
``ValueError``, ``&`` starts an entity. Every string that did not come from this package goes
through :func:`escape` before it reaches a Paragraph, so ``<b>`` or ``<font name=x>`` in a
finding prints as those characters. Table cells are drawn as plain text (no markup at all) and
broken into lines by :func:`wrap_lines`, which measures with the real font so nothing is cut.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from xml.sax.saxutils import escape as _xml_escape

from reportlab.pdfbase.pdfmetrics import getFont

# C0/C1 control characters (except tab and newline, handled below) and other invisible
# format characters a PDF font has no glyph for.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060]")
_NEWLINES = re.compile(r"\r\n?|\u2028|\u2029")

# Japanese line-breaking rules (kinsoku): a line never starts with a closing mark or a small
# kana, and never ends with an opening bracket.
_NO_LINE_START = frozenset(
    "、。，．,.・：；:;？！?!゛゜ヽヾゝゞ々ー‐゠–〜～)）]］}｝」』】〕〉》〙〗”’»ぁぃぅぇぉっゃゅょゎ"
    "ァィゥェォッャュョヮヵヶ%％"
)
_NO_LINE_END = frozenset("(（[［{｛「『【〔〈《〘〖“‘«")
# After these a long identifier (file name, URN, path) may break.
_SOFT_BREAK_AFTER = frozenset("/\\-_.,;:|=&?+")


def clean(text: object) -> str:
    """Plain text with newlines normalised and control characters removed (tabs -> space)."""
    if text is None:
        return ""
    value = _NEWLINES.sub("\n", str(text)).replace("\t", "    ")
    return _CONTROL.sub("", value)


def escape(text: object) -> str:
    """``text`` as Paragraph markup that prints literally; newlines become line breaks."""
    value = _xml_escape(clean(text), {'"': "&quot;"})
    return value.replace("\n", "<br/>")


def _is_wide(char: str) -> bool:
    """CJK ideographs, kana, full-width forms: a line may break on either side of them."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def _may_break_before(prev: str, char: str) -> bool:
    if char in _NO_LINE_START or prev in _NO_LINE_END:
        return False
    if prev == " " or char == " ":
        return True
    if prev in _SOFT_BREAK_AFTER:
        return True
    return _is_wide(prev) or _is_wide(char)


class _Widths(dict[str, float]):
    """Character -> advance width at one size, measured once per character.

    ReportLab measures TrueType text character by character in Python; summing cached widths
    with ``map`` is several times faster for the tens of thousands of cells of a long report.
    """

    def __init__(self, font_name: str, size: float) -> None:
        super().__init__()
        self._font = getFont(font_name)
        self._size = size

    def __missing__(self, char: str) -> float:
        width = float(self._font.stringWidth(char, self._size))
        self[char] = width
        return width


@lru_cache(maxsize=32)
def _widths(font_name: str, size: float) -> _Widths:
    return _Widths(font_name, size)


def text_width(text: str, font_name: str, size: float) -> float:
    """Width of ``text`` in points, as the font will draw it (no kerning in PDF text here)."""
    return sum(map(_widths(font_name, size).__getitem__, text))


def _break_paragraph(text: str, width: Callable[[str], float], limit: float) -> list[str]:
    """Greedy line breaking at the last break opportunity; a word wider than the line is cut."""
    lines: list[str] = []
    start = 0
    line_width = 0.0
    last_break = -1  # index where the current line may end (exclusive)
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if i > start and _may_break_before(text[i - 1], char):
            last_break = i
        char_width = width(char)
        if line_width + char_width > limit and i > start:
            cut = last_break if last_break > start else i
            lines.append(text[start:cut].rstrip(" "))
            start = cut
            while start < n and text[start] == " ":
                start += 1
            last_break = -1
            line_width = sum(map(width, text[start:i]))
            i = max(i, start)
            continue
        line_width += char_width
        i += 1
    tail = text[start:].rstrip(" ")
    if tail or not lines:
        lines.append(tail)
    return lines


def wrap_lines(text: object, font_name: str, size: float, limit: float) -> list[str]:
    """Break ``text`` into lines no wider than ``limit`` points; every character is kept.

    Breaks at spaces, around Japanese characters (respecting kinsoku) and after separators
    such as ``/ - _ .``; a run with no opportunity at all (a hash, 5,000 letters) is cut at
    the last character that fits.
    """
    value = clean(text)
    widths = _widths(font_name, size)
    if "\n" not in value and sum(map(widths.__getitem__, value)) <= limit:
        return [value]
    lines: list[str] = []
    for paragraph in value.split("\n"):
        lines.extend(_break_paragraph(paragraph, widths.__getitem__, max(limit, 1.0)))
    return lines


# -- numbers and dates ------------------------------------------------------------------

DASH = "—"


def fmt_score(value: float | None) -> str:
    """A 0-100 score with one decimal (``61.4``), or a dash when there is none."""
    if value is None or math.isnan(value):
        return DASH
    return f"{value:.1f}"


def fmt_delta(value: float | None) -> str:
    """A signed difference (``+3.2``, ``-1.5``, ``±0.0``), or a dash."""
    if value is None or math.isnan(value):
        return DASH
    if round(value, 1) == 0:
        return "±0.0"
    return f"{value:+.1f}"


def fmt_percent(value: float | None) -> str:
    """A 0-1 ratio as a whole percentage (``91%``), or a dash."""
    if value is None or math.isnan(value):
        return DASH
    return f"{math.floor(value * 100 + 0.5)}%"


def fmt_int(value: int | None) -> str:
    return DASH if value is None else f"{value:,}"


DateLike = date | datetime | str | None


def fmt_date(value: DateLike) -> str:
    """``YYYY-MM-DD`` (a string is shown up to its date part)."""
    if value is None or value == "":
        return DASH
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = clean(value).strip()
    return text[:10] if re.match(r"\d{4}-\d{2}-\d{2}", text) else text


def fmt_datetime(value: DateLike) -> str:
    """``YYYY-MM-DD HH:MM`` for a time stamp, the date alone for a date."""
    if value is None or value == "":
        return DASH
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = clean(value).strip()
    match = re.match(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})", text)
    return f"{match.group(1)} {match.group(2)}" if match else fmt_date(text)


def fmt_long_date(value: DateLike, lang: str) -> str:
    """``2026年3月31日`` in Japanese, ``31 March 2026`` in English."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(fmt_date(value))
        except ValueError:
            return clean(value)
    if value is None:
        return DASH
    if lang == "ja":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {value.strftime('%B')} {value.year}"


def short_hash(sha256: str, length: int = 12) -> str:
    """The first ``length`` hex digits of a SHA-256 (enough to ask for the file)."""
    return clean(sha256).strip()[:length]
