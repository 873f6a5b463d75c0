"""The crosswalk of controls to APPI guideline items and ISO/IEC 27001:2022 Annex A controls."""

from __future__ import annotations

from collections.abc import Iterable

from controls.model import ControlRow
from reports.csv_export import to_csv_bytes

CROSSWALK_HEADER = ("control_id", "domain", "key", "title", "appi_guideline", "iso27001_2022")


def crosswalk_csv(rows: Iterable[ControlRow], lang: str) -> bytes:
    """Controls with guideline and Annex A ids as CSV (UTF-8 BOM, formula-guarded)."""
    return to_csv_bytes(
        CROSSWALK_HEADER,
        (
            (
                r.control_id,
                r.domain_id,
                r.is_key,
                r.title(lang),
                r.refs_of("appi_guideline"),
                r.refs_of("iso27001_2022"),
            )
            for r in rows
        ),
    )
