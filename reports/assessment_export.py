"""One assessment as an Excel workbook or a CSV file, in Japanese or English.

The workbook has a summary sheet (the assessment, overall and domain figures), one sheet per
domain (every control with its answer, result, score, evidence count, note and references),
the findings and the evidence index. Every text cell passes the formula-injection guard of
:mod:`reports.csv_export` and is stored explicitly as a string, so no cell can become a
formula; numbers stay numbers. Japanese text is written as it is (xlsx is UTF-8 XML).
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports.csv_export import safe_cell, to_csv_bytes
from reports.pdf.model import AuditReportData, ControlLine, pick

_NONCHARACTERS = re.compile("[\ufffe\uffff]")  # XML refuses them too
Cell = str | int | float | date | datetime | None

_LABELS: dict[str, tuple[str, str]] = {
    "summary": ("Summary", "概要"),
    "findings": ("Findings", "所見"),
    "evidence": ("Evidence index", "証跡一覧"),
    "assessment": ("Assessment", "自己点検"),
    "scope": ("Scope", "対象"),
    "period": ("Period", "期間"),
    "catalogue": ("Catalogue", "カタログ"),
    "catalogue_version": ("Catalogue version", "カタログの版"),
    "report_version": ("Document version", "文書の版"),
    "lead_auditor": ("Lead auditor", "監査責任者"),
    "exported": ("Exported on", "出力日"),
    "overall_score": ("Overall score", "総合スコア"),
    "overall_level": ("Maturity level", "成熟度レベル"),
    "coverage": ("Coverage", "回答率"),
    "domain": ("Domain", "分野"),
    "name": ("Name", "名称"),
    "score": ("Score", "スコア"),
    "level": ("Level", "レベル"),
    "rating": ("Rating", "評価"),
}
CONTROL_HEADER = (
    ("Control", "管理策"),
    ("Key", "重要"),
    ("Title", "名称"),
    ("Documented", "文書化"),
    ("Implemented", "実施"),
    ("N/A reason", "対象外の理由"),
    ("Result", "結果"),
    ("Score", "スコア"),
    ("Evidence", "証跡数"),
    ("Note", "備考"),
    ("APPI guideline", "ガイドライン"),
    ("ISO/IEC 27001:2022 Annex A", "ISO/IEC 27001:2022 附属書A"),
)
FINDING_HEADER = (
    ("Ref", "所見番号"),
    ("Grade", "区分"),
    ("Status", "状態"),
    ("Control", "管理策"),
    ("Statement", "所見"),
    ("Criterion", "監査基準"),
    ("Evidence seen", "確認した証跡"),
    ("Owner", "責任者"),
    ("Due date", "期限"),
    ("Overdue", "期限超過"),
)
EVIDENCE_HEADER = (
    ("File", "ファイル"),
    ("SHA-256", "SHA-256"),
    ("Controls", "管理策"),
    ("Added by", "登録者"),
    ("Added at", "登録日時"),
    ("Valid until", "有効期限"),
)
CSV_HEADER = (
    "assessment",
    "scope",
    "domain",
    "control_id",
    "key",
    "title",
    "documented",
    "implemented",
    "na_reason",
    "result",
    "score",
    "evidence_count",
    "note",
    "appi_guideline",
    "iso27001_2022",
)
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_BOLD = Font(bold=True)


def _lang(lang: str) -> str:
    return "ja" if lang == "ja" else "en"


def _label(key: str, lang: str) -> str:
    en, ja = _LABELS[key]
    return ja if lang == "ja" else en


def _heads(header: Sequence[tuple[str, str]], lang: str) -> list[str]:
    return [ja if lang == "ja" else en for en, ja in header]


def _text(value: object) -> str:
    """Guarded text without the control characters xlsx cannot hold (shown as U+FFFD)."""
    # openpyxl's list misses the noncharacters U+FFFE/U+FFFF, which XML refuses too
    return _NONCHARACTERS.sub("\ufffd", ILLEGAL_CHARACTERS_RE.sub("\ufffd", safe_cell(value)))


def _width(text: str) -> int:
    """Display width of the longest line: wide (CJK) characters count twice."""
    return max(
        (
            sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
            for line in (text.splitlines() or [""])
        ),
        default=0,
    )


def _put(ws: Worksheet, row: int, col: int, value: Cell, widths: dict[int, int]) -> None:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, bool):
        value = "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        cell.value = value
        cell.number_format = "yyyy-mm-dd hh:mm"
        shown = 16
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
        shown = 10
    elif isinstance(value, int | float):
        cell.value = value
        shown = len(f"{value}")
    elif value is None:
        shown = 0
    else:
        text = _text(value)
        cell.value = text
        cell.data_type = "s"  # a string, whatever it looks like: never a formula
        shown = _width(text)
    cell.alignment = _WRAP if shown > 50 else _TOP
    widths[col] = max(widths.get(col, 0), min(shown + 2, 60))


def _table(
    ws: Worksheet, header: Sequence[str], rows: Sequence[Sequence[Cell]], start: int = 1
) -> None:
    widths: dict[int, int] = {}
    for col, title in enumerate(header, start=1):
        _put(ws, start, col, title, widths)
        ws.cell(row=start, column=col).font = _BOLD
    for r, values in enumerate(rows, start=start + 1):
        for col, value in enumerate(values, start=1):
            _put(ws, r, col, value, widths)
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = max(8, width)
    ws.freeze_panes = f"A{start + 1}"
    if rows:
        last = get_column_letter(len(header))
        ws.auto_filter.ref = f"A{start}:{last}{start + len(rows)}"


def _sheet_title(wanted: str, taken: set[str]) -> str:
    base = _SHEET_BAD.sub("-", wanted).strip("'")[:31] or "Sheet"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title


def _date(value: object) -> date | datetime | str | None:
    if value is None or isinstance(value, date):
        return value
    text = str(value)
    for parse in (datetime.fromisoformat, date.fromisoformat):
        try:
            parsed = parse(text.replace("Z", "+00:00"))
        except ValueError:
            continue
        if isinstance(parsed, datetime) and parsed.tzinfo is not None:
            parsed = parsed.replace(tzinfo=None)  # Excel has no time zones
        return parsed
    return text


def _control_row(c: ControlLine, lang: str) -> list[Cell]:
    return [
        c.control_id,
        "★" if c.is_key else "",
        pick(c.title, lang),
        c.documented,
        c.implemented,
        c.na_reason,
        c.result,
        c.score,
        c.evidence_count,
        c.note,
        ", ".join(c.guideline_refs),
        ", ".join(c.iso_refs),
    ]


def _summary(ws: Worksheet, data: AuditReportData, lang: str) -> None:
    period = " – ".join(str(p) for p in (data.period_start, data.period_end) if p)
    s = data.score
    facts: list[tuple[str, Cell]] = [
        ("assessment", data.title),
        ("scope", pick(data.scope, lang)),
        ("period", period),
        ("catalogue", pick(data.catalogue_name, lang)),
        ("catalogue_version", f"{data.catalogue_urn} {data.catalogue_version}".strip()),
        ("report_version", data.version),
        ("lead_auditor", pick(data.lead_auditor, lang)),
        ("exported", data.report_date),
        ("overall_score", s.overall_score),
        ("overall_level", s.overall_level),
        ("coverage", s.overall_coverage),
    ]
    widths: dict[int, int] = {}
    for r, (key, value) in enumerate(facts, start=1):
        _put(ws, r, 1, _label(key, lang), widths)
        ws.cell(row=r, column=1).font = _BOLD
        _put(ws, r, 2, value, widths)
    ws.cell(row=len(facts), column=2).number_format = "0%"
    start = len(facts) + 2
    header = [_label(k, lang) for k in ("domain", "name", "score", "level", "coverage", "rating")]
    rows: list[list[Cell]] = [
        [
            d.domain_id,
            data.domain_name(d.domain_id, lang),
            s.domains[d.domain_id].score if d.domain_id in s.domains else None,
            s.domains[d.domain_id].level if d.domain_id in s.domains else None,
            s.domains[d.domain_id].coverage if d.domain_id in s.domains else None,
            s.domains[d.domain_id].rating if d.domain_id in s.domains else None,
        ]
        for d in data.domains
    ]
    _table(ws, header, rows, start=start)
    ws.freeze_panes = None


def assessment_xlsx(data: AuditReportData, lang: str = "en") -> bytes:
    """The workbook: summary, one sheet per domain, findings, evidence index."""
    lang = _lang(lang)
    wb = Workbook()
    taken: set[str] = set()
    summary = wb.worksheets[0]
    summary.title = _sheet_title(_label("summary", lang), taken)
    _summary(summary, data, lang)
    header = _heads(CONTROL_HEADER, lang)
    for d in data.domains:
        ws = wb.create_sheet(_sheet_title(d.domain_id, taken))
        lines = [c for c in data.controls if c.domain_id == d.domain_id]
        _table(ws, header, [_control_row(c, lang) for c in lines])
    findings = wb.create_sheet(_sheet_title(_label("findings", lang), taken))
    _table(
        findings,
        _heads(FINDING_HEADER, lang),
        [
            [
                f.ref,
                f.grade,
                f.status,
                f.control_id,
                f.statement,
                pick(f.criterion, lang),
                f.evidence_seen,
                pick(f.owner, lang),
                _date(f.due_date),
                "TRUE" if f.overdue else "FALSE",
            ]
            for f in data.findings
        ],
    )
    evidence = wb.create_sheet(_sheet_title(_label("evidence", lang), taken))
    _table(
        evidence,
        _heads(EVIDENCE_HEADER, lang),
        [
            [
                e.filename,
                e.sha256,
                ", ".join(e.controls),
                pick(e.added_by, lang),
                _date(e.added_at),
                _date(e.valid_until),
            ]
            for e in data.evidence
        ],
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def assessment_csv(data: AuditReportData, lang: str = "en") -> bytes:
    """Every control of the assessment as one CSV row (UTF-8 with BOM, formula-guarded)."""
    lang = _lang(lang)
    scope = pick(data.scope, lang)
    return to_csv_bytes(
        CSV_HEADER,
        (
            [
                data.title,
                scope,
                c.domain_id,
                c.control_id,
                c.is_key,
                pick(c.title, lang),
                c.documented,
                c.implemented,
                c.na_reason,
                c.result,
                "" if c.score is None else f"{c.score:g}",
                c.evidence_count,
                c.note,
                c.guideline_refs,
                c.iso_refs,
            ]
            for c in data.controls
        ),
    )
