"""Answer workspace: answer an assessment's controls domain by domain, or import a file.

Each Save sends only the rows changed in that domain, each with the version it had when it was
first shown here: if someone else saved in between, nothing is saved and their answer is shown.
"""

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from assessments import service as assessments
from assessments.model import Assessment, Response, ReviewState, Status
from auth import service as users
from auth.model import Permission
from auth.permissions import has_permission
from controls import service as catalogues
from controls.model import ControlRow
from core.errors import Conflict, KansaError, ValidationFailed
from evidence import service as evidence
from org import service as org
from ui.assessments import (
    answer_columns,
    answer_frame,
    answer_rows,
    changed_answers,
    choose_or_stop,
    flash,
    header,
    issues_markdown,
    progress_columns,
    progress_table,
    show_flash,
)
from ui.catalogue import control_detail
from ui.db import get_db
from ui.evidence import evidence_cards, removed_notice, upload_form
from ui.feedback import show_error
from ui.i18n import current_lang, t
from ui.session import require
from ui.text import md_escape

me = require(Permission.ASSESSMENT_READ)
db = get_db()
lang = current_lang()
st.title(t("workspace.title"))
show_flash()

units = {u.code: u.name(lang) for u in org.list_units(db, me)}
a = choose_or_stop(assessments.list_assessments(db, me), units, key="workspace_pick")
names = (
    {u.username: u.display_name or u.username for u in users.list_users(db, me)}
    if has_permission(me.role, Permission.USER_READ)
    else {}
)
header(a, units, catalogues.get_catalogue(db, me, a.catalogue_id).name(lang), names)

# Auditees only ever see their own department's assessments, so seeing one and holding the
# permission is enough to answer it (the service checks again).
editable = has_permission(me.role, Permission.ASSESSMENT_ANSWER) and a.status != Status.CLOSED
if a.status == Status.CLOSED:
    st.info(t("workspace.read_only.closed"), icon=":material/lock:")
elif not editable:
    st.info(t("workspace.read_only.role"), icon=":material/visibility:")

responses = {r.control_id: r for r in assessments.list_responses(db, me, a.id)}
scored = assessments.score(db, me, a.id).score.controls  # the controls this assessment asks
controls = {
    c.control_id: c
    for c in catalogues.search_controls(db, me, a.catalogue_id)
    if c.control_id in scored
}
domain_names = {d.domain_id: d.name(lang) for d in catalogues.list_domains(db, me, a.catalogue_id)}
progress = assessments.progress(db, me, a.id)
evidence_count = evidence.evidence_counts(db, me, a.id)


def _state_keys(assessment: Assessment, domain_id: str) -> tuple[str, str, str, str]:
    base = f"{assessment.id}_{domain_id}"
    return f"ws_gen_{base}", f"ws_shown_{base}", f"ws_conflict_{base}", f"detail-{base}"


def _has_edits(state: Any) -> bool:
    return isinstance(state, Mapping) and bool(state.get("edited_rows"))


def _reset(assessment: Assessment, domain_id: str) -> None:
    """Forget this domain's edits and the versions first shown: the next run shows the latest."""
    gen_key, shown_key, conflict_key, _ = _state_keys(assessment, domain_id)
    st.session_state[gen_key] = st.session_state.get(gen_key, 0) + 1
    st.session_state.pop(shown_key, None)
    st.session_state.pop(conflict_key, None)


def _save(assessment: Assessment, domain_id: str, shown: Mapping[str, Any], edited: Any) -> None:
    """Send the changed rows, each with the version it had when first shown."""
    _, _, conflict_key, _ = _state_keys(assessment, domain_id)
    changes = changed_answers(shown["rows"], edited)
    if not changes:
        st.info(t("workspace.nothing_changed"), icon=":material/info:")
        return
    try:
        saved = assessments.save_answers(
            db, me, assessment.id, [(x, shown["versions"].get(x.control_id)) for x in changes]
        )
    except Conflict as exc:
        if assessments.get_assessment(db, me, assessment.id).status == Status.CLOSED:
            show_error(exc)  # closed meanwhile: not someone else's answer
        else:
            st.session_state[conflict_key] = str(exc)
    except ValidationFailed as exc:
        st.error(t("workspace.invalid") + "\n\n" + issues_markdown(exc), icon=":material/error:")
    except KansaError as exc:
        show_error(exc)
    else:
        _reset(assessment, domain_id)
        flash(t("workspace.saved", count=len(saved), domain=domain_id))
        st.rerun()


def _editor(
    assessment: Assessment,
    domain_id: str,
    rows_of: Sequence[ControlRow],
    answers: Mapping[str, Response],
) -> None:
    gen_key, shown_key, conflict_key, _ = _state_keys(assessment, domain_id)
    editor_key = f"answers-{domain_id}-{st.session_state.get(gen_key, 0)}-{assessment.id}"
    typing = _has_edits(st.session_state.get(editor_key))
    if shown_key not in st.session_state or not typing:
        # Nothing typed yet: show the latest, and remember the versions being shown.
        versions = {
            c.control_id: answers[c.control_id].version if c.control_id in answers else None
            for c in rows_of
        }
        st.session_state[shown_key] = {
            "rows": answer_rows(rows_of, answers, lang, evidence_count),
            "versions": versions,
        }
    shown = st.session_state[shown_key]
    edited = st.data_editor(
        answer_frame(shown["rows"]),
        key=editor_key,
        column_config=answer_columns(editable=True),
        hide_index=True,
        width="stretch",
        num_rows="fixed",
        placeholder="",
    )
    b1, b2, _ = st.columns([2, 2, 5])
    save = b1.button(
        t("workspace.save"), key=f"save-{domain_id}", type="primary", icon=":material/save:"
    )
    discard = b2.button(
        t("workspace.discard"),
        key=f"discard-{domain_id}",
        icon=":material/refresh:",
        disabled=not (typing or conflict_key in st.session_state),
    )
    if discard:
        _reset(assessment, domain_id)
        st.rerun()
    if save:
        _save(assessment, domain_id, shown, edited)
    if conflict_key in st.session_state:
        st.error(
            t("workspace.conflict", detail=md_escape(st.session_state[conflict_key])),
            icon=":material/sync_problem:",
        )


def _answer_domain(
    assessment: Assessment,
    domain_id: str,
    rows_of: Sequence[ControlRow],
    answers: Mapping[str, Response],
) -> None:
    if editable:
        _editor(assessment, domain_id, rows_of, answers)
    else:
        st.dataframe(
            answer_frame(answer_rows(rows_of, answers, lang, evidence_count)),
            column_config=answer_columns(editable=False),
            hide_index=True,
            width="stretch",
            placeholder="",
        )
    with st.expander(t("workspace.detail"), icon=":material/menu_book:"):
        by_id = {c.control_id: c for c in rows_of}
        picked = st.selectbox(
            t("catalogue.detail.select"),
            list(by_id),
            format_func=lambda cid: f"{cid} · {by_id[cid].title(lang)}",
            key=_state_keys(assessment, domain_id)[3],
        )
        if picked:
            control_detail(by_id[picked], domain_names.get(domain_id, domain_id), lang)


if not progress:
    st.info(t("workspace.no_controls"), icon=":material/info:")
    st.stop()
st.markdown(f"**{t('workspace.progress')}**")
total = sum(p.controls for p in progress)
answered = sum(p.answered for p in progress)
st.progress(
    answered / total if total else 1.0,
    text=t("workspace.progress.overall", answered=answered, total=total),
)
st.dataframe(
    progress_table(progress, domain_names),
    column_config=progress_columns(),
    hide_index=True,
    width="stretch",
)
returned = [r.control_id for r in responses.values() if r.review_state == ReviewState.RETURNED]
if returned:
    st.warning(t("workspace.returned", ids=", ".join(returned)), icon=":material/undo:")

if editable:
    st.caption(t("workspace.scale"))
tabs = st.tabs([f"{p.domain_id} ({p.answered}/{p.controls})" for p in progress])
for tab, p in zip(tabs, progress, strict=True):
    in_domain = [cid for cid, c in scored.items() if c.domain_id == p.domain_id]
    with tab:
        st.markdown(f"**{p.domain_id} · {domain_names.get(p.domain_id, '')}**")
        _answer_domain(a, p.domain_id, [controls[c] for c in in_domain if c in controls], responses)

st.subheader(t("workspace.evidence.title"), anchor=False)
st.caption(t("workspace.evidence.caption"))
ordered = [cid for cid in scored if cid in controls]
# Labels without the evidence count: a selectbox forgets its choice when its labels change.
evidence_labels = {cid: f"{cid} · {controls[cid].title(lang)}" for cid in ordered}
chosen = st.selectbox(
    t("workspace.evidence.control"),
    ordered,
    format_func=lambda cid: evidence_labels.get(cid, cid),
    key=f"ws_evidence_control_{a.id}",
)
removed_notice()
if chosen:
    if editable:
        upload_form(me, a.id, chosen)
    linked = [i for i in evidence.list_evidence(db, me, a.id) if i.control_id == chosen]
    if linked:
        st.caption(t("workspace.evidence.count", id=chosen, count=len(linked)))
    else:
        st.info(t("workspace.evidence.none", id=chosen), icon=":material/folder_open:")
    evidence_cards(me, linked, names, can_unlink=editable, key=f"ws-ev-{a.id}")

if editable:
    with st.expander(t("workspace.import.title"), icon=":material/upload_file:"):
        st.caption(t("workspace.import.caption"))
        import_key = f"ws_import_gen_{a.id}"
        upload = st.file_uploader(
            t("workspace.import.file"),
            type=["csv", "xlsx"],
            key=f"import-{a.id}-{st.session_state.get(import_key, 0)}",
        )
        if (
            st.button(
                t("workspace.import.submit"),
                key="import_submit",
                disabled=upload is None,
                icon=":material/upload:",
            )
            and upload is not None
        ):
            try:
                count = assessments.import_answers(db, me, a.id, upload.name, upload.getvalue())
            except ValidationFailed as exc:
                st.error(
                    t("workspace.import.failed") + "\n\n" + issues_markdown(exc),
                    icon=":material/error:",
                )
            except KansaError as exc:
                show_error(exc)
            else:
                for p in progress:
                    _reset(a, p.domain_id)
                st.session_state[import_key] = st.session_state.get(import_key, 0) + 1
                flash(t("workspace.import.done", count=count, file=md_escape(upload.name)))
                st.rerun()
