"""The catalogue loader: every problem reported with file, line and field; valid files load.

The broken corpus lives in ``tests/fixtures/catalogues/broken/``. Each file states the issues it
must produce in its leading comments, one per line::

    # expect: LINE: FIELD: MESSAGE-SUBSTRING

LINE counts every line of that file (comments included), FIELD is matched exactly and
MESSAGE-SUBSTRING must occur in the reported message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from controls.loader import load_catalogue, parse_catalogue
from core.errors import Issue, ValidationFailed
from core.settings import LIBRARY_DIR, MAX_CATALOGUE_BYTES
from demo.synthetic import catalogue_yaml

BROKEN_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "catalogues" / "broken"
BROKEN_FILES = sorted(BROKEN_DIR.glob("*.yaml"))
LIBRARY_FILES = sorted(LIBRARY_DIR.glob("*.yaml"))

EXPECT_PREFIX = "# expect: "

# A small valid catalogue; tests below break or extend it. Line numbers are 1-based.
VALID = """\
urn: urn:kansa:catalogue:loader-test
version: "1.0"
name: {en: Loader test, ja: ローダーのテスト}
domains:
  - id: ORG
    name: {en: Organization, ja: 組織}
    controls:
      - id: ORG-01
        title: {en: Responsible person, ja: 責任者の任命}
        requirement: {en: A responsible person is appointed., ja: 責任者が任命されている。}
        guidance: {en: [Appoint in writing], ja: [書面で任命する]}
        refs:
          appi_guideline: ["10-3(1)"]
          iso27001_2022: ["5.2"]
        evidence_hints: {en: [Appointment letter], ja: [任命書]}
"""


@dataclass(frozen=True)
class Expected:
    line: int
    field: str
    message: str

    def matches(self, issue: Issue) -> bool:
        return (
            issue.line == self.line and issue.field == self.field and self.message in issue.message
        )


def expectations(path: Path) -> list[Expected]:
    """The ``# expect:`` lines of a corpus file."""
    found = []
    # split("\n"), not splitlines(): a corpus file may hold control characters on purpose.
    for text in path.read_bytes().decode("utf-8").split("\n"):
        if text.startswith(EXPECT_PREFIX):
            line, field, message = text.removeprefix(EXPECT_PREFIX).split(": ", 2)
            found.append(Expected(int(line), field, message))
    return found


def issues_of(raw: bytes, file: str = "test.yaml") -> tuple[Issue, ...]:
    with pytest.raises(ValidationFailed) as caught:
        parse_catalogue(raw, file)
    return caught.value.issues


def test_corpus_is_there_and_every_file_declares_expectations() -> None:
    assert len(BROKEN_FILES) >= 20
    for path in BROKEN_FILES:
        assert expectations(path), f"{path.name} has no '{EXPECT_PREFIX}' line"


@pytest.mark.parametrize("path", BROKEN_FILES, ids=[p.name for p in BROKEN_FILES])
def test_broken_catalogue_reports_expected_issues(path: Path) -> None:
    with pytest.raises(ValidationFailed) as caught:
        load_catalogue(path, display_name=path.name)
    issues = caught.value.issues
    reported = "\n".join(f"  {issue}" for issue in issues)

    assert issues, "ValidationFailed raised without any issue"
    assert all(issue.file == path.name for issue in issues), reported
    missing = [e for e in expectations(path) if not any(e.matches(i) for i in issues)]
    assert not missing, (
        "expected issues not reported:\n"
        + "\n".join(f"  {path.name}:{e.line}: {e.field}: ...{e.message}..." for e in missing)
        + f"\nreported:\n{reported}"
    )


@pytest.mark.parametrize("path", BROKEN_FILES, ids=[p.name for p in BROKEN_FILES])
def test_issues_are_sorted_by_line(path: Path) -> None:
    with pytest.raises(ValidationFailed) as caught:
        load_catalogue(path, display_name=path.name)
    lines = [issue.line for issue in caught.value.issues]
    assert lines == sorted(lines)


def test_issues_from_yaml_model_and_id_checks_are_merged_in_line_order() -> None:
    """several-errors.yaml mixes the three sources of issues: the YAML builder (duplicate key),
    the pydantic model, and the duplicate-id pass that runs last."""
    path = BROKEN_DIR / "several-errors.yaml"
    with pytest.raises(ValidationFailed) as caught:
        load_catalogue(path, display_name=path.name)
    issues = caught.value.issues
    lines = [issue.line for issue in issues]

    assert lines == sorted(lines)
    assert len(set(lines)) >= 8  # really several lines, not one problem reported many times
    messages = [issue.message for issue in issues]
    assert any("duplicate key" in m for m in messages)
    assert any("duplicate control id" in m for m in messages)
    assert any("unknown key" in m for m in messages)


def test_default_display_name_is_the_path() -> None:
    path = BROKEN_DIR / "bad-scale.yaml"
    with pytest.raises(ValidationFailed) as caught:
        load_catalogue(path)
    assert {issue.file for issue in caught.value.issues} == {str(path)}


def test_a_missing_file_is_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(ValidationFailed) as caught:
        load_catalogue(path, display_name="nowhere.yaml")
    (issue,) = caught.value.issues
    assert (issue.file, issue.line, issue.field) == ("nowhere.yaml", 1, "(file)")
    assert "cannot read" in issue.message


def test_shipped_library_is_not_empty() -> None:
    assert len(LIBRARY_FILES) >= 3


@pytest.mark.parametrize("path", LIBRARY_FILES, ids=[p.name for p in LIBRARY_FILES])
def test_shipped_catalogue_validates(path: Path) -> None:
    loaded = load_catalogue(path)
    controls = loaded.catalogue.controls()
    assert controls
    assert len({c.id for _, c in controls}) == len(controls)
    assert len(loaded.sha256) == 64


def test_the_base_catalogue_used_here_is_valid() -> None:
    catalogue = parse_catalogue(VALID.encode(), "valid.yaml")
    assert [c.id for _, c in catalogue.controls()] == ["ORG-01"]


def test_a_file_over_the_size_limit_is_refused_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(
        b"# padding padding padding padding padding padding padding padding\n" * 160_000
    )
    assert path.stat().st_size > 10_000_000

    def refuse_to_read(self: Path) -> bytes:
        raise AssertionError(f"{self} was read although it is over the size limit")

    monkeypatch.setattr(Path, "read_bytes", refuse_to_read)
    with pytest.raises(ValidationFailed) as caught:
        load_catalogue(path, display_name="huge.yaml")

    (issue,) = caught.value.issues
    assert (issue.file, issue.line, issue.field) == ("huge.yaml", 1, "(file)")
    assert "MB" in issue.message


def test_bytes_over_the_size_limit_are_refused_by_parse_too() -> None:
    (issue,) = issues_of(b"#" * (MAX_CATALOGUE_BYTES + 1))
    assert (issue.line, issue.field) == (1, "(file)")
    assert "MB" in issue.message


def test_a_file_exactly_at_the_size_limit_is_accepted() -> None:
    text = VALID.encode()
    padding = b"#" * (MAX_CATALOGUE_BYTES - len(text) - 1) + b"\n"
    raw = text + padding
    assert len(raw) == MAX_CATALOGUE_BYTES
    assert parse_catalogue(raw, "at-limit.yaml").urn == "urn:kansa:catalogue:loader-test"


@pytest.mark.parametrize(
    ("line", "bad_bytes"),
    [
        (1, b"\xff"),  # a byte that never occurs in UTF-8, on the first line
        (9, b"\xff\xfe"),  # in the title line of the control
        (15, "任命書".encode()[:2]),  # a multi-byte character cut short on the last line
    ],
    ids=["first-line", "middle-line", "truncated-character-last-line"],
)
def test_invalid_utf8_reports_the_line_it_is_on(line: int, bad_bytes: bytes) -> None:
    lines = VALID.encode().split(b"\n")
    lines[line - 1] += bad_bytes
    (issue,) = issues_of(b"\n".join(lines), "bad-utf8.yaml")
    assert (issue.file, issue.line, issue.field) == ("bad-utf8.yaml", line, "(file)")
    assert "UTF-8" in issue.message


@pytest.mark.parametrize(
    "raw",
    [b"", b"\n\n", b"   \n", b"# only a comment\n"],
    ids=["empty", "newlines", "spaces", "comment"],
)
def test_an_empty_file_is_refused(raw: bytes) -> None:
    (issue,) = issues_of(raw, "empty.yaml")
    assert (issue.file, issue.line, issue.field) == ("empty.yaml", 1, "(file)")
    assert "empty" in issue.message


def test_synthetic_catalogue_of_50_controls_parses() -> None:
    catalogue = parse_catalogue(catalogue_yaml(50).encode(), "synthetic.yaml")
    controls = catalogue.controls()
    assert len(controls) == 50
    assert len({c.id for _, c in controls}) == 50


FORMULA_TEXTS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.com","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
]


def test_formula_looking_text_survives_as_plain_text() -> None:
    """The loader keeps text as written; guarding formulas is the CSV exporter's job."""
    catalogue_text = VALID
    # JSON strings are valid YAML double-quoted scalars.
    catalogue_text = catalogue_text.replace(
        "{en: Responsible person, ja: 責任者の任命}",
        f"{{en: {json.dumps(FORMULA_TEXTS[0])}, ja: {json.dumps(FORMULA_TEXTS[1])}}}",
    ).replace(
        "{en: [Appoint in writing], ja: [書面で任命する]}",
        "{en: [" + ", ".join(json.dumps(t) for t in FORMULA_TEXTS) + "], ja: [書面で任命する]}",
    )
    assert catalogue_text != VALID

    catalogue = parse_catalogue(catalogue_text.encode(), "formulas.yaml")
    (_, control) = catalogue.controls()[0]
    assert control.title.en == FORMULA_TEXTS[0]
    assert control.title.ja == FORMULA_TEXTS[1]
    assert control.guidance.en == FORMULA_TEXTS


def test_unquoted_formula_is_plain_text_too() -> None:
    catalogue_text = VALID.replace("ja: 責任者の任命}", "ja: =cmd|' /C calc'!A0}")
    catalogue = parse_catalogue(catalogue_text.encode(), "formula.yaml")
    assert catalogue.controls()[0][1].title.ja == "=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("prefix", "newline"),
    [(b"\xef\xbb\xbf", b"\n"), (b"", b"\r\n"), (b"\xef\xbb\xbf", b"\r\n")],
    ids=["bom", "crlf", "bom-crlf"],
)
def test_bom_and_windows_line_endings_keep_files_valid_and_lines_right(
    prefix: bytes, newline: bytes
) -> None:
    """Files saved by Windows editors (BOM, CRLF) load, and issues keep their line numbers."""
    valid = prefix + VALID.encode().replace(b"\n", newline)
    assert parse_catalogue(valid, "windows.yaml").urn == "urn:kansa:catalogue:loader-test"

    path = BROKEN_DIR / "several-errors.yaml"
    unix = issues_of(path.read_bytes(), path.name)
    windows = issues_of(prefix + path.read_bytes().replace(b"\n", newline), path.name)
    assert windows == unix
