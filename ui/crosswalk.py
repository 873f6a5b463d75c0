"""Tables of the Annex A view (pages/crosswalk.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd  # type: ignore[import-untyped]  # no stubs installed

from reporting.crosswalk import AnnexACoverage, AnnexAItem
from ui.assessments import DASH, KEY_MARK, fmt_score
from ui.i18n import t


def status_label(result: str) -> str:
    return t(f"crosswalk.status.{result}")


def items_frame(items: Sequence[AnnexAItem], lang: str) -> pd.DataFrame:
    """One row per Annex A control: its name, result, score and the Kansa controls."""
    return pd.DataFrame(
        [
            {
                t("crosswalk.col.annex_a"): item.annex_id,
                t("crosswalk.col.name"): item.name(lang),
                t("crosswalk.col.result"): status_label(item.result),
                t("crosswalk.col.score"): fmt_score(item.score) if item.addressed else DASH,
                t("crosswalk.col.controls"): "\n".join(
                    f"{c.control_id}{KEY_MARK if c.is_key else ''} {c.title(lang)} "
                    f"({status_label(c.result)}, {fmt_score(c.score)})"
                    for c in item.controls
                )
                or DASH,
            }
            for item in items
        ]
    )


def themes_frame(view: AnnexACoverage, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("crosswalk.col.theme"): f"{s.theme} {s.name(lang)}",
                t("crosswalk.col.addressed"): f"{s.addressed} / {s.total}",
                t("crosswalk.col.conformant"): s.conformant,
            }
            for s in view.themes()
        ]
    )


def column_config() -> dict[str, Any]:
    import streamlit as st  # noqa: PLC0415 -- keep this module importable without a script run

    return {
        t("crosswalk.col.annex_a"): st.column_config.TextColumn(width="small"),
        t("crosswalk.col.name"): st.column_config.TextColumn(width="medium"),
        t("crosswalk.col.controls"): st.column_config.TextColumn(width="large"),
    }
