"""ISO 3166 country codes (through pycountry) and the seed of the country register."""

from __future__ import annotations

import gettext
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
import yaml

from contractors.country_model import CbprStatus, CountryEntry, GdprAdequacy, OecdGap, OecdPrinciple
from contractors.model import BiText, add_months
from core.errors import Issue, ValidationFailed

SEED_FILE = Path(__file__).resolve().parent / "countries_seed.yaml"

# Where pycountry's Japanese name is not the one used in Japanese business documents.
_JA_NAMES = {"TW": "台湾", "KR": "韓国", "US": "米国", "GB": "英国"}


def is_country(code: str) -> bool:
    """True for an assigned ISO 3166-1 alpha-2 code (upper case)."""
    return len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code) is not None


@cache
def _japanese() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ja"], fallback=True)


def country_name(code: str) -> BiText:
    """The country's short name in English and Japanese (the code itself when unknown)."""
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return BiText(code, code)
    en = str(getattr(found, "common_name", None) or found.name)
    ja = _JA_NAMES.get(code) or _japanese().gettext(str(found.name))
    return BiText(en, ja)


def alpha_3(code: str) -> str:
    """The alpha-3 code Plotly's world map uses ('' when unknown)."""
    found = pycountry.countries.get(alpha_2=code)
    return str(found.alpha_3) if found is not None else ""


def _text(raw: dict[str, Any], key: str, where: str, issues: list[Issue]) -> BiText:
    value = raw.get(key)
    if not isinstance(value, dict) or not value.get("en") or not value.get("ja"):
        issues.append(Issue(where, 0, key, "give the text in both languages (en and ja)"))
        return BiText("", "")
    return BiText(str(value["en"]).strip(), str(value["ja"]).strip())


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def parse_seed(data: dict[str, Any], where: str = "countries_seed.yaml") -> list[CountryEntry]:
    """Country entries from the seed document; every problem is reported at once."""
    issues: list[Issue] = []
    entries: list[CountryEntry] = []
    try:
        reviewed_on = _day(data["reviewed_on"])
        review_months = int(data["review_months"])
        default_source = str(data["source"]).strip()
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationFailed([Issue(where, 0, "(top)", f"missing or bad field: {exc}")]) from exc
    for i, raw in enumerate(data.get("countries") or [], start=1):
        at = f"{where}#{i}"
        code = str(raw.get("code", ""))
        if not is_country(code):
            issues.append(Issue(at, 0, "code", f"{code!r} is not an ISO 3166-1 alpha-2 code"))
            continue
        try:
            gdpr, cbpr = GdprAdequacy(raw["gdpr_adequacy"]), CbprStatus(raw["apec_cbpr"])
            gaps = tuple(
                OecdGap(
                    OecdPrinciple(g["principle"]),
                    str(g["note"]["en"]).strip(),
                    str(g["note"]["ja"]).strip(),
                )
                for g in raw.get("oecd_gaps") or []
            )
            on = _day(raw.get("reviewed_on", reviewed_on))
        except (KeyError, TypeError, ValueError) as exc:
            issues.append(Issue(at, 0, code, f"missing or bad field: {exc}"))
            continue
        name = _text(raw, "name", at, issues)
        regime = _text(raw, "regime", at, issues)
        access = _text(raw, "government_access", at, issues)
        local = _text(raw, "localisation", at, issues)
        entries.append(
            CountryEntry(
                code=code,
                name_en=name.en,
                name_ja=name.ja,
                regime_exists=bool(raw.get("regime_exists")),
                regime_en=regime.en,
                regime_ja=regime.ja,
                gdpr_adequacy=gdpr,
                apec_cbpr=cbpr,
                oecd_gaps=gaps,
                government_access_en=access.en,
                government_access_ja=access.ja,
                localisation_en=local.en,
                localisation_ja=local.ja,
                source=str(raw.get("source") or default_source).strip(),
                reviewed_on=on,
                review_due=add_months(on, review_months),
            )
        )
    codes = [e.code for e in entries]
    issues += [
        Issue(where, 0, c, "listed twice") for c in sorted({c for c in codes if codes.count(c) > 1})
    ]
    if issues:
        raise ValidationFailed(issues)
    return entries


def load_seed(path: Path = SEED_FILE) -> list[CountryEntry]:
    """The shipped seed of the country register."""
    return parse_seed(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)
