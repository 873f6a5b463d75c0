"""One contractor: its register data and tier, certifications, re-entrustment chain and data
locations, with the changes a supervisor may make (reviews: ``ui.contractor_reviews``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta

import streamlit as st

from auth.model import Principal
from contractors import country_service, service
from contractors.model import (
    Certification,
    Clause,
    ContractorDetail,
    ContractorSummary,
    SubcontractorLink,
    SubjectKind,
)
from core.errors import Conflict, KansaError
from ui.assessments import flash
from ui.contractors import (
    DASH,
    certification_labels,
    clause_labels,
    contractor_form,
    due_text,
    forget_versions,
    mode_labels,
    shown_version,
    tier_badge,
    yes_no,
)
from ui.countries import country_labels
from ui.db import get_db
from ui.feedback import show_error
from ui.i18n import t
from ui.text import md_escape

EXPIRY_WARNING_DAYS = 90


def act(action: Callable[[], object], done: str, *, refused: str | None = None) -> None:
    """Run a change; on success say ``done`` after the rerun, otherwise say why not here.

    A conflict means someone changed what the user saw: the versions are re-read on the next
    run, and what was typed stays in the form."""
    try:
        action()
    except Conflict as exc:
        forget_versions()
        lead = f"{refused}\n\n" if refused else ""
        st.error(lead + md_escape(str(exc)), icon=":material/sync_problem:")
    except KansaError as exc:
        if refused:
            st.error(refused, icon=":material/block:")
        show_error(exc)
    else:
        forget_versions()
        flash(done)
        st.rerun()


def header(det: ContractorDetail, lang: str) -> None:
    c = det.contractor
    st.subheader(f"{c.code} · {md_escape(c.display_name(lang))}", anchor=False)
    overdue = c.next_review_due < date.today()
    st.markdown(
        f"{tier_badge(c.tier)} &nbsp; {t('ctr.col.next_due')}: "
        f"**{due_text(c.next_review_due, overdue)}**"
    )
    if overdue:
        st.error(
            t("ctr.overdue.detail", due=c.next_review_due.isoformat()), icon=":material/alarm:"
        )


def register_data(
    me: Principal, det: ContractorDetail, owners: Mapping[str, str], lang: str, can_edit: bool
) -> None:
    """What the register holds, the tier with its explanation, and (editors) the change form."""
    c = det.contractor
    clauses = clause_labels()
    sep = "、" if lang == "ja" else ", "
    left, right = st.columns([3, 2])
    hours = c.clauses.breach_notice_hours
    present = [
        clauses[k.value]
        + (f" ({t('ctr.hours', hours=hours)})" if k == Clause.BREACH_NOTICE else "")
        for k in Clause
        if c.clauses.present(k)
    ]
    left.markdown(
        "\n".join(
            [
                f"- {t('ctr.field.name')}: {md_escape(c.name)}",
                f"- {t('ctr.field.name_en')}: {md_escape(c.name_en or DASH)}",
                f"- {t('ctr.field.services')}: {md_escape(c.services)}",
                f"- {t('ctr.field.categories')}: {md_escape(sep.join(c.data_categories) or DASH)}",
                f"- {t('ctr.field.individuals')}: {c.approx_individuals:,}",
                f"- {t('ctr.field.special_care')}: {yes_no(c.special_care)}",
                f"- {t('ctr.field.contract')}: {c.contract_start.isoformat()} – "
                f"{c.contract_end.isoformat() if c.contract_end else ''}",
                f"- {t('ctr.field.owner')}: {md_escape(owners.get(c.owner, c.owner))}",
                f"- {t('ctr.col.last_review')}: "
                f"{c.last_review_on.isoformat() if c.last_review_on else DASH}",
                f"- {t('ctr.clauses.present')}: {md_escape(sep.join(present) or DASH)}",
                f"- {t('ctr.clauses.missing')}: "
                f"{md_escape(sep.join(clauses[k.value] for k in c.missing_clauses) or DASH)}",
            ]
        )
    )
    with right.container(border=True):
        st.markdown(f"**{t('ctr.tier.explained')}**")
        st.markdown("\n".join(f"- {md_escape(line)}" for line in det.tier.explain(lang)[:-1]))
        st.markdown(f"**{md_escape(det.tier.explain(lang)[-1])}**")
        if det.tier.tier != c.tier:
            st.caption(t("ctr.tier.recomputed", tier=tier_badge(det.tier.tier)))
    if not can_edit:
        return
    with st.expander(t("ctr.edit.title"), icon=":material/edit:"):
        draft = contractor_form(f"ctr-edit-{c.id}", owners, c.draft(), submit=t("ctr.edit.submit"))
        if draft is not None:
            act(
                lambda: service.update_contractor(
                    get_db(),
                    me,
                    c.id,
                    draft,
                    expected_version=shown_version(f"contractor:{c.id}", c.version),
                ),
                t("ctr.edit.done", name=md_escape(draft.name)),
            )
        else:
            shown_version(f"contractor:{c.id}", c.version)


def _expiry(cert: Certification, today: date) -> str:
    days = (cert.expires_on - today).days
    if days < 0:
        return f"{cert.expires_on.isoformat()} · {t('ctr.days.expired', days=-days)}"
    if days <= EXPIRY_WARNING_DAYS:
        return f"{cert.expires_on.isoformat()} · {t('ctr.days.left', days=days)}"
    return cert.expires_on.isoformat()


def certifications(me: Principal, det: ContractorDetail, can_edit: bool) -> None:
    kinds, today = certification_labels(), date.today()
    certs = det.certifications
    if certs:
        st.dataframe(
            [
                {
                    t("ctr.col.cert_kind"): kinds[x.kind.value],
                    t("ctr.col.cert_id"): x.certificate_id,
                    t("ctr.col.scope"): x.scope or "",
                    t("ctr.col.expires"): _expiry(x, today),
                }
                for x in certs
            ],
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(t("ctr.certs.none"))
    if not can_edit:
        return
    c = det.contractor
    with st.form(f"ctr-cert-add-{c.id}", clear_on_submit=True):
        st.markdown(f"**{t('ctr.certs.add')}**")
        c1, c2, c3 = st.columns(3)
        kind = c1.selectbox(t("ctr.col.cert_kind"), list(kinds), format_func=kinds.__getitem__)
        number = c2.text_input(t("ctr.col.cert_id"), max_chars=100)
        expires = c3.date_input(t("ctr.col.expires"), value=today + timedelta(days=365))
        scope = st.text_input(t("ctr.col.scope"), max_chars=2000)
        if st.form_submit_button(t("ctr.certs.add.submit"), icon=":material/add:"):
            act(
                lambda: service.add_certification(
                    get_db(),
                    me,
                    c.id,
                    kind=kind or "",
                    certificate_id=number,
                    expires_on=expires if isinstance(expires, date) else today,
                    scope=scope,
                ),
                t("ctr.certs.added", number=md_escape(number)),
            )
    if certs:
        labels = {x.id: f"{kinds[x.kind.value]} · {x.certificate_id}" for x in certs}
        r1, r2 = st.columns([3, 1], vertical_alignment="bottom")
        gone = r1.selectbox(
            t("ctr.certs.remove"),
            list(labels),
            format_func=labels.__getitem__,
            key=f"ctr-cert-rm-{c.id}",
        )
        if r2.button(t("ctr.certs.remove.submit"), icon=":material/delete:", key="ctr-cert-rm"):
            act(
                lambda: service.remove_certification(get_db(), me, gone or ""),
                t("ctr.certs.removed", number=md_escape(labels.get(gone or "", ""))),
            )


def _link_rows(
    links: Sequence[SubcontractorLink], other: Callable[[SubcontractorLink], str]
) -> list[dict[str, str]]:
    return [
        {
            t("ctr.col.contractor"): other(k),
            t("ctr.col.work"): k.work,
            t("ctr.col.approved"): t("ctr.chain.approved_by", who=k.approved_by, at=k.approved_at)
            if k.approved
            else t("ctr.chain.not_approved"),
        }
        for k in links
    ]


def chain(
    me: Principal, det: ContractorDetail, register: Sequence[ContractorSummary], can_edit: bool
) -> None:
    """Who it re-entrusts our work to, who re-entrusts to it; link, approve, unlink."""
    c = det.contractor
    st.markdown(f"**{t('ctr.chain.children')}**")
    if det.subcontractors:
        st.dataframe(
            _link_rows(det.subcontractors, lambda k: k.child_name),
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(t("ctr.chain.children.none"))
    st.markdown(f"**{t('ctr.chain.parents')}**")
    if det.entrusted_by:
        st.dataframe(
            _link_rows(det.entrusted_by, lambda k: k.parent_name),
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(t("ctr.chain.parents.none"))
    if not can_edit:
        return
    others = {s.id: f"{s.code} · {s.name}" for s in register if s.id != c.id}
    with st.form(f"ctr-link-{c.id}"):
        st.markdown(f"**{t('ctr.chain.link')}**")
        st.caption(t("ctr.chain.link.help"))
        child = st.selectbox(
            t("ctr.chain.link.child"),
            list(others),
            index=None,
            format_func=lambda k: others.get(k, k),
            placeholder=t("ctr.chain.link.placeholder"),
            key=f"ctr-link-child-{c.id}",
        )
        work = st.text_input(t("ctr.col.work"), max_chars=2000, key=f"ctr-link-work-{c.id}")
        if st.form_submit_button(
            t("ctr.chain.link.submit"), icon=":material/link:", key="ctr-link-submit"
        ):
            act(
                lambda: service.link_subcontractor(get_db(), me, c.id, child or "", work=work),
                t("ctr.chain.linked", child=md_escape(others.get(child or "", ""))),
                refused=t("ctr.chain.refused"),
            )
    links = {k.id: k for k in (*det.subcontractors, *det.entrusted_by)}
    if not links:
        return
    labels = {
        k.id: f"{k.parent_name} → {k.child_name} · "
        + (t("ctr.chain.approved") if k.approved else t("ctr.chain.not_approved"))
        for k in links.values()
    }
    for k in links.values():
        shown_version(f"link:{k.id}", k.version)
    l1, l2, l3 = st.columns([4, 1, 1], vertical_alignment="bottom")
    picked = l1.selectbox(
        t("ctr.chain.pick"),
        list(labels),
        format_func=labels.__getitem__,
        key=f"ctr-link-pick-{c.id}",
    )
    link = links.get(picked or "")
    if link is None:
        return
    version = shown_version(f"link:{link.id}", link.version)
    if l2.button(
        t("ctr.chain.approve"),
        icon=":material/verified:",
        key="ctr-link-approve",
        disabled=link.approved,
    ):
        act(
            lambda: service.approve_subcontractor(get_db(), me, link.id, expected_version=version),
            t("ctr.chain.approved.done", link=md_escape(labels[link.id])),
        )
    if l3.button(t("ctr.chain.unlink"), icon=":material/link_off:", key="ctr-link-unlink"):
        act(
            lambda: service.unlink_subcontractor(get_db(), me, link.id, expected_version=version),
            t("ctr.chain.unlinked", link=md_escape(f"{link.parent_name} → {link.child_name}")),
        )


def locations(me: Principal, det: ContractorDetail, lang: str, can_edit: bool) -> None:
    """Countries where the contractor stores or accesses our personal data."""
    countries, modes = country_labels(lang), mode_labels()
    c = det.contractor
    if det.locations:
        st.dataframe(
            [
                {
                    t("ctr.col.country"): countries.get(x.country_code, x.country_code),
                    t("ctr.col.mode"): modes[x.mode.value],
                    t("ctr.col.note"): x.note or "",
                }
                for x in det.locations
            ],
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(t("ctr.locations.none"))
    st.page_link("pages/countries.py", label=t("nav.countries"), icon=":material/public:")
    if not can_edit:
        return
    with st.form(f"ctr-loc-add-{c.id}", clear_on_submit=True):
        st.markdown(f"**{t('ctr.locations.add')}**")
        c1, c2 = st.columns([3, 2])
        code = c1.selectbox(
            t("ctr.col.country"), list(countries), index=None, format_func=countries.__getitem__
        )
        mode = c2.selectbox(t("ctr.col.mode"), list(modes), format_func=modes.__getitem__)
        note = st.text_input(t("ctr.col.note"), max_chars=2000)
        if st.form_submit_button(t("ctr.locations.add.submit"), icon=":material/add_location:"):
            act(
                lambda: country_service.add_data_location(
                    get_db(),
                    me,
                    subject_kind=SubjectKind.CONTRACTOR,
                    subject_id=c.id,
                    country_code=code or "",
                    mode=mode or "",
                    note=note,
                ),
                t("ctr.locations.added", country=countries.get(code or "", "")),
            )
    if det.locations:
        labels = {
            x.id: f"{countries.get(x.country_code, x.country_code)} · {modes[x.mode.value]}"
            for x in det.locations
        }
        r1, r2 = st.columns([3, 1], vertical_alignment="bottom")
        gone = r1.selectbox(
            t("ctr.locations.remove"),
            list(labels),
            format_func=labels.__getitem__,
            key=f"ctr-loc-rm-{c.id}",
        )
        if r2.button(t("ctr.locations.remove.submit"), icon=":material/delete:", key="ctr-loc-rm"):
            act(
                lambda: country_service.remove_data_location(get_db(), me, gone or ""),
                t("ctr.locations.removed", place=labels.get(gone or "", "")),
            )
