"""Findings through the pages (AppTest): raise while reviewing, respond as the owner, verify
and close as the auditor, the register's filters, and a stale form refused."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from assessments import service as assessments
from assessments.model import Assessment
from core.settings import Settings
from evidence import service as evidence
from evidence.store import EvidenceStore
from findings import service as findings
from findings.model import Finding, FindingFilter, Status
from storage.db import Database
from storage.migrate import open_shared
from tests.conftest import OPERATOR, DemoData
from ui.i18n import strings

APPI = "urn:kansa:catalogue:appi-security-measures"
_numbers = itertools.count(1)
EN = strings("en")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def db(demo_data: DemoData) -> Database:
    return open_shared(demo_data.db_path)


@pytest.fixture
def store(demo_data: DemoData) -> EvidenceStore:
    return EvidenceStore.from_settings(Settings(data_dir=demo_data.data_dir))


def _plan(db: Database) -> Assessment:
    return assessments.create_assessment(
        db,
        OPERATOR,
        title=f"Findings AppTest {next(_numbers)}",
        catalogue_urn=APPI,
        scope_unit="CSC",
        lead_auditor="a.miyoshi",
        auditees=["s.okamoto"],
    )


def _raise(db: Database, a: Assessment, grade: str = "minor", due: int = 30) -> Finding:
    return findings.raise_finding(
        db,
        OPERATOR,
        assessment_id=a.id,
        control_id="ORG-03",
        grade=grade,
        statement=f"台帳の更新が遅れている {next(_numbers)}",
        owner="s.okamoto",
        due_date=date.today() + timedelta(days=due),
    )


def _texts(elements: Any) -> str:
    return re.sub(r"\\(.)", r"\1", "\n".join(str(e.value) for e in elements))


def _by_label(elements: Any, label: str) -> Any:
    return next(e for e in elements if e.label == label)


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def _detail(make_app: Callable[..., AppTest], role: str, f: Finding) -> AppTest:
    at = make_app("en", role)
    at.query_params["ref"] = f.ref
    at.switch_page("pages/findings.py")
    return _run(at)


def test_auditor_raises_a_finding_while_reviewing(
    make_app: Callable[..., AppTest], db: Database
) -> None:
    a = _plan(db)
    at = make_app("en", "auditor")
    at.session_state["assessment_id"] = a.id
    at.switch_page("pages/review.py")
    _run(at)
    assert EN["finding.assessment.none"] in _texts(at.caption)
    _by_label(at.selectbox, EN["finding.col.control"]).set_value("ORG-03")
    _by_label(at.selectbox, EN["finding.col.grade"]).set_value("major")
    _by_label(at.text_area, EN["finding.col.statement"]).input("<b>台帳</b> が 2025年から未更新")
    _by_label(at.selectbox, EN["finding.col.owner"]).set_value("s.okamoto")
    _by_label(at.button, EN["finding.raise.submit"]).click()
    _run(at)
    [raised] = findings.list_findings(db, OPERATOR, FindingFilter(assessment_id=a.id))
    assert (raised.grade.value, raised.control_id, raised.owner) == ("major", "ORG-03", "s.okamoto")
    assert raised.statement == "<b>台帳</b> が 2025年から未更新"
    assert EN["finding.raise.done"].format(ref=raised.ref) in _texts(at.success)
    # the register of this assessment now lists it, and ORG is red on the scores
    assert raised.ref in set(at.dataframe[0].value[EN["finding.col.ref"]])
    rating = assessments.score(db, OPERATOR, a.id).score.domains["ORG"].rating
    assert rating is not None
    assert rating.value == "red"


def test_owner_responds_then_auditor_verifies_and_closes(
    make_app: Callable[..., AppTest], db: Database, store: EvidenceStore
) -> None:
    a = _plan(db)
    f = _raise(db, a)
    at = make_app("en", "auditee")
    at.switch_page("pages/my_actions.py")
    _run(at)
    assert any(f.ref in e.label for e in at.expander)
    mine = f.id  # several of the owner's findings are open on this page
    at.text_area(key=f"cause-{mine}").input("更新手順が決まっていなかった")
    at.text_area(key=f"action-{mine}").input("月次で台帳を見直す")
    at.checkbox(key=f"done-{mine}").check()
    at.button(key=f"respond-{mine}").click()
    _run(at)
    done = findings.get_finding(db, OPERATOR, f.id)
    assert done.status == Status.ACTION_DONE
    assert done.corrective_action == "月次で台帳を見直す"

    proof = evidence.add_evidence(
        db,
        OPERATOR,
        store,
        assessment_id=a.id,
        control_id="ORG-03",
        filename="ledger-review.pdf",
        stream=io.BytesIO(PDF + f.ref.encode()),
    )
    at = _detail(make_app, "auditor", f)
    _by_label(at.text_area, EN["finding.verify.note"]).input("11月分の見直し記録を確認")
    _by_label(at.multiselect, EN["finding.verify.evidence"]).select(proof.sha256)
    _by_label(at.button, EN["finding.verify.submit"]).click()
    _run(at)
    assert findings.get_finding(db, OPERATOR, f.id).status == Status.VERIFIED
    _by_label(at.button, EN["finding.close.submit"]).click()
    _run(at)
    assert findings.get_finding(db, OPERATOR, f.id).status == Status.CLOSED
    assert EN["finding.close.done"].format(ref=f.ref) in _texts(at.success)


def test_a_stale_form_does_not_overwrite(make_app: Callable[..., AppTest], db: Database) -> None:
    a = _plan(db)
    f = _raise(db, a)
    at = _detail(make_app, "auditee", f)
    # meanwhile the owner answers from another browser
    findings.respond(
        db,
        OPERATOR,
        f.id,
        version=f.version,
        root_cause="別の画面からの回答",
        correction=None,
        corrective_action="手順書を改訂する",
    )
    _by_label(at.text_area, EN["finding.root_cause"]).input("古い画面からの回答")
    _by_label(at.text_area, EN["finding.corrective_action"]).input("教育を実施する")
    _by_label(at.button, EN["finding.respond.submit"]).click()
    _run(at)
    assert EN["finding.conflict"].split("{")[0] in _texts(at.error)
    assert findings.get_finding(db, OPERATOR, f.id).root_cause == "別の画面からの回答"
    # what was typed is still in the form; saving again (now knowingly) goes through
    assert at.text_area(key=f"cause-{f.id}").value == "古い画面からの回答"
    _by_label(at.button, EN["finding.respond.submit"]).click()
    _run(at)
    assert findings.get_finding(db, OPERATOR, f.id).root_cause == "古い画面からの回答"


def test_reopen_needs_a_reason(make_app: Callable[..., AppTest], db: Database) -> None:
    a = _plan(db)
    f = _raise(db, a, grade="observation")
    f = findings.close(db, OPERATOR, f.id, version=f.version)
    at = _detail(make_app, "auditor", f)
    _by_label(at.button, EN["finding.reopen.submit"]).click()
    _run(at)
    assert "reason" in _texts(at.error)
    assert findings.get_finding(db, OPERATOR, f.id).status == Status.CLOSED


def test_register_filters_overdue_and_grade(make_app: Callable[..., AppTest], db: Database) -> None:
    at = make_app("en", "executive")
    at.switch_page("pages/findings.py")
    _run(at)
    everything = findings.list_findings(db, OPERATOR, FindingFilter())
    assert len(at.dataframe[0].value) == len(everything)
    at.checkbox(key="f_overdue").check()
    _run(at)
    overdue = findings.list_findings(db, OPERATOR, FindingFilter(overdue_only=True))
    assert overdue, "the demo has overdue findings"
    shown = at.dataframe[0].value
    assert set(shown[EN["finding.col.ref"]]) == {f.ref for f in overdue}
    assert all(EN["finding.overdue"] in d for d in shown[EN["finding.col.due"]])
    at.checkbox(key="f_overdue").uncheck()
    at.multiselect(key="f_grades").select("major")
    _run(at)
    assert set(at.dataframe[0].value[EN["finding.col.grade"]]) == {EN["finding.grade.major"]}
    # an executive reads but is offered no action
    assert not any(b.label == EN["finding.close.submit"] for b in at.button)
