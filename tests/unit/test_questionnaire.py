"""The questionnaire workbook: its shape, a round trip filled in as a contractor would, and every
kind of tampered or hostile file refused with the sheet and cell named and nothing imported."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from assessments import service as assessments
from auth.model import Principal, Role
from contractors import review_service, service
from contractors.model import Clauses, Contractor, ContractorDraft
from contractors.questionnaire import (
    HEADER,
    MATURITY_CHOICES,
    NA_CHOICE,
    NO_CHOICE,
    SHEET_META,
    SHEET_QUESTIONS,
    TYPE_LABELS,
    YES_CHOICE,
)
from controls.service import import_file, sync_library
from core.errors import Conflict, PermissionDenied, ValidationFailed
from demo.service import load_demo
from storage.db import Database
from storage.migrate import open_database
from tests.conftest import OPERATOR, ROOT

TODAY = date(2026, 11, 25)
SUPERVISOR = Principal("d.sugimoto", Role.SUPERVISOR, "PRV")
AUDITOR = Principal("a.miyoshi", Role.AUDITOR, "IAD")
Q = SHEET_QUESTIONS
TYPE_OF_LABEL = {label: kind for kind, label in TYPE_LABELS.items()}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("questionnaire") / "template.duckdb"
    with open_database(path) as database:
        sync_library(database, OPERATOR)
        load_demo(database, OPERATOR, with_contractors=False)
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Iterator[Database]:
    shutil.copyfile(template, tmp_path / "k.duckdb")
    database = open_database(tmp_path / "k.duckdb")
    yield database
    database.close()


def _register(db: Database, name: str = "株式会社しおさいデータ入力") -> Contractor:
    draft = ContractorDraft(
        name=name,
        services="申込書のデータ入力",
        approx_individuals=30_000,
        special_care=False,
        contract_start=date(2025, 4, 1),
        owner="d.sugimoto",
        clauses=Clauses.complete(),
    )
    return service.register_contractor(db, SUPERVISOR, draft, today=TODAY)


@pytest.fixture
def contractor(db: Database) -> Contractor:
    return _register(db)


def _issue(db: Database, c: Contractor, lang: str = "ja") -> bytes:
    return review_service.generate_questionnaire(db, SUPERVISOR, c.id, lang=lang, today=TODAY)


def _answer_for(kind: str) -> object:
    return {
        "maturity": MATURITY_CHOICES[4],
        "yes_no": YES_CHOICE,
        "date": datetime(2027, 3, 31),
        "text": "東京都内の自社データセンターのみ",
    }[kind]


def _fill(
    data: bytes,
    answers: Mapping[str, tuple[object, object]] | None = None,
    *,
    tamper: Callable[[Any], None] | None = None,
    blank: tuple[str, ...] = (),
) -> bytes:
    """Open the workbook with openpyxl, choose answers as a contractor would, save it again."""
    wb: Any = load_workbook(io.BytesIO(data))
    ws = wb[Q]
    for row in ws.iter_rows(min_row=2):
        control_id, kind = row[0].value, TYPE_OF_LABEL[row[3].value]
        if control_id in blank:
            continue
        answer, note = (answers or {}).get(control_id, (_answer_for(kind), None))
        row[4].value, row[5].value = answer, note
    if tamper is not None:
        tamper(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _import(db: Database, c: Contractor, data: bytes, **kw: Any) -> Any:
    return review_service.import_questionnaire(
        db, SUPERVISOR, c.id, "回答済み.xlsx", data, today=TODAY, **kw
    )


def _imported_rows(db: Database) -> tuple[int, int, int, int]:
    with db.cursor() as cur:
        row = cur.execute(
            """SELECT (SELECT count(*) FROM contractor_reviews),
                      (SELECT count(*) FROM assessments),
                      (SELECT count(*) FROM responses),
                      (SELECT count(*) FROM typed_responses)"""
        ).fetchone()
    assert row is not None
    return row[0], row[1], row[2], row[3]


# --- the workbook -------------------------------------------------------------------------------


def test_the_workbook_has_the_agreed_shape(db: Database, contractor: Contractor) -> None:
    wb = load_workbook(io.BytesIO(_issue(db, contractor)))
    assert wb.sheetnames == ["記入要領 Instructions", Q, "meta", "lists"]
    assert [ws.sheet_state for ws in wb.worksheets] == ["visible", "visible", "hidden", "hidden"]
    ws = wb[Q]
    assert tuple(c.value for c in ws[1]) == HEADER
    assert HEADER[0] == "control_id"
    assert HEADER[4] == "answer / 回答"
    assert ws.max_row == 29  # the header and the 28 questions of the catalogue
    assert ws["A2"].value == "CR-POL-01"
    assert ws["C2"].value == "個人情報保護に関する基本方針を策定し、公表していますか。"
    assert ws.protection.sheet is True
    assert ws["C2"].protection.locked
    assert ws["A2"].protection.locked
    assert not ws["E2"].protection.locked
    assert not ws["F2"].protection.locked
    lists = {
        str(dv.sqref): (dv.type, dv.formula1)
        for dv in ws.data_validations.dataValidation
        if dv.type == "list"
    }
    maturity_cells = next(cells for cells, (_, f) in lists.items() if "$A$1:$A$7" in str(f))
    assert "E2" in maturity_cells.split()
    assert [wb["lists"].cell(row=i, column=1).value for i in range(1, 8)] == [
        *MATURITY_CHOICES,
        NA_CHOICE,
    ]
    meta = {r[0]: r[1] for r in wb[SHEET_META].iter_rows(values_only=True)}
    assert meta["contractor_id"] == contractor.id
    assert (meta["catalogue_urn"], meta["catalogue_version"]) == (
        "urn:kansa:catalogue:contractor-review",
        "2026.1",
    )
    assert len(str(meta["sha256"])) == 64
    assert wb.security is not None
    assert wb.security.lockStructure


def test_round_trip_creates_the_review_and_its_responses(
    db: Database, contractor: Contractor
) -> None:
    answers = {
        "CR-SUB-01": (NO_CHOICE, None),
        "CR-SUB-02": (NA_CHOICE, "再委託していない"),
        "CR-SUB-03": ("該当なし", "再委託していない"),  # the short form is accepted too
        "CR-SUB-04": (NA_CHOICE, "再委託していない"),
        "CR-TEC-02": (2, "多要素認証は導入準備中"),  # a number typed in
        "CR-CERT-06": (NA_CHOICE, "SOC 2 報告書はない"),
        "CR-CERT-04": ("2027/06/30", None),  # a date typed as text
    }
    data = _fill(_issue(db, contractor), answers)
    result = _import(db, contractor, data)
    assert (result.created, result.answered, result.unanswered) == (True, 28, ())

    responses = {
        r.control_id: r for r in assessments.list_responses(db, AUDITOR, result.assessment_id)
    }
    assert (responses["CR-POL-01"].documented, responses["CR-POL-01"].implemented) == (4, 4)
    assert (responses["CR-TEC-02"].documented, responses["CR-TEC-02"].note) == (
        2,
        "多要素認証は導入準備中",
    )
    assert responses["CR-SUB-03"].na_reason == "再委託していない"
    typed = {
        t.control_id: t
        for t in review_service.list_review_answers(db, AUDITOR, result.assessment_id)
    }
    assert typed["CR-SUB-01"].value == "no"
    assert typed["CR-CERT-02"].value == "2027-03-31"
    assert typed["CR-CERT-04"].value == "2027-06-30"
    assert typed["CR-LOC-01"].value == "東京都内の自社データセンターのみ"
    assert (typed["CR-CERT-06"].value, typed["CR-CERT-06"].na_reason) == (
        None,
        "SOC 2 報告書はない",
    )

    score = assessments.score(db, AUDITOR, result.assessment_id).score
    assert score.overall_coverage == 1.0
    review = review_service.get_review(db, AUDITOR, result.assessment_id)
    assert (review.status, review.method.value) == ("in_progress", "questionnaire")
    with db.cursor() as cur:
        logged = cur.execute(
            "SELECT after FROM audit_log WHERE action = 'assessment.import' AND entity_id = ?",
            [result.assessment_id],
        ).fetchone()
    assert logged is not None
    assert '"CR-SUB-01":"no"' in logged[0]
    done = review_service.complete_review(
        db,
        SUPERVISOR,
        result.assessment_id,
        expected_version=review.assessment_version,
        today=TODAY,
    )
    assert done.status == "closed"
    assert done.score is not None


def test_questions_in_english_round_trip(db: Database, contractor: Contractor) -> None:
    data = _issue(db, contractor, lang="en")
    ws = load_workbook(io.BytesIO(data))[Q]
    assert ws["C2"].value.startswith("Have you established a basic policy")
    result = _import(db, contractor, _fill(data, blank=("CR-POL-02", "CR-HUM-01")))
    assert result.unanswered == ("CR-POL-02", "CR-HUM-01")
    assert result.answered == 26


def test_import_fills_the_open_review_and_asks_before_replacing(
    db: Database, contractor: Contractor
) -> None:
    review = review_service.start_review(
        db, SUPERVISOR, contractor.id, method="questionnaire", today=TODAY
    )
    data = _fill(_issue(db, contractor))
    first = _import(db, contractor, data)
    assert (first.created, first.assessment_id) == (False, review.assessment_id)
    with pytest.raises(Conflict, match="already has 28 answer"):
        _import(db, contractor, data)
    changed = _fill(_issue(db, contractor), {"CR-POL-01": (MATURITY_CHOICES[1], "改善中")})
    again = _import(db, contractor, changed, replace=True)
    assert again.assessment_id == review.assessment_id
    (pol,) = [
        r
        for r in assessments.list_responses(db, AUDITOR, review.assessment_id)
        if r.control_id == "CR-POL-01"
    ]
    assert (pol.documented, pol.note, pol.version) == (1, "改善中", 2)


def test_only_supervisors_import(db: Database, contractor: Contractor) -> None:
    data = _fill(_issue(db, contractor))
    with pytest.raises(PermissionDenied):
        review_service.import_questionnaire(db, AUDITOR, contractor.id, "f.xlsx", data)


# --- refused workbooks --------------------------------------------------------------------------


def _set(sheet: str, cell: str, value: object) -> Callable[[Any], None]:
    def tamper(wb: Any) -> None:
        wb[sheet][cell].value = value

    return tamper


def _append_text(cell: str) -> Callable[[Any], None]:
    def tamper(wb: Any) -> None:
        wb[Q][cell].value = f"{wb[Q][cell].value}（改）"

    return tamper


def _delete_row(row: int) -> Callable[[Any], None]:
    return lambda wb: wb[Q].delete_rows(row)


def _delete_sheet(name: str) -> Callable[[Any], None]:
    def tamper(wb: Any) -> None:
        del wb[name]

    return tamper


TAMPERING = [
    # (how the workbook is changed, the sheet!cell named, what the message says)
    (_append_text("C5"), f"{Q}!C5", "question text of CR-ORG-02 was changed"),
    (_append_text("G3"), f"{Q}!G3", "was changed"),  # evidence examples are locked too
    (_set(Q, "D2", TYPE_LABELS["text"]), f"{Q}!D2", "was changed"),
    (_delete_row(6), f"{Q}!A6", "removed, added or moved"),
    (_set(Q, "A30", "CR-EXTRA-01"), f"{Q}!A30", "a row was added"),
    (_set(Q, "E1", "answer"), f"{Q}!E1", "header was changed"),
    (_set(Q, "H4", "補足です"), f"{Q}!H4", "outside the answer and note columns"),
    (_set(SHEET_META, "B8", "0" * 64), "meta!B8", "checksum does not match"),
    (_set(SHEET_META, "B1", "something else"), "meta!B1", "not a questionnaire issued"),
    (_delete_sheet(SHEET_META), SHEET_META, "sheet 'meta' is missing"),
    (_set(Q, "E2", "7"), f"{Q}!E2", "not an allowed answer to CR-POL-01"),
    (_set(Q, "E2", 3.5), f"{Q}!E2", "not an allowed answer"),
    (_set(Q, "E17", "maybe"), f"{Q}!E17", "not an allowed answer to CR-SUB-01"),
    (_set(Q, "E25", "next spring"), f"{Q}!E25", "a date"),
    (_set(Q, "E2", NA_CHOICE), f"{Q}!F2", "give the reason in the note"),
    (_set(Q, "E2", "=1+3"), f"{Q}!E2", "formula"),
    (_set(Q, "F3", '=HYPERLINK("http://x")'), f"{Q}!F3", "formula"),
]


@pytest.mark.parametrize(("tamper", "where", "message"), TAMPERING)
def test_a_tampered_workbook_is_refused_and_nothing_is_imported(
    db: Database,
    contractor: Contractor,
    tamper: Callable[[Any], None],
    where: str,
    message: str,
) -> None:
    before = _imported_rows(db)
    data = _fill(_issue(db, contractor), tamper=tamper)
    with pytest.raises(ValidationFailed) as caught:
        _import(db, contractor, data)
    issue = caught.value.issues[0]
    assert issue.field == where, caught.value.issues
    assert message in issue.message
    assert issue.file == "回答済み.xlsx"
    assert "nothing was imported" in str(caught.value.issues[-1])
    assert _imported_rows(db) == before


def test_a_note_without_an_answer_is_refused(db: Database, contractor: Contractor) -> None:
    data = _fill(_issue(db, contractor), {"CR-HUM-01": (None, "後日回答します")})
    with pytest.raises(ValidationFailed) as caught:
        _import(db, contractor, data)
    assert [i.field for i in caught.value.issues[:-1]] == [f"{Q}!E8"]


def test_every_bad_cell_is_listed_not_only_the_first(db: Database, contractor: Contractor) -> None:
    answers = {"CR-POL-01": ("9", None), "CR-SUB-01": ("perhaps", None)}
    data = _fill(_issue(db, contractor), answers, tamper=_append_text("C4"))
    with pytest.raises(ValidationFailed) as caught:
        _import(db, contractor, data)
    assert [i.field for i in caught.value.issues] == [
        f"{Q}!C4",
        f"{Q}!E2",
        f"{Q}!E17",
        "(file)",
    ]


def test_a_workbook_for_another_contractor_is_refused(db: Database, contractor: Contractor) -> None:
    other = _register(db, "株式会社べつのかいしゃ")
    data = _fill(_issue(db, other))
    with pytest.raises(ValidationFailed) as caught:
        _import(db, contractor, data)
    (issue,) = caught.value.issues
    assert issue.field == "meta!B2"
    assert f"issued to {other.code}, not to {contractor.name}" in issue.message
    assert _imported_rows(db)[0] == 0


def test_a_workbook_for_another_catalogue_version_is_refused(
    db: Database, contractor: Contractor, tmp_path: Path
) -> None:
    data = _fill(_issue(db, contractor))
    source = (ROOT / "controls/library/contractor-review.yaml").read_text(encoding="utf-8")
    newer = tmp_path / "contractor-review-2026.2.yaml"
    newer.write_text(source.replace('version: "2026.1"', 'version: "2026.2"'), encoding="utf-8")
    import_file(db, OPERATOR, newer)
    with pytest.raises(ValidationFailed) as caught:
        _import(db, contractor, data)
    (issue,) = caught.value.issues
    assert issue.field == "meta!B5"
    assert "version '2026.1'" in issue.message
    assert "current version is 2026.2" in issue.message


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


PARTS = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not a zip archive"),
        (b"control_id,answer\nCR-POL-01,3\n", "not a zip archive"),
        (_zip({"word/document.xml": b"<w:document/>"}), "no workbook part"),
        (_zip({**PARTS, "xl/worksheets/sheet1.xml": b"<"}), "not a readable .xlsx"),
        # one part that inflates 1000-fold
        (_zip({**PARTS, "xl/worksheets/sheet1.xml": bytes(20_000_000)}), "zip bomb"),
        # many parts under 1 MB each that together unpack to 34 MiB
        (_zip({**PARTS, **{f"xl/media/p{i}.bin": bytes(900_000) for i in range(40)}}), "34 MB"),
        (_zip({**PARTS, **{f"xl/media/p{i}.bin": b"x" for i in range(100)}}), "102 parts"),
        (os.urandom(6 * 1024 * 1024), "larger than 5 MB"),
    ],
    ids=["pdf", "csv", "docx", "broken-xml", "bomb", "bomb-total", "many-parts", "too-big"],
)
def test_a_file_that_is_not_a_safe_xlsx_is_refused_unread(
    db: Database, contractor: Contractor, data: bytes, message: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _import(db, contractor, data)
    (issue,) = caught.value.issues
    assert issue.field == "(file)"
    assert message in issue.message
    assert "nothing was imported" in issue.message
    assert _imported_rows(db)[0] == 0
