"""`kansa finding add|list` and `kansa export-findings`: output shapes other tools read."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from assessments import service as assessments
from cli import main
from controls.service import sync_library
from demo.service import load_demo
from findings import service as findings
from findings.model import Grade
from storage.migrate import open_database
from tests.conftest import OPERATOR

URN = "urn:kansa:catalogue:appi-security-measures"
OWNER = "s.okamoto"
DUE = (date.today() + timedelta(days=30)).isoformat()
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
STATEMENT = "通話録音システムが個人情報取扱台帳に登録されていない。"


@dataclass(frozen=True)
class Template:
    db_path: Path
    assessment_id: str  # planned, scope CSC, no findings yet
    closed_id: str  # a closed demo assessment


@dataclass(frozen=True)
class Env:
    data_dir: Path
    assessment_id: str
    closed_id: str


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """Catalogues and the demo company without its findings, so tests count their own."""
    path = tmp_path_factory.mktemp("findings-cli") / "kansa.duckdb"
    with open_database(path) as db:
        sync_library(db, OPERATOR)
        load_demo(db, OPERATOR, with_findings=False)
        created = assessments.create_assessment(
            db, OPERATOR, title="所見 CLI", catalogue_urn=URN, scope_unit="CSC"
        )
        closed = assessments.list_assessments(db, OPERATOR, status="closed")
    assert closed, "the demo company has closed audits of earlier years"
    return Template(path, created.id, closed[0].id)


@pytest.fixture
def env(template: Template, tmp_path: Path) -> Env:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copyfile(template.db_path, data_dir / "kansa.duckdb")
    return Env(data_dir, template.assessment_id, template.closed_id)


def run(capsys: pytest.CaptureFixture[str], env: Env, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(env.data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def add(
    capsys: pytest.CaptureFixture[str],
    env: Env,
    *,
    grade: str = "major",
    statement: str = STATEMENT,
    control: str = "ORG-03",
) -> str:
    code, out, err = run(
        capsys,
        env,
        "finding",
        "add",
        env.assessment_id,
        control,
        "--grade",
        grade,
        "--statement",
        statement,
        "--owner",
        OWNER,
        "--due",
        DUE,
    )
    assert (code, err) == (0, ""), err
    return out.strip()


def listed(capsys: pytest.CaptureFixture[str], env: Env, *flags: str) -> list[dict[str, Any]]:
    code, out, _ = run(capsys, env, "finding", "list", "--json", *flags)
    assert code == 0
    rows: list[dict[str, Any]] = json.loads(out)
    return rows


def test_add_prints_the_id_that_list_shows(env: Env, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        env,
        "finding",
        "add",
        env.assessment_id,
        "ORG-03",
        "--grade",
        "minor",
        "--statement",
        STATEMENT,
        "--owner",
        OWNER,
        "--due",
        DUE,
    )
    assert (code, err) == (0, "")
    assert UUID.fullmatch(out.strip()), "prints the new id alone"
    assert out.count("\n") == 1
    finding_id = out.strip()

    (row,) = listed(capsys, env)
    assert {
        "id",
        "ref",
        "assessment_id",
        "control_id",
        "grade",
        "status",
        "statement",
        "owner",
        "due_date",
        "overdue",
    } <= set(row)
    assert row["id"] == finding_id
    assert re.fullmatch(r"F-\d{4}-\d{4}", row["ref"])
    assert (row["assessment_id"], row["control_id"]) == (env.assessment_id, "ORG-03")
    assert (row["grade"], row["status"], row["owner"]) == ("minor", "open", OWNER)
    assert row["statement"] == STATEMENT
    assert row["due_date"] == DUE
    assert row["overdue"] is False

    code, out, _ = run(capsys, env, "finding", "list")
    assert code == 0
    header, line = out.strip().splitlines()
    assert header.split() == ["REF", "GRADE", "STATUS", "CONTROL", "OWNER", "DUE"]
    assert line.split() == [row["ref"], "minor", "open", "ORG-03", OWNER, DUE]


def test_open_filter_and_overdue_mark(
    env: Env, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    kept = add(capsys, env, grade="major")
    done = add(capsys, env, grade="observation", control="ORG-01")
    with open_database(env.data_dir / "kansa.duckdb") as db:
        # An observation needs no corrective action: the auditor may close it at once.
        findings.close(db, OPERATOR, done, version=1, note="確認済み")
        # Raised a year ago with a due date long past: overdue today.
        late = findings.raise_finding(
            db,
            OPERATOR,
            assessment_id=env.assessment_id,
            control_id="ORG-02",
            grade=Grade.MINOR,
            statement="台帳の更新が遅れている。",
            owner=OWNER,
            due_date=date.today() - timedelta(days=200),
            today=date.today() - timedelta(days=365),
        )

    everything = {r["id"]: r for r in listed(capsys, env)}
    assert set(everything) == {kept, done, late.id}
    assert everything[done]["status"] == "closed"
    assert {r["id"] for r in listed(capsys, env, "--open")} == {kept, late.id}
    assert [r["id"] for r in everything.values() if r["overdue"]] == [late.id]

    code, out, _ = run(capsys, env, "finding", "list", "--open")
    assert code == 0
    lines = out.strip().splitlines()[1:]
    assert len(lines) == 2
    marked = [line for line in lines if line.endswith("OVERDUE")]
    assert [line.split()[0] for line in marked] == [late.ref]


@pytest.mark.parametrize(
    "args",
    [
        ["--grade", "critical"],  # not one of the grades
        ["--grade", "MAJOR"],  # choices are the exact values
        [],  # --grade missing
    ],
)
def test_usage_errors_exit_2(env: Env, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "--data-dir",
                str(env.data_dir),
                "finding",
                "add",
                env.assessment_id,
                "ORG-03",
                *args,
                "--statement",
                "x",
                "--owner",
                OWNER,
                "--due",
                DUE,
            ]
        )
    assert exc.value.code == 2
    assert "--grade" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("which", "control", "owner", "due", "expected"),
    [
        ("missing", "ORG-03", OWNER, DUE, "No assessment"),
        ("planned", "ZZZ-99", OWNER, DUE, "'ZZZ-99' is not a control"),
        ("planned", "ORG-03", "nobody", DUE, "'nobody' is not an active user"),
        ("planned", "ORG-03", OWNER, "2020-01-31", "2020-01-31 is in the past"),
        ("planned", "ORG-03", OWNER, "31/01/2027", "is not a date (YYYY-MM-DD)"),
        ("closed", "ORG-03", OWNER, DUE, "is closed"),
    ],
)
def test_user_errors_exit_1_with_one_line(
    env: Env,
    capsys: pytest.CaptureFixture[str],
    which: str,
    control: str,
    owner: str,
    due: str,
    expected: str,
) -> None:
    assessment_id = {
        "missing": "01234567-89ab-7def-8123-456789abcdef",
        "planned": env.assessment_id,
        "closed": env.closed_id,
    }[which]
    code, out, err = run(
        capsys,
        env,
        "finding",
        "add",
        assessment_id,
        control,
        "--grade",
        "minor",
        "--statement",
        STATEMENT,
        "--owner",
        owner,
        "--due",
        due,
    )
    assert (code, out) == (1, "")
    assert len(err.strip().splitlines()) == 1, err
    assert expected in err
    assert listed(capsys, env) == [], "nothing was stored"


def test_export_findings_csv_and_xlsx(
    env: Env, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    formula = '=HYPERLINK("http://example.invalid","台帳")'
    add(capsys, env, statement=formula)
    add(capsys, env, statement=STATEMENT, control="ORG-01")

    out_csv = tmp_path / "所見.csv"
    code, out, _ = run(capsys, env, "export-findings", "--format", "csv", "--out", str(out_csv))
    assert code == 0
    assert out.strip() == f"wrote 2 findings to {out_csv}"
    data = out_csv.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    statements = {r[header.index("Statement")] for r in rows}
    assert statements == {"'" + formula, STATEMENT}

    out_xlsx = tmp_path / "register.xlsx"
    code, _, _ = run(
        capsys, env, "export-findings", "--format", "xlsx", "--out", str(out_xlsx), "--lang", "ja"
    )
    assert code == 0
    ws = load_workbook(out_xlsx).worksheets[0]
    titles = [c.value for c in ws[1]]
    assert titles[:2] == ["所見番号", "自己点検"]
    column = titles.index("所見") + 1
    values = {ws.cell(row=r, column=column).value for r in (2, 3)}
    assert values == {"'" + formula, STATEMENT}
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_export_to_an_unwritable_place_is_a_user_error(
    env: Env, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "no-such-folder" / "f.csv"
    code, out, err = run(capsys, env, "export-findings", "--format", "csv", "--out", str(target))
    assert (code, out) == (1, "")
    assert err.startswith("kansa: cannot write")
    assert len(err.strip().splitlines()) == 1


def test_export_format_is_checked_by_argparse(
    env: Env, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "--data-dir",
                str(env.data_dir),
                "export-findings",
                "--format",
                "pdf",
                "--out",
                str(tmp_path / "f.pdf"),
            ]
        )
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
