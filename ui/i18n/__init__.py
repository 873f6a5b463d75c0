"""UI strings in Japanese and English (``ja.yaml``, ``en.yaml``), chosen in the sidebar."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st
import yaml

LANGS = ("ja", "en")
DEFAULT_LANG = "ja"
_DIR = Path(__file__).resolve().parent


@cache
def strings(lang: str) -> dict[str, str]:
    """The flat ``key -> text`` table of one language."""
    with (_DIR / f"{lang}.yaml").open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return {str(k): str(v) for k, v in data.items()}


def current_lang() -> str:
    lang = st.session_state.get("lang", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, /, **values: object) -> str:
    """The text for ``key`` in the current language, with ``{name}`` fields filled in."""
    text = strings(current_lang()).get(key) or strings("en").get(key) or key
    return text.format(**values) if values else text


def init_lang() -> None:
    """Take the language from ``?lang=`` on first load, and keep the URL in step with it."""
    if "lang" not in st.session_state:
        asked = st.query_params.get("lang")
        st.session_state["lang"] = asked if asked in LANGS else DEFAULT_LANG
    if st.query_params.get("lang") != st.session_state["lang"]:
        st.query_params["lang"] = st.session_state["lang"]


def language_switch() -> None:
    """The sidebar language selector."""
    init_lang()
    st.sidebar.segmented_control(
        "言語 / Language",
        options=list(LANGS),
        format_func=lambda code: {"ja": "日本語", "en": "English"}[code],
        key="lang",
        selection_mode="single",
    )
    if st.session_state.get("lang") not in LANGS:
        # Clicking the selected option again clears it; keep a language chosen.
        st.session_state["lang"] = DEFAULT_LANG
