"""A contractor's reviews: the list, starting one, the questionnaire workbook out and back in,
the answers so far, and completing the review (which sets the tier and next review date)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from assessments import service as assessments
from auth.model import Principal
from contractors import review_service
from contractors.model import ContractorDetail, ContractorReview
from controls import service as catalogues
from core.errors import KansaError, ValidationFailed
from ui.assessments import flash, status_label
from ui.contractor_detail import act
from ui.contractors import (
    DASH,
    forget_versions,
    method_labels,
    shown_version,
    tier_label,
    workbook_issues,
)
from ui.db import get_db, shared_db
from ui.feedback import show_error
from ui.i18n import t
from ui.text import md_escape

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_GEN = "ctr_upload_gen"  # bumped after an import so the uploader starts empty


def reviews_table(reviews: tuple[ContractorReview, ...]) -> list[dict[str, object]]:
    methods = method_labels()
    return [
        {
            t("ctr.review.col.started"): r.started_on.isoformat(),
            t("ctr.review.col.method"): methods[r.method.value],
            t("ctr.review.col.status"): status_label(r.status),
            t("ctr.review.col.completed"): r.completed_on.isoformat() if r.completed_on else DASH,
            t("ctr.review.col.score"): f"{r.score:.1f}" if r.score is not None else DASH,
            t("ctr.review.col.tier_after"): tier_label(r.tier_after) if r.tier_after else DASH,
            t("ctr.review.col.next_due"): r.next_review_due.isoformat()
            if r.next_review_due
            else DASH,
            t("ctr.review.col.catalogue"): r.catalogue_version,
        }
        for r in reviews
    ]


def _answers(
    me: Principal, review: ContractorReview, lang: str
) -> tuple[list[dict[str, str]], int]:
    """Every question of the review with its answer so far; and how many are unanswered."""
    db = get_db()
    a = assessments.get_assessment(db, me, review.assessment_id)
    questions = catalogues.search_controls(db, me, a.catalogue_id)
    given: dict[str, tuple[str, str]] = {}
    for r in assessments.list_responses(db, me, a.id):
        shown = (
            f"{t('ctr.answer.na')}: {r.na_reason}"
            if r.na_reason
            else t("ctr.answer.levels", documented=r.documented, implemented=r.implemented)
        )
        given[r.control_id] = (shown, r.note or "")
    for x in review_service.list_review_answers(db, me, a.id):
        value = {"yes": t("ctr.yes"), "no": t("ctr.no")}.get(x.value or "", x.value or "")
        given[x.control_id] = (
            f"{t('ctr.answer.na')}: {x.na_reason}" if x.na_reason else value,
            x.note or "",
        )
    rows = [
        {
            t("ctr.answer.col.id"): q.control_id,
            t("ctr.answer.col.question"): q.title(lang),
            t("ctr.answer.col.answer"): given.get(q.control_id, ("", ""))[0]
            or t("ctr.answer.none"),
            t("ctr.answer.col.note"): given.get(q.control_id, ("", ""))[1],
        }
        for q in questions
    ]
    return rows, sum(1 for q in questions if q.control_id not in given)


def _questionnaire(me: Principal, contractor_id: str, lang: str) -> Callable[[], bytes]:
    def build() -> bytes:  # runs when the button is clicked, outside the script run
        return review_service.generate_questionnaire(shared_db(), me, contractor_id, lang=lang)

    return build


def reviews(me: Principal, det: ContractorDetail, lang: str, can_edit: bool) -> None:
    c = det.contractor
    if det.reviews:
        st.dataframe(reviews_table(det.reviews), hide_index=True, width="stretch")
        done = [r for r in det.reviews if r.completed_on]
        if done:
            st.page_link(
                "pages/scores.py",
                label=t("ctr.review.scores", date=done[0].completed_on),
                icon=":material/monitoring:",
                query_params={"id": done[0].assessment_id},
            )
    else:
        st.caption(t("ctr.review.none"))
    current = next((r for r in det.reviews if r.completed_on is None), None)
    if current is not None:
        _open_review(me, current, lang, can_edit)
    elif can_edit:
        methods = method_labels()
        with st.form(f"ctr-review-start-{c.id}"):
            st.markdown(f"**{t('ctr.review.start')}**")
            st.caption(t("ctr.review.start.help"))
            method = st.radio(
                t("ctr.review.col.method"),
                list(methods),
                format_func=methods.__getitem__,
                horizontal=True,
            )
            if st.form_submit_button(t("ctr.review.start.submit"), icon=":material/play_arrow:"):
                act(
                    lambda: review_service.start_review(
                        get_db(), me, c.id, method=method or "visit"
                    ),
                    t("ctr.review.started", name=md_escape(c.name)),
                )
    if can_edit:
        _workbook(me, det, current)


def _open_review(me: Principal, review: ContractorReview, lang: str, can_edit: bool) -> None:
    rows, missing = _answers(me, review, lang)
    st.markdown(f"**{t('ctr.review.open', started=review.started_on.isoformat())}**")
    st.caption(t("ctr.review.progress", answered=len(rows) - missing, total=len(rows)))
    with st.expander(t("ctr.review.answers"), icon=":material/list_alt:"):
        st.dataframe(rows, hide_index=True, width="stretch")
    if not can_edit:
        return
    version = shown_version(f"review:{review.assessment_id}", review.assessment_version)
    if st.button(
        t("ctr.review.complete"),
        type="primary",
        icon=":material/task_alt:",
        key="ctr-review-complete",
        help=t("ctr.review.complete.help"),
    ):
        try:
            done = review_service.complete_review(
                get_db(), me, review.assessment_id, expected_version=version
            )
        except KansaError as exc:
            forget_versions()
            show_error(exc)
        else:
            forget_versions()
            flash(
                t(
                    "ctr.review.completed",
                    score=f"{done.score:.1f}" if done.score is not None else DASH,
                    tier=tier_label(done.tier_after) if done.tier_after else DASH,
                    due=done.next_review_due.isoformat() if done.next_review_due else DASH,
                )
            )
            st.rerun()


def _workbook(me: Principal, det: ContractorDetail, current: ContractorReview | None) -> None:
    """The questionnaire to send, and the filled one to import."""
    c = det.contractor
    st.markdown(f"**{t('ctr.q.title')}**")
    st.caption(t("ctr.q.caption"))
    languages = {"ja": "日本語", "en": "English"}
    d1, d2 = st.columns([2, 3], vertical_alignment="bottom")
    q_lang = d1.segmented_control(
        t("ctr.q.lang"),
        list(languages),
        default="ja",
        format_func=languages.__getitem__,
        key=f"ctr-q-lang-{c.id}",
    )
    d2.download_button(
        t("ctr.q.download"),
        data=_questionnaire(me, c.id, q_lang or "ja"),
        file_name=f"questionnaire-{c.code}-{date.today():%Y%m%d}.xlsx",
        mime=XLSX,
        icon=":material/download:",
        on_click="ignore",
        key=f"ctr-q-download-{c.id}",
    )
    generation = st.session_state.get(UPLOAD_GEN, 0)
    upload = st.file_uploader(
        t("ctr.q.upload"),
        type=["xlsx"],
        key=f"ctr-q-upload-{c.id}-{generation}",
        help=t("ctr.q.upload.help"),
    )
    replace = False
    if current is not None:
        replace = st.checkbox(t("ctr.q.replace"), key=f"ctr-q-replace-{c.id}")
    if (
        st.button(
            t("ctr.q.import"),
            icon=":material/upload_file:",
            key="ctr-q-import",
            disabled=upload is None,
        )
        and upload is not None
    ):
        try:
            result = review_service.import_questionnaire(
                get_db(), me, c.id, upload.name, upload.getvalue(), replace=replace
            )
        except ValidationFailed as exc:
            st.error(
                t("ctr.q.refused", file=md_escape(upload.name)) + "\n\n" + workbook_issues(exc),
                icon=":material/error:",
            )
        except KansaError as exc:
            show_error(exc)
        else:
            st.session_state[UPLOAD_GEN] = generation + 1
            forget_versions()
            message = t("ctr.q.imported", count=result.answered, file=md_escape(upload.name))
            if result.unanswered:
                message += " " + t(
                    "ctr.q.unanswered",
                    count=len(result.unanswered),
                    ids=", ".join(result.unanswered),
                )
            flash(message)
            st.rerun()
