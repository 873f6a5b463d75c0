"""Review (auditors): accept answers or return them with a comment; submit and close."""

import streamlit as st

from assessments import service as assessments
from assessments.model import ReviewState, Status
from auth import service as users
from auth.model import Permission
from auth.permissions import has_permission
from controls import service as catalogues
from core.errors import Conflict, KansaError
from org import service as org
from ui.assessments import (
    answer_text,
    choose_or_stop,
    flash,
    header,
    person,
    review_columns,
    review_table,
    review_text,
    show_flash,
    status_label,
)
from ui.catalogue import control_detail
from ui.db import get_db
from ui.feedback import show_error
from ui.findings import assessment_findings
from ui.i18n import current_lang, t
from ui.session import require
from ui.text import md_escape

me = require(Permission.ASSESSMENT_REVIEW)
db = get_db()
lang = current_lang()
st.title(t("review.title"))
show_flash()

units = {u.code: u.name(lang) for u in org.list_units(db, me)}
a = choose_or_stop(assessments.list_assessments(db, me), units, key="review_pick")
names = {u.username: u.display_name or u.username for u in users.list_users(db, me)}
header(a, units, catalogues.get_catalogue(db, me, a.catalogue_id).name(lang), names)

# --- moving the assessment on --------------------------------------------------------------
can_submit = a.status in (Status.PLANNED, Status.IN_PROGRESS)
can_close = has_permission(me.role, Permission.ASSESSMENT_CLOSE) and a.status in (
    Status.IN_PROGRESS,
    Status.IN_REVIEW,
)
with st.container(border=True):
    st.markdown(t("review.status", status=status_label(a.status)))
    b1, b2, _ = st.columns([2, 2, 4])
    submit = b1.button(
        t("review.submit"), key="review_submit", disabled=not can_submit, icon=":material/send:"
    )
    close = b2.button(
        t("review.close"),
        key="review_close",
        disabled=not can_close,
        type="primary",
        icon=":material/lock:",
    )
    st.caption(t("review.close_hint"))
    if submit:
        try:
            moved = assessments.submit_for_review(db, me, a.id)
        except KansaError as exc:
            show_error(exc)
        else:
            flash(t("review.submitted", title=md_escape(moved.title)))
            st.rerun()
    if close:
        try:
            moved = assessments.close_assessment(db, me, a.id)
        except Conflict as exc:
            st.error(t("review.close_refused", detail=md_escape(str(exc))), icon=":material/block:")
        except KansaError as exc:
            show_error(exc)
        else:
            flash(t("review.closed", title=md_escape(moved.title)))
            st.rerun()

if a.status == Status.CLOSED:
    st.info(t("workspace.read_only.closed"), icon=":material/lock:")

# --- findings ------------------------------------------------------------------------------
controls = {c.control_id: c for c in catalogues.search_controls(db, me, a.catalogue_id)}
titles = {cid: c.title(lang) for cid, c in controls.items()}
active = {
    u.username: f"{u.display_name or u.username} ({u.username})"
    for u in users.list_users(db, me)
    if u.active
}
assessment_findings(
    me,
    a.id,
    names,
    units,
    raise_with=(
        a.scope_unit,
        {cid: f"{cid} · {title}" for cid, title in titles.items()},
        active,
    )
    if a.status != Status.CLOSED and has_permission(me.role, Permission.FINDING_MANAGE)
    else None,
)

# --- answers -------------------------------------------------------------------------------
responses = assessments.list_responses(db, me, a.id)
domain_names = {d.domain_id: d.name(lang) for d in catalogues.list_domains(db, me, a.catalogue_id)}
pending = [r for r in responses if r.review_state == ReviewState.PENDING]

st.subheader(t("review.pending", count=len(pending)))
show_all = st.toggle(t("review.show_all"), key="review_show_all")
listed = responses if show_all else pending
if not listed:
    st.info(t("review.none_pending"), icon=":material/task_alt:")
    st.stop()
st.dataframe(
    review_table(listed, titles, names),
    hide_index=True,
    width="stretch",
    column_config=review_columns(),
)
if a.status == Status.CLOSED:
    st.stop()

by_id = {r.control_id: r for r in listed}
labels = {c: f"{c} · {titles.get(c, '')} · {review_text(r)}" for c, r in by_id.items()}
with st.container(border=True):
    cid = st.selectbox(
        t("review.select"),
        list(by_id),
        format_func=labels.__getitem__,
        key=f"review_control_{a.id}",
    )
    r = by_id[cid]
    # Decide against the answer as first shown: if the auditee changes it meanwhile, the
    # decision is refused and the new answer is shown instead of being accepted unseen.
    shown_key = f"review_shown_{a.id}_{cid}"
    shown_version = st.session_state.setdefault(shown_key, r.version)
    st.markdown(f"**{md_escape(cid)} · {md_escape(titles.get(cid, ''))}**")
    st.markdown(
        t(
            "review.answer",
            answer=md_escape(answer_text(r)),
            who=md_escape(person(names, r.answered_by)),
            at=r.answered_at,
        )
    )
    if r.note:
        st.markdown(f"> {md_escape(r.note)}")
    with st.form(f"review_form_{a.id}_{cid}", border=False):
        comment = st.text_area(t("review.comment"), max_chars=5000, key=f"review_comment_{cid}")
        f1, f2, _ = st.columns([2, 2, 4])
        accept = f1.form_submit_button(t("review.accept"), type="primary", icon=":material/check:")
        give_back = f2.form_submit_button(t("review.return"), icon=":material/undo:")
    if give_back and not comment.strip():
        st.error(t("review.comment_needed"), icon=":material/edit_note:")
    elif accept or give_back:
        st.session_state.pop(shown_key, None)
        try:
            assessments.review_answer(
                db,
                me,
                a.id,
                cid,
                accept=bool(accept),
                comment=comment,
                expected_version=shown_version,
            )
        except KansaError as exc:
            show_error(exc)
        else:
            key = "review.accepted" if accept else "review.returned"
            flash(t(key, control=cid))
            st.rerun()
    if cid in controls:
        with st.expander(t("workspace.detail"), icon=":material/menu_book:"):
            control_detail(controls[cid], domain_names.get(controls[cid].domain_id, ""), lang)
