"""Filled contractor questionnaires that are hostile: zip bombs, XML entity tricks in any part
of the workbook, and random answers and notes. Each is refused naming the sheet and cell (or
the file), and a refused workbook imports nothing."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from auth.model import Principal, Role
from contractors import review_service, service
from contractors.model import Clauses, Contractor, ContractorDraft
from contractors.questionnaire import SHEET_QUESTIONS
from core.errors import ValidationFailed
from storage.db import Database
from tests.hostile.cases import FORMULAS, bounded, hostile_text, huge
from tests.hostile.conftest import Tally, row_counts
from tests.hostile.test_answer_import import LAUGHS, XXE, _storable, _with_dtd, _zip

KIND = "contractor workbook"
TODAY = date(2026, 11, 25)
SUPERVISOR = Principal("d.sugimoto", Role.SUPERVISOR, "PRV")


@pytest.fixture(scope="module")
def db(module_db: Database) -> Database:
    return module_db


@pytest.fixture(scope="module")
def contractor(db: Database) -> Contractor:
    draft = ContractorDraft(
        name="株式会社てすとデータ",
        services="申込書のデータ入力",
        approx_individuals=30_000,
        special_care=False,
        contract_start=date(2025, 4, 1),
        owner="d.sugimoto",
        clauses=Clauses.complete(),
    )
    return service.register_contractor(db, SUPERVISOR, draft, today=TODAY)


@pytest.fixture(scope="module")
def issued(db: Database, contractor: Contractor) -> bytes:
    return review_service.generate_questionnaire(db, SUPERVISOR, contractor.id, today=TODAY)


def _imported(db: Database) -> tuple[int, ...]:
    return row_counts(
        db, "contractor_reviews", "assessments", "responses", "typed_responses", "audit_log"
    )


def _import(db: Database, c: Contractor, data: bytes) -> Any:
    return review_service.import_questionnaire(db, SUPERVISOR, c.id, "回答.xlsx", data, today=TODAY)


def _refused(db: Database, c: Contractor, data: bytes, tally: Tally) -> ValidationFailed:
    before = _imported(db)
    with pytest.raises(ValidationFailed) as caught:
        _import(db, c, data)
    assert "nothing was imported" in str(caught.value.issues[-1])
    assert _imported(db) == before
    tally.refused(KIND)
    return caught.value


# -- containers ------------------------------------------------------------------------------

PARTS = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}
CONTAINERS: dict[str, bytes] = {
    "single-part-bomb": _zip({**PARTS, "xl/worksheets/sheet1.xml": bytes(50_000_000)}),
    "many-small-parts-bomb": _zip({**PARTS, **{f"xl/m{i}.bin": bytes(990_000) for i in range(40)}}),
    "too-many-parts": _zip({**PARTS, **{f"xl/p{i}.xml": b"<x/>" for i in range(200)}}),
    "nested-zip": _zip({**PARTS, "xl/embeddings/inner.zip": _zip({"a": bytes(20_000_000)})}),
    "not-a-zip": b"PK\x03\x04" + bytes(200),
    "empty": b"",
    "pdf": b"%PDF-1.7\n",
    "executable": b"MZ\x90\x00" + bytes(300),
}


@pytest.mark.parametrize("data", CONTAINERS.values(), ids=CONTAINERS.keys())
def test_bombs_and_non_workbooks_are_refused_unread(
    db: Database, contractor: Contractor, data: bytes, tally: Tally
) -> None:
    refusal = _refused(db, contractor, data, tally)
    assert refusal.issues[0].field == "(file)"


# -- XML entity tricks in every part ---------------------------------------------------------


def _patch(data: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            content = zin.read(info.filename)
            zout.writestr(info.filename, change(content) if info.filename == part else content)
    return out.getvalue()


ISSUED_PARTS = (
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/app.xml",
    "docProps/core.xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
    "xl/theme/theme1.xml",
    "xl/worksheets/sheet1.xml",  # instructions
    "xl/worksheets/sheet2.xml",  # questions
    "xl/worksheets/sheet3.xml",  # meta
    "xl/worksheets/sheet4.xml",  # lists
)
# A DTD in any part (also the ones the reader never parses), and an entity used in a cell.
SHEETS = tuple(p for p in ISSUED_PARTS if p.startswith("xl/worksheets/"))
PLACEMENTS = [pytest.param(part, False, id=part) for part in ISSUED_PARTS] + [
    pytest.param(part, True, id=f"{part}-cell") for part in SHEETS
]


@pytest.mark.parametrize(("part", "in_cell"), PLACEMENTS)
@pytest.mark.parametrize(
    ("dtd", "entity"), [(LAUGHS, b"&lol9;"), (XXE, b"&xxe;")], ids=["billion-laughs", "xxe"]
)
def test_entity_tricks_in_any_part_are_refused(
    db: Database,
    contractor: Contractor,
    issued: bytes,
    part: str,
    in_cell: bool,
    dtd: bytes,
    entity: bytes,
    tally: Tally,
) -> None:
    with zipfile.ZipFile(io.BytesIO(issued)) as archive:
        assert part in archive.namelist()
    _refused(db, contractor, _patch(issued, part, _with_dtd(dtd, entity, in_cell=in_cell)), tally)


def test_a_note_the_xml_parser_cannot_read_is_refused(
    db: Database, contractor: Contractor, issued: bytes, tally: Tally
) -> None:
    """openpyxl writes U+FFFE into a cell, but no XML parser reads it back."""
    _refused(db, contractor, _fill(issued, {2: ("3", "note \ufffe")}), tally)


# -- random answers and notes ------------------------------------------------------------------


def _xml_safe(text: str) -> str:
    """``text`` without what an xlsx cell cannot hold (and U+FFFE/U+FFFF, see above)."""
    return _storable(text).replace("\ufffe", "").replace("\uffff", "")


ANSWER = st.one_of(
    hostile_text(3).map(_xml_safe),
    st.sampled_from(FORMULAS).map(_xml_safe),
    st.sampled_from(["3", "該当なし / N/A", "はい / yes", "2026-03-31", "7", "", None]),
    st.integers(-5, 10),
    st.floats(allow_nan=False, allow_infinity=False),
)


def _fill(data: bytes, cells: dict[int, tuple[object, object]]) -> bytes:
    wb: Any = load_workbook(io.BytesIO(data))
    ws = wb[SHEET_QUESTIONS]
    for row, (answer, note) in cells.items():
        ws.cell(row=row, column=5).value = answer
        ws.cell(row=row, column=6).value = note
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@bounded(20)
@given(cells=st.dictionaries(st.integers(2, 30), st.tuples(ANSWER, ANSWER), max_size=6))
def test_random_answers_and_notes(
    db: Database,
    contractor: Contractor,
    issued: bytes,
    cells: dict[int, tuple[object, object]],
    tally: Tally,
) -> None:
    data = _fill(issued, cells)
    before = _imported(db)
    try:
        _import(db, contractor, data)
    except ValidationFailed as exc:
        assert "nothing was imported" in str(exc.issues[-1])  # noqa: PT017 -- either outcome
        for issue in exc.issues[:-1]:
            assert issue.field.startswith(f"{SHEET_QUESTIONS}!"), issue
        assert _imported(db) == before
        tally.refused(KIND)
    else:
        tally.handled(KIND)
        # replace=True on the next example: the review under way already has answers
        with db.transaction() as cur:
            cur.execute("DELETE FROM typed_responses")
            cur.execute("DELETE FROM responses")


def test_a_huge_note_is_refused_naming_its_cell(
    db: Database, contractor: Contractor, issued: bytes, tally: Tally
) -> None:
    refusal = _refused(db, contractor, _fill(issued, {2: ("3", _xml_safe(huge(30_000)))}), tally)
    assert refusal.issues[0].field == f"{SHEET_QUESTIONS}!F2"
