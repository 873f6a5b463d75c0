"""Rendering pieces of the Catalogue page (tables and the control detail)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from controls.model import ControlRow, DomainSummary
from controls.references import REF_SCHEMES
from ui.i18n import t
from ui.text import md_escape

KEY_MARK = "★"


def domain_names(domains: Sequence[DomainSummary], lang: str) -> dict[str, str]:
    return {d.domain_id: d.name(lang) for d in domains}


def controls_table(rows: Sequence[ControlRow], lang: str) -> list[dict[str, str]]:
    """One row per control, columns in the reader's language (domain by its short id)."""
    return [
        {
            t("catalogue.col.id"): r.control_id,
            t("catalogue.col.key"): KEY_MARK if r.is_key else "",
            t("catalogue.col.title"): r.title(lang),
            t("catalogue.col.domain"): r.domain_id,
            t("catalogue.col.guideline"): ", ".join(r.refs_of("appi_guideline")),
            t("catalogue.col.annex_a"): ", ".join(r.refs_of("iso27001_2022")),
        }
        for r in rows
    ]


def crosswalk_table(rows: Sequence[ControlRow], lang: str) -> list[dict[str, str]]:
    """Control ↔ guideline id ↔ Annex A id."""
    return [
        {
            t("catalogue.col.id"): r.control_id,
            t("catalogue.col.title"): r.title(lang),
            t("catalogue.col.guideline"): ", ".join(r.refs_of("appi_guideline")),
            t("catalogue.col.annex_a"): ", ".join(r.refs_of("iso27001_2022")),
        }
        for r in rows
    ]


def column_widths() -> dict[str, Any]:
    """Column sizes shared by the catalogue tables."""
    return {
        t("catalogue.col.id"): st.column_config.TextColumn(width=80),
        t("catalogue.col.key"): st.column_config.TextColumn(width=50),
        t("catalogue.col.title"): st.column_config.TextColumn(width="large"),
        t("catalogue.col.domain"): st.column_config.TextColumn(width=70),
        t("catalogue.col.guideline"): st.column_config.TextColumn(width=110),
        t("catalogue.col.annex_a"): st.column_config.TextColumn(width="medium"),
    }


def _bullets(items: Sequence[str]) -> str:
    return "\n".join(f"- {md_escape(item)}" for item in items)


def control_detail(row: ControlRow, domain_name: str, lang: str) -> None:
    """Everything a reader needs about one control, in the chosen language."""
    with st.container(border=True, key=f"control-detail-{row.control_id}"):
        star = f" {KEY_MARK}" if row.is_key else ""
        st.markdown(f"#### {md_escape(row.control_id)}{star} · {md_escape(row.title(lang))}")
        st.caption(
            f"{md_escape(domain_name)} · {t('catalogue.detail.answer_type')}: "
            f"{t('answer_type.' + row.answer_type)}"
        )
        if row.is_key:
            st.markdown(f":orange-badge[{KEY_MARK} {t('catalogue.detail.key')}]")
        st.markdown(f"**{t('catalogue.detail.requirement')}**")
        st.markdown(md_escape(row.requirement(lang)))
        left, right = st.columns(2)
        with left:
            st.markdown(f"**{t('catalogue.detail.guidance')}**")
            st.markdown(_bullets(row.guidance(lang)))
            small = row.small_business(lang)
            if small:
                st.markdown(f"**{t('catalogue.detail.small_business')}**")
                st.info(md_escape(small))
        with right:
            st.markdown(f"**{t('catalogue.detail.evidence_hints')}**")
            st.markdown(_bullets(row.evidence_hints(lang)))
            st.markdown(f"**{t('catalogue.detail.refs')}**")
            lines = [
                f"- {t('catalogue.ref.' + scheme)}: {md_escape(', '.join(refs))}"
                for scheme in REF_SCHEMES
                if (refs := row.refs_of(scheme))
            ]
            st.markdown("\n".join(lines) or "—")
