"""User text shown in the UI: Markdown, HTML, <script>, right-to-left text and emoji in a finding
statement, an evidence description and an answer note render as the characters typed (through
``md_escape``) with no exception; a megabyte statement is refused with a message."""

from __future__ import annotations

import io
import itertools
import string
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from streamlit.testing.v1 import AppTest

from assessments import service as assessments
from assessments.model import Answer
from auth import service as auth_service
from auth.secret import load_or_create_secret
from core.errors import ValidationFailed
from core.settings import Settings
from evidence import service as evidence
from evidence.store import EvidenceStore
from findings import service as findings
from storage.db import Database
from storage.migrate import open_shared
from tests.conftest import OPERATOR, ROOT
from tests.hostile.cases import MARKUP, SAMPLES, bounded, hostile_text, huge
from tests.hostile.conftest import Company, Tally
from ui.routing import disable_legacy_pages_folder
from ui.text import md_escape

KIND = "UI text"
APPI = "urn:kansa:catalogue:appi-security-measures"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
# Everything at once, within the services' length limits (statements: 4,000 characters).
HOSTILE = " ".join(s for s in SAMPLES if "\x00" not in s)
_numbers = itertools.count(1)


# -- md_escape ---------------------------------------------------------------------------------


def _unescaped_punctuation(markdown: str) -> list[str]:
    """ASCII punctuation in ``markdown`` that no backslash escapes (each could start syntax)."""
    found, i = [], 0
    while i < len(markdown):
        if markdown[i] == "\\":
            i += 2
            continue
        if markdown[i] in string.punctuation:
            found.append(markdown[i])
        i += 1
    return found


def _shown(markdown: str) -> str:
    """What CommonMark shows for escaped text: each escaped character as itself."""
    out, i = [], 0
    while i < len(markdown):
        if markdown[i] == "\\" and i + 1 < len(markdown):
            out.append(markdown[i + 1])
            i += 2
        else:
            out.append(markdown[i])
            i += 1
    return "".join(out)


def _without_indent(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.lstrip(" \t") for line in lines)


@bounded(200)
@given(text=hostile_text(10))
def test_md_escape_leaves_no_markdown_syntax(text: str, tally: Tally) -> None:
    escaped = md_escape(text)
    assert _unescaped_punctuation(escaped) == []
    for line in escaped.replace("\r", "\n").split("\n"):
        assert not line.startswith((" ", "\t")), repr(line)  # no indented code block
    assert _without_indent(_shown(escaped)) == _without_indent(text)
    tally.handled(KIND)


# -- the pages ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(company: Company, tmp_path_factory: pytest.TempPathFactory) -> Company:
    return company.copy(tmp_path_factory.mktemp("ui-site"))


@pytest.fixture
def db(site: Company) -> Database:
    return open_shared(site.db_path)


@pytest.fixture
def app(site: Company, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], AppTest]:
    monkeypatch.setenv("KANSA_DATA_DIR", str(site.data_dir))
    disable_legacy_pages_folder()

    def build(role: str) -> AppTest:
        grant = auth_service.sign_in(
            open_shared(site.db_path),
            Settings(data_dir=site.data_dir),
            load_or_create_secret(site.data_dir / "session.key"),
            username=site.users[role],
            password=site.password,
            client="hostile",
        )
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state["lang"] = "en"
        at.session_state["kansa_token"] = grant.token
        return at

    return build


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def _markdown(at: AppTest) -> list[str]:
    return [str(e.value) for e in [*at.markdown, *at.caption, *at.error]]


def _plan(db: Database) -> str:
    return assessments.create_assessment(
        db,
        OPERATOR,
        title=f"Hostile UI {next(_numbers)}",
        catalogue_urn=APPI,
        scope_unit="CSC",
        lead_auditor="a.miyoshi",
        auditees=["s.okamoto"],
    ).id


def _literal(text: str, shown: list[str]) -> bool:
    """``text`` appears, escaped by md_escape, in what the page passed to Markdown."""
    return any(md_escape(text) in value for value in shown)


def test_a_hostile_finding_statement_renders_literally(
    app: Callable[[str], AppTest], db: Database, tally: Tally
) -> None:
    f = findings.raise_finding(
        db,
        OPERATOR,
        assessment_id=_plan(db),
        control_id="ORG-03",
        grade="minor",
        statement=HOSTILE,
        owner="s.okamoto",
        due_date=date.today() + timedelta(days=30),
    )
    at = app("auditor")
    at.query_params["ref"] = f.ref
    at.switch_page("pages/findings.py")
    shown = _markdown(_run(at))
    assert _literal(f.statement, shown)
    assert not any("<script>" in value for value in shown)  # only ever as \<script\>
    tally.handled(KIND)


def test_a_hostile_evidence_description_renders_literally(
    app: Callable[[str], AppTest], db: Database, site: Company, tally: Tally
) -> None:
    a = _plan(db)
    store = EvidenceStore.from_settings(Settings(data_dir=site.data_dir))
    item = evidence.add_evidence(
        db,
        OPERATOR,
        store,
        assessment_id=a,
        control_id="POL-01",
        filename="<img src=x onerror=alert(1)>\u202efdp.exe🙂.pdf",
        stream=io.BytesIO(PDF + f"%{a}\n".encode()),
        description=HOSTILE[:2000],
    )
    at = app("auditee")
    at.session_state["assessment_id"] = a
    at.switch_page("pages/workspace.py")
    shown = _markdown(_run(at))
    assert item.description is not None
    assert _literal(item.description, shown)
    assert _literal(item.filename, shown)
    tally.handled(KIND)


def test_a_hostile_answer_note_renders_literally(
    app: Callable[[str], AppTest], db: Database, tally: Tally
) -> None:
    a = _plan(db)
    note = " ".join(MARKUP) + " שלום 🙂 \u202eevil"
    assessments.save_answer(db, OPERATOR, a, Answer("POL-01", 3, 3, None, note), None)
    assessments.submit_for_review(db, OPERATOR, a)
    at = app("auditor")
    at.session_state["assessment_id"] = a
    at.switch_page("pages/review.py")
    shown = _markdown(_run(at))
    stored = assessments.list_responses(db, OPERATOR, a)[0].note
    assert stored is not None
    assert _literal(stored.split("\n")[0], shown)
    tally.handled(KIND)


@pytest.mark.parametrize(
    "field", ["statement", "note", "description"], ids=["statement", "note", "description"]
)
def test_a_megabyte_of_text_is_refused_with_a_message(
    db: Database, site: Company, field: str, tally: Tally
) -> None:
    a = _plan(db)
    text = huge(1_000_000)
    call: dict[str, Callable[[], Any]] = {
        "statement": lambda: findings.raise_finding(
            db,
            OPERATOR,
            assessment_id=a,
            control_id="ORG-03",
            grade="minor",
            statement=text,
            owner="s.okamoto",
            due_date=date.today() + timedelta(days=30),
        ),
        "note": lambda: assessments.save_answer(
            db, OPERATOR, a, Answer("POL-01", 3, 3, None, text), None
        ),
    }
    if field == "description":
        # descriptions are cut to 2,000 characters rather than refused: check it is stored cut
        store = EvidenceStore.from_settings(Settings(data_dir=site.data_dir))
        item = evidence.add_evidence(
            db,
            OPERATOR,
            store,
            assessment_id=a,
            control_id="POL-01",
            filename="big-description.pdf",
            stream=io.BytesIO(PDF + f"%big {a}\n".encode()),
            description=text,
        )
        assert item.description is not None
        assert len(item.description) <= 2000
        tally.handled(KIND)
        return
    with pytest.raises(ValidationFailed) as caught:
        call[field]()
    assert "5000" in str(caught.value) or "4000" in str(caught.value)
    tally.refused(KIND)
