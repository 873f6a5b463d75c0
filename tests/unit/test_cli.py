"""The `kansa` command line: exit codes, one line per problem on stderr, JSON output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import cli
from controls.loader import load_catalogue
from controls.service import validate_files
from core.errors import ValidationFailed
from core.settings import LIBRARY_DIR

BROKEN_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "catalogues" / "broken"
ISSUE_LINE = re.compile(
    r"^(?P<file>[^:\n]+):(?P<line>[1-9]\d*): (?P<field>\S+): (?P<message>\S.*)$"
)

CATALOGUE = """\
urn: urn:kansa:catalogue:cli-test
version: "1.0"
name: {{en: CLI test, ja: CLIのテスト}}
domains:
  - id: ORG
    name: {{en: Organization, ja: 組織}}
    controls:
      - id: ORG-01
        title: {{en: {title}, ja: 責任者の任命}}
        requirement: {{en: A responsible person is appointed., ja: 責任者が任命されている。}}
        guidance: {{en: [Appoint in writing], ja: [書面で任命する]}}
        evidence_hints: {{en: [Appointment letter], ja: [任命書]}}
"""


def kansa(tmp_path: Path, *args: str) -> int:
    return cli.main(["--data-dir", str(tmp_path / "data"), *args])


def test_validate_a_valid_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = LIBRARY_DIR / "appi-security-measures.yaml"

    assert kansa(tmp_path, "catalogue", "validate", str(path)) == 0

    out, err = capsys.readouterr()
    assert err == ""
    assert "valid" in out
    assert "urn:kansa:catalogue:appi-security-measures" in out


def test_validate_broken_files_prints_one_line_per_issue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = [BROKEN_DIR / "several-errors.yaml", BROKEN_DIR / "duplicate-key.yaml"]
    with pytest.raises(ValidationFailed) as caught:
        validate_files(paths)
    expected = [str(issue) for issue in caught.value.issues]

    assert kansa(tmp_path, "catalogue", "validate", *map(str, paths)) == 1

    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert lines == expected
    matches = [ISSUE_LINE.match(line) for line in lines]
    for line, match in zip(lines, matches, strict=True):
        assert match, f"not FILE:LINE: field: message -> {line!r}"
    assert {Path(m["file"]).name for m in matches if m} == {p.name for p in paths}
    assert len(lines) >= 10  # several-errors.yaml alone has nine problems


def test_validate_a_valid_and_a_broken_file_fails_as_a_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    valid = LIBRARY_DIR / "appi-security-measures.yaml"
    broken = BROKEN_DIR / "bad-scale.yaml"

    assert kansa(tmp_path, "catalogue", "validate", str(valid), str(broken)) == 1

    out, err = capsys.readouterr()
    assert out == ""  # nothing is reported valid unless everything is
    (line,) = err.splitlines()
    assert ISSUE_LINE.match(line)
    assert "bad-scale.yaml:6: scale:" in line


def test_init_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert kansa(tmp_path, "init") == 0
    first = capsys.readouterr().out
    assert first.count("imported") == 3
    assert (tmp_path / "data" / "kansa.duckdb").exists()

    assert kansa(tmp_path, "init") == 0
    second = capsys.readouterr().out
    assert second.count("unchanged") == 3
    assert "imported" not in second


def test_catalogue_list_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert kansa(tmp_path, "init") == 0
    capsys.readouterr()

    assert kansa(tmp_path, "catalogue", "list", "--json") == 0

    out, err = capsys.readouterr()
    assert err == ""
    items = json.loads(out)
    assert isinstance(items, list)
    assert len(items) == 3
    shipped = {}
    for path in sorted(LIBRARY_DIR.glob("*.yaml")):
        loaded = load_catalogue(path)
        cat = loaded.catalogue
        assessable = sum(1 for _, c in cat.controls() if c.assessable)
        shipped[(cat.urn, cat.version)] = (cat.name.en, assessable, loaded.sha256)
    for item in items:
        assert isinstance(item, dict)
        assert set(item) == {"urn", "version", "name", "control_count", "sha256"}
        assert (item["name"], item["control_count"], item["sha256"]) == shipped[
            (item["urn"], item["version"])
        ]


def test_catalogue_list_json_on_an_empty_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert kansa(tmp_path, "catalogue", "list", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_import_then_conflicting_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    original = tmp_path / "cli-test.yaml"
    original.write_text(CATALOGUE.format(title="Responsible person"), encoding="utf-8")
    edited = tmp_path / "cli-test-edited.yaml"
    edited.write_text(CATALOGUE.format(title="Accountable person"), encoding="utf-8")

    assert kansa(tmp_path, "catalogue", "import", str(original)) == 0
    assert capsys.readouterr().out.startswith("imported: urn:kansa:catalogue:cli-test 1.0")
    assert kansa(tmp_path, "catalogue", "import", str(original)) == 0
    assert capsys.readouterr().out.startswith("unchanged:")

    assert kansa(tmp_path, "catalogue", "import", str(edited)) == 1

    out, err = capsys.readouterr()
    assert out == ""
    (line,) = err.splitlines()
    assert line.startswith("kansa: ")
    assert "already stored with different content" in line
    assert kansa(tmp_path, "catalogue", "list", "--json") == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


def test_import_a_broken_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert kansa(tmp_path, "catalogue", "import", str(BROKEN_DIR / "bad-answer-type.yaml")) == 1

    (line,) = capsys.readouterr().err.splitlines()
    assert ISSUE_LINE.match(line)
    assert kansa(tmp_path, "catalogue", "list", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_demo_loads_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert kansa(tmp_path, "demo") == 0
    assert "Demo company loaded" in capsys.readouterr().out

    assert kansa(tmp_path, "demo") == 1
    out, err = capsys.readouterr()
    assert out == ""
    (line,) = err.splitlines()
    assert line.startswith("kansa: ")
    assert "already loaded" in line
    assert "Traceback" not in err

    assert kansa(tmp_path, "demo", "--if-empty") == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "not loaded" in out


def test_demo_if_empty_loads_into_an_empty_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert kansa(tmp_path, "demo", "--if-empty") == 0
    assert "Demo company loaded" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args",
    [["frobnicate"], ["catalogue", "frobnicate"], [], ["catalogue", "validate"]],
    ids=["unknown-command", "unknown-catalogue-action", "no-command", "validate-without-files"],
)
def test_usage_errors_exit_with_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        kansa(tmp_path, *args)
    assert caught.value.code == 2
    assert "usage:" in capsys.readouterr().err
