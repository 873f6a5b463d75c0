"""Evidence: everything uploaded, filtered; answers at level 3+ that nothing backs; carry
evidence forward from an earlier assessment; the store's integrity and purge (admins)."""

from datetime import date

import streamlit as st

from assessments import service as assessments
from assessments.model import Status
from auth import service as users
from auth.model import Permission
from auth.permissions import has_permission
from core.errors import KansaError
from evidence import service as evidence
from evidence.model import EvidenceFilter
from ui.assessments import flash, show_flash
from ui.db import get_db
from ui.evidence import (
    TYPE_LABELS,
    evidence_cards,
    evidence_frame,
    get_store,
    removed_notice,
    size_text,
    type_label,
)
from ui.feedback import show_error
from ui.i18n import t
from ui.session import require
from ui.text import md_escape

me = require(Permission.ASSESSMENT_READ)
db = get_db()
today = date.today()
st.title(t("evidence.title"))
show_flash()
removed_notice()
CARRIED = "evidence_carried"

visible = assessments.list_assessments(db, me)
by_id = {a.id: a for a in visible}
titles = {a.id: a.title for a in visible}
names = (
    {u.username: u.display_name or u.username for u in users.list_users(db, me)}
    if has_permission(me.role, Permission.USER_READ)
    else {}
)
can_answer = has_permission(me.role, Permission.ASSESSMENT_ANSWER)
labels = {"": t("evidence.filter.all"), **titles}

tab_names = [t("evidence.tab.all"), t("evidence.tab.unsupported")]
if can_answer:
    tab_names.append(t("evidence.tab.carry"))
admin_tab = has_permission(me.role, Permission.EVIDENCE_VERIFY)
if admin_tab:
    tab_names.append(t("evidence.tab.store"))
tabs = st.tabs(tab_names)

# --- everything, filtered -------------------------------------------------------------------
with tabs[0]:
    everything = evidence.search_evidence(db, me, EvidenceFilter(), today=today)
    c1, c2, c3 = st.columns(3)
    assessment_id = c1.selectbox(
        t("evidence.filter.assessment"),
        ["", *titles],
        format_func=lambda k: labels.get(k, k),
        key="ev_f_assessment",
    )
    controls = sorted({i.control_id for i in everything})
    control_names = {"": t("evidence.filter.all"), **{c: c for c in controls}}
    control_id = c2.selectbox(
        t("evidence.filter.control"),
        ["", *controls],
        format_func=lambda k: control_names.get(k, k),
        key="ev_f_control",
    )
    types = sorted({i.media_type for i in everything}, key=type_label)
    type_names = {"": t("evidence.filter.all"), **{k: TYPE_LABELS.get(k, k) for k in types}}
    media_type = c3.selectbox(
        t("evidence.filter.type"),
        ["", *types],
        format_func=lambda k: type_names.get(k, k),
        key="ev_f_type",
    )
    c4, c5, c6 = st.columns(3)
    uploaders = sorted({i.added_by for i in everything})
    uploader_names = {"": t("evidence.filter.all"), **{u: names.get(u, u) for u in uploaders}}
    added_by = c4.selectbox(
        t("evidence.filter.uploader"),
        ["", *uploaders],
        format_func=lambda k: uploader_names.get(k, k),
        key="ev_f_uploader",
    )
    within = c5.number_input(
        t("evidence.filter.expiring"),
        min_value=0,
        max_value=3650,
        value=None,
        step=30,
        placeholder=t("evidence.filter.expiring.placeholder"),
        key="ev_f_within",
    )
    expired = c6.checkbox(t("evidence.filter.expired"), key="ev_f_expired")
    flt = EvidenceFilter(
        assessment_id=assessment_id or None,
        control_id=control_id or None,
        media_type=media_type or None,
        added_by=added_by or None,
        expiring_within_days=int(within) if within is not None else None,
        expired=expired,
    )
    found = evidence.search_evidence(db, me, flt, today=today)
    st.caption(t("evidence.results", count=len(found), total=len(everything)))
    if not found:
        st.info(t("evidence.empty"), icon=":material/folder_open:")
    else:
        st.dataframe(
            evidence_frame(found, names, titles, today),
            hide_index=True,
            width="stretch",
        )
        item_labels = {
            i.link_id: f"{i.control_id} · {i.filename} · {titles.get(i.assessment_id, '')}"
            for i in found
        }
        picked = st.selectbox(
            t("evidence.open"),
            list(item_labels),
            index=None,
            format_func=lambda k: item_labels.get(k, k),
            placeholder=t("evidence.open.placeholder"),
            key="ev_open",
        )
        if picked:
            item = next(i for i in found if i.link_id == picked)
            owner = by_id.get(item.assessment_id)
            evidence_cards(
                me,
                [item],
                names,
                can_unlink=can_answer and owner is not None and owner.status != Status.CLOSED,
                key="ev-page",
                today=today,
            )

# --- level 3+ answers without evidence -------------------------------------------------------
with tabs[1]:
    st.caption(t("evidence.unsupported.caption"))
    scope = st.selectbox(
        t("evidence.filter.assessment"),
        ["", *titles],
        format_func=lambda k: labels.get(k, k),
        key="ev_gap_assessment",
    )
    gaps = evidence.unsupported_answers(db, me, scope or None)
    if not gaps:
        st.success(t("evidence.unsupported.none"), icon=":material/task_alt:")
    else:
        st.warning(t("evidence.unsupported.count", count=len(gaps)), icon=":material/flag:")
        st.dataframe(
            [
                {
                    t("evidence.col.assessment"): g.assessment_title,
                    t("evidence.col.control"): g.control_id,
                    t("workspace.col.documented"): g.documented,
                    t("workspace.col.implemented"): g.implemented,
                }
                for g in gaps
            ],
            hide_index=True,
            width="stretch",
        )

# --- carry forward ---------------------------------------------------------------------------
if can_answer:
    with tabs[2]:
        st.caption(t("evidence.carry.caption"))
        open_ones = [a for a in visible if a.status != Status.CLOSED]
        if not open_ones:
            st.info(t("evidence.carry.no_target"), icon=":material/info:")
        else:
            target_id = st.selectbox(
                t("evidence.carry.target"),
                [a.id for a in open_ones],
                format_func=lambda k: labels.get(k, k),
                key="ev_carry_target",
            )
            target = by_id[target_id]
            sources = [
                a
                for a in visible
                if a.id != target.id
                and a.scope_unit == target.scope_unit
                and a.catalogue_urn == target.catalogue_urn
                and (a.period_start or a.created_at) <= (target.period_start or target.created_at)
            ]
            auto = t("evidence.carry.auto")
            source_id = st.selectbox(
                t("evidence.carry.source"),
                ["", *(a.id for a in sources)],
                format_func=lambda k: labels.get(k, k) if k else auto,
                key="ev_carry_source",
            )
            if st.button(t("evidence.carry.button"), icon=":material/redo:", type="primary"):
                try:
                    done = evidence.carry_forward(
                        db, me, target.id, source_assessment_id=source_id or None, today=today
                    )
                except KansaError as exc:
                    show_error(exc)
                else:
                    st.session_state[CARRIED] = done
                    st.rerun()
            carried = st.session_state.pop(CARRIED, None)
            if carried is not None:
                st.success(
                    t(
                        "evidence.carry.done",
                        count=carried.count,
                        source=md_escape(titles.get(carried.source_assessment_id, "")),
                        already=carried.already_linked,
                    ),
                    icon=":material/check_circle:",
                )
                if carried.expired:
                    st.warning(
                        t("evidence.carry.expired", files=md_escape(", ".join(carried.expired))),
                        icon=":material/event_busy:",
                    )
                if carried.not_asked:
                    st.info(
                        t(
                            "evidence.carry.not_asked",
                            files=md_escape(", ".join(carried.not_asked)),
                        ),
                        icon=":material/info:",
                    )

# --- the store (admins and auditors verify; admins purge) -------------------------------------
if admin_tab:
    with tabs[-1]:
        store = get_store()
        st.caption(t("evidence.verify.caption"))
        if st.button(t("evidence.verify.button"), icon=":material/verified:"):
            report = evidence.verify_store(db, me, store)
            if report.ok:
                st.success(
                    t("evidence.verify.ok", count=report.checked), icon=":material/verified:"
                )
            else:
                st.error(
                    t(
                        "evidence.verify.bad",
                        missing=len(report.missing),
                        corrupt=len(report.corrupt),
                        orphaned=len(report.orphaned),
                    )
                    + "\n\n"
                    + "\n".join(
                        f"- {kind}: `{sha}`"
                        for kind, shas in (
                            ("missing", report.missing),
                            ("corrupt", report.corrupt),
                            ("orphaned", report.orphaned),
                        )
                        for sha in shas
                    ),
                    icon=":material/gpp_bad:",
                )
        if has_permission(me.role, Permission.EVIDENCE_PURGE):
            st.subheader(t("evidence.purge.title"), anchor=False)
            unlinked = evidence.list_unlinked(db, me)
            if not unlinked:
                st.info(t("evidence.purge.none"), icon=":material/info:")
            else:
                st.dataframe(
                    [
                        {
                            t("evidence.col.file"): u.last_name or "",
                            t("evidence.col.type"): type_label(u.media_type),
                            t("evidence.col.size"): size_text(u.size),
                            t("evidence.col.stored"): f"{names.get(u.stored_by, u.stored_by)}"
                            f" · {u.stored_at}",
                            "SHA-256": u.sha256,
                        }
                        for u in unlinked
                    ],
                    hide_index=True,
                    width="stretch",
                )
                sure = st.checkbox(t("evidence.purge.confirm", count=len(unlinked)))
                if st.button(
                    t("evidence.purge.button"),
                    icon=":material/delete_forever:",
                    disabled=not sure,
                ):
                    try:
                        purged = evidence.purge_unlinked(
                            db, me, store, [u.sha256 for u in unlinked]
                        )
                    except KansaError as exc:
                        show_error(exc)
                    else:
                        flash(t("evidence.purge.done", count=len(purged)))
                        st.rerun()
