"""The catalogue file format: what a catalogue file may contain.

Pydantic models with strict types: unknown keys are refused, both languages are required, and
reference ids must be known. Loaded only when a file is validated (pydantic takes a quarter of
a second to import, which every start of the app would otherwise pay).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictStr
from pydantic import StringConstraints as _SC

from controls.model import Lang
from controls.references import APPI_ARTICLE_MAX, APPI_GUIDELINE_IDS, ISO27001_2022_IDS

Scale = Literal["maturity-0-5", "ipa-quick"]
AnswerType = Literal["maturity", "yes_no", "date", "text"]

NonEmpty = Annotated[StrictStr, _SC(strip_whitespace=True, min_length=1, max_length=20_000)]
Identifier = Annotated[StrictStr, _SC(pattern=r"^[A-Za-z0-9][A-Za-z0-9._()\-]{0,63}$")]
Urn = Annotated[
    StrictStr, _SC(pattern=r"^urn:[a-z0-9][a-z0-9-]{0,31}:[A-Za-z0-9()+,\-.:=@;$_!*'%/]+$")
]
Version = Annotated[StrictStr, _SC(pattern=r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,31}$")]


def _known(allowed: frozenset[str], what: str) -> AfterValidator:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"unknown {what} id {value!r}")
        return value

    return AfterValidator(check)


def _article(value: str) -> str:
    if not re.fullmatch(r"\d{1,3}(-\d{1,2})?", value) or not (
        1 <= int(value.split("-", maxsplit=1)[0]) <= APPI_ARTICLE_MAX
    ):
        raise ValueError(f"unknown APPI article {value!r} (expected a number 1-{APPI_ARTICLE_MAX})")
    return value


GuidelineRef = Annotated[StrictStr, _known(APPI_GUIDELINE_IDS, "APPI guideline")]
AnnexARef = Annotated[StrictStr, _known(ISO27001_2022_IDS, "ISO/IEC 27001:2022 Annex A")]
ArticleRef = Annotated[StrictStr, AfterValidator(_article)]
JisRef = Annotated[StrictStr, _SC(pattern=r"^[A-Z]?(\.?\d+)+$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text in both languages."""

    en: NonEmpty
    ja: NonEmpty

    def get(self, lang: Lang | str) -> str:
        return self.ja if lang == Lang.JA else self.en


class TextList(_Strict):
    """A list of short texts in both languages."""

    en: list[NonEmpty] = Field(min_length=1)
    ja: list[NonEmpty] = Field(min_length=1)


def _unique(values: list[str]) -> list[str]:
    repeated = sorted({v for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(f"listed more than once: {', '.join(repeated)}")
    return values


class Refs(_Strict):
    appi_guideline: Annotated[list[GuidelineRef], AfterValidator(_unique)] = Field(
        default_factory=list
    )
    appi_article: Annotated[list[ArticleRef], AfterValidator(_unique)] = Field(default_factory=list)
    iso27001_2022: Annotated[list[AnnexARef], AfterValidator(_unique)] = Field(default_factory=list)
    jisq15001_2023: Annotated[list[JisRef], AfterValidator(_unique)] = Field(default_factory=list)

    def pairs(self) -> list[tuple[str, str]]:
        """(scheme, ref) pairs in file order."""
        return [
            (scheme, ref)
            for scheme in ("appi_guideline", "appi_article", "iso27001_2022", "jisq15001_2023")
            for ref in getattr(self, scheme)
        ]


class Control(_Strict):
    id: Identifier
    title: Text
    requirement: Text
    guidance: TextList
    small_business: Text | None = None
    key: StrictBool = False
    assessable: StrictBool = True
    answer_type: AnswerType = "maturity"
    refs: Refs = Field(default_factory=Refs)
    evidence_hints: TextList


class Domain(_Strict):
    id: Identifier
    name: Text
    description: Text | None = None
    controls: list[Control] = Field(min_length=1)


class Catalogue(_Strict):
    urn: Urn
    version: Version
    name: Text
    source: Text | None = None
    scale: Scale = "maturity-0-5"
    domains: list[Domain] = Field(min_length=1)

    def controls(self) -> list[tuple[Domain, Control]]:
        return [(d, c) for d in self.domains for c in d.controls]
