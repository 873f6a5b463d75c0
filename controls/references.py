"""The reference ids a catalogue may cite, so a typo in a ref is caught at validation."""

from __future__ import annotations

# Section 10 of the PPC General Rules guideline, plus 3-4-4 (supervision of contractors).
APPI_GUIDELINE_IDS: frozenset[str] = frozenset(
    {
        "10-1",
        "10-2",
        *(f"10-3({i})" for i in range(1, 6)),
        "10-4",
        *(f"10-5({i})" for i in range(1, 5)),
        *(f"10-6({i})" for i in range(1, 5)),
        "10-7",
        "3-4-4",
    }
)

# ISO/IEC 27001:2022 Annex A: 5 organizational (37), 6 people (8), 7 physical (14),
# 8 technological (34) -- 93 controls.
ANNEX_A_THEMES: dict[str, int] = {"5": 37, "6": 8, "7": 14, "8": 34}
ISO27001_2022_IDS: frozenset[str] = frozenset(
    f"{theme}.{n}" for theme, count in ANNEX_A_THEMES.items() for n in range(1, count + 1)
)

# The APPI has 185 articles (as amended in 2020/2021).
APPI_ARTICLE_MAX = 185

REF_SCHEMES: tuple[str, ...] = ("appi_guideline", "appi_article", "iso27001_2022", "jisq15001_2023")


def sort_key(ref: str) -> tuple[tuple[int, str], ...]:
    """Order refs like ``5.2 < 5.10`` and ``10-3(2) < 10-3(10)`` (numbers compared as numbers)."""
    parts: list[tuple[int, str]] = []
    number = ""
    for ch in ref:
        if ch.isdigit():
            number += ch
            continue
        if number:
            parts.append((int(number), ""))
            number = ""
        parts.append((-1, ch))
    if number:
        parts.append((int(number), ""))
    return tuple(parts)
