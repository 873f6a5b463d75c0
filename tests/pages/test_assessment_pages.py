"""The self-inspection pages (AppTest): campaigns, answer workspace, review and scores.

Each test plans its own assessment of the Customer Support Centre (CSC) in the shared demo
database, so tests do not see each other's answers. The demo auditee (s.okamoto) works in CSC;
the demo auditor (a.miyoshi) works in the Internal Audit Office, so independence holds.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from assessments import service
from assessments.model import Answer, Assessment, ReviewState, Status
from storage.db import Database
from storage.migrate import open_shared
from tests.conftest import OPERATOR, DemoData
from ui.charts import RESULT_COLOURS, domain_radar, result_bars
from ui.i18n import strings

APPI = "urn:kansa:catalogue:appi-security-measures"
_numbers = itertools.count(1)


@pytest.fixture
def db(demo_data: DemoData) -> Database:
    return open_shared(demo_data.db_path)


def _plan(db: Database, **overrides: Any) -> Assessment:
    fields: dict[str, Any] = {
        "title": f"AppTest inspection {next(_numbers)}",
        "catalogue_urn": APPI,
        "scope_unit": "CSC",
        "lead_auditor": "a.miyoshi",
        "auditees": ["s.okamoto"],
        **overrides,
    }
    return service.create_assessment(db, OPERATOR, **fields)


def _open(
    make_app: Callable[..., AppTest],
    page: str,
    *,
    role: str = "auditee",
    lang: str = "en",
    assessment: Assessment | None = None,
    via_url: bool = False,
) -> AppTest:
    at = make_app(lang, role)
    if assessment is not None and via_url:
        at.query_params["id"] = assessment.id  # as a shared link would
    elif assessment is not None:
        at.session_state["assessment_id"] = assessment.id
    at.switch_page(page)  # url paths are the file names, so no first run is needed
    at.run()
    assert not at.exception, at.exception
    return at


def _answer_all(db: Database, a: Assessment) -> None:
    """Answer every control (D 3, I 3): enough to close."""
    controls = service.score(db, OPERATOR, a.id).score.controls
    service.save_answers(db, OPERATOR, a.id, [(Answer(c, 3, 3), None) for c in controls])


def _editor_key(at: AppTest, domain: str) -> str:
    keys = [e.key for e in at.data_editor if e.key and e.key.startswith(f"answers-{domain}-")]
    assert len(keys) == 1, [e.key for e in at.data_editor]
    return keys[0]


def _edit(at: AppTest, domain: str, rows: dict[int, dict[str, Any]]) -> AppTest:
    """Type into the domain's data editor (through its session state) and press Save."""
    at.session_state[_editor_key(at, domain)] = {
        "edited_rows": rows,
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key=f"save-{domain}").click().run()
    assert not at.exception, at.exception
    return at


def _texts(elements: Any) -> str:
    """The elements' text as a reader sees it (Markdown escapes removed)."""
    return re.sub(r"\\(.)", r"\1", "\n".join(str(e.value) for e in elements))


def _selectbox(at: AppTest, label: str) -> Any:
    return next(b for b in at.selectbox if b.label == label)


def _response(db: Database, a: Assessment, control_id: str) -> Any:
    return next(
        (r for r in service.list_responses(db, OPERATOR, a.id) if r.control_id == control_id),
        None,
    )


# --- campaigns ------------------------------------------------------------------------------


def test_campaign_list_filters_and_opens(make_app: Callable[..., AppTest], db: Database) -> None:
    a = _plan(db)
    s = strings("en")
    at = _open(make_app, "pages/assessments.py", role="auditor")
    assert at.title[0].value == s["assessments.title"]
    table = at.dataframe[0].value
    assert a.title in list(table[s["assessments.col.title"]])
    at.selectbox(key="assessments_status").set_value("planned").run()
    statuses = set(at.dataframe[0].value[s["assessments.col.status"]])
    assert statuses == {s["status.planned"]}
    _selectbox(at, s["assess.pick"]).set_value(a.id).run()
    assert not at.exception
    assert at.session_state["assessment_id"] == a.id
    assert at.query_params["id"] == a.id


def test_auditor_plans_a_campaign(make_app: Callable[..., AppTest], db: Database) -> None:
    s = strings("ja")
    at = _open(make_app, "pages/assessments.py", role="auditor", lang="ja")
    title = f"画面から作成した自己点検 {next(_numbers)}"
    at.text_input[0].input(title)
    _selectbox(at, s["assessments.new.scope"]).set_value("CSC")
    next(m for m in at.multiselect if m.label == s["assessments.new.auditees"]).set_value(
        ["s.okamoto"]
    )
    next(b for b in at.button if b.label == s["assessments.new.submit"]).click().run()
    assert not at.exception, at.exception
    assert s["assessments.new.created"].format(title=title) in _texts(at.success)
    created = [x for x in service.list_assessments(db, OPERATOR) if x.title == title]
    assert len(created) == 1
    assert created[0].lead_auditor == "a.miyoshi"  # the signed-in auditor, by default
    assert created[0].auditees == ("s.okamoto",)
    assert at.session_state["assessment_id"] == created[0].id


def test_independence_refusal_is_shown(make_app: Callable[..., AppTest], db: Database) -> None:
    s = strings("en")
    before = len(service.list_assessments(db, OPERATOR))
    at = _open(make_app, "pages/assessments.py", role="auditor")
    at.text_input[0].input("Audit of my own office")
    _selectbox(at, s["assessments.new.scope"]).set_value("IAD")
    next(b for b in at.button if b.label == s["assessments.new.submit"]).click().run()
    assert not at.exception
    errors = _texts(at.error)
    assert "IAD" in errors
    assert "own department" in errors
    assert len(service.list_assessments(db, OPERATOR)) == before


# --- answer workspace -----------------------------------------------------------------------


def test_page_without_a_chosen_assessment_says_choose(make_app: Callable[..., AppTest]) -> None:
    at = _open(make_app, "pages/workspace.py", lang="ja")
    assert strings("ja")["assess.choose_first"] in _texts(at.info)
    assert not at.data_editor


def test_auditee_cannot_open_another_departments_assessment(
    make_app: Callable[..., AppTest], db: Database
) -> None:
    other = _plan(db, scope_unit="GAD", auditees=[])
    at = _open(make_app, "pages/workspace.py", assessment=other, via_url=True)
    assert strings("en")["assess.choose_first"] in _texts(at.info)
    assert other.title not in _texts(at.subheader)
    assert not at.data_editor


def test_auditee_answers_and_saves(make_app: Callable[..., AppTest], db: Database) -> None:
    a = _plan(db)
    s = strings("ja")
    at = _open(make_app, "pages/workspace.py", lang="ja", assessment=a)
    assert len(at.data_editor) == len(service.progress(db, OPERATOR, a.id))
    _edit(at, "POL", {0: {"documented": 3, "implemented": 2, "note": "規程あり"}})
    assert s["workspace.saved"].format(count=1, domain="POL") in _texts(at.success)
    saved = _response(db, a, "POL-01")
    assert (saved.documented, saved.implemented, saved.note) == (3, 2, "規程あり")
    assert saved.answered_by == "s.okamoto"
    assert service.get_assessment(db, OPERATOR, a.id).status == Status.IN_PROGRESS
    # The editor now starts from the stored answer.
    row = at.data_editor(key=_editor_key(at, "POL")).value.iloc[0]
    assert (row["documented"], row["implemented"]) == (3, 2)


def test_not_applicable_needs_a_reason(make_app: Callable[..., AppTest], db: Database) -> None:
    a = _plan(db)
    at = _open(make_app, "pages/workspace.py", assessment=a)
    _edit(at, "PHY", {0: {"na_reason": "Fully remote: no office"}})
    stored = _response(db, a, "PHY-01")
    assert stored.na_reason == "Fully remote: no office"
    assert stored.documented is None


def test_out_of_range_value_is_refused(make_app: Callable[..., AppTest], db: Database) -> None:
    a = _plan(db)
    s = strings("en")
    at = _open(make_app, "pages/workspace.py", assessment=a)
    _edit(at, "ORG", {0: {"documented": 7, "implemented": 2}, 1: {"documented": 1}})
    errors = _texts(at.error)
    assert s["workspace.invalid"] in errors
    assert "documented must be a whole number 0-5" in errors
    assert "ORG-02" in errors  # every problem is listed, not only the first
    assert service.list_responses(db, OPERATOR, a.id) == []  # all or nothing
    assert not at.success


def test_conflict_shows_the_other_answer(make_app: Callable[..., AppTest], db: Database) -> None:
    a = _plan(db)
    s = strings("en")
    at = _open(make_app, "pages/workspace.py", assessment=a)  # POL-01 shown unanswered
    service.save_answers(
        db, OPERATOR, a.id, [(Answer("POL-01", 4, 4, note="by the auditor"), None)]
    )
    _edit(at, "POL", {0: {"documented": 1, "implemented": 1}})
    errors = _texts(at.error)
    assert s["workspace.conflict"].split("{detail}")[0] in errors
    assert "D=4, I=4" in errors
    assert "by the auditor" in errors
    stored = _response(db, a, "POL-01")
    assert (stored.documented, stored.implemented) == (4, 4)  # nothing overwritten

    # A stale version of an answered row conflicts too, and "Discard" shows the latest.
    at.button(key="discard-POL").click().run()
    assert not at.exception
    assert s["workspace.conflict"].split("{detail}")[0] not in _texts(at.error)
    row = at.data_editor(key=_editor_key(at, "POL")).value.iloc[0]
    assert (row["documented"], row["implemented"]) == (4, 4)
    service.save_answers(db, OPERATOR, a.id, [(Answer("POL-01", 5, 5), stored.version)])
    _edit(at, "POL", {0: {"note": "checked"}})
    assert "D=5, I=5" in _texts(at.error)
    assert _response(db, a, "POL-01").note is None


def test_import_errors_are_listed_by_row(make_app: Callable[..., AppTest], db: Database) -> None:
    a = _plan(db)
    s = strings("ja")
    at = _open(make_app, "pages/workspace.py", lang="ja", assessment=a)
    header = b"control_id,documented,implemented,na_reason,note\n"
    bad = header + b"POL-01,3,2,,\nNOPE-9,1,1,,\nPOL-02,9,1,,\n"
    upload = next(u for u in at.file_uploader if u.label == s["workspace.import.file"])
    upload.set_value(("answers.csv", bad, "text/csv")).run()
    at.button(key="import_submit").click().run()
    assert not at.exception, at.exception
    errors = _texts(at.error)
    assert s["workspace.import.failed"] in errors
    assert s["assess.issue_line"].format(line=3) in errors
    assert s["assess.issue_line"].format(line=4) in errors
    assert service.list_responses(db, OPERATOR, a.id) == []

    good = header + b"POL-01,3,2,,\nPOL-02,4,4,,ok\n"
    upload = next(u for u in at.file_uploader if u.label == s["workspace.import.file"])
    upload.set_value(("answers.csv", good, "text/csv")).run()
    at.button(key="import_submit").click().run()
    assert s["workspace.import.done"].format(count=2, file="answers.csv") in _texts(at.success)
    assert len(service.list_responses(db, OPERATOR, a.id)) == 2


@pytest.mark.parametrize("role", ["executive", "supervisor"])
def test_readers_see_answers_read_only(
    make_app: Callable[..., AppTest], db: Database, role: str
) -> None:
    a = _plan(db)
    at = _open(make_app, "pages/workspace.py", role=role, assessment=a)
    assert strings("en")["workspace.read_only.role"] in _texts(at.info)
    assert not at.data_editor
    assert not [b for b in at.button if b.key and b.key.startswith("save-")]


def test_closed_assessment_is_read_only(make_app: Callable[..., AppTest], db: Database) -> None:
    a = _plan(db)
    _answer_all(db, a)
    service.close_assessment(db, OPERATOR, a.id)
    s = strings("ja")
    at = _open(make_app, "pages/workspace.py", lang="ja", assessment=a)
    assert s["workspace.read_only.closed"] in _texts(at.info)
    assert not at.data_editor
    assert len(at.dataframe) > 1  # the answers are still there to read
    assert not [b for b in at.button if b.key and b.key.startswith("save-")]
    assert not at.file_uploader


# --- review ---------------------------------------------------------------------------------


def test_review_accepts_and_returns(make_app: Callable[..., AppTest], db: Database) -> None:
    a = _plan(db)
    service.save_answers(
        db, OPERATOR, a.id, [(Answer("POL-01", 3, 3), None), (Answer("POL-02", 1, 0), None)]
    )
    s = strings("en")
    at = _open(make_app, "pages/review.py", role="auditor", assessment=a)
    assert s["review.pending"].format(count=2) in _texts(at.subheader)
    select = at.selectbox(key=f"review_control_{a.id}")
    select.set_value("POL-01").run()
    next(b for b in at.button if b.label == s["review.accept"]).click().run()
    assert s["review.accepted"].format(control="POL-01") in _texts(at.success)
    assert _response(db, a, "POL-01").review_state == ReviewState.ACCEPTED

    # Returning needs a comment.
    at.selectbox(key=f"review_control_{a.id}").set_value("POL-02").run()
    next(b for b in at.button if b.label == s["review.return"]).click().run()
    assert s["review.comment_needed"] in _texts(at.error)
    assert _response(db, a, "POL-02").review_state == ReviewState.PENDING
    at.text_area(key="review_comment_POL-02").input("No evidence of the rules being applied.")
    next(b for b in at.button if b.label == s["review.return"]).click().run()
    assert not at.exception
    returned = _response(db, a, "POL-02")
    assert returned.review_state == ReviewState.RETURNED
    assert returned.review_comment == "No evidence of the rules being applied."
    assert s["review.none_pending"] in _texts(at.info)


def test_submit_then_close_is_refused_until_complete(
    make_app: Callable[..., AppTest], db: Database
) -> None:
    a = _plan(db)
    s = strings("en")
    at = _open(make_app, "pages/review.py", role="auditor", assessment=a)
    at.button(key="review_submit").click().run()
    assert s["review.submitted"].format(title=a.title) in _texts(at.success)
    assert service.get_assessment(db, OPERATOR, a.id).status == Status.IN_REVIEW
    at.button(key="review_close").click().run()
    errors = _texts(at.error)
    assert s["review.close_refused"].split("{detail}")[0] in errors
    assert "coverage is 0%" in errors
    assert service.get_assessment(db, OPERATOR, a.id).status == Status.IN_REVIEW

    _answer_all(db, a)
    at.button(key="review_close").click().run()
    assert s["review.closed"].format(title=a.title) in _texts(at.success)
    assert service.get_assessment(db, OPERATOR, a.id).status == Status.CLOSED


# --- scores ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_scores_show_metrics_tables_and_formula(
    make_app: Callable[..., AppTest], db: Database, lang: str
) -> None:
    a = _plan(db)
    service.save_answers(
        db, OPERATOR, a.id, [(Answer("POL-01", 4, 3), None), (Answer("POL-02", 3, 2), None)]
    )
    expected = service.score(db, OPERATOR, a.id)
    s = strings(lang)
    at = _open(make_app, "pages/scores.py", role="executive", lang=lang, assessment=a)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[s["scores.overall"]] == f"{expected.score.overall_score:.1f}"
    assert metrics[s["scores.level"]] == s["scores.level_value"].format(level=0)
    assert metrics[s["scores.coverage"]] == f"{expected.score.overall_coverage:.0%}"
    domains = at.dataframe[0].value
    assert list(domains.columns)[-1] == s["scores.col.rating"]
    pol = domains[domains[s["scores.col.domain"]].str.startswith("POL")].iloc[0]
    assert pol[s["scores.col.score"]] == "60.0"  # both key controls: (2x70 + 2x50) / 4
    assert pol[s["scores.col.rating"]] == s["rating.amber"]
    # the every-control table (findings and follow-ups come before it when there are any)
    controls = next(
        d.value for d in at.dataframe if s["workspace.col.key"] in getattr(d.value, "columns", [])
    )
    assert len(controls) == len(expected.score.controls)
    assert s["result.conformant"] in set(controls[s["scores.col.result"]])
    assert at.expander[0].label == s["scores.how"]
    assert "10 × (D + I)" in _texts(at.markdown)


def test_scores_trend_against_previous_closed(
    make_app: Callable[..., AppTest], db: Database
) -> None:
    a = _plan(db, period_start="2099-01-01")
    view = service.score(db, OPERATOR, a.id)
    assert view.previous_id is not None  # the demo history closed CSC campaigns before
    at = _open(make_app, "pages/scores.py", assessment=a, via_url=True)
    assert a.title in _texts(at.subheader)
    overall = next(m for m in at.metric if m.label == strings("en")["scores.overall"])
    assert overall.delta == f"{view.trend['overall']:+.1f}"


# --- charts (plain data in, figure out) -------------------------------------------------------


def test_radar_closes_the_shape_and_keeps_gaps() -> None:
    fig = domain_radar(
        ["ORG Organizational", "HUM Human", "PHY"],
        [61.4, 55.0, None],
        title="t",
        name="now",
        previous=[50.0, None, None],
        previous_name="before",
    )
    previous, current = fig.data
    assert list(current.r) == [61.4, 55.0, None, 61.4]
    assert current.theta[0] == current.theta[-1]
    assert list(previous.r) == [50.0, None, None, 50.0]
    assert fig.layout.polar.radialaxis.range == (0, 100)


def test_result_bars_use_the_result_colours() -> None:
    counts = {"conformant": 3, "partially_conformant": 2, "nonconformant": 1, "not_assessed": 0}
    labels = {"conformant": "適合", "nonconformant": "不適合"}
    fig = result_bars(counts, labels, title="t", axis_title="n")
    bar = fig.data[0]
    assert list(bar.x) == [3, 2, 1, 0]
    assert bar.y[0] == "適合"
    assert list(bar.marker.color) == [RESULT_COLOURS[k] for k in counts]
