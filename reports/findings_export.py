"""The findings register as CSV or Excel bytes, in English or Japanese.

Both formats pass every cell through the formula-injection guard of :mod:`reports.csv_export`
(a value starting with ``= + - @``, a tab or a carriage return gets a leading ``'``). The
workbook also stores every text cell explicitly as a string, so even a value the guard let
through could never be written as a formula.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from findings.model import Finding, Grade, Status, age_days, is_overdue
from reports.csv_export import safe_cell, to_csv_bytes

_NONCHARACTERS = re.compile("[\ufffe\uffff]")  # XML refuses them too
Value = str | int | date | datetime | None


@dataclass(frozen=True, slots=True)
class _Column:
    en: str
    ja: str
    width: int  # the widest a column grows to, in characters
    wrap: bool = False  # long free text: wrap instead of widening


COLUMNS: tuple[_Column, ...] = (
    _Column("Ref", "所見番号", 14),
    _Column("Assessment", "自己点検", 30),
    _Column("Department", "担当部署", 12),
    _Column("Control", "管理策", 10),
    _Column("Grade", "区分", 22),
    _Column("Status", "状態", 16),
    _Column("Statement", "所見", 60, wrap=True),
    _Column("Criterion", "監査基準", 50, wrap=True),
    _Column("Owner", "責任者", 16),
    _Column("Due date", "期限", 12),
    _Column("Overdue", "期限超過", 10),
    _Column("Age (days)", "経過日数", 10),
    _Column("Root cause", "根本原因", 40, wrap=True),
    _Column("Correction", "修正", 40, wrap=True),
    _Column("Corrective action", "是正処置", 40, wrap=True),
    _Column("Verification note", "有効性の確認", 40, wrap=True),
    _Column("Raised by", "提起者", 16),
    _Column("Raised at", "提起日時", 17),
    _Column("Closed at", "完了日時", 17),
)

GRADE_LABELS: dict[Grade, tuple[str, str]] = {
    Grade.MAJOR: ("Major nonconformity", "重大な不適合"),
    Grade.MINOR: ("Minor nonconformity", "軽微な不適合"),
    Grade.OBSERVATION: ("Observation", "観察事項"),
    Grade.OFI: ("Opportunity for improvement", "改善の機会"),
    Grade.GOOD: ("Good practice", "良好事例"),
}

STATUS_LABELS: dict[Status, tuple[str, str]] = {
    Status.OPEN: ("Open", "未対応"),
    Status.ACTION_PLANNED: ("Action planned", "処置計画済み"),
    Status.ACTION_DONE: ("Action done", "処置実施済み"),
    Status.VERIFIED: ("Verified", "有効性確認済み"),
    Status.CLOSED: ("Closed", "完了"),
}

_YES_NO = {"en": ("yes", "no"), "ja": ("はい", "いいえ")}
_SHEET_TITLE = {"en": "Findings", "ja": "所見"}
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$")
_OVERDUE_FILL = PatternFill(fill_type="solid", start_color="FFF8D7DA", end_color="FFF8D7DA")
_MIN_WIDTH = 8


def _lang(lang: str) -> str:
    return "ja" if lang == "ja" else "en"


def header(lang: str = "en") -> list[str]:
    """The column headings of the register export in ``lang`` (en or ja)."""
    return [c.ja if _lang(lang) == "ja" else c.en for c in COLUMNS]


def _timestamp(value: str | None) -> datetime | str | None:
    """A stored ``YYYY-MM-DD HH:MM`` as a datetime; anything else is kept as the text it is."""
    if value and _TIMESTAMP.match(value):
        return datetime.fromisoformat(value.replace("T", " "))
    return value


def _row(f: Finding, today: date, lang: str) -> list[Value]:
    pick = 1 if lang == "ja" else 0
    yes, no = _YES_NO[lang]
    return [
        f.ref,
        f.assessment_title,
        f.org_unit_code,
        f.control_id,
        GRADE_LABELS[f.grade][pick],
        STATUS_LABELS[f.status][pick],
        f.statement,
        f.criterion(lang),
        f.owner,
        f.due_date,
        yes if is_overdue(f, today) else no,
        age_days(f, today),
        f.root_cause,
        f.correction,
        f.corrective_action,
        f.verification_note,
        f.raised_by,
        _timestamp(f.raised_at),
        _timestamp(f.closed_at),
    ]


def rows(findings: Sequence[Finding], today: date, lang: str = "en") -> list[list[Value]]:
    """One row per finding, in the order given, with the columns of :func:`header`."""
    return [_row(f, today, _lang(lang)) for f in findings]


def _csv_value(value: Value) -> object:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def findings_csv(findings: Sequence[Finding], today: date, lang: str = "en") -> bytes:
    """The register as CSV: UTF-8 with BOM (for Excel), every cell formula-guarded."""
    return to_csv_bytes(
        header(lang), ([_csv_value(v) for v in row] for row in rows(findings, today, lang))
    )


def _xlsx_text(value: object) -> str:
    """Guarded text without the control characters the xlsx format cannot hold.

    Such a character is shown as U+FFFD rather than dropped, so a reader sees that something
    was there. (Tab, line feed and carriage return are kept; XML readers turn a carriage
    return into a line feed.)"""
    # openpyxl's list misses the noncharacters U+FFFE/U+FFFF, which XML refuses too
    return _NONCHARACTERS.sub("\ufffd", ILLEGAL_CHARACTERS_RE.sub("\ufffd", safe_cell(value)))


def _display_width(text: str) -> int:
    """Width in Latin characters of the longest line: wide (CJK) characters count twice."""
    longest = 0
    for line in text.splitlines() or [""]:
        width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        longest = max(longest, width)
    return longest


def findings_xlsx(findings: Sequence[Finding], today: date, lang: str = "en") -> bytes:
    """The register as an Excel workbook: a bold, frozen, filterable header row; dates as
    dates; overdue rows highlighted; every text cell a guarded string (never a formula)."""
    lang = _lang(lang)
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = _SHEET_TITLE[lang]
    titles = header(lang)
    # Never narrower than the heading plus room for the filter button.
    heading_widths = [_display_width(t) + 3 for t in titles]
    widths = [0] * len(titles)
    bold = Font(bold=True)
    for col, title in enumerate(titles, start=1):
        cell = ws.cell(row=1, column=col)
        cell.value = _xlsx_text(title)
        cell.data_type = "s"
        cell.font = bold
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for r, (finding, values) in enumerate(
        zip(findings, rows(findings, today, lang), strict=True), start=2
    ):
        overdue = is_overdue(finding, today)
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col)
            spec = COLUMNS[col - 1]
            if isinstance(value, datetime):
                cell.value = value
                cell.number_format = "yyyy-mm-dd hh:mm"
                shown = 16
            elif isinstance(value, date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
                shown = 10
            elif isinstance(value, int):
                cell.value = value
                shown = len(str(value))
            elif value is None:
                shown = 0
            else:
                text = _xlsx_text(value)
                cell.value = text
                cell.data_type = "s"
                shown = _display_width(text)
            cell.alignment = wrap if spec.wrap else top
            if overdue:
                cell.fill = _OVERDUE_FILL
            widths[col - 1] = max(widths[col - 1], shown + 1)
    for col, spec in enumerate(COLUMNS, start=1):
        width = max(heading_widths[col - 1], _MIN_WIDTH, min(widths[col - 1], spec.width))
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(1, len(findings) + 1)}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
