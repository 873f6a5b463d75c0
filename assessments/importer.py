"""Read bulk answers from CSV or Excel: columns control_id, documented, implemented,
na_reason, note. Every bad row is reported with its line number; nothing is returned unless
every row is good."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator

from assessments.model import Answer
from core.errors import Issue, ValidationFailed

COLUMNS = ("control_id", "documented", "implemented", "na_reason", "note")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000  # far above any catalogue; refuses runaway files early
MAX_UNZIPPED = 50 * 1024 * 1024  # an .xlsx is a zip: refuse one that inflates beyond this
MAX_TEXT = 5000
# C0 controls but tab and line ends, DEL: nothing a person types into a note.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# "<!DOCTYPE" / "<!ENTITY" as UTF-8 and as UTF-16 (either byte order) XML would spell them.
_DTD_MARKS = tuple(
    mark.encode(codec)
    for mark in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("utf-8", "utf-16-le", "utf-16-be")
)


def _cells_csv(data: bytes, file: str) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValidationFailed([Issue(file, line, "(file)", "not UTF-8 text")]) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise ValidationFailed([Issue(file, reader.line_num, "(file)", str(exc))]) from exc


def _unreadable(file: str, exc: Exception) -> ValidationFailed:
    return ValidationFailed(
        [Issue(file, 1, "(file)", f"not a readable .xlsx workbook ({type(exc).__name__})")]
    )


def _check_archive(data: bytes, file: str) -> None:
    """Refuse a workbook that inflates too far or declares a DTD, before any XML is parsed.

    Office never writes a DTD into a workbook part; one there can only be an entity trick
    (billion laughs, an external entity naming a local file), so it is refused outright rather
    than left to the XML parser's own limits.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
        if sum(i.file_size for i in entries) > MAX_UNZIPPED:
            raise ValidationFailed(
                [Issue(file, 1, "(file)", "the workbook unpacks to more than 50 MB")]
            )
        for entry in entries:
            # Every part but pictures is XML (.xml, .rels, .vml, ...) whatever its name says.
            if not entry.filename.startswith("xl/media/") and any(
                mark in archive.read(entry) for mark in _DTD_MARKS
            ):
                raise ValidationFailed(
                    [
                        Issue(
                            file,
                            1,
                            "(file)",
                            f"{entry.filename[:60]} declares a DTD or entities, which "
                            "workbooks never do: refused as an XML entity attack",
                        )
                    ]
                )


def _cells_xlsx(data: bytes, file: str) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook  # noqa: PLC0415 -- only for Excel files

    try:
        _check_archive(data, file)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except ValidationFailed:
        raise
    except Exception as exc:
        raise _unreadable(file, exc) from exc
    try:
        sheet = workbook.worksheets[0]
        # read_only: the sheet's XML is parsed while the rows are read, so a broken part fails
        # here, and is reported like any other unreadable workbook.
        rows = enumerate(sheet.iter_rows(values_only=True), start=1)
        while True:
            try:
                number, row = next(rows)
            except StopIteration:
                return
            except Exception as exc:
                raise _unreadable(file, exc) from exc
            # read_only + data_only=False: a formula cell reads as its text "=...", which the
            # row check refuses.
            yield number, ["" if v is None else _text(v) for v in row]
    finally:
        workbook.close()


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_answers(file: str, data: bytes, known_controls: Iterable[str]) -> list[tuple[int, Answer]]:
    """Parse and validate every row; raise one ``ValidationFailed`` listing all bad rows."""
    if len(data) > MAX_BYTES:
        raise ValidationFailed(
            [Issue(file, 1, "(file)", f"the file is larger than {MAX_BYTES // 1_048_576} MB")]
        )
    is_excel = file.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK"
    rows = []
    for line, cells in _cells_xlsx(data, file) if is_excel else _cells_csv(data, file):
        rows.append((line, cells))
        if len(rows) > MAX_ROWS + 1:  # the header plus MAX_ROWS answers
            raise ValidationFailed(
                [Issue(file, line, "(file)", f"more than {MAX_ROWS} rows; nothing was imported")]
            )
    known = set(known_controls)
    issues: list[Issue] = []
    answers: list[tuple[int, Answer]] = []
    seen: dict[str, int] = {}
    header: list[str] | None = None
    for line, cells in rows:
        if header is None:
            header = [c.strip().lower().lstrip("\ufeff") for c in cells]
            missing = [c for c in COLUMNS[:3] if c not in header]
            if missing:
                issues.append(
                    Issue(
                        file,
                        line,
                        "(header)",
                        f"missing columns: {', '.join(missing)} (expected {', '.join(COLUMNS)})",
                    )
                )
                break
            continue
        values = {
            name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)
        }
        if not any(values.get(c) for c in COLUMNS):
            continue  # a blank line
        problem, answer = _row(values, known, seen, line)
        if problem:
            field, message = problem
            issues.append(Issue(file, line, field, message))
        elif answer is not None:
            seen[answer.control_id] = line
            answers.append((line, answer))
    if header is None:
        issues.append(Issue(file, 1, "(file)", "the file is empty"))
    if issues:
        raise ValidationFailed(issues)
    return answers


def _score(text: str, field: str) -> tuple[int | None, tuple[str, str] | None]:
    if text == "":
        return None, None
    try:
        value = float(text)
    except ValueError:
        return None, (field, f"{text[:20]!r} is not a number 0-5")
    if not value.is_integer() or not 0 <= value <= 5:
        return None, (field, f"{text[:20]} is outside 0-5 (whole numbers only)")
    return int(value), None


def _row(  # noqa: PLR0911 -- one early return per rule reads best
    values: dict[str, str], known: set[str], seen: dict[str, int], line: int
) -> tuple[tuple[str, str] | None, Answer | None]:
    for name, text in values.items():
        if text.startswith("="):
            return (name, "looks like a spreadsheet formula; formulas are not imported"), None
        if len(text) > MAX_TEXT:
            return (name, f"longer than {MAX_TEXT} characters"), None
        if control := _CONTROL.search(text):
            return (name, f"holds a control character (U+{ord(control[0]):04X})"), None
    control_id = values.get("control_id", "")
    if control_id not in known:
        return ("control_id", f"unknown control {control_id[:40]!r} for this catalogue"), None
    if control_id in seen:
        return ("control_id", f"{control_id} appears twice (also line {seen[control_id]})"), None
    documented, problem = _score(values.get("documented", ""), "documented")
    if problem:
        return problem, None
    implemented, problem = _score(values.get("implemented", ""), "implemented")
    if problem:
        return problem, None
    na_reason = values.get("na_reason") or None
    note = values.get("note") or None
    if na_reason is not None and (documented is not None or implemented is not None):
        return ("na_reason", "N/A rows leave documented and implemented empty"), None
    if na_reason is None and (documented is None or implemented is None):
        return (
            "documented",
            "give both documented and implemented (0-5), or N/A with a reason",
        ), None
    return None, Answer(control_id, documented, implemented, na_reason, note)
