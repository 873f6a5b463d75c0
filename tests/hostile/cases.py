"""What hostile input looks like: the kinds tallied, fixed samples and Hypothesis strategies.

The samples cover what the issue names: markup (Markdown, HTML, ReportLab's own tags), formulas,
control characters, right-to-left text and the override character U+202E, emoji (with joiners
and flags), and very long strings. The strategies mix them with arbitrary text.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

KINDS = (
    "catalogue YAML",
    "framework import (CISO Assistant, OSCAL)",
    "answer import: CSV",
    "answer import: XLSX",
    "contractor workbook",
    "evidence upload",
    "PDF free text",
    "CSV / Excel export",
    "OSCAL export",
    "UI text",
)


def bounded(examples: int) -> settings:
    """Hypothesis settings for these tests: a fixed number of examples, the same ones on every
    run (derandomized, no example database), no per-example deadline."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,  # the tally and the database span examples
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


MARKUP = (
    "<b>bold?</b>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<font name=x>no font</font>",
    "an unclosed <i tag",
    "</para><para>",
    "AT&T &amp; &lt;b&gt; &#169; &#x202E; &nbsp;",
    "**not bold** _nor this_ ~~struck~~",
    "# not a heading",
    "Title\n===",
    "    four spaces: not code",
    "> not a quote",
    "- not a list\n1. nor this",
    "[link](javascript:alert(1))",
    "![img](http://example.invalid/x.png)",
    "`code` ```fence```",
    "| a | b |\n|---|---|",
    "$x^2$ :red[red] :material/home: :smile:",
    "<https://example.invalid>",
    "www.example.invalid",
)
FORMULAS = (
    "=1+1",
    '=HYPERLINK("http://example.invalid/?q="&A1,"click")',
    "=cmd|' /C calc'!A0",
    "+1",
    "-1",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
)
CONTROL = (
    "\x00",
    "\x01\x02\x07\x08",
    "\x0b\x0c",
    "\x1b[31mred\x1b[0m",
    "\x7f",
    "\x85",
    "\u2028\u2029",
    "\ufeff",
    "\ufffe",
    "a\r\nb\rc\nd",
)
RTL = (
    "\u202eexe.pdf",
    "invoice\u202egpj.exe",
    "\u2067isolate\u2069",
    "שלום עולם",
    "مرحبا بالعالم",
)
EMOJI = ("🙂", "👩‍👩‍👧‍👦", "🇯🇵", "🏳️‍🌈", "漢字かなカナ", "ｱｲｳ")
SAMPLES = MARKUP + FORMULAS + CONTROL + RTL + EMOJI


def huge(size: int = 1_000_000) -> str:
    """A ``size``-character string mixing every kind above (about 1 MB by default)."""
    unit = " ".join(SAMPLES) + " "
    return (unit * (size // len(unit) + 1))[:size]


def hostile_text(max_parts: int = 6) -> st.SearchStrategy[str]:
    """Samples and arbitrary text (any code point but surrogates) glued together."""
    part = st.one_of(st.sampled_from(SAMPLES), st.text(max_size=12))
    return st.lists(part, min_size=1, max_size=max_parts).map("".join)


def hostile_line(max_parts: int = 6) -> st.SearchStrategy[str]:
    """Hostile text that is not blank (services refuse blank required fields)."""
    return hostile_text(max_parts).filter(lambda s: s.strip() != "")
