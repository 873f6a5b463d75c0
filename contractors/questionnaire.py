"""The contractor review questionnaire as an Excel workbook: write it, read a filled one back.

The workbook has an instructions sheet, a questions sheet (header row, one row per question:
``control_id``, domain, question, answer type, ``answer / 回答`` with a drop-down list of the
allowed answers, ``note``, evidence examples), and two hidden sheets: ``meta`` (contractor,
catalogue URN and version, language, SHA-256 of the questions) and ``lists`` (the drop-down
values). Question cells are locked; the answer and note cells are not. Sheet protection only
prevents accidents (it has no password); the checksum and the cell-by-cell comparison with the
catalogue are what detect a changed workbook.

Reading refuses, naming the sheet and cell, anything Kansa did not issue for this contractor
and this catalogue version, or that was changed outside the answer and note cells, or answers
outside the allowed list. It checks the zip container before openpyxl opens it, so a small
file that would inflate to gigabytes is refused unread. No database access here.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from contractors.model import BiText
from controls.model import Lang
from core.errors import Issue, ValidationFailed

FORMAT = "kansa-contractor-questionnaire/1"
SHEET_INSTRUCTIONS = "記入要領 Instructions"
SHEET_QUESTIONS = "設問 Questions"
SHEET_META = "meta"
SHEET_LISTS = "lists"
HEADER = (
    "control_id",
    "領域 / domain",
    "設問 / question",
    "回答形式 / answer type",
    "answer / 回答",
    "note / 備考",
    "証跡の例 / evidence examples",
)
ANSWER_COLUMN, NOTE_COLUMN = 5, 6  # E, F (1-based)
LOCKED_COLUMNS = (1, 2, 3, 4, 7)

MATURITY_CHOICES = (
    "0: 未整備 / none",
    "1: 場当たり的 / ad hoc",
    "2: 一部実施 / partly",
    "3: 定めて概ね実施 / defined, mostly followed",
    "4: 一貫して実施・確認 / consistently followed and checked",
    "5: 測定・改善 / measured and improved",
)
NA_CHOICE = "該当なし / N/A"
YES_CHOICE, NO_CHOICE = "はい / yes", "いいえ / no"
TYPE_LABELS = {
    "maturity": "成熟度 0-5 / maturity 0-5",
    "yes_no": "はい・いいえ / yes or no",
    "date": "日付 / date (YYYY-MM-DD)",
    "text": "記述 / text",
}

MAX_BYTES = 5 * 1024 * 1024
MAX_ENTRIES = 64  # an issued workbook has about 15 parts
MAX_UNZIPPED = 30 * 1024 * 1024
MAX_RATIO = 100  # XML compresses 5-20x; a bomb compresses 1000x
MAX_TEXT = 5000
MAX_ISSUES = 50
_META_KEYS = (
    "format",
    "contractor_id",
    "contractor_code",
    "catalogue_urn",
    "catalogue_version",
    "lang",
    "questions",
    "sha256",
    "issued_on",
)


@dataclass(frozen=True, slots=True)
class Question:
    control_id: str
    domain: BiText
    text: BiText
    answer_type: str  # maturity | yes_no | date | text
    evidence: BiText  # examples, one a line


@dataclass(frozen=True, slots=True)
class QuestionnaireSpec:
    """What an issued workbook must contain: built from the stored catalogue."""

    contractor_id: str
    contractor_code: str
    contractor_name: str
    catalogue_urn: str
    catalogue_version: str
    catalogue_name: BiText
    questions: tuple[Question, ...]

    def rows(self, lang: Lang | str) -> list[tuple[str, ...]]:
        """The locked cells of each question row, as they appear in the workbook."""
        return [
            (
                q.control_id,
                _norm(q.domain.get(lang)),
                _norm(q.text.get(lang)),
                TYPE_LABELS[q.answer_type],
                _norm(q.evidence.get(lang)),
            )
            for q in self.questions
        ]

    def checksum(self, lang: Lang | str) -> str:
        """SHA-256 of what the contractor must not change: identity, header and questions."""
        payload = {
            "format": FORMAT,
            "contractor_id": self.contractor_id,
            "catalogue_urn": self.catalogue_urn,
            "catalogue_version": self.catalogue_version,
            "lang": str(lang),
            "header": list(HEADER),
            "rows": [list(r) for r in self.rows(lang)],
        }
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ImportedAnswer:
    row: int
    control_id: str
    answer_type: str
    level: int | None  # maturity questions: the level (documented = implemented = level)
    value: str | None  # yes/no ("yes"/"no"), date (YYYY-MM-DD) or text questions
    na: bool  # N/A: the note is the reason
    note: str | None


@dataclass(frozen=True, slots=True)
class ImportedWorkbook:
    lang: Lang
    checksum: str
    answers: tuple[ImportedAnswer, ...]  # answered rows only
    unanswered: tuple[str, ...]  # control ids left blank


def _norm(text: object) -> str:
    """Cell text as compared: line ends unified, outer blanks dropped."""
    return str(text).replace("\r\n", "\n").replace("\r", "\n").strip()


def _token(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


# --- writing ------------------------------------------------------------------------------------


def _put(ws: Any, row: int, column: int, value: object) -> Any:
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula
    return cell


def _instructions(ws: Any, spec: QuestionnaireSpec, lang: Lang, issued_on: date) -> None:
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415 -- only when writing

    lines: list[tuple[str, bool]] = [
        (f"{spec.catalogue_name.ja} / {spec.catalogue_name.en}", True),
        (f"委託先 / Contractor: {spec.contractor_name} ({spec.contractor_code})", False),
        (
            f"版 / Version: {spec.catalogue_version}   発行日 / Issued: {issued_on.isoformat()}",
            False,
        ),
        ("", False),
        ("記入方法 / How to fill in", True),
        (
            f"1. 「{SHEET_QUESTIONS}」シートの各設問について、「answer / 回答」列の一覧から回答を"
            "選んでください。日付は YYYY-MM-DD、記述式は文章で記入してください。",
            False,
        ),
        (
            f"   On the '{SHEET_QUESTIONS}' sheet, choose each answer from the list in the "
            "'answer / 回答' column. Enter dates as YYYY-MM-DD and text answers as sentences.",
            False,
        ),
        (
            f"2. 該当しない設問は「{NA_CHOICE}」を選び、理由を「note / 備考」列に"
            "記入してください。",
            False,
        ),
        (
            f"   Where a question does not apply, choose '{NA_CHOICE}' and give the reason in "
            "the 'note / 備考' column.",
            False,
        ),
        (
            "3. 設問、行、シートは変更・削除・追加しないでください。変更されたファイルは"
            "取り込めません。",
            False,
        ),
        (
            "   Do not change, delete or add questions, rows or sheets: a changed workbook "
            "cannot be imported.",
            False,
        ),
        ("4. 証跡の例に挙げた資料を、このファイルとあわせてご提出ください。", False),
        ("   Send the documents listed as evidence examples together with this file.", False),
        ("", False),
        ("成熟度 / Maturity levels", True),
        *((f"   {choice}", False) for choice in MATURITY_CHOICES),
    ]
    for i, (text, bold) in enumerate(lines, start=1):
        cell = _put(ws, i, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True, size=12 if i == 1 else 11)
    ws.column_dimensions["A"].width = 110
    ws.protection.sheet = True


def _validations(ws: Any) -> dict[str, Any]:
    """The drop-down lists and length limits of the answer and note cells, by answer type."""
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415

    n_maturity = len(MATURITY_CHOICES) + 1
    found = {
        "maturity": DataValidation(type="list", formula1=f"={SHEET_LISTS}!$A$1:$A${n_maturity}"),
        "yes_no": DataValidation(type="list", formula1=f"={SHEET_LISTS}!$B$1:$B$3"),
        "text": DataValidation(
            type="textLength", operator="lessThanOrEqual", formula1=str(MAX_TEXT)
        ),
    }
    prompts = {
        "maturity": "0-5 を選択。該当なしは備考に理由 / Choose 0-5; for N/A give the reason",
        "yes_no": "はい・いいえ・該当なし / yes, no or N/A",
        "text": f"{MAX_TEXT}字以内 / at most {MAX_TEXT} characters",
    }
    for kind, dv in found.items():
        dv.allow_blank, dv.showErrorMessage, dv.prompt = True, True, prompts[kind]
        dv.error = "一覧から選んでください / Choose from the list"
        ws.add_data_validation(dv)
    return found


def _date_validation(ws: Any, cell: Any) -> None:
    """A date or N/A (a list cannot offer both)."""
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415

    ref = cell.coordinate
    dv = DataValidation(
        type="custom",
        formula1=f'OR(ISNUMBER({ref}),{ref}="{NA_CHOICE}")',
        allow_blank=True,
        showErrorMessage=True,
        error="日付または該当なし / a date or N/A",
        prompt="YYYY-MM-DD / 該当なし N/A",
    )
    ws.add_data_validation(dv)
    dv.add(cell)
    cell.number_format = "yyyy-mm-dd"


def _questions_sheet(ws: Any, spec: QuestionnaireSpec, lang: Lang) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection  # noqa: PLC0415

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    for column, title in enumerate(HEADER, start=1):
        cell = _put(ws, 1, column, title)
        cell.font, cell.fill = bold, fill
    checks = _validations(ws)
    wrap, answer_fill = (
        Alignment(wrap_text=True, vertical="top"),
        PatternFill("solid", fgColor="FFF8DC"),
    )
    for r, (q, cells) in enumerate(zip(spec.questions, spec.rows(lang), strict=True), start=2):
        for column, value in zip(LOCKED_COLUMNS, cells, strict=True):
            _put(ws, r, column, value).alignment = wrap
        answer, note = ws.cell(row=r, column=ANSWER_COLUMN), ws.cell(row=r, column=NOTE_COLUMN)
        for cell in (answer, note):
            cell.protection = Protection(locked=False)
            cell.alignment, cell.fill = wrap, answer_fill
        if q.answer_type == "date":
            _date_validation(ws, answer)
        else:
            checks.get(q.answer_type, checks["text"]).add(answer)
        checks["text"].add(note)
    for letter, width in zip("ABCDEFG", (12, 18, 60, 16, 30, 40, 36), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths and heights may change: they are not content
    ws.protection.formatRows = False


def build_workbook(
    spec: QuestionnaireSpec, lang: Lang | str = Lang.JA, *, issued_on: date | None = None
) -> bytes:
    """The questionnaire workbook (.xlsx bytes) for ``spec``, questions in ``lang``."""
    from openpyxl import Workbook  # noqa: PLC0415 -- ~0.1 s, only when writing
    from openpyxl.workbook.protection import WorkbookProtection  # noqa: PLC0415

    language = Lang(lang)
    day = issued_on or date.today()
    wb = Workbook()
    first = wb.worksheets[0]
    first.title = SHEET_INSTRUCTIONS
    _instructions(first, spec, language, day)
    _questions_sheet(wb.create_sheet(SHEET_QUESTIONS), spec, language)
    meta, lists = wb.create_sheet(SHEET_META), wb.create_sheet(SHEET_LISTS)
    for i, choice in enumerate((*MATURITY_CHOICES, NA_CHOICE), start=1):
        lists.cell(row=i, column=1, value=choice)
    for i, choice in enumerate((YES_CHOICE, NO_CHOICE, NA_CHOICE), start=1):
        lists.cell(row=i, column=2, value=choice)
    values: dict[str, object] = {
        "format": FORMAT,
        "contractor_id": spec.contractor_id,
        "contractor_code": spec.contractor_code,
        "catalogue_urn": spec.catalogue_urn,
        "catalogue_version": spec.catalogue_version,
        "lang": language.value,
        "questions": len(spec.questions),
        "sha256": spec.checksum(language),
        "issued_on": day.isoformat(),
    }
    for r, key in enumerate(_META_KEYS, start=1):
        _put(meta, r, 1, key)
        _put(meta, r, 2, values[key])
    for hidden in (meta, lists):
        hidden.sheet_state = "hidden"
        hidden.protection.sheet = True
    wb.active = 1
    wb.security = WorkbookProtection(lockStructure=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading ------------------------------------------------------------------------------------


# "<!DOCTYPE" / "<!ENTITY" as UTF-8 and as UTF-16 (either byte order) XML would spell them.
_DTD_MARKS = tuple(
    mark.encode(codec)
    for mark in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("utf-8", "utf-16-le", "utf-16-be")
)


def _refuse(file: str, field: str, message: str, line: int = 1) -> ValidationFailed:
    return ValidationFailed([Issue(file, line, field, message + "; nothing was imported")])


def _check_container(file: str, data: bytes) -> None:
    """Refuse what is not an .xlsx, or inflates far beyond its size, before anything parses it."""
    if len(data) > MAX_BYTES:
        raise _refuse(file, "(file)", f"the file is larger than {MAX_BYTES // 1_048_576} MB")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _refuse(file, "(file)", "not an .xlsx workbook (not a zip archive)") from exc
    if len(entries) > MAX_ENTRIES:
        raise _refuse(
            file, "(file)", f"the archive holds {len(entries)} parts (at most {MAX_ENTRIES})"
        )
    declared = sum(e.file_size for e in entries)
    if declared > MAX_UNZIPPED:
        raise _refuse(
            file,
            "(file)",
            f"the workbook would unpack to {declared / 1_048_576:.0f} MB "
            f"(at most {MAX_UNZIPPED // 1_048_576} MB): refused as a possible zip bomb",
        )
    for e in entries:
        if e.file_size > 1_000_000 and e.file_size > MAX_RATIO * max(e.compress_size, 1):
            raise _refuse(
                file,
                "(file)",
                f"{e.filename[:60]} inflates {e.file_size // max(e.compress_size, 1)}-fold: "
                "refused as a possible zip bomb",
            )
    names = {e.filename for e in entries}
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        raise _refuse(file, "(file)", "not an .xlsx workbook (no workbook part in the archive)")
    # A workbook never needs a DTD: one in any part is an entity trick (billion laughs, an
    # external entity naming a local file), refused before any XML parser sees it. The parts
    # were bounded above, so reading them is cheap.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for e in entries:
            if e.filename.startswith("xl/media/"):
                continue
            if any(mark in archive.read(e) for mark in _DTD_MARKS):
                raise _refuse(
                    file,
                    "(file)",
                    f"{e.filename[:60]} declares a DTD or entities, which no workbook needs",
                )


def _rows(sheet: Any, limit: int) -> Iterator[tuple[Any, ...]]:
    # The stored dimension may be wrong (some tools write "A1"): read what is really there.
    sheet.reset_dimensions()
    for i, row in enumerate(sheet.iter_rows(values_only=True)):
        if i >= limit:
            return
        yield tuple(row)


def _cell(rows: list[tuple[Any, ...]], row: int, column: int) -> Any:
    if row - 1 < len(rows) and column - 1 < len(rows[row - 1]):
        return rows[row - 1][column - 1]
    return None


def _letter(column: int) -> str:
    """1 -> A, 27 -> AA."""
    name = ""
    while column:
        column, rest = divmod(column - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def read_workbook(file: str, data: bytes, spec: QuestionnaireSpec) -> ImportedWorkbook:
    """Validate every cell of a filled questionnaire against ``spec``; raise one
    ``ValidationFailed`` naming each bad sheet and cell, or return the answers."""
    _check_container(file, data)
    from openpyxl import load_workbook  # noqa: PLC0415 -- only when reading

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise _refuse(
            file, "(file)", f"not a readable .xlsx workbook ({type(exc).__name__})"
        ) from exc
    try:
        for name in (SHEET_QUESTIONS, SHEET_META):
            if name not in wb.sheetnames:
                raise _refuse(
                    file,
                    name,
                    f"the sheet '{name}' is missing: this is not the questionnaire Kansa issued",
                )
        try:
            meta = list(_rows(wb[SHEET_META], 40))
            rows = list(_rows(wb[SHEET_QUESTIONS], len(spec.questions) + 200))
        except Exception as exc:  # the sheets are parsed lazily, while their rows are read
            raise _refuse(file, "(file)", f"a sheet cannot be read ({type(exc).__name__})") from exc
    finally:
        wb.close()
    lang = _check_meta(file, meta, spec)
    issues = _check_questions(file, rows, spec, lang)
    answers, unanswered = _read_answers(file, rows, spec, issues)
    if issues:
        raise ValidationFailed(
            [*issues[:MAX_ISSUES], Issue(file, 1, "(file)", "nothing was imported")]
        )
    return ImportedWorkbook(lang, spec.checksum(lang), tuple(answers), tuple(unanswered))


def _check_meta(file: str, meta: list[tuple[Any, ...]], spec: QuestionnaireSpec) -> Lang:
    found: dict[str, tuple[int, str]] = {}
    for r, row in enumerate(meta, start=1):
        if row and row[0] is not None:
            found[str(row[0])] = (r, "" if len(row) < 2 or row[1] is None else _norm(row[1]))

    def at(key: str) -> tuple[str, str]:
        r, value = found.get(key, (_META_KEYS.index(key) + 1, ""))
        return f"{SHEET_META}!B{r}", value

    where, value = at("format")
    if value != FORMAT:
        raise _refuse(file, where, "not a questionnaire issued by Kansa (format mark missing)")
    where, value = at("contractor_id")
    if value != spec.contractor_id:
        code = at("contractor_code")[1] or "another contractor"
        raise _refuse(
            file,
            where,
            f"this workbook was issued to {code}, not to {spec.contractor_name} "
            f"({spec.contractor_code})",
        )
    where, value = at("catalogue_urn")
    if value != spec.catalogue_urn:
        raise _refuse(file, where, f"this workbook is for {value!r}, not {spec.catalogue_urn}")
    where, value = at("catalogue_version")
    if value != spec.catalogue_version:
        raise _refuse(
            file,
            where,
            f"this workbook was issued for version {value!r} of the questionnaire; the current "
            f"version is {spec.catalogue_version}: send the contractor a new questionnaire",
        )
    where, value = at("lang")
    if value not in ("ja", "en"):
        raise _refuse(file, where, f"unknown language {value!r}")
    lang = Lang(value)
    where, value = at("sha256")
    if value != spec.checksum(lang):
        raise _refuse(
            file,
            where,
            "the checksum does not match the questions of this questionnaire: the workbook "
            "was altered",
        )
    return lang


def _check_questions(
    file: str, rows: list[tuple[Any, ...]], spec: QuestionnaireSpec, lang: Lang
) -> list[Issue]:
    issues: list[Issue] = []

    def bad(row: int, column: int, message: str) -> None:
        issues.append(Issue(file, row, f"{SHEET_QUESTIONS}!{_letter(column)}{row}", message))

    for column, title in enumerate(HEADER, start=1):
        value = _cell(rows, 1, column)
        if _norm(value if value is not None else "") != title:
            bad(1, column, f"the header was changed (expected {title!r})")
    last = len(spec.questions) + 1
    for r, expected in enumerate(spec.rows(lang), start=2):
        control = _cell(rows, r, 1)
        if control is None or _norm(control) != expected[0]:
            shown = "an empty row" if control is None else repr(_norm(control)[:40])
            bad(
                r,
                1,
                f"expected question {expected[0]} here, found {shown}: question rows were "
                "removed, added or moved",
            )
            return issues  # every later row is shifted: one message says it
        for column, text in zip(LOCKED_COLUMNS[1:], expected[1:], strict=True):
            value = _cell(rows, r, column)
            if _norm(value if value is not None else "") != text:
                bad(r, column, f"the question text of {expected[0]} was changed")
    for r, row in enumerate(rows[:last], start=1):
        extra = [i for i, v in enumerate(row[len(HEADER) :], start=len(HEADER) + 1) if v]
        if extra:
            bad(r, extra[0], "text outside the answer and note columns is not imported")
    for r in range(last + 1, len(rows) + 1):
        if any(v is not None and _norm(v) for v in rows[r - 1]):
            bad(r, 1, "a row was added below the questions")
            break
    return issues


def _choices(answer_type: str) -> dict[str, str]:
    """Accepted spellings (normalised) -> canonical answer, for list questions."""
    accepted: dict[str, str] = {}
    na = {NA_CHOICE, "N/A", "NA", "該当なし", "not applicable"}
    if answer_type == "maturity":
        for level, label in enumerate(MATURITY_CHOICES):
            for spelling in (label, str(level), *label.split(": ", 1)[1].split(" / ")):
                accepted.setdefault(_token(spelling), str(level))
    elif answer_type == "yes_no":
        for label, value in ((YES_CHOICE, "yes"), (NO_CHOICE, "no")):
            for spelling in (label, *label.split(" / ")):
                accepted[_token(spelling)] = value
    accepted.update({_token(s): "n/a" for s in na})
    return accepted


def _as_date(value: object) -> str | None:
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        text = _norm(value)
        if not re.fullmatch(r"\d{4}[-/]\d{1,2}[-/]\d{1,2}", text):
            return None
        try:
            day = date(*(int(p) for p in re.split(r"[-/]", text)))
        except ValueError:
            return None
    return day.isoformat() if 1990 <= day.year <= 2200 else None


def _read_row(  # noqa: PLR0911 -- one early return per rule reads best
    file: str, r: int, q: Question, raw: object, raw_note: object
) -> ImportedAnswer | Issue | None:
    """One question row: its answer, the problem with it, or None when left blank."""
    where_a = f"{SHEET_QUESTIONS}!{_letter(ANSWER_COLUMN)}{r}"
    where_n = f"{SHEET_QUESTIONS}!{_letter(NOTE_COLUMN)}{r}"
    note = None if raw_note is None else _norm(raw_note) or None
    if note is not None and (note.startswith("=") or len(note) > MAX_TEXT):
        return Issue(file, r, where_n, f"a formula or more than {MAX_TEXT} characters")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = "" if raw is None else _norm(raw)
    if not text:
        return Issue(file, r, where_a, f"{q.control_id} has a note but no answer") if note else None
    if text.startswith("=") or len(text) > MAX_TEXT:
        return Issue(file, r, where_a, f"a formula or more than {MAX_TEXT} characters")
    canonical = _choices(q.answer_type).get(_token(text))
    if canonical == "n/a":
        if not note:
            return Issue(file, r, where_n, f"{q.control_id} is N/A: give the reason in the note")
        return ImportedAnswer(r, q.control_id, q.answer_type, None, None, True, note)
    level = int(canonical) if q.answer_type == "maturity" and canonical is not None else None
    value = {
        "maturity": None,
        "yes_no": canonical,
        "date": _as_date(raw) if q.answer_type == "date" else None,
    }.get(q.answer_type, text)
    if level is None and value is None:
        allowed = {
            "maturity": ", ".join((*MATURITY_CHOICES, NA_CHOICE)),
            "yes_no": f"{YES_CHOICE}, {NO_CHOICE}, {NA_CHOICE}",
            "date": f"a date (YYYY-MM-DD) or {NA_CHOICE}",
        }[q.answer_type]
        return Issue(
            file,
            r,
            where_a,
            f"{text[:40]!r} is not an allowed answer to {q.control_id} ({allowed})",
        )
    return ImportedAnswer(r, q.control_id, q.answer_type, level, value, False, note)


def _read_answers(
    file: str, rows: list[tuple[Any, ...]], spec: QuestionnaireSpec, issues: list[Issue]
) -> tuple[list[ImportedAnswer], list[str]]:
    answers: list[ImportedAnswer] = []
    unanswered: list[str] = []
    for r, q in enumerate(spec.questions, start=2):
        found = _read_row(file, r, q, _cell(rows, r, ANSWER_COLUMN), _cell(rows, r, NOTE_COLUMN))
        if found is None:
            unanswered.append(q.control_id)
        elif isinstance(found, Issue):
            issues.append(found)
        else:
            answers.append(found)
    return answers, unanswered
