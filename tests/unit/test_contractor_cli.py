"""`kansa contractor list|questionnaire|import-questionnaire`: the shapes other tools read."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cli import main
from controls.service import sync_library
from demo.service import load_demo
from storage.migrate import open_database
from tests.conftest import OPERATOR

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("contractor-cli")
    with open_database(data / "kansa.duckdb") as db:
        sync_library(db, OPERATOR)
        load_demo(db, OPERATOR, with_findings=False)
    return data


@pytest.fixture
def base(template: Path, tmp_path: Path) -> list[str]:
    shutil.copytree(template, tmp_path / "data")
    return ["--data-dir", str(tmp_path / "data")]


def test_list_json_shape(base: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*base, "contractor", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 40
    assert {"id", "name", "tier", "next_review_due", "overdue"} <= set(rows[0])
    assert {r["tier"] for r in rows} == {"high", "medium", "low"}
    assert any(r["overdue"] for r in rows)
    assert all(isinstance(r["overdue"], bool) for r in rows)


def test_questionnaire_round_trip(
    base: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main([*base, "contractor", "list", "--json"])
    contractor = json.loads(capsys.readouterr().out)[0]["id"]
    out = tmp_path / "q.xlsx"
    assert main([*base, "contractor", "questionnaire", contractor, "--out", str(out)]) == 0
    capsys.readouterr()
    book = load_workbook(io.BytesIO(out.read_bytes()))
    headers = [
        [str(c.value or "") for c in row]
        for ws in book.worksheets
        if ws.sheet_state == "visible"
        for row in ws.iter_rows(max_row=3)
    ]
    assert any("control_id" in row and "answer / 回答" in row for row in headers)
    assert main([*base, "contractor", "import-questionnaire", contractor, str(out)]) == 0
    printed = capsys.readouterr().out.strip()
    assert UUID.match(printed), printed
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    assert main([*base, "contractor", "import-questionnaire", contractor, str(bad)]) == 1
    assert capsys.readouterr().err.strip()
