"""An assessment seen as ISO/IEC 27001:2022 Annex A coverage: which Annex A controls its
catalogue addresses, by which Kansa controls, at what score. Pure: no I/O.

Per Annex A control, over the Kansa controls that cite it (``refs.iso27001_2022``):

- score: the weighted mean of their scores (key controls weigh 2, an unanswered control
  counts 0, N/A ones leave the mean) — the same rule as a domain score; None when none of them
  is applicable;
- result: the weakest of their results, in the order nonconformant < not assessed < partially
  conformant < conformant; ``not_applicable`` when every one is N/A; ``not_addressed`` when no
  Kansa control cites it.

"Addressed" means the catalogue maps a control to it; it says nothing about whether Annex A's
own requirement is met in full (the mapping is many-to-many and partial).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from controls.annex_a import ANNEX_A_IDS, THEMES, name, theme_of

NOT_ADDRESSED = "not_addressed"
_WEAKEST_FIRST = ("nonconformant", "not_assessed", "partially_conformant", "conformant")
STATUSES: tuple[str, ...] = (*_WEAKEST_FIRST, "not_applicable", NOT_ADDRESSED)


@dataclass(frozen=True, slots=True)
class MappedControl:
    """A Kansa control of the assessment's catalogue, with its Annex A refs and its result."""

    control_id: str
    title_en: str
    title_ja: str
    is_key: bool
    annex_a: tuple[str, ...]
    score: float | None  # 10 x (D + I); 0.0 unanswered; None N/A
    result: str

    def title(self, lang: str) -> str:
        return self.title_ja if lang == "ja" else self.title_en


@dataclass(frozen=True, slots=True)
class AnnexAItem:
    annex_id: str
    theme: str
    name_en: str
    name_ja: str
    controls: tuple[MappedControl, ...]
    score: float | None
    result: str

    def name(self, lang: str) -> str:
        return self.name_ja if lang == "ja" else self.name_en

    @property
    def addressed(self) -> bool:
        return bool(self.controls)


@dataclass(frozen=True, slots=True)
class ThemeSummary:
    theme: str
    name_en: str
    name_ja: str
    total: int
    addressed: int
    conformant: int

    def name(self, lang: str) -> str:
        return self.name_ja if lang == "ja" else self.name_en


@dataclass(frozen=True, slots=True)
class AnnexACoverage:
    assessment_id: str
    assessment_title: str
    scope_unit: str
    catalogue_urn: str
    catalogue_version: str
    items: tuple[AnnexAItem, ...]

    @property
    def addressed(self) -> int:
        return sum(1 for i in self.items if i.addressed)

    def count(self, result: str) -> int:
        return sum(1 for i in self.items if i.result == result)

    def themes(self) -> list[ThemeSummary]:
        out = []
        for theme, (en, ja) in THEMES.items():
            items = [i for i in self.items if i.theme == theme]
            out.append(
                ThemeSummary(
                    theme,
                    en,
                    ja,
                    len(items),
                    sum(1 for i in items if i.addressed),
                    sum(1 for i in items if i.result == "conformant"),
                )
            )
        return out


def _weighted(controls: Iterable[MappedControl]) -> float | None:
    total = weights = 0.0
    for c in controls:
        if c.score is None:
            continue
        w = 2 if c.is_key else 1
        total += w * c.score
        weights += w
    return total / weights if weights else None


def _result(controls: tuple[MappedControl, ...]) -> str:
    if not controls:
        return NOT_ADDRESSED
    results = {c.result for c in controls if c.result != "not_applicable"}
    if not results:
        return "not_applicable"
    return next(r for r in _WEAKEST_FIRST if r in results)


def annex_a_coverage(
    *,
    assessment_id: str,
    assessment_title: str,
    scope_unit: str,
    catalogue_urn: str,
    catalogue_version: str,
    controls: Iterable[MappedControl],
) -> AnnexACoverage:
    """Every Annex A control (all 93, in order) with the Kansa controls that address it."""
    by_annex: Mapping[str, list[MappedControl]] = {a: [] for a in ANNEX_A_IDS}
    for control in controls:
        for ref in control.annex_a:
            if ref in by_annex:
                by_annex[ref].append(control)
    items = tuple(
        AnnexAItem(
            annex_id=a,
            theme=theme_of(a),
            name_en=name(a, "en"),
            name_ja=name(a, "ja"),
            controls=tuple(by_annex[a]),
            score=_weighted(by_annex[a]),
            result=_result(tuple(by_annex[a])),
        )
        for a in ANNEX_A_IDS
    )
    return AnnexACoverage(
        assessment_id, assessment_title, scope_unit, catalogue_urn, catalogue_version, items
    )
