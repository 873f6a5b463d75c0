"""Rendering pieces of the self-inspection pages: choosing an assessment, its header, the
answer tables of the workspace and review, and the score tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd  # type: ignore[import-untyped]  # no stubs installed
import streamlit as st

from assessments.model import Answer, Assessment, DomainProgress, Response
from assessments.scoring import AssessmentScore
from controls.model import ControlRow
from core.errors import ValidationFailed
from ui.charts import RATING_COLOURS, RESULT_COLOURS
from ui.i18n import t
from ui.text import md_escape

ID_KEY = "assessment_id"  # the chosen assessment, shared by the four pages
FLASH_KEY = "assessment_flash"
KEY_MARK = "★"
DASH = "—"

# Columns of the answer editor; the labels come from i18n so edits are keyed the same in
# every language.
# Pixel widths of the editor's first columns (the browser test clicks cells by position).
ID_WIDTH, KEY_WIDTH, TITLE_WIDTH, LEVEL_WIDTH = 70, 45, 220, 135
ANSWER_FIELDS = ("documented", "implemented", "na_reason", "note")
EDITOR_COLUMNS = ("control_id", "key", "title", *ANSWER_FIELDS, "evidence", "review", "comment")


# --- which assessment ----------------------------------------------------------------------


def current_assessment_id() -> str | None:
    """The assessment asked for by ``?id=`` or chosen earlier in this session."""
    asked = st.query_params.get("id")
    if asked:
        st.session_state[ID_KEY] = asked
        return str(asked)
    kept = st.session_state.get(ID_KEY)
    return kept if isinstance(kept, str) and kept else None


def remember(assessment_id: str | None) -> None:
    """Keep the chosen assessment for the other pages, and in the URL so a link opens it."""
    if assessment_id:
        st.session_state[ID_KEY] = assessment_id
        if st.query_params.get("id") != assessment_id:
            st.query_params["id"] = assessment_id
    else:
        st.session_state.pop(ID_KEY, None)
        if "id" in st.query_params:
            del st.query_params["id"]


def _remember_choice(key: str) -> None:
    remember(st.session_state.get(key))


def assessment_label(a: Assessment, units: Mapping[str, str]) -> str:
    # No status here: it changes while the page is open, and a selectbox keeps showing the
    # label it was chosen with. The header under it shows the status.
    return f"{a.title} · {units.get(a.scope_unit, a.scope_unit)} · {period_text(a)}"


def pick_assessment(
    items: Sequence[Assessment], units: Mapping[str, str], *, key: str
) -> Assessment | None:
    """A selectbox of ``items`` showing the remembered assessment (none: a placeholder).

    A choice made elsewhere (a new campaign, a ``?id=`` link, another page) is put into the
    widget before it is drawn; a choice made here is remembered by its callback.
    """
    labels = {a.id: assessment_label(a, units) for a in items}
    current = current_assessment_id()
    if current not in labels:
        current = None
    if st.session_state.get(key) != current:
        st.session_state[key] = current
    picked = st.selectbox(
        t("assess.pick"),
        list(labels),
        index=None,
        format_func=labels.__getitem__,
        placeholder=t("assess.pick_placeholder"),
        key=key,
        on_change=_remember_choice,
        args=(key,),
    )
    if picked is None:
        return None
    remember(picked)
    return next(a for a in items if a.id == picked)


def choose_or_stop(
    items: Sequence[Assessment], units: Mapping[str, str], *, key: str
) -> Assessment:
    """The page's assessment among ``items``; without one, say how to choose and stop."""
    chosen = pick_assessment(items, units, key=key)
    if chosen is None:
        if not items:
            st.info(t("assess.none_visible"), icon=":material/info:")
        else:
            st.info(t("assess.choose_first"), icon=":material/arrow_upward:")
            st.page_link("pages/assessments.py", label=t("nav.assessments"), icon=":material/list:")
        st.stop()
        raise AssertionError  # unreachable: st.stop() ends the run
    return chosen


# --- labels and look-ups -------------------------------------------------------------------


def status_label(status: str) -> str:
    return t(f"status.{status}")


def period_text(a: Assessment) -> str:
    if not a.period_start and not a.period_end:
        return DASH
    return f"{a.period_start or ''} – {a.period_end or ''}"


def person(names: Mapping[str, str], username: str | None) -> str:
    return names.get(username, username) if username else DASH


def show_flash() -> None:
    """A success message left by the run that saved something (before its st.rerun)."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def flash(message: str) -> None:
    st.session_state[FLASH_KEY] = message


def issues_markdown(exc: ValidationFailed) -> str:
    """Every problem as a bullet, with its line when it came from a file."""
    lines = []
    for issue in exc.issues:
        # A file's problem says where (row and column); an answer's message names its control.
        where = (
            t("assess.issue_line", line=issue.line) + md_escape(issue.field) + ": "
            if issue.line
            else ""
        )
        lines.append(f"- {where}{md_escape(issue.message)}")
    return "\n".join(lines)


def header(
    a: Assessment,
    units: Mapping[str, str],
    catalogue_name: str,
    names: Mapping[str, str],
) -> None:
    """The assessment's title and what it is (scope, period, status, catalogue, team)."""
    st.subheader(md_escape(a.title), divider="gray")
    st.caption(
        t(
            "assess.caption",
            scope=md_escape(units.get(a.scope_unit, a.scope_unit)),
            period=md_escape(period_text(a)),
            status=status_label(a.status),
            catalogue=md_escape(catalogue_name),
            version=md_escape(a.catalogue_version),
            lead=md_escape(person(names, a.lead_auditor)),
        )
    )


def assessments_table(
    items: Sequence[Assessment],
    units: Mapping[str, str],
    catalogue: Mapping[str, str],
    names: Mapping[str, str],
) -> list[dict[str, str]]:
    return [
        {
            t("assessments.col.title"): a.title,
            t("assessments.col.status"): status_label(a.status),
            t("assessments.col.scope"): f"{a.scope_unit} · {units.get(a.scope_unit, '')}",
            t("assessments.col.period"): period_text(a),
            t("assessments.col.catalogue"): (
                f"{catalogue.get(a.catalogue_id, a.catalogue_urn)} "
                f"{t('catalogue.version', version=a.catalogue_version)}"
            ),
            t("assessments.col.lead"): person(names, a.lead_auditor),
        }
        for a in items
    ]


def progress_table(
    progress: Sequence[DomainProgress], names: Mapping[str, str]
) -> list[dict[str, Any]]:
    return [
        {
            "domain": f"{p.domain_id} · {names.get(p.domain_id, '')}",
            "answered": f"{p.answered} / {p.controls}",
            "share": round(100 * p.answered / p.controls) if p.controls else 100,
            "accepted": p.accepted,
            "returned": p.returned,
        }
        for p in progress
    ]


def progress_columns() -> dict[str, Any]:
    return {
        "domain": st.column_config.TextColumn(t("scores.col.domain"), width=320),
        "answered": st.column_config.TextColumn(t("workspace.progress.answered"), width=80),
        "share": st.column_config.ProgressColumn(
            t("workspace.progress"), min_value=0, max_value=100, format="%d%%", width=150
        ),
        "accepted": st.column_config.NumberColumn(t("review_state.accepted"), width=80),
        "returned": st.column_config.NumberColumn(t("review_state.returned"), width=80),
    }


def assessments_columns() -> dict[str, Any]:
    """Widths that keep title, status, scope and period in view on a laptop screen."""
    return {
        t("assessments.col.title"): st.column_config.TextColumn(width=300),
        t("assessments.col.status"): st.column_config.TextColumn(width=95),
        t("assessments.col.scope"): st.column_config.TextColumn(width=200),
        t("assessments.col.period"): st.column_config.TextColumn(width=175),
        t("assessments.col.catalogue"): st.column_config.TextColumn(width=240),
        t("assessments.col.lead"): st.column_config.TextColumn(width=110),
    }


# --- answers -------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value).strip() or None


def _level(value: Any) -> Any:
    """A 0-5 cell as the service expects it: int, None, or what was typed (it says why not)."""
    if value is None or pd.isna(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    try:
        return int(value) if float(value).is_integer() else value
    except (TypeError, ValueError):
        return value


def review_text(r: Response | None) -> str:
    return t(f"review_state.{r.review_state.value}") if r else t("workspace.unanswered")


def answer_rows(
    controls: Sequence[ControlRow],
    responses: Mapping[str, Response],
    lang: str,
    evidence: Mapping[str, int] | None = None,
) -> list[dict[str, Any]]:
    """One plain row per control: what the editor shows (kept as the version first shown).

    ``evidence``: how many pieces of evidence back each control."""
    rows = []
    for c in controls:
        r = responses.get(c.control_id)
        rows.append(
            {
                "control_id": c.control_id,
                "key": KEY_MARK if c.is_key else "",
                "title": c.title(lang),
                "documented": r.documented if r else None,
                "implemented": r.implemented if r else None,
                "na_reason": (r.na_reason or "") if r else "",
                "note": (r.note or "") if r else "",
                "evidence": (evidence or {}).get(c.control_id, 0),
                "review": review_text(r),
                "comment": (r.review_comment or "") if r else "",
            }
        )
    return rows


def answer_frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The rows with fixed column types, so the editor keeps its edits across reruns."""
    frame = pd.DataFrame(list(rows), columns=list(EDITOR_COLUMNS))
    for name in ("documented", "implemented", "evidence"):
        frame[name] = pd.array(frame[name].tolist(), dtype="Int64")
    for name in ("control_id", "key", "title", "na_reason", "note", "review", "comment"):
        frame[name] = frame[name].fillna("").astype(str)
    return frame


def answer_columns(editable: bool) -> dict[str, Any]:
    level = t("workspace.help.level")
    return {
        "control_id": st.column_config.TextColumn(
            t("workspace.col.id"), width=ID_WIDTH, disabled=True
        ),
        "key": st.column_config.TextColumn(
            t("workspace.col.key"), width=KEY_WIDTH, disabled=True, help=t("catalogue.detail.key")
        ),
        "title": st.column_config.TextColumn(
            t("workspace.col.title"), width=TITLE_WIDTH, disabled=True
        ),
        "documented": _level_column("documented", level, editable),
        "implemented": _level_column("implemented", level, editable),
        "na_reason": st.column_config.TextColumn(
            t("workspace.col.na_reason"),
            width=160,
            max_chars=5000,
            help=t("workspace.help.na_reason"),
            disabled=not editable,
        ),
        "note": st.column_config.TextColumn(
            t("workspace.col.note"), width=180, max_chars=5000, disabled=not editable
        ),
        "evidence": st.column_config.NumberColumn(
            t("workspace.col.evidence"),
            width=80,
            format="%d",
            disabled=True,
            help=t("workspace.help.evidence"),
        ),
        "review": st.column_config.TextColumn(t("workspace.col.review"), width=100, disabled=True),
        "comment": st.column_config.TextColumn(
            t("workspace.col.comment"), width=170, disabled=True
        ),
    }


def changed_answers(before: Sequence[Mapping[str, Any]], after: pd.DataFrame) -> list[Answer]:
    """The answers whose D, I, N/A reason or note differ from the rows first shown."""
    changed = []
    for old, (_, new) in zip(before, after.iterrows(), strict=True):
        was = (
            _level(old["documented"]),
            _level(old["implemented"]),
            _text(old["na_reason"]),
            _text(old["note"]),
        )
        now = (
            _level(new["documented"]),
            _level(new["implemented"]),
            _text(new["na_reason"]),
            _text(new["note"]),
        )
        if was != now:
            changed.append(Answer(str(old["control_id"]), *now))
    return changed


def answer_text(r: Response) -> str:
    if r.na_reason:
        return t("assess.answer_na", reason=r.na_reason)
    return t("assess.answer_levels", documented=r.documented, implemented=r.implemented)


def review_columns() -> dict[str, Any]:
    return {
        t("workspace.col.id"): st.column_config.TextColumn(width=70),
        t("workspace.col.title"): st.column_config.TextColumn(width=240),
        t("review.col.answer"): st.column_config.TextColumn(width=210),
        t("workspace.col.note"): st.column_config.TextColumn(width=160),
        t("review.col.answered_by"): st.column_config.TextColumn(width=210),
        t("workspace.col.review"): st.column_config.TextColumn(width=100),
        t("workspace.col.comment"): st.column_config.TextColumn(width=200),
    }


def review_table(
    responses: Sequence[Response], titles: Mapping[str, str], names: Mapping[str, str]
) -> list[dict[str, str]]:
    return [
        {
            t("workspace.col.id"): r.control_id,
            t("workspace.col.title"): titles.get(r.control_id, ""),
            t("review.col.answer"): answer_text(r),
            t("workspace.col.note"): r.note or "",
            t("review.col.answered_by"): f"{person(names, r.answered_by)} · {r.answered_at}",
            t("workspace.col.review"): review_text(r),
            t("workspace.col.comment"): r.review_comment or "",
        }
        for r in responses
    ]


# --- scores --------------------------------------------------------------------------------


def fmt_score(value: float | None) -> str:
    return DASH if value is None else f"{value:.1f}"


def fmt_percent(value: float | None) -> str:
    return DASH if value is None else f"{value:.0%}"


def fmt_delta(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f}"


def domain_table(
    score: AssessmentScore, trend: Mapping[str, Any], names: Mapping[str, str]
) -> tuple[pd.DataFrame, list[str | None]]:
    """The per-domain figures, and each row's rating key (for the colour)."""
    rows = []
    ratings: list[str | None] = []
    for d in score.domains.values():
        ratings.append(d.rating.value if d.rating else None)
        rows.append(
            {
                t("scores.col.domain"): f"{d.domain_id} · {names.get(d.domain_id, '')}",
                t("scores.col.score"): fmt_score(d.score),
                t("scores.col.trend"): fmt_delta(trend["domains"].get(d.domain_id)),
                t("scores.col.level"): DASH if d.level is None else str(d.level),
                t("scores.col.coverage"): fmt_percent(d.coverage),
                t("scores.col.rating"): t(f"rating.{d.rating.value}") if d.rating else DASH,
            }
        )
    return pd.DataFrame(rows), ratings


def previous_scores(score: AssessmentScore, trend: Mapping[str, Any]) -> list[float | None]:
    """The previous assessment's domain scores, recovered from this one and the trend."""
    return [
        None if d.score is None or (change := trend["domains"].get(k)) is None else d.score - change
        for k, d in score.domains.items()
    ]


def control_table(
    score: AssessmentScore, controls: Mapping[str, ControlRow], lang: str
) -> tuple[pd.DataFrame, list[str]]:
    rows = []
    results: list[str] = []
    for c in score.controls.values():
        row = controls.get(c.control_id)
        results.append(c.result.value)
        rows.append(
            {
                t("workspace.col.id"): c.control_id,
                t("workspace.col.key"): KEY_MARK if row and row.is_key else "",
                t("workspace.col.title"): row.title(lang) if row else "",
                t("scores.col.score"): fmt_score(c.score),
                t("scores.col.result"): t(f"result.{c.result.value}"),
            }
        )
    return pd.DataFrame(rows), results


def result_counts(score: AssessmentScore) -> dict[str, int]:
    counts = dict.fromkeys(RESULT_COLOURS, 0)
    for c in score.controls.values():
        counts[c.result.value] += 1
    return counts


def results_table(counts: Mapping[str, int], labels: Mapping[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("scores.col.result"): [labels.get(k, k) for k in counts],
            t("scores.col.count"): list(counts.values()),
        }
    )


def coloured(frame: pd.DataFrame, column: str, keys: Sequence[str | None]) -> Any:
    """``frame`` styled so ``column`` carries the red/amber/green (or result) colour too."""
    palette = {**RESULT_COLOURS, **RATING_COLOURS}

    def styles(data: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame("", index=data.index, columns=data.columns)
        for i, k in enumerate(keys):
            if k in palette:
                out.iloc[i, data.columns.get_loc(column)] = (
                    f"background-color: {palette[k]}; color: #000000"
                )
        return out

    return frame.style.apply(styles, axis=None)


def _level_column(axis: str, levels: str, editable: bool) -> Any:
    """A 0-5 whole-number column for one maturity axis (documented or implemented)."""
    return st.column_config.NumberColumn(
        t(f"workspace.col.{axis}"),
        min_value=0,
        max_value=5,
        step=1,
        format="%d",
        width=LEVEL_WIDTH,
        help=t(f"workspace.help.{axis}") + " " + levels,
        disabled=not editable,
    )
