"""Findings widgets: the register table, a finding's detail with the actions the user may take,
and the form auditors raise findings with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]  # no stubs installed
import streamlit as st

from auth.model import Permission, Principal, Role
from auth.permissions import has_permission
from core.errors import Conflict, KansaError
from evidence import service as evidence
from findings import service as findings
from findings.model import (
    NONCONFORMITIES,
    RESPONDABLE,
    Finding,
    FindingFilter,
    Grade,
    Status,
    age_days,
    allowed_next,
    is_overdue,
)
from ui.assessments import flash
from ui.db import get_db
from ui.feedback import show_error
from ui.i18n import t
from ui.text import md_escape

OVERDUE_COLOUR = "#f8d0cc"  # the rows and cells of overdue actions
GRADE_COLOURS = {
    "major": "#f4b6b0",
    "minor": "#fbd9a5",
    "observation": "#dfe7f2",
    "ofi": "#e3efe0",
    "good": "#cfe8d5",
}
GRADE_ICONS = {
    "major": ":material/error:",
    "minor": ":material/warning:",
    "observation": ":material/visibility:",
    "ofi": ":material/lightbulb:",
    "good": ":material/thumb_up:",
}


def grade_label(grade: Grade | str) -> str:
    return t(f"finding.grade.{Grade(grade).value}")


def status_label(status: Status | str) -> str:
    return t(f"finding.status.{Status(status).value}")


def grade_labels() -> dict[str, str]:
    """Built before any widget: AppTest formats options outside the session."""
    return {g.value: grade_label(g) for g in Grade}


def status_labels() -> dict[str, str]:
    return {s.value: status_label(s) for s in Status}


def register_frame(
    items: Sequence[Finding], names: Mapping[str, str], units: Mapping[str, str], today: date
) -> tuple[pd.DataFrame, list[bool]]:
    """The register's rows in the user's language, and which of them are overdue."""
    grades, statuses, late_word = grade_labels(), status_labels(), t("finding.overdue")
    overdue = [is_overdue(f, today) for f in items]
    frame = pd.DataFrame(
        {
            t("finding.col.ref"): [f.ref for f in items],
            t("finding.col.grade"): [grades[f.grade.value] for f in items],
            t("finding.col.status"): [statuses[f.status.value] for f in items],
            t("finding.col.control"): [f.control_id for f in items],
            t("finding.col.department"): [
                units.get(f.org_unit_code, f.org_unit_code) for f in items
            ],
            t("finding.col.owner"): [names.get(f.owner, f.owner) for f in items],
            t("finding.col.due"): [
                f.due_date.isoformat() + (f" · {late_word}" if late else "")
                for f, late in zip(items, overdue, strict=True)
            ],
            t("finding.col.age"): [age_days(f, today) for f in items],
            t("finding.col.statement"): [f.statement for f in items],
            t("finding.col.assessment"): [f.assessment_title for f in items],
        }
    )
    return frame, overdue


def styled_register(frame: pd.DataFrame, overdue: Sequence[bool], grades: Sequence[str]) -> Any:
    """Overdue rows tinted (their due cell also says so in words); the grade cell coloured.

    The style table is built whole (not cell by cell): the register shows hundreds of rows."""
    columns = list(frame.columns)
    late_style = f"background-color: {OVERDUE_COLOUR}; color: #000000"
    table = np.full((len(frame), len(columns)), "", dtype=object)
    late = np.asarray(overdue, dtype=bool)
    table[late, :] = late_style
    table[late, columns.index(t("finding.col.due"))] = late_style + "; font-weight: bold"
    table[:, columns.index(t("finding.col.grade"))] = [
        f"background-color: {GRADE_COLOURS.get(g, '#ffffff')}; color: #000000" for g in grades
    ]
    styles = pd.DataFrame(table, index=frame.index, columns=frame.columns)
    return frame.style.apply(lambda _: styles, axis=None)


def finding_summary(f: Finding, today: date) -> str:
    late = f" · **{t('finding.overdue')}**" if is_overdue(f, today) else ""
    return (
        f"**{f.ref}** · {grade_label(f.grade)} · {status_label(f.status)} · {f.control_id} · "
        f"{t('finding.col.due')} {f.due_date.isoformat()}{late}"
    )


# --- detail -----------------------------------------------------------------------------------


def finding_detail(
    me: Principal, f: Finding, names: Mapping[str, str], units: Mapping[str, str], lang: str
) -> None:
    """Everything about one finding, then the actions this user may take on it."""
    db = get_db()
    today = date.today()
    st.subheader(f"{f.ref} · {grade_label(f.grade)}", anchor=False)
    if is_overdue(f, today):
        st.error(t("finding.overdue.detail", due=f.due_date.isoformat()), icon=":material/alarm:")
    left, right = st.columns([3, 2])
    left.markdown(f"**{t('finding.col.statement')}**")
    left.markdown(md_escape(f.statement))
    left.markdown(f"**{t('finding.criterion')}**")
    left.markdown(md_escape(f.criterion(lang)))
    right.markdown(
        "\n".join(
            [
                f"- {t('finding.col.status')}: **{status_label(f.status)}**",
                f"- {t('finding.col.assessment')}: {md_escape(f.assessment_title)}",
                f"- {t('finding.col.department')}: "
                f"{md_escape(units.get(f.org_unit_code, f.org_unit_code))}",
                f"- {t('finding.col.owner')}: {md_escape(names.get(f.owner, f.owner))}",
                f"- {t('finding.col.due')}: {f.due_date.isoformat()}",
                f"- {t('finding.raised')}: {md_escape(names.get(f.raised_by, f.raised_by))} · "
                f"{f.raised_at}",
            ]
        )
    )
    cited = findings.list_evidence(db, me, f.id)
    if cited:
        st.markdown(f"**{t('finding.evidence')}**")
        st.markdown(
            "\n".join(
                f"- {t(f'finding.evidence.{e.role.value}')}: "
                f"{md_escape(e.filename or e.sha256[:12])} (`{e.sha256[:12]}`)"
                for e in cited
            )
        )
    if f.root_cause or f.correction or f.corrective_action:
        st.markdown(f"**{t('finding.response')}**")
        for key, value in (
            ("root_cause", f.root_cause),
            ("correction", f.correction),
            ("corrective_action", f.corrective_action),
        ):
            if value:
                st.markdown(f"*{t(f'finding.{key}')}*: {md_escape(value)}")
    if f.verification_note:
        st.markdown(
            f"**{t('finding.verification')}** ({md_escape(names.get(f.verified_by or '', ''))}"
            f" {f.verified_at or ''}): {md_escape(f.verification_note)}"
        )
    with st.expander(t("finding.history"), icon=":material/history:"):
        st.dataframe(
            [
                {
                    t("finding.history.at"): h.at,
                    t("finding.history.from"): status_label(h.from_status) if h.from_status else "",
                    t("finding.history.to"): status_label(h.to_status),
                    t("finding.history.by"): names.get(h.actor, h.actor),
                    t("finding.history.note"): h.note or "",
                }
                for h in findings.history(db, me, f.id)
            ],
            hide_index=True,
            width="stretch",
        )
    _actions(me, f)


def _shown_key(f: Finding) -> str:
    return f"finding_shown_version_{f.id}"


def _run(action: Any, message: str, f: Finding, **kwargs: Any) -> None:
    """Act on the finding as it was first shown here: if someone changed it meanwhile the
    service refuses (Conflict), the message says so, and what was typed stays in the form."""
    version = st.session_state.pop(_shown_key(f), f.version)
    try:
        action(get_db(), finding_id=f.id, version=version, **kwargs)
    except Conflict as exc:
        st.error(t("finding.conflict", detail=md_escape(str(exc))), icon=":material/sync_problem:")
    except KansaError as exc:
        st.session_state[_shown_key(f)] = version
        show_error(exc)
    else:
        flash(message)
        st.rerun()


def _actions(me: Principal, f: Finding) -> None:
    st.session_state.setdefault(_shown_key(f), f.version)
    is_owner = me.username == f.owner or me.role == Role.ADMIN
    allowed = allowed_next(f.grade, f.status)
    if is_owner and has_permission(me.role, Permission.FINDING_RESPOND) and f.status in RESPONDABLE:
        with st.form(f"respond-form-{f.id}"):
            st.markdown(f"**{t('finding.respond.title')}**")
            cause = st.text_area(
                t("finding.root_cause"),
                value=f.root_cause or "",
                max_chars=5000,
                key=f"cause-{f.id}",
            )
            fix = st.text_area(
                t("finding.correction"),
                value=f.correction or "",
                max_chars=5000,
                key=f"fix-{f.id}",
            )
            action = st.text_area(
                t("finding.corrective_action"),
                value=f.corrective_action or "",
                max_chars=5000,
                key=f"action-{f.id}",
            )
            done = st.checkbox(t("finding.respond.done"), key=f"done-{f.id}")
            if st.form_submit_button(
                t("finding.respond.submit"), type="primary", key=f"respond-{f.id}"
            ):
                _run(
                    findings.respond,
                    t("finding.respond.saved", ref=f.ref),
                    f,
                    actor=me,
                    root_cause=cause,
                    correction=fix,
                    corrective_action=action,
                    mark_done=done,
                )
    if not has_permission(me.role, Permission.FINDING_MANAGE):
        return
    if Status.VERIFIED in allowed:
        _verify_form(me, f)
    if Status.CLOSED in allowed:
        with st.form(f"close-{f.id}"):
            st.markdown(f"**{t('finding.close.title')}**")
            if f.grade not in NONCONFORMITIES and f.status != Status.VERIFIED:
                st.caption(t("finding.close.no_action"))
            note = st.text_input(t("finding.close.note"), max_chars=2000)
            if st.form_submit_button(t("finding.close.submit"), icon=":material/task_alt:"):
                _run(
                    findings.close,
                    t("finding.close.done", ref=f.ref),
                    f,
                    actor=me,
                    note=note or None,
                )
    if Status.OPEN in allowed:
        with st.form(f"reopen-{f.id}"):
            st.markdown(f"**{t('finding.reopen.title')}**")
            reason = st.text_input(t("finding.reopen.reason"), max_chars=2000)
            if st.form_submit_button(t("finding.reopen.submit"), icon=":material/undo:"):
                _run(
                    findings.reopen,
                    t("finding.reopen.done", ref=f.ref),
                    f,
                    actor=me,
                    reason=reason,
                )


def _verify_form(me: Principal, f: Finding) -> None:
    items = evidence.list_evidence(get_db(), me, f.assessment_id)
    labels = {i.sha256: f"{i.control_id} · {i.filename}" for i in items}
    with st.form(f"verify-{f.id}"):
        st.markdown(f"**{t('finding.verify.title')}**")
        note = st.text_area(t("finding.verify.note"), max_chars=5000)
        chosen = st.multiselect(
            t("finding.verify.evidence"),
            list(labels),
            format_func=lambda k: labels.get(k, k),
            help=t("finding.verify.evidence.help"),
        )
        if st.form_submit_button(t("finding.verify.submit"), icon=":material/verified:"):
            _run(
                findings.verify,
                t("finding.verify.done", ref=f.ref),
                f,
                actor=me,
                note=note,
                evidence=chosen,
            )


# --- raising ----------------------------------------------------------------------------------


def raise_form(
    me: Principal,
    assessment_id: str,
    scope_unit: str,
    controls: Mapping[str, str],
    owners: Mapping[str, str],
    units: Mapping[str, str],
) -> None:
    """The auditor's form: control, grade, statement, evidence seen, department, owner, due."""
    db = get_db()
    items = evidence.list_evidence(db, me, assessment_id)
    seen_labels = {i.sha256: f"{i.control_id} · {i.filename}" for i in items}
    grades = grade_labels()
    with st.form(f"raise-{assessment_id}", clear_on_submit=True):
        c1, c2 = st.columns(2)
        control = c1.selectbox(
            t("finding.col.control"), list(controls), format_func=lambda k: controls.get(k, k)
        )
        grade = c2.selectbox(
            t("finding.col.grade"), list(grades), format_func=lambda k: grades.get(k, k)
        )
        statement = st.text_area(t("finding.col.statement"), max_chars=4000)
        seen = st.multiselect(
            t("finding.evidence.seen"),
            list(seen_labels),
            format_func=lambda k: seen_labels.get(k, k),
        )
        c3, c4, c5 = st.columns(3)
        unit = c3.selectbox(
            t("finding.col.department"),
            list(units),
            index=list(units).index(scope_unit) if scope_unit in units else 0,
            format_func=lambda k: units.get(k, k),
        )
        owner = c4.selectbox(
            t("finding.col.owner"), list(owners), format_func=lambda k: owners.get(k, k)
        )
        due = c5.date_input(
            t("finding.col.due"), value=date.today() + timedelta(days=60), min_value=date.today()
        )
        if st.form_submit_button(t("finding.raise.submit"), type="primary", icon=":material/flag:"):
            try:
                created = findings.raise_finding(
                    db,
                    me,
                    assessment_id=assessment_id,
                    control_id=control or "",
                    grade=grade or "",
                    statement=statement,
                    owner=owner or "",
                    due_date=due if isinstance(due, date) else date.today(),
                    org_unit_code=unit,
                    evidence=seen,
                )
            except KansaError as exc:
                show_error(exc)
            else:
                flash(t("finding.raise.done", ref=created.ref))
                st.rerun()


def assessment_findings(
    me: Principal,
    assessment_id: str,
    names: Mapping[str, str],
    units: Mapping[str, str],
    *,
    raise_with: tuple[str, Mapping[str, str], Mapping[str, str]] | None = None,
) -> None:
    """The findings of one assessment, follow-ups from earlier audits, and (for auditors of
    an open assessment) the form to raise one. ``raise_with``: (scope unit, control labels,
    owner labels)."""
    db = get_db()
    today = date.today()
    st.subheader(t("finding.assessment.title"), anchor=False)
    raised = findings.list_findings(db, me, FindingFilter(assessment_id=assessment_id), today)
    if raised:
        frame, overdue = register_frame(raised, names, units, today)
        st.dataframe(
            styled_register(frame, overdue, [f.grade.value for f in raised]),
            hide_index=True,
            width="stretch",
        )
        st.page_link("pages/findings.py", label=t("nav.findings"), icon=":material/flag:")
    else:
        st.caption(t("finding.assessment.none"))
    if raise_with is not None:
        scope_unit, controls, owners = raise_with
        with st.expander(t("finding.raise.title"), icon=":material/flag:"):
            raise_form(me, assessment_id, scope_unit, controls, owners, units)
    earlier = findings.follow_up(db, me, assessment_id)
    if earlier:
        st.markdown(f"**{t('finding.follow_up.title')}**")
        st.caption(t("finding.follow_up.caption"))
        frame, overdue = register_frame(earlier, names, units, today)
        st.dataframe(
            styled_register(frame, overdue, [f.grade.value for f in earlier]),
            hide_index=True,
            width="stretch",
        )
