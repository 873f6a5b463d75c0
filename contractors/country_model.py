"""The country register and where personal data is stored or accessed. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from contractors.model import BiText

HOME_COUNTRY = "JP"


class GdprAdequacy(StrEnum):
    EEA = "eea"  # the GDPR itself applies
    ADEQUATE = "adequate"  # an EU adequacy decision covers the country
    PARTIAL = "partial"  # covers some recipients only (e.g. a certification framework)
    NONE = "none"


class CbprStatus(StrEnum):
    PARTICIPANT = "participant"
    ASSOCIATE = "associate"  # Global CBPR Forum associate
    NONE = "none"


class OecdPrinciple(StrEnum):
    COLLECTION_LIMITATION = "collection_limitation"
    DATA_QUALITY = "data_quality"
    PURPOSE_SPECIFICATION = "purpose_specification"
    USE_LIMITATION = "use_limitation"
    SECURITY_SAFEGUARDS = "security_safeguards"
    OPENNESS = "openness"
    INDIVIDUAL_PARTICIPATION = "individual_participation"
    ACCOUNTABILITY = "accountability"


OECD_LABELS: dict[OecdPrinciple, BiText] = {
    OecdPrinciple.COLLECTION_LIMITATION: BiText("collection limitation", "収集制限の原則"),
    OecdPrinciple.DATA_QUALITY: BiText("data quality", "データ内容の原則"),
    OecdPrinciple.PURPOSE_SPECIFICATION: BiText("purpose specification", "目的明確化の原則"),
    OecdPrinciple.USE_LIMITATION: BiText("use limitation", "利用制限の原則"),
    OecdPrinciple.SECURITY_SAFEGUARDS: BiText("security safeguards", "安全保護の原則"),
    OecdPrinciple.OPENNESS: BiText("openness", "公開の原則"),
    OecdPrinciple.INDIVIDUAL_PARTICIPATION: BiText("individual participation", "個人参加の原則"),
    OecdPrinciple.ACCOUNTABILITY: BiText("accountability", "責任の原則"),
}


# --- countries ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OecdGap:
    principle: OecdPrinciple
    note_en: str
    note_ja: str


@dataclass(frozen=True, slots=True)
class CountryEntry:
    """What the register says about one country (as entered or seeded)."""

    code: str
    name_en: str
    name_ja: str
    regime_exists: bool
    regime_en: str
    regime_ja: str
    gdpr_adequacy: GdprAdequacy
    apec_cbpr: CbprStatus
    oecd_gaps: tuple[OecdGap, ...]
    government_access_en: str
    government_access_ja: str
    localisation_en: str
    localisation_ja: str
    source: str
    reviewed_on: date
    review_due: date


@dataclass(frozen=True, slots=True)
class Country:
    entry: CountryEntry
    verified_by: str | None  # None: seed data nobody has re-checked
    version: int
    updated_by: str
    updated_at: str

    @property
    def code(self) -> str:
        return self.entry.code

    def stale(self, today: date) -> bool:
        return self.entry.review_due < today or self.verified_by is None


@dataclass(frozen=True, slots=True)
class CountryExposure:
    """One country on the 'where personal data sits' page."""

    code: str
    name_en: str
    name_ja: str
    alpha_3: str  # for the world map
    contractors: int
    systems: int
    sites: int
    stored: int
    accessed: int
    in_register: bool
    regime_exists: bool | None
    gdpr_adequacy: GdprAdequacy | None
    apec_cbpr: CbprStatus | None
    reviewed_on: date | None
    review_due: date | None
    verified: bool
    stale: bool  # not in the register, seed data not re-checked, or review due passed


@dataclass(frozen=True, slots=True)
class DataMap:
    today: date
    countries: tuple[CountryExposure, ...]  # most subjects first; Japan included

    @property
    def stale(self) -> tuple[CountryExposure, ...]:
        return tuple(c for c in self.countries if c.stale and c.code != HOME_COUNTRY)
