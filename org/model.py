"""Org units and people."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class UnitKind(StrEnum):
    DEPARTMENT = "department"
    SITE = "site"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class OrgUnit:
    code: str
    kind: UnitKind
    name_en: str
    name_ja: str
    parent_code: str | None = None

    def name(self, lang: str) -> str:
        return self.name_ja if lang == "ja" else self.name_en


@dataclass(frozen=True, slots=True)
class Person:
    name_ja: str
    name_en: str
    email: str
    org_unit_code: str
    title_en: str | None = None
    title_ja: str | None = None

    def name(self, lang: str) -> str:
        return self.name_ja if lang == "ja" else self.name_en
