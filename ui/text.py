"""Showing text that came from files or users without it being read as Markdown."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(text: str) -> str:
    """Escape Markdown (and ``$`` maths) so the text shows literally in ``st.markdown``."""
    return _MD_SPECIAL.sub(r"\\\1", text)
