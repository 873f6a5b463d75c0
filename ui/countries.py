"""Foreign-environment widgets: country names, the 'where personal data sits' rows, the country
register table, one country's entry and the form it is checked and changed with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import cache

import pandas as pd  # type: ignore[import-untyped]  # no stubs installed
import pycountry
import streamlit as st

from contractors.countries import country_name
from contractors.country_model import (
    HOME_COUNTRY,
    OECD_LABELS,
    CbprStatus,
    Country,
    CountryEntry,
    CountryExposure,
    GdprAdequacy,
    OecdGap,
    OecdPrinciple,
)
from contractors.model import add_months
from ui.i18n import t
from ui.maps import MapCountry
from ui.text import md_escape

DASH = "—"
REVIEW_MONTHS = 12  # a checked entry is due for its next check a year later


@cache
def _country_labels(lang: str) -> dict[str, str]:
    names = {c.alpha_2: country_name(c.alpha_2).get(lang) for c in pycountry.countries}
    return {code: f"{name} ({code})" for code, name in sorted(names.items(), key=lambda i: i[1])}


def country_labels(lang: str) -> dict[str, str]:
    """Every ISO 3166-1 country, 'name (code)' in ``lang``, sorted by name."""
    return dict(_country_labels(lang))


def gdpr_labels() -> dict[str, str]:
    return {g.value: t(f"cty.gdpr.{g.value}") for g in GdprAdequacy}


def cbpr_labels() -> dict[str, str]:
    return {c.value: t(f"cty.cbpr.{c.value}") for c in CbprStatus}


def state_labels() -> dict[str, str]:
    return {s: t(f"cty.state.{s}") for s in ("home", "current", "stale", "missing")}


def state_of(e: CountryExposure) -> str:
    if e.code == HOME_COUNTRY:
        return "home"
    if not e.in_register:
        return "missing"
    return "stale" if e.stale else "current"


def stale_reason(e: CountryExposure, today: date) -> str:
    """Why the country's review needs doing, in words."""
    if not e.in_register:
        return t("cty.reason.missing")
    reasons = []
    if not e.verified:
        reasons.append(t("cty.reason.seed"))
    if e.review_due is not None and e.review_due < today:
        reasons.append(t("cty.reason.due", due=e.review_due.isoformat()))
    return " · ".join(reasons) or DASH


def _opt(value: str | None, labels: dict[str, str]) -> str:
    return labels.get(value, value) if value else DASH


def exposure_rows(
    rows: Sequence[CountryExposure], lang: str, today: date
) -> tuple[pd.DataFrame, list[MapCountry]]:
    """The table and the map points of 'where personal data sits'."""
    gdpr, cbpr, states = gdpr_labels(), cbpr_labels(), state_labels()
    frame = pd.DataFrame(
        [
            {
                t("cty.col.country"): f"{e.name_ja if lang == 'ja' else e.name_en} ({e.code})",
                t("cty.col.contractors"): e.contractors,
                t("cty.col.systems"): e.systems,
                t("cty.col.sites"): e.sites,
                t("cty.col.stored"): e.stored,
                t("cty.col.accessed"): e.accessed,
                t("cty.col.state"): states[state_of(e)],
                t("cty.col.why"): stale_reason(e, today)
                if state_of(e) in ("stale", "missing")
                else DASH,
                t("cty.col.gdpr"): _opt(e.gdpr_adequacy, gdpr),
                t("cty.col.cbpr"): _opt(e.apec_cbpr, cbpr),
                t("cty.col.review_due"): e.review_due.isoformat() if e.review_due else DASH,
            }
            for e in rows
        ]
    )
    points = [
        MapCountry(
            alpha_3=e.alpha_3,
            name=e.name_ja if lang == "ja" else e.name_en,
            state=state_of(e),
            subjects=e.contractors + e.systems + e.sites,
            hover="<br>".join(
                [
                    f"<b>{e.name_ja if lang == 'ja' else e.name_en}</b> ({e.code})",
                    t(
                        "cty.hover.subjects",
                        contractors=e.contractors,
                        systems=e.systems,
                        sites=e.sites,
                    ),
                    f"{t('cty.col.state')}: {states[state_of(e)]}",
                ]
            ),
        )
        for e in rows
    ]
    return frame, points


def register_frame(countries: Sequence[Country], lang: str, today: date) -> pd.DataFrame:
    """The country register; seed entries nobody has re-checked say so."""
    gdpr, cbpr = gdpr_labels(), cbpr_labels()
    return pd.DataFrame(
        [
            {
                t("cty.col.country"): f"{c.entry.name_ja if lang == 'ja' else c.entry.name_en}"
                f" ({c.code})",
                t("cty.col.regime"): t("ctr.yes") if c.entry.regime_exists else t("ctr.no"),
                t("cty.col.gdpr"): gdpr[c.entry.gdpr_adequacy.value],
                t("cty.col.cbpr"): cbpr[c.entry.apec_cbpr.value],
                t("cty.col.gaps"): len(c.entry.oecd_gaps),
                t("cty.col.reviewed_on"): c.entry.reviewed_on.isoformat(),
                t("cty.col.review_due"): c.entry.review_due.isoformat()
                + (f" · {t('cty.overdue')}" if c.entry.review_due < today else ""),
                t("cty.col.checked"): c.verified_by or t("cty.seed"),
            }
            for c in countries
        ]
    )


def country_text(c: Country, lang: str) -> None:
    """One country's entry in the reader's language."""
    e, ja = c.entry, lang == "ja"
    if c.verified_by is None:
        st.warning(t("cty.seed.notice"), icon=":material/fact_check:")
    st.markdown(f"**{t('cty.field.regime')}**")
    st.markdown(md_escape(e.regime_ja if ja else e.regime_en) or DASH)
    st.markdown(f"**{t('cty.field.gaps')}**")
    if e.oecd_gaps:
        st.markdown(
            "\n".join(
                f"- {OECD_LABELS[g.principle].get(lang)}: "
                f"{md_escape(g.note_ja if ja else g.note_en)}"
                for g in e.oecd_gaps
            )
        )
    else:
        st.caption(t("cty.gaps.none"))
    st.markdown(f"**{t('cty.field.government_access')}**")
    st.markdown(md_escape(e.government_access_ja if ja else e.government_access_en) or DASH)
    st.markdown(f"**{t('cty.field.localisation')}**")
    st.markdown(md_escape(e.localisation_ja if ja else e.localisation_en) or DASH)
    st.caption(
        t(
            "cty.source",
            source=md_escape(e.source),
            reviewed=e.reviewed_on.isoformat(),
            due=e.review_due.isoformat(),
            who=md_escape(c.verified_by or t("cty.seed")),
        )
    )


def blank_entry(code: str) -> CountryEntry:
    names, today = country_name(code), date.today()
    return CountryEntry(
        code=code,
        name_en=names.en,
        name_ja=names.ja,
        regime_exists=False,
        regime_en="",
        regime_ja="",
        gdpr_adequacy=GdprAdequacy.NONE,
        apec_cbpr=CbprStatus.NONE,
        oecd_gaps=(),
        government_access_en="",
        government_access_ja="",
        localisation_en="",
        localisation_ja="",
        source="",
        reviewed_on=today,
        review_due=add_months(today, REVIEW_MONTHS),
    )


def _gap_table(e: CountryEntry, lang: str) -> pd.DataFrame:
    have = {g.principle: g for g in e.oecd_gaps}
    return pd.DataFrame(
        {
            "principle": [p.value for p in OecdPrinciple],
            "label": [OECD_LABELS[p].get(lang) for p in OecdPrinciple],
            "gap": [p in have for p in OecdPrinciple],
            "note_ja": [have[p].note_ja if p in have else "" for p in OecdPrinciple],
            "note_en": [have[p].note_en if p in have else "" for p in OecdPrinciple],
        }
    )


def country_form(key: str, e: CountryEntry, lang: str, *, submit: str) -> CountryEntry | None:
    """Every field of a register entry; the entry when submitted (the service checks it).

    Saving counts as the user's check of the entry, so the dates default to today and a year
    from today."""
    gdpr, cbpr, today = gdpr_labels(), cbpr_labels(), date.today()
    with st.form(key):
        regime = st.checkbox(t("cty.field.regime_exists"), value=e.regime_exists)
        c1, c2 = st.columns(2)
        regime_ja = c1.text_area(t("cty.field.regime_ja"), value=e.regime_ja, max_chars=5000)
        regime_en = c2.text_area(t("cty.field.regime_en"), value=e.regime_en, max_chars=5000)
        c3, c4 = st.columns(2)
        adequacy = c3.selectbox(
            t("cty.col.gdpr"),
            list(gdpr),
            index=list(gdpr).index(e.gdpr_adequacy.value),
            format_func=gdpr.__getitem__,
        )
        apec = c4.selectbox(
            t("cty.col.cbpr"),
            list(cbpr),
            index=list(cbpr).index(e.apec_cbpr.value),
            format_func=cbpr.__getitem__,
        )
        st.markdown(f"**{t('cty.field.gaps')}**")
        gaps = st.data_editor(
            _gap_table(e, lang),
            hide_index=True,
            width="stretch",
            disabled=["principle", "label"],
            column_order=["label", "gap", "note_ja", "note_en"],
            column_config={
                "label": st.column_config.TextColumn(t("cty.gap.principle"), width="medium"),
                "gap": st.column_config.CheckboxColumn(t("cty.gap.gap"), width="small"),
                "note_ja": st.column_config.TextColumn(t("cty.gap.note_ja"), width="large"),
                "note_en": st.column_config.TextColumn(t("cty.gap.note_en"), width="large"),
            },
            key=f"{key}-gaps",
        )
        c5, c6 = st.columns(2)
        access_ja = c5.text_area(
            t("cty.field.government_access_ja"), value=e.government_access_ja, max_chars=5000
        )
        access_en = c6.text_area(
            t("cty.field.government_access_en"), value=e.government_access_en, max_chars=5000
        )
        local_ja = c5.text_area(
            t("cty.field.localisation_ja"), value=e.localisation_ja, max_chars=5000
        )
        local_en = c6.text_area(
            t("cty.field.localisation_en"), value=e.localisation_en, max_chars=5000
        )
        source = st.text_area(t("cty.field.source"), value=e.source, max_chars=5000)
        c7, c8 = st.columns(2)
        reviewed = c7.date_input(t("cty.col.reviewed_on"), value=today)
        due = c8.date_input(t("cty.col.review_due"), value=add_months(today, REVIEW_MONTHS))
        if not st.form_submit_button(submit, type="primary", icon=":material/save:"):
            return None
    return replace(
        e,
        regime_exists=regime,
        regime_ja=regime_ja.strip(),
        regime_en=regime_en.strip(),
        gdpr_adequacy=GdprAdequacy(adequacy),
        apec_cbpr=CbprStatus(apec),
        oecd_gaps=tuple(
            OecdGap(
                OecdPrinciple(r["principle"]),
                str(r["note_en"] or "").strip(),
                str(r["note_ja"] or "").strip(),
            )
            for r in gaps.to_dict("records")
            if r["gap"]
        ),
        government_access_ja=access_ja.strip(),
        government_access_en=access_en.strip(),
        localisation_ja=local_ja.strip(),
        localisation_en=local_en.strip(),
        source=source.strip(),
        reviewed_on=reviewed if isinstance(reviewed, date) else today,
        review_due=due if isinstance(due, date) else add_months(today, REVIEW_MONTHS),
    )
