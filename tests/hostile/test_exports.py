"""Exports of hostile text: CSV and Excel (findings register, assessment workbook and CSV) and
the OSCAL assessment results. No cell of any file starts with = + - @, a tab or a carriage
return unguarded, no cell is a formula, control characters never break a file, and the OSCAL
document is valid JSON that NIST's schema accepts."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import regex  # type: ignore[import-untyped]
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import validators  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]
from openpyxl import load_workbook

from findings.model import Finding, Grade, Status
from reports.assessment_export import assessment_csv, assessment_xlsx
from reports.csv_export import safe_cell, to_csv_bytes
from reports.findings_export import findings_csv, findings_xlsx
from reports.oscal_export import assessment_results_json
from tests.hostile.cases import SAMPLES, bounded, hostile_line, hostile_text, huge
from tests.hostile.conftest import Tally
from tests.hostile.test_pdf_free_text import SMALL, hostile_audit

KIND = "CSV / Excel export"
OSCAL_KIND = "OSCAL export"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TODAY = date(2026, 11, 25)
SCHEMA = Path(__file__).resolve().parents[1] / "fixtures/oscal/oscal_assessment-results_schema.json"


def _finding(text: str) -> Finding:
    return Finding(
        id="01a21385-57de-7e50-ae51-21b79addfc87",
        ref="F-2026-0001",
        assessment_id="01a21385-540e-78e1-935e-c568cf32100d",
        assessment_title=text,
        scope_unit="CSC",
        control_id="ORG-03",
        grade=Grade.MAJOR,
        status=Status.OPEN,
        statement=text,
        criterion_en=text,
        criterion_ja=text,
        org_unit_code="CSC",
        owner=text,
        due_date=date(2026, 12, 31),
        root_cause=text,
        correction=text,
        corrective_action=text,
        responded_by=None,
        responded_at=None,
        verification_note=text,
        verified_by=None,
        verified_at=None,
        closed_by=None,
        closed_at=text,
        raised_by=text,
        raised_at="2026-11-01 09:00",
        raised_on=date(2026, 11, 1),
        updated_by="x",
        updated_at="2026-11-01 09:00",
        version=1,
    )


def _csv_cells(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return [cell for row in csv.reader(io.StringIO(text[1:], newline="")) for cell in row]


def _check_csv(data: bytes) -> None:
    for cell in _csv_cells(data):
        assert not cell.startswith(FORMULA_START), repr(cell[:40])


def _check_xlsx(data: bytes) -> None:
    wb = load_workbook(io.BytesIO(data))  # the file opens: no character broke its XML
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (cell.coordinate, cell.value[:40])
                    assert not cell.value.startswith(FORMULA_START), repr(cell.value[:40])


@bounded(60)
@given(text=hostile_text(8))
def test_the_guard_holds_for_any_text(text: str, tally: Tally) -> None:
    guarded = safe_cell(text)
    assert not guarded.startswith(FORMULA_START)
    assert guarded in (text, "'" + text)
    (cell,) = _csv_cells(to_csv_bytes(["h"], [[text]]))[1:]
    assert cell == guarded  # the CSV holds the text exactly (newlines and NUL included)
    tally.handled(KIND)


@bounded(15)
@given(text=hostile_line(6), lang=st.sampled_from(["ja", "en"]))
def test_findings_register_exports(text: str, lang: str, tally: Tally) -> None:
    findings = [_finding(text), _finding("=" + text), _finding("\t" + text)]
    _check_csv(findings_csv(findings, TODAY, lang))
    _check_xlsx(findings_xlsx(findings, TODAY, lang))
    tally.handled(KIND)


@bounded(10)
@given(text=hostile_line(6), lang=st.sampled_from(["ja", "en"]))
def test_assessment_exports(text: str, lang: str, tally: Tally) -> None:
    data = hostile_audit(SMALL, text)
    _check_csv(assessment_csv(data, lang))
    _check_xlsx(assessment_xlsx(data, lang))
    tally.handled(KIND)


NONCHARACTERS = ("\ufffe", "\uffff")


def _xml_safe(text: str) -> str:
    for ch in NONCHARACTERS:
        text = text.replace(ch, "")
    return text


def test_every_sample_and_a_huge_cell(tally: Tally) -> None:
    for text in (*SAMPLES, huge(40_000)):
        findings = [_finding(_xml_safe(text))]
        _check_csv(findings_csv(findings, TODAY))
        _check_xlsx(findings_xlsx(findings, TODAY))
        tally.handled(KIND)


@pytest.mark.parametrize("char", NONCHARACTERS)
def test_a_noncharacter_does_not_break_the_workbook(char: str) -> None:
    _check_xlsx(findings_xlsx([_finding(f"a{char}b")], TODAY))


# -- OSCAL -----------------------------------------------------------------------------------


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    """``pattern`` with Unicode classes (\\p{L}), which the schema uses and ``re`` lacks."""
    if validator.is_type(instance, "string") and not regex.search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _validator() -> Any:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = validators.extend(validators.validator_for(schema), {"pattern": _pattern})
    return cls(schema)


VALIDATOR = _validator()


def _oscal(data: Any, tally: Tally) -> None:
    raw = assessment_results_json(data, key="hostile", now=datetime(2026, 11, 25, tzinfo=UTC))
    document = json.loads(raw.decode("utf-8"))
    errors = [e.message[:200] for e in VALIDATOR.iter_errors(document)]
    assert errors == []
    tally.handled(OSCAL_KIND)


@bounded(20)
@given(text=hostile_text(6), lang=st.sampled_from(["ja", "en"]))
def test_oscal_export_is_schema_valid_for_any_text(text: str, lang: str, tally: Tally) -> None:
    _oscal(hostile_audit(SMALL, text), tally)


@bounded(15)
@given(control_id=hostile_line(3), ref=hostile_text(2))
def test_oscal_export_with_hostile_ids(control_id: str, ref: str, tally: Tally) -> None:
    controls = tuple(
        dataclasses.replace(c, control_id=control_id + c.control_id) for c in SMALL.controls
    )
    findings = tuple(dataclasses.replace(f, ref=ref, control_id=control_id) for f in SMALL.findings)
    _oscal(dataclasses.replace(SMALL, controls=controls, findings=findings), tally)


def test_oscal_export_of_every_sample(tally: Tally) -> None:
    for text in SAMPLES:
        _oscal(hostile_audit(SMALL, text), tally)
