"""Bulk answer imports (CSV and XLSX) with random rows, formulas, huge cells, wrong encodings,
and crafted workbooks: every refusal is one ``ValidationFailed`` whose issues carry the row
number, and a refused file writes nothing (no response, no audit entry)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from assessments import repository
from assessments import service as assessments
from assessments.importer import COLUMNS
from core.errors import ValidationFailed
from storage.db import Database
from tests.conftest import OPERATOR
from tests.hostile.cases import FORMULAS, bounded, hostile_text, huge
from tests.hostile.conftest import Tally, row_counts

CSV_KIND = "answer import: CSV"
XLSX_KIND = "answer import: XLSX"
APPI = "urn:kansa:catalogue:appi-security-measures"
FIELDS = {*COLUMNS, "(file)", "(header)"}


@pytest.fixture(scope="module")
def db(module_db: Database) -> Database:
    return module_db


@pytest.fixture(scope="module")
def campaign(db: Database) -> tuple[str, list[str]]:
    a = assessments.create_assessment(
        db, OPERATOR, title="敵対的な取込み", catalogue_urn=APPI, scope_unit="CSC"
    )
    with db.cursor() as cur:
        known = [c for c, _, _ in repository.scored_controls(cur, a.catalogue_id)]
    return a.id, known


def _written(db: Database) -> tuple[int, ...]:
    return row_counts(db, "responses", "audit_log")


def _import(
    db: Database, campaign: tuple[str, list[str]], name: str, data: bytes, kind: str, tally: Tally
) -> None:
    """Import; a refusal must locate every issue and leave the database as it was."""
    before = _written(db)
    # Line breaks as a reader may count them (a lone CR too): an upper bound for row numbers.
    lines = len(data.decode("utf-8", "replace").splitlines()) + 2
    try:
        count = assessments.import_answers(db, OPERATOR, campaign[0], name, data)
    except ValidationFailed as exc:
        assert exc.issues  # noqa: PT017 -- refusal and acceptance are both allowed here
        for issue in exc.issues:
            assert issue.file == name
            assert issue.field in FIELDS, issue
            assert 1 <= issue.line <= max(lines, 1), issue
            assert issue.message.strip()
        assert _written(db) == before
        tally.refused(kind)
    else:
        assert count >= 0
        tally.handled(kind)


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


CELL = st.one_of(
    hostile_text(3),
    st.sampled_from(FORMULAS),
    st.sampled_from(["0", "3", "5", "6", "-1", "2.5", "1e3", "nan", "inf", "", " ", "N/A"]),
)


def _rows(known: list[str]) -> st.SearchStrategy[list[list[str]]]:
    control = st.one_of(st.sampled_from(known), hostile_text(2))
    row = st.tuples(control, CELL, CELL, CELL, CELL).map(list)
    return st.lists(row, max_size=8)


@bounded(40)
@given(data=st.data())
def test_random_csv_rows(
    db: Database, campaign: tuple[str, list[str]], data: st.DataObject, tally: Tally
) -> None:
    rows = data.draw(_rows(campaign[1]))
    header = data.draw(st.sampled_from([list(COLUMNS), list(reversed(COLUMNS)), ["a", "b"]]))
    _import(db, campaign, "answers.csv", _csv([header, *rows]), CSV_KIND, tally)


@bounded(30)
@given(raw=st.binary(max_size=300))
def test_random_bytes_as_csv(
    db: Database, campaign: tuple[str, list[str]], raw: bytes, tally: Tally
) -> None:
    _import(db, campaign, "answers.csv", raw, CSV_KIND, tally)


def _good_rows(known: list[str]) -> list[list[str]]:
    return [list(COLUMNS), [known[0], "3", "2", "", "ok"], [known[1], "", "", "対象外", ""]]


CRAFTED_CSV: dict[str, Callable[[list[str]], bytes]] = {
    "formula-in-note": lambda k: _csv([*_good_rows(k), [k[2], "1", "1", "", "=1+1"]]),
    "hyperlink-formula": lambda k: _csv([*_good_rows(k), [k[2], '=HYPERLINK("x")', "1", "", ""]]),
    "huge-cell": lambda k: _csv([*_good_rows(k), [k[2], "1", "1", "", huge(100_000)]]),
    "nul-in-cell": lambda k: _csv(_good_rows(k)).replace(b"ok", b"o\x00k"),
    "utf-16": lambda k: _csv(_good_rows(k)).decode().encode("utf-16"),
    "shift-jis": lambda k: "\r\n".join(",".join(r) for r in _good_rows(k)).encode("shift_jis"),
    "cp1252": lambda k: _csv(_good_rows(k)).replace(b"ok", "café".encode("cp1252")),
    "too-large": lambda k: _csv(_good_rows(k)) + b"#" * (6 * 1024 * 1024),
    "too-many-rows": lambda k: _csv(
        [list(COLUMNS)] + [[f"X-{i}", "1", "1", "", ""] for i in range(5100)]
    ),
    "unknown-control": lambda k: _csv([*_good_rows(k), ["../../etc/passwd", "1", "1", "", ""]]),
    "duplicate-control": lambda k: _csv([*_good_rows(k), [k[0], "1", "1", "", ""]]),
    "header-only-garbage": lambda k: b"\xef\xbb\xbf\x00\x00\x00",
    "empty": lambda k: b"",
    "unterminated-quote": lambda k: _csv(_good_rows(k)) + b'"never closed,1,1\r\n',
}


@pytest.mark.parametrize("make", CRAFTED_CSV.values(), ids=CRAFTED_CSV.keys())
def test_crafted_csv_is_refused(
    db: Database, campaign: tuple[str, list[str]], make: Callable[[list[str]], bytes], tally: Tally
) -> None:
    before = _written(db)
    with pytest.raises(ValidationFailed):
        assessments.import_answers(db, OPERATOR, campaign[0], "answers.csv", make(campaign[1]))
    assert _written(db) == before
    _import(db, campaign, "answers.csv", make(campaign[1]), CSV_KIND, tally)


# -- Excel -----------------------------------------------------------------------------------


def _xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _storable(text: str) -> str:
    """``text`` without the control characters an xlsx file cannot hold at all."""
    return "".join(ch for ch in text if ch >= " " or ch in "\t\n")


XLSX_CELL = st.one_of(
    CELL.map(_storable),
    st.integers(-10, 10),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.none(),
)


@bounded(25)
@given(data=st.data())
def test_random_xlsx_rows(
    db: Database, campaign: tuple[str, list[str]], data: st.DataObject, tally: Tally
) -> None:
    known = campaign[1]
    control = st.one_of(st.sampled_from(known), XLSX_CELL)
    rows = data.draw(st.lists(st.tuples(control, XLSX_CELL, XLSX_CELL, XLSX_CELL, XLSX_CELL)))
    _import(
        db, campaign, "answers.xlsx", _xlsx([list(COLUMNS), *map(list, rows[:8])]), XLSX_KIND, tally
    )


def _patch(data: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    """The workbook ``data`` with one part rewritten."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            content = zin.read(info.filename)
            zout.writestr(info.filename, change(content) if info.filename == part else content)
    return out.getvalue()


LOL = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i else "lol"}">' for i in range(10))
LAUGHS = f'<?xml version="1.0"?><!DOCTYPE x [{LOL}]>'.encode()
XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _with_dtd(dtd: bytes, entity: bytes, *, in_cell: bool = False) -> Callable[[bytes], bytes]:
    """Declare ``dtd`` at the top of a part and use ``entity`` in its first element's text, or
    (``in_cell``) in the first cell text, which a reader parses only when it reads the rows."""

    def change(content: bytes) -> bytes:
        body = content.split(b"?>", 1)[-1]
        close = body.find(b"</t>") if in_cell else -1
        close = body.find(b"</") if close < 0 else close
        return dtd + body[:close] + entity + body[close:]

    return change


PARTS = (
    "xl/worksheets/sheet1.xml",
    "xl/workbook.xml",
    "xl/styles.xml",
    "[Content_Types].xml",
    "docProps/core.xml",
    "xl/_rels/workbook.xml.rels",
)


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize(
    ("dtd", "entity"), [(LAUGHS, b"&lol9;"), (XXE, b"&xxe;")], ids=["billion-laughs", "xxe"]
)
def test_entity_tricks_in_any_workbook_part_are_refused(
    db: Database,
    campaign: tuple[str, list[str]],
    part: str,
    dtd: bytes,
    entity: bytes,
    tally: Tally,
) -> None:
    data = _patch(_xlsx(_good_rows(campaign[1])), part, _with_dtd(dtd, entity))
    before = _written(db)
    with pytest.raises(ValidationFailed, match="DTD"):
        assessments.import_answers(db, OPERATOR, campaign[0], "answers.xlsx", data)
    assert _written(db) == before
    tally.refused(XLSX_KIND)


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


CRAFTED_XLSX: dict[str, Callable[[list[str]], bytes]] = {
    "formula-cells": lambda k: _xlsx(
        [*_good_rows(k), [k[2], "=1+2", "=A1", None, "=cmd|' /C calc'!A0"]]
    ),
    "huge-cell": lambda k: _xlsx([*_good_rows(k), [k[2], 1, 1, None, _storable(huge(32_000))]]),
    "zip-bomb": lambda k: _zip(
        {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": bytes(60_000_000)}
    ),
    "not-a-zip": lambda k: b"PK\x03\x04" + b"\x00" * 100,
    "truncated": lambda k: _xlsx(_good_rows(k))[:700],
    "broken-sheet-xml": lambda k: _patch(
        _xlsx(_good_rows(k)), "xl/worksheets/sheet1.xml", lambda c: c[:-40]
    ),
    "docx-named-xlsx": lambda k: _zip({"word/document.xml": b"<w:document/>"}),
    "pdf-named-xlsx": lambda k: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
}


@pytest.mark.parametrize("make", CRAFTED_XLSX.values(), ids=CRAFTED_XLSX.keys())
def test_crafted_workbooks_are_refused(
    db: Database, campaign: tuple[str, list[str]], make: Callable[[list[str]], bytes], tally: Tally
) -> None:
    data = make(campaign[1])
    before = _written(db)
    with pytest.raises(ValidationFailed):
        assessments.import_answers(db, OPERATOR, campaign[0], "answers.xlsx", data)
    assert _written(db) == before
    tally.refused(XLSX_KIND)


def test_a_good_file_still_imports(
    db: Database, campaign: tuple[str, list[str]], tally: Tally
) -> None:
    """The refusals above are not a refusal of everything."""
    known = campaign[1]
    assert (
        assessments.import_answers(db, OPERATOR, campaign[0], "a.csv", _csv(_good_rows(known))) == 2
    )
    assert (
        assessments.import_answers(db, OPERATOR, campaign[0], "a.xlsx", _xlsx(_good_rows(known)))
        == 2
    )
    tally.handled(CSV_KIND)
    tally.handled(XLSX_KIND)
