"""The data behind each report comes from the services, and the PDFs carry it: audit report,
portfolio, Art. 32 announcement; the `kansa report` and `kansa announcement` commands."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from assessments import service as assessments
from assessments.model import Assessment
from auth.model import Principal, Role
from cli import main
from controls.service import sync_library
from core.errors import Conflict, PermissionDenied
from core.settings import Settings
from demo.service import load_demo
from evidence import service as evidence
from evidence.store import EvidenceStore
from findings import service as findings
from findings.model import FindingFilter
from reporting import service as reporting
from reporting.service import _measure_of
from reports.pdf.model import Bilingual
from storage.db import Database
from storage.migrate import open_database
from tests.conftest import OPERATOR
from tests.fixtures.pdf import poppler

URN = "urn:kansa:catalogue:appi-security-measures"
TODAY = date(2026, 11, 25)
HOSTILE = '<b>bold?</b> & <font name=x> <i unclosed "quoted" 台帳'


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("reporting")
    with open_database(data / "kansa.duckdb") as db:
        sync_library(db, OPERATOR)
        load_demo(db, OPERATOR, EvidenceStore.from_settings(Settings(data_dir=data)))
    return data


@pytest.fixture
def data_dir(template: Path, tmp_path: Path) -> Path:
    shutil.copytree(template, tmp_path / "data")
    return tmp_path / "data"


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    database = open_database(data_dir / "kansa.duckdb")
    yield database
    database.close()


def _current_csc(db: Database) -> str:
    return assessments.list_assessments(db, OPERATOR, scope="CSC", status="in_progress")[0].id


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("10-1", ("basic_policy", None)),
        ("10-2", ("internal_rules", None)),
        ("10-3(4)", ("organizational", 4)),
        ("10-4", ("human", None)),
        ("10-5(2)", ("physical", 2)),
        ("10-6(3)", ("technological", 3)),
        ("10-7", ("external", None)),
        ("3-4-4", ("contractors", None)),
        ("3-1", None),
    ],
)
def test_guideline_refs_map_to_announcement_headings(
    ref: str, expected: tuple[str, int | None] | None
) -> None:
    assert _measure_of(ref) == expected


def test_audit_report_data_comes_from_the_assessment(db: Database) -> None:
    a_id = _current_csc(db)
    data = reporting.audit_report_data(db, OPERATOR, a_id, today=TODAY)
    view = assessments.score(db, OPERATOR, a_id)
    assert [c.control_id for c in data.controls] == list(view.score.controls)
    counts = {c.control_id: c.evidence_count for c in data.controls}
    linked = evidence.list_evidence(db, OPERATOR, a_id)
    assert sum(counts.values()) == len(linked)
    assert {e.sha256 for e in data.evidence} == {i.sha256 for i in linked}
    raised = {f.ref for f in findings.list_findings(db, OPERATOR, _flt(a_id))}
    assert {f.ref for f in data.findings} == raised
    assert any(f.grade == "major" and f.control_id == "ORG-03" for f in data.findings)
    assert data.previous_label is not None  # the FY2026 H1 audit of CSC
    assert isinstance(data.organisation, Bilingual)
    assert data.organisation.ja.startswith("株式会社椿屋データサービス")


def _flt(assessment_id: str) -> FindingFilter:
    return FindingFilter(assessment_id=assessment_id)


def test_audit_report_pdf_carries_user_text_literally(db: Database, tmp_path: Path) -> None:
    a_id = _current_csc(db)
    findings.raise_finding(
        db,
        OPERATOR,
        assessment_id=a_id,
        control_id="PHY-02",
        grade="minor",
        statement=HOSTILE,
        owner="s.okamoto",
        due_date=date.today() + timedelta(days=30),
    )
    for lang, heading in (("en", "Findings"), ("ja", "指摘事項")):
        pdf = reporting.audit_report_pdf(db, OPERATOR, a_id, lang)
        path = poppler.write(pdf, tmp_path / f"audit-{lang}.pdf")
        text = "\n".join(poppler.pages_text(path))
        assert heading in text
        assert "<b>bold?</b>" in text.replace("\n", " ")
        assert "AR-" in text
        assert any("IPAex" in f.name and f.embedded for f in poppler.fonts(path))


def test_auditees_may_not_read_reports(db: Database) -> None:
    auditee = Principal("s.okamoto", Role.AUDITEE, "CSC")
    with pytest.raises(PermissionDenied):
        reporting.audit_report_data(db, auditee, _current_csc(db))


def test_portfolio_uses_each_departments_latest_closed_audit(db: Database) -> None:
    data = reporting.portfolio_report_data(db, OPERATOR, today=TODAY)
    closed = [
        a
        for a in assessments.list_assessments(db, OPERATOR, status="closed")
        if a.catalogue_urn == URN
    ]
    scopes = {a.scope_unit for a in closed}
    assert len(data.scopes) == len(scopes) == 6
    latest_titles = {
        next(a for a in closed if a.scope_unit == s).title for s in scopes
    }  # newest first
    assert {p.assessment_title for p in data.scopes} == latest_titles
    scores = [w.score or 0.0 for w in data.worst_controls]
    assert scores == sorted(scores)
    assert len(data.worst_controls) == reporting.WORST_CONTROLS
    assert all(f.grade for f in data.open_findings)


def test_portfolio_needs_a_closed_assessment(tmp_path: Path) -> None:
    with open_database(tmp_path / "empty.duckdb") as db:
        sync_library(db, OPERATOR)
        with pytest.raises(Conflict, match="No closed assessment"):
            reporting.portfolio_report_data(db, OPERATOR)


def test_announcement_flags_measures_not_in_place(db: Database) -> None:
    data = reporting.announcement_data(db, OPERATOR, today=TODAY)
    headings = {(m.area, m.item) for m in data.measures}
    assert ("organizational", 5) in headings
    assert ("physical", 4) in headings
    assert ("contractors", None) in headings
    # A measure is in place only if every department's latest closed answer is >= 3 (or N/A)
    latest: dict[str, Assessment] = {}
    for a in assessments.list_assessments(db, OPERATOR, status="closed"):
        if a.catalogue_urn == URN:
            latest.setdefault(a.scope_unit, a)
    levels: dict[str, list[int | None]] = {}
    for a in latest.values():
        for r in assessments.list_responses(db, OPERATOR, a.id):
            level = None if r.na_reason else min(r.documented or 0, r.implemented or 0)
            levels.setdefault(r.control_id, []).append(level)
    for m in data.measures:
        expected = all(all(v is None or v >= 3 for v in levels.get(c, [0])) for c in m.control_ids)
        assert m.in_place is expected, (m.area, m.item)
    assert any(not m.in_place for m in data.measures)


def test_a_fixed_measure_shows_as_in_place(db: Database) -> None:
    def phy04_in_place(level: int, only: str | None = None) -> bool:
        for a in assessments.list_assessments(db, OPERATOR, status="closed"):
            if only is None or a.scope_unit == only:
                with db.transaction() as cur:
                    cur.execute(
                        "UPDATE responses SET documented = ?, implemented = ?, na_reason = NULL "
                        "WHERE assessment_id = CAST(? AS UUID) AND control_id = 'PHY-04'",
                        [level, level, a.id],
                    )
        measures = reporting.announcement_data(db, OPERATOR).measures
        return next(m.in_place for m in measures if (m.area, m.item) == ("physical", 4))

    assert phy04_in_place(4) is True  # every department at level 4
    assert phy04_in_place(2, only="SLS") is False  # one department falls back to 2


def test_cli_report_and_announcement(data_dir: Path, db: Database, tmp_path: Path) -> None:
    a_id = _current_csc(db)
    db.close()
    base = ["--data-dir", str(data_dir)]
    out = tmp_path / "r.pdf"
    assert main([*base, "report", a_id, "--lang", "ja", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    port = tmp_path / "p.pdf"
    assert main([*base, "report", "--portfolio", "--lang", "en", "--out", str(port)]) == 0
    assert port.read_bytes().startswith(b"%PDF")
    md = tmp_path / "a.md"
    assert main([*base, "announcement", "--lang", "en", "--format", "md", "--out", str(md)]) == 0
    assert md.read_text(encoding="utf-8").startswith("#")
    assert main([*base, "report", "--lang", "en", "--out", str(out)]) == 2
    assert main([*base, "report", "nope", "--lang", "en", "--out", str(out)]) == 1
    with pytest.raises(SystemExit) as usage:
        main([*base, "report", a_id, "--lang", "fr", "--out", str(out)])
    assert usage.value.code == 2
