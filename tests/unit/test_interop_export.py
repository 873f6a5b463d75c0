"""Exports of an assessment (OSCAL assessment results against NIST's schema, Excel, CSV) and
its ISO/IEC 27001:2022 Annex A view."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import regex  # type: ignore[import-untyped]  # no stubs pinned
from jsonschema import (  # type: ignore[import-untyped]  # no stubs pinned
    Draft7Validator,
    ValidationError,
    validators,
)
from openpyxl import load_workbook

from assessments import service as assessments
from cli import main
from controls.service import sync_library
from core.errors import PermissionDenied
from core.settings import Settings
from demo.service import load_demo
from evidence.store import EvidenceStore
from reporting import crosswalk_service, export_service
from reports.assessment_export import assessment_csv, assessment_xlsx
from reports.oscal_export import assessment_results, token
from reports.pdf.model import Bilingual
from storage.db import Database
from storage.migrate import open_database
from tests.conftest import OPERATOR, ROOT
from tests.fixtures.pdf.sample_data import sample_audit

# NIST OSCAL v1.2.3 release, oscal_assessment-results_schema.json (see tests/fixtures/oscal/)
SCHEMA = ROOT / "tests" / "fixtures" / "oscal" / "oscal_assessment-results_schema.json"
NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
FORMULA = '=HYPERLINK("http://example.invalid","click")'


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    # The schema's patterns use \p{L} and \p{N}, which Python's re lacks: use `regex`.
    if validator.is_type(instance, "string") and not regex.search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@pytest.fixture(scope="module")
def oscal_validator() -> Any:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$id"] == "http://csrc.nist.gov/ns/oscal/1.2.3/oscal-ar-schema.json"
    cls = validators.extend(Draft7Validator, {"pattern": _pattern})
    return cls(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def _errors(validator: Any, doc: Any) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
        for e in validator.iter_errors(doc)
    ]


# --- OSCAL ---------------------------------------------------------------------------------


@pytest.mark.parametrize("hostile", [False, True], ids=["plain", "hostile-text"])
def test_oscal_export_validates_against_the_nist_schema(
    oscal_validator: Any, hostile: bool
) -> None:
    data = sample_audit(hostile=hostile)
    doc = assessment_results(data, key="01a2-test", now=NOW, lang="ja")
    assert _errors(oscal_validator, doc) == []
    result = doc["assessment-results"]["results"][0]
    assert len(result["reviewed-controls"]["control-selections"][0]["include-controls"]) == len(
        data.controls
    )
    answered = [c for c in data.controls if c.result != "not_assessed"]
    assert len(result["observations"]) == len(answered)
    assert len(result["findings"]) == len(data.controls) + len(data.findings)


def test_the_validator_really_checks(oscal_validator: Any) -> None:
    doc = assessment_results(sample_audit(), key="k", now=NOW)
    broken = json.loads(json.dumps(doc))
    del broken["assessment-results"]["import-ap"]
    broken["assessment-results"]["uuid"] = "01a213b4-7a7c-7615-ab49-e406d1a57187"  # v7: no
    broken["assessment-results"]["results"][0]["findings"][0]["target"]["target-id"] = "1-bad"
    problems = "\n".join(_errors(oscal_validator, broken))
    assert "'import-ap' is a required property" in problems
    assert "uuid" in problems
    assert "1-bad" in problems  # a token must start with a letter or _ (\p{L})


def test_oscal_uuids_are_stable_and_ids_become_tokens() -> None:
    first = assessment_results(sample_audit(), key="abc", now=NOW)
    later = assessment_results(sample_audit(), key="abc", now=datetime(2027, 1, 1, tzinfo=UTC))
    assert first["assessment-results"]["uuid"] == later["assessment-results"]["uuid"]
    assert first["assessment-results"]["results"] == later["assessment-results"]["results"]
    assert token("ORG-03") == "ORG-03"
    assert token("10-3(1)") == "_10-3_1_"
    assert token("管理策1") == "管理策1"


def test_a_150_control_oscal_export_takes_well_under_a_second(oscal_validator: Any) -> None:
    data = sample_audit(controls=150, findings=40, evidence=200)
    start = time.perf_counter()
    doc = assessment_results(data, key="k", now=NOW)
    json.dumps(doc, ensure_ascii=False)
    assert time.perf_counter() - start < 1.0
    assert _errors(oscal_validator, doc) == []


# --- Excel and CSV -------------------------------------------------------------------------


def _hostile_data() -> Any:
    data = sample_audit()
    first, *rest = data.controls
    first = replace(
        first,
        note=FORMULA,
        title=Bilingual("個人データ取扱台帳の整備", "Register of personal data"),
    )
    finding = replace(data.findings[0], statement="@SUM(1+1) 台帳の更新が遅れている")
    return replace(data, controls=(first, *rest), findings=(finding, *data.findings[1:]))


def test_excel_has_summary_domains_findings_and_evidence_with_japanese_intact() -> None:
    data = _hostile_data()
    wb = load_workbook(io.BytesIO(assessment_xlsx(data, "ja")))
    names = wb.sheetnames
    assert names[0] == "概要"
    assert names[1 : 1 + len(data.domains)] == [d.domain_id for d in data.domains]
    assert names[-2:] == ["所見", "証跡一覧"]
    first = data.controls[0]
    ws = wb[first.domain_id]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == first.control_id)
    assert row[2].value == "個人データ取扱台帳の整備"
    assert row[9].value == "'" + FORMULA  # the note: guarded, a string
    assert row[9].data_type == "s"
    findings = wb["所見"]
    statements = [r[4].value for r in findings.iter_rows(min_row=2)]
    assert "'@SUM(1+1) 台帳の更新が遅れている" in statements
    summary = wb["概要"]
    assert summary["A1"].value == "自己点検"
    assert summary["B1"].value == data.title
    assert len(list(wb["証跡一覧"].iter_rows(min_row=2))) == len(data.evidence)


def test_no_cell_of_the_workbook_is_a_formula() -> None:
    wb = load_workbook(io.BytesIO(assessment_xlsx(_hostile_data(), "en")))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value


def test_csv_is_guarded_utf8_with_bom_and_keeps_japanese() -> None:
    data = _hostile_data()
    raw = assessment_csv(data, "ja")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["assessment", "scope", "domain", "control_id"]
    assert len(rows) == 1 + len(data.controls)
    assert rows[1][5] == "個人データ取扱台帳の整備"
    assert rows[1][12] == "'" + FORMULA


# --- through the services, on the demo company ----------------------------------------------


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("interop-export")
    with open_database(data / "kansa.duckdb") as db:
        sync_library(db, OPERATOR)
        load_demo(db, OPERATOR, EvidenceStore.from_settings(Settings(data_dir=data)))
    return data


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    database = open_database(data_dir / "kansa.duckdb")
    yield database
    database.close()


def _closed_appi(db: Database) -> str:
    return next(
        a.id
        for a in assessments.list_assessments(db, OPERATOR, status="closed")
        if a.catalogue_urn.endswith("appi-security-measures")
    )


def test_annex_a_view_of_a_demo_assessment(db: Database) -> None:
    view = crosswalk_service.annex_a_view(db, OPERATOR, _closed_appi(db))
    assert len(view.items) == 93
    by_id = {i.annex_id: i for i in view.items}
    privacy = by_id["5.34"]
    assert {c.control_id for c in privacy.controls} >= {"ORG-03", "EXT-01", "EXT-02"}
    applicable = [c for c in privacy.controls if c.score is not None]
    weights = [2 if c.is_key else 1 for c in applicable]
    expected = sum(w * (c.score or 0) for w, c in zip(weights, applicable, strict=True)) / sum(
        weights
    )
    assert privacy.score == pytest.approx(expected)
    assert by_id["8.11"].result == "not_addressed"  # data masking: no APPI control cites it
    assert 20 < view.addressed < 93
    assert sum(s.total for s in view.themes()) == 93


def test_annex_a_csv_has_one_row_per_annex_a_control(db: Database) -> None:
    raw = crosswalk_service.annex_a_csv(db, OPERATOR, _closed_appi(db), "ja")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "附属書A"
    assert len(rows) == 94
    assert rows[1][:2] == ["5.1", "情報セキュリティのための方針群"]


def test_export_service_checks_the_permission(db: Database) -> None:
    from auth.model import Principal, Role  # noqa: PLC0415

    auditee = Principal("someone", Role.AUDITEE, org_unit_code="CSC")
    with pytest.raises(PermissionDenied):
        export_service.export_assessment(db, auditee, _closed_appi(db), "csv")


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "oscal"])
def test_cli_export_writes_each_format(
    data_dir: Path,
    db: Database,
    tmp_path: Path,
    fmt: str,
    oscal_validator: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assessment_id = _closed_appi(db)
    db.close()  # the CLI opens the file itself
    out = tmp_path / f"export.{fmt}"
    args = ["--data-dir", str(data_dir), "export", assessment_id, "--format", fmt]
    code = main([*args, "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert capsys.readouterr().out.startswith(f"wrote {out}")
    data = out.read_bytes()
    if fmt == "oscal":
        doc = json.loads(data)
        assert _errors(oscal_validator, doc) == []
        props = {p["name"]: p["value"] for p in doc["assessment-results"]["results"][0]["props"]}
        assert props["catalogue-urn"] == "urn:kansa:catalogue:appi-security-measures"
    elif fmt == "xlsx":
        wb = load_workbook(io.BytesIO(data))
        assert wb.sheetnames[0] == "Summary"
        assert "POL" in wb.sheetnames
        assert "Evidence index" in wb.sheetnames
    else:
        assert data.startswith(b"\xef\xbb\xbf")
