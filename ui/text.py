"""Showing text that came from files or users without it being read as Markdown."""

from __future__ import annotations

import re
import string

# CommonMark lets a backslash escape any ASCII punctuation character, and every piece of
# Markdown syntax that can appear inside a line starts with one: emphasis, code, links, raw
# HTML (<), entities (&lt; would print as <), headings, quotes, list markers, setext
# underlines (=), tables, Streamlit's :colour[...] and :emoji: directives, $ maths.
_MD_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")
# Four spaces or a tab at the start of a line open a code block, where escapes print as
# backslashes; paragraphs drop leading blanks anyway, so dropping them changes nothing shown.
_INDENT = re.compile(r"(?:^|(?<=\r))[ \t]+", re.MULTILINE)


def md_escape(text: str) -> str:
    """Escape Markdown (and ``$`` maths) so the text shows literally in ``st.markdown``."""
    return _MD_SPECIAL.sub(r"\\\1", _INDENT.sub("", text))
