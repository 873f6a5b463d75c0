"""Contractor supervision widgets: labels, the supervisor dashboard, the register table, the
tier rule and the form a contractor is registered or changed with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]  # no stubs installed
import streamlit as st

from contractors.model import (
    CERTIFICATION_LABELS,
    CLAUSE_LABELS,
    TIER_LABELS,
    CertificationKind,
    Clause,
    Clauses,
    ContractorDraft,
    ContractorSummary,
    LocationMode,
    ReviewMethod,
    SupervisorDashboard,
    Tier,
    describe_rule,
)
from core.errors import ValidationFailed
from ui.findings import OVERDUE_COLOUR
from ui.i18n import current_lang, t
from ui.text import md_escape

OPEN_KEY = "ctr_open"  # the contractor shown in detail (its id)
PENDING_KEY = "ctr_open_next"  # set by an action; put into the selectbox on the next run
SHOWN_KEY = "ctr_shown"  # versions of what the user saw, checked when they act on it
DASH = "—"
TIER_COLOURS = {"high": "#f4b6b0", "medium": "#fbd9a5", "low": "#cfe8d5"}
TIER_ICONS = {"high": ":material/priority_high:", "medium": ":material/remove:", "low": ""}
DEFAULT_BREACH_HOURS = 24
TABLE_HEIGHT = 250  # the dashboard's short tables scroll beyond this (pixels)
NAME_WIDTH = 170  # pixels


# --- labels (built before any widget: AppTest formats options outside the session) ---------


def tier_label(tier: Tier | str) -> str:
    return TIER_LABELS[Tier(tier)].get(current_lang())


def tier_labels() -> dict[str, str]:
    return {tier.value: tier_label(tier) for tier in Tier}


def clause_labels() -> dict[str, str]:
    lang = current_lang()
    return {c.value: CLAUSE_LABELS[c].get(lang) for c in Clause}


def certification_labels() -> dict[str, str]:
    lang = current_lang()
    return {k.value: CERTIFICATION_LABELS[k].get(lang) for k in CertificationKind}


def method_labels() -> dict[str, str]:
    return {m.value: t(f"ctr.method.{m.value}") for m in ReviewMethod}


def mode_labels() -> dict[str, str]:
    return {m.value: t(f"ctr.mode.{m.value}") for m in LocationMode}


def yes_no(value: bool) -> str:
    return t("ctr.yes") if value else t("ctr.no")


def days_text(days_left: int) -> str:
    """'overdue by 12 days', 'today', 'in 30 days'."""
    if days_left < 0:
        return t("ctr.days.overdue", days=-days_left)
    return t("ctr.days.today") if days_left == 0 else t("ctr.days.left", days=days_left)


def due_text(due: date, overdue: bool) -> str:
    return f"{due.isoformat()} · {t('ctr.overdue')}" if overdue else due.isoformat()


def shown_version(key: str, current: int) -> int:
    """The version of ``key`` the user first saw (recorded now if they had not seen it)."""
    shown: dict[str, int] = st.session_state.setdefault(SHOWN_KEY, {})
    return shown.setdefault(key, current)


def forget_versions() -> None:
    """After our own change: the next run records what is shown afresh."""
    st.session_state.pop(SHOWN_KEY, None)


def open_contractor(contractor_id: str) -> None:
    """Show this contractor's detail on the next run."""
    st.session_state[PENDING_KEY] = contractor_id


# --- the supervisor dashboard ------------------------------------------------------------


def _short_table(
    title: str, rows: list[dict[str, object]], empty: str, narrow: Sequence[str]
) -> None:
    """A list of the dashboard: what to act on first in the first columns; ``narrow`` columns
    (names) kept narrow so the dates stay in view in half the page."""
    st.markdown(f"**{title}** ({len(rows)})")
    if rows:
        st.dataframe(
            rows,
            hide_index=True,
            width="stretch",
            height=min(TABLE_HEIGHT, 38 + 35 * len(rows)),
            column_config={c: st.column_config.TextColumn(width=NAME_WIDTH) for c in narrow},
        )
    else:
        st.caption(empty)


def dashboard(d: SupervisorDashboard) -> None:
    """Counts by tier, then the four lists that need the supervisor."""
    tiers, clauses, kinds = tier_labels(), clause_labels(), certification_labels()
    sep = "、" if current_lang() == "ja" else ", "
    name = t("ctr.col.name")
    cols = st.columns(5)
    cols[0].metric(t("ctr.dash.active"), d.contractors, border=True)
    for col, tier in zip(cols[1:4], Tier, strict=True):
        col.metric(t("ctr.dash.tier", tier=tiers[tier.value]), d.by_tier.get(tier, 0), border=True)
    cols[4].metric(t("ctr.dash.overdue"), len(d.overdue), border=True)
    left, right = st.columns(2)
    with left:
        _short_table(
            t("ctr.dash.due.title", days=d.horizon_days),
            [
                {
                    t("ctr.col.code"): r.code,
                    t("ctr.col.days"): days_text(r.days_left),
                    name: r.name,
                    t("ctr.col.next_due"): r.next_review_due.isoformat(),
                    t("ctr.col.tier"): tiers[r.tier.value],
                    t("ctr.col.review_open"): yes_no(r.review_open),
                }
                for r in d.due
            ],
            t("ctr.dash.due.none"),
            [name],
        )
        _short_table(
            t("ctr.dash.certs.title", days=d.horizon_days),
            [
                {
                    t("ctr.col.code"): r.code,
                    t("ctr.col.days"): t("ctr.days.expired", days=-r.days_left)
                    if r.days_left < 0
                    else days_text(r.days_left),
                    t("ctr.col.cert_kind"): kinds[r.kind.value],
                    name: r.name,
                    t("ctr.col.expires"): r.expires_on.isoformat(),
                    t("ctr.col.cert_id"): r.certificate_id,
                }
                for r in d.expiring
            ],
            t("ctr.dash.certs.none"),
            [name],
        )
    with right:
        _short_table(
            t("ctr.dash.clauses.title"),
            [
                {
                    t("ctr.col.code"): r.code,
                    t("ctr.col.missing"): sep.join(clauses[c.value] for c in r.missing),
                    name: r.name,
                    t("ctr.col.tier"): tiers[r.tier.value],
                }
                for r in d.missing_clauses
            ],
            t("ctr.dash.clauses.none"),
            [name],
        )
        _short_table(
            t("ctr.dash.unapproved.title"),
            [
                {
                    t("ctr.col.parent"): f"{r.parent_code} {r.parent_name}",
                    t("ctr.col.child"): f"{r.child_code} {r.child_name}",
                    t("ctr.col.work"): r.work,
                    t("ctr.col.added"): r.added_on.isoformat(),
                }
                for r in d.unapproved
            ],
            t("ctr.dash.unapproved.none"),
            [t("ctr.col.parent"), t("ctr.col.child")],
        )


# --- the register ------------------------------------------------------------------------


def register_frame(items: Sequence[ContractorSummary], lang: str) -> pd.DataFrame:
    """The register's rows in the user's language (overdue said in words, not only colour)."""
    tiers, clauses = tier_labels(), clause_labels()
    sep = "、" if lang == "ja" else ", "
    return pd.DataFrame(
        {
            t("ctr.col.code"): [c.code for c in items],
            t("ctr.col.name"): [c.name_en if lang == "en" and c.name_en else c.name for c in items],
            t("ctr.col.tier"): [tiers[c.tier.value] for c in items],
            t("ctr.col.next_due"): [due_text(c.next_review_due, c.overdue) for c in items],
            t("ctr.col.last_review"): [
                c.last_review_on.isoformat() if c.last_review_on else DASH for c in items
            ],
            t("ctr.col.individuals"): [c.approx_individuals for c in items],
            t("ctr.col.special_care"): [yes_no(c.special_care) for c in items],
            t("ctr.col.abroad"): [yes_no(c.abroad) for c in items],
            t("ctr.col.missing"): [
                sep.join(clauses[m.value] for m in c.missing_clauses) or DASH for c in items
            ],
            t("ctr.col.owner"): [c.owner for c in items],
            t("ctr.col.contract_end"): [
                c.contract_end.isoformat() if c.contract_end else DASH for c in items
            ],
        }
    )


def styled_register(frame: pd.DataFrame, items: Sequence[ContractorSummary]) -> Any:
    """Overdue rows tinted, their due cell in bold; the tier cell coloured."""
    columns = list(frame.columns)
    late_style = f"background-color: {OVERDUE_COLOUR}; color: #000000"
    table = np.full((len(frame), len(columns)), "", dtype=object)
    late = np.asarray([c.overdue for c in items], dtype=bool)
    table[late, :] = late_style
    table[late, columns.index(t("ctr.col.next_due"))] = late_style + "; font-weight: bold"
    table[:, columns.index(t("ctr.col.tier"))] = [
        f"background-color: {TIER_COLOURS[c.tier.value]}; color: #000000" for c in items
    ]
    styles = pd.DataFrame(table, index=frame.index, columns=frame.columns)
    return frame.style.apply(lambda _: styles, axis=None)


def tier_rule() -> None:
    """The rule the tiers come from, in the reader's language (built from the same tables)."""
    lines = describe_rule(current_lang())
    st.markdown(md_escape(lines[0]))
    st.markdown("\n".join(f"- {md_escape(line)}" for line in lines[1:-1]))
    st.caption(md_escape(lines[-1]))


def tier_badge(tier: Tier | str) -> str:
    """The tier as a coloured Markdown badge (its word says it; colour only adds)."""
    colour = {"high": "red", "medium": "orange", "low": "green"}[Tier(tier).value]
    return f":{colour}-badge[{t('ctr.tier', tier=tier_label(tier))}]"


# --- the contractor form -------------------------------------------------------------------


def _blank(owner: str) -> ContractorDraft:
    return ContractorDraft(
        name="",
        services="",
        approx_individuals=0,
        special_care=False,
        contract_start=date.today(),
        owner=owner,
        clauses=Clauses(),
    )


def contractor_form(
    key: str, owners: Mapping[str, str], initial: ContractorDraft | None, *, submit: str
) -> ContractorDraft | None:
    """Every field of a contractor; the draft when submitted (the service validates it)."""
    d = initial or _blank(next(iter(owners), ""))
    labels = clause_labels()
    owner_keys = list(owners)
    with st.form(key):
        c1, c2 = st.columns(2)
        name = c1.text_input(t("ctr.field.name"), value=d.name, max_chars=200, key=f"{key}-name")
        name_en = c2.text_input(
            t("ctr.field.name_en"), value=d.name_en or "", max_chars=200, key=f"{key}-name_en"
        )
        services = st.text_area(
            t("ctr.field.services"), value=d.services, max_chars=2000, key=f"{key}-services"
        )
        categories = st.text_area(
            t("ctr.field.categories"),
            value="\n".join(d.data_categories),
            help=t("ctr.field.categories.help"),
            height=90,
            key=f"{key}-categories",
        )
        c3, c4, c5 = st.columns(3)
        individuals = c3.number_input(
            t("ctr.field.individuals"),
            min_value=0,
            max_value=200_000_000,
            value=d.approx_individuals,
            step=1000,
            key=f"{key}-individuals",
        )
        start = c4.date_input(
            t("ctr.field.contract_start"), value=d.contract_start, key=f"{key}-start"
        )
        end = c5.date_input(t("ctr.field.contract_end"), value=d.contract_end, key=f"{key}-end")
        c6, c7 = st.columns(2)
        special = c6.checkbox(
            t("ctr.field.special_care"), value=d.special_care, key=f"{key}-special"
        )
        owner = c7.selectbox(
            t("ctr.field.owner"),
            owner_keys,
            index=owner_keys.index(d.owner) if d.owner in owner_keys else 0,
            format_func=lambda k: owners.get(k, k),
            key=f"{key}-owner",
        )
        st.markdown(f"**{t('ctr.field.clauses')}**")
        st.caption(t("ctr.field.clauses.help"))
        columns = st.columns(2)
        ticked: dict[Clause, bool] = {}
        for i, clause in enumerate(Clause):
            ticked[clause] = columns[i % 2].checkbox(
                labels[clause.value], value=d.clauses.present(clause), key=f"{key}-{clause.value}"
            )
        hours = st.number_input(
            t("ctr.field.breach_hours"),
            min_value=1,
            max_value=24 * 30,
            value=d.clauses.breach_notice_hours or DEFAULT_BREACH_HOURS,
            help=t("ctr.field.breach_hours.help"),
            key=f"{key}-hours",
        )
        if not st.form_submit_button(
            submit, type="primary", icon=":material/save:", key=f"{key}-submit"
        ):
            return None
    return ContractorDraft(
        name=name,
        services=services,
        approx_individuals=int(individuals),
        special_care=special,
        contract_start=start if isinstance(start, date) else date.today(),
        owner=owner or "",
        clauses=Clauses(
            security_measures=ticked[Clause.SECURITY_MEASURES],
            confidentiality=ticked[Clause.CONFIDENTIALITY],
            reentrustment=ticked[Clause.REENTRUSTMENT],
            handling_reports=ticked[Clause.HANDLING_REPORTS],
            return_deletion=ticked[Clause.RETURN_DELETION],
            breach_notice_hours=int(hours) if ticked[Clause.BREACH_NOTICE] else None,
            audit_rights=ticked[Clause.AUDIT_RIGHTS],
        ),
        name_en=name_en,
        data_categories=tuple(line.strip() for line in categories.splitlines()),
        contract_end=end if isinstance(end, date) else None,
    )


def reset_form(key: str) -> None:
    """Empty the form ``key`` (after what it held was saved)."""
    for name in [k for k in st.session_state if str(k).startswith(f"{key}-")]:
        del st.session_state[name]


# --- errors from a workbook ----------------------------------------------------------------


def workbook_issues(exc: ValidationFailed) -> str:
    """Every problem of an imported workbook as a bullet naming its sheet and cell."""
    lines = []
    for issue in exc.issues:
        sheet, _, cell = issue.field.partition("!")
        if cell:
            where = t("ctr.q.issue_cell", sheet=md_escape(sheet), cell=cell)
        elif issue.field.startswith("("):
            where = t("ctr.q.issue_file")
        else:
            where = t("ctr.q.issue_sheet", sheet=md_escape(sheet))
        lines.append(f"- {where}: {md_escape(issue.message)}")
    return "\n".join(lines)
