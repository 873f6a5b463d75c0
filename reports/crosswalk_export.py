"""The Annex A coverage of an assessment as CSV bytes (UTF-8 with BOM, formula-guarded)."""

from __future__ import annotations

from reporting.crosswalk import AnnexACoverage
from reports.csv_export import to_csv_bytes

HEADER: dict[str, tuple[str, ...]] = {
    "en": (
        "annex_a",
        "annex_a_name",
        "theme",
        "addressed",
        "result",
        "score",
        "kansa_controls",
        "kansa_results",
    ),
    "ja": (
        "附属書A",
        "管理策名",
        "テーマ",
        "対応",
        "結果",
        "スコア",
        "対応する管理策",
        "管理策ごとの結果",
    ),
}
_YES_NO = {"en": ("yes", "no"), "ja": ("あり", "なし")}


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def coverage_csv(coverage: AnnexACoverage, lang: str) -> bytes:
    """One row per Annex A control; the addressing Kansa controls joined with ``; ``."""
    lang = "ja" if lang == "ja" else "en"
    yes, no = _YES_NO[lang]
    rows = (
        (
            item.annex_id,
            item.name(lang),
            item.theme,
            yes if item.addressed else no,
            item.result,
            _score(item.score),
            "; ".join(f"{c.control_id} {c.title(lang)}" for c in item.controls),
            "; ".join(f"{c.control_id}={c.result}:{_score(c.score)}" for c in item.controls),
        )
        for item in coverage.items
    )
    return to_csv_bytes(HEADER[lang], rows)
