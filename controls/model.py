"""Read models of catalogues and controls, as the services hand them to pages and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from controls.schema import Catalogue


class Lang(StrEnum):
    JA = "ja"
    EN = "en"


@dataclass(frozen=True, slots=True)
class LoadedCatalogue:
    """A validated catalogue with the identity of the file it came from."""

    catalogue: Catalogue
    sha256: str
    source_file: str


class ImportStatus(StrEnum):
    IMPORTED = "imported"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class ImportResult:
    status: ImportStatus
    catalogue_id: str
    urn: str
    version: str
    control_count: int


@dataclass(frozen=True, slots=True)
class CatalogueSummary:
    id: str
    urn: str
    version: str
    name_en: str
    name_ja: str
    scale: str
    control_count: int
    sha256: str
    imported_at: str

    def name(self, lang: Lang | str) -> str:
        return self.name_ja if lang == Lang.JA else self.name_en


@dataclass(frozen=True, slots=True)
class DomainSummary:
    domain_id: str
    name_en: str
    name_ja: str
    control_count: int

    def name(self, lang: Lang | str) -> str:
        return self.name_ja if lang == Lang.JA else self.name_en


@dataclass(frozen=True, slots=True)
class ControlRow:
    """One control as read back, in both languages."""

    catalogue_id: str
    control_id: str
    domain_id: str
    is_key: bool
    answer_type: str
    title_en: str
    title_ja: str
    requirement_en: str
    requirement_ja: str
    guidance_en: tuple[str, ...]
    guidance_ja: tuple[str, ...]
    small_business_en: str | None
    small_business_ja: str | None
    evidence_hints_en: tuple[str, ...]
    evidence_hints_ja: tuple[str, ...]
    refs: tuple[tuple[str, str], ...]

    def title(self, lang: Lang | str) -> str:
        return self.title_ja if lang == Lang.JA else self.title_en

    def requirement(self, lang: Lang | str) -> str:
        return self.requirement_ja if lang == Lang.JA else self.requirement_en

    def guidance(self, lang: Lang | str) -> tuple[str, ...]:
        return self.guidance_ja if lang == Lang.JA else self.guidance_en

    def small_business(self, lang: Lang | str) -> str | None:
        return self.small_business_ja if lang == Lang.JA else self.small_business_en

    def evidence_hints(self, lang: Lang | str) -> tuple[str, ...]:
        return self.evidence_hints_ja if lang == Lang.JA else self.evidence_hints_en

    def refs_of(self, scheme: str) -> tuple[str, ...]:
        return tuple(ref for s, ref in self.refs if s == scheme)
