"""`kansa assessment ...` and `kansa score`: output shapes other tools read."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cli import main

URN = "urn:kansa:catalogue:appi-security-measures"


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert run(capsys, tmp_path, "init")[0] == 0
    return tmp_path


def test_create_import_score_close(
    data_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(
        capsys,
        data_dir,
        "assessment",
        "create",
        "--catalogue",
        URN,
        "--title",
        "年次点検",
        "--scope",
        "Tokyo Branch",
    )
    assert code == 0
    assessment_id = out.strip()
    assert re.fullmatch(r"[0-9a-f-]{36}", assessment_id), "prints the new id alone"

    code, out, _ = run(capsys, data_dir, "assessment", "list", "--json")
    (item,) = json.loads(out)
    assert {"id", "title", "scope", "status", "catalogue_urn", "catalogue_version"} <= set(item)
    assert (item["id"], item["scope"], item["status"]) == (assessment_id, "Tokyo Branch", "planned")

    code, out, _ = run(capsys, data_dir, "score", assessment_id, "--json")
    score = json.loads(out)
    assert set(score) == {"overall", "domains", "controls"}
    assert set(score["overall"]) == {"score", "level", "coverage"}
    assert score["overall"]["coverage"] == 0.0
    assert set(score["domains"]["ORG"]) == {"score", "level", "coverage", "rating"}
    assert score["controls"]["ORG-01"]["result"] == "not_assessed"

    code, _, err = run(capsys, data_dir, "assessment", "close", assessment_id)
    assert code == 1
    assert "cannot move to closed" in err
    assert len(err.strip().splitlines()) == 1

    bad = tmp_path / "bad.csv"
    bad.write_text("control_id,documented,implemented\nORG-01,9,1\nZZZ,1,1\n", encoding="utf-8")
    code, _, err = run(capsys, data_dir, "assessment", "import", assessment_id, str(bad))
    assert code == 1
    assert [line.split(":")[1] for line in err.strip().splitlines()] == ["2", "3"]

    with_codes = json.loads(run(capsys, data_dir, "score", assessment_id, "--json")[1])
    rows = "\n".join(f"{c},3,4,," for c in with_codes["controls"])
    good = tmp_path / "good.csv"
    good.write_text(
        "control_id,documented,implemented,na_reason,note\n" + rows + "\n", encoding="utf-8"
    )
    code, out, _ = run(capsys, data_dir, "assessment", "import", assessment_id, str(good))
    assert code == 0
    score = json.loads(run(capsys, data_dir, "score", assessment_id, "--json")[1])
    assert score["overall"] == {"score": 70.0, "level": 3, "coverage": 1.0}
    assert all(d["rating"] == "amber" for d in score["domains"].values())
    assert run(capsys, data_dir, "assessment", "close", assessment_id)[0] == 0
    assert (
        json.loads(run(capsys, data_dir, "assessment", "list", "--json")[1])[0]["status"]
        == "closed"
    )
    assert run(capsys, data_dir, "audit-log", "verify")[0] == 0


def test_unknown_catalogue_is_a_user_error(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        data_dir,
        "assessment",
        "create",
        "--catalogue",
        "urn:x:nope",
        "--title",
        "t",
        "--scope",
        "CSC",
    )
    assert (code, out) == (1, "")
    assert "no stored catalogue" in err
