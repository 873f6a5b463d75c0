"""Importing CISO Assistant libraries and OSCAL catalogs: what is mapped, what is dropped, every
bad input refused with file, line and field, and nothing stored unless the file is valid."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from cli import main
from controls import import_service
from controls import service as catalogues
from controls.importers.detect import detect_format
from core.errors import ValidationFailed
from storage.migrate import open_database
from tests.conftest import OPERATOR, ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "interop"
BROKEN = FIXTURES / "broken"
CISO = FIXTURES / "ciso-privacy-sample.yaml"
OSCAL = FIXTURES / "oscal-catalog-sample.json"


def _issues(path: Path, fmt: str | None = None) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        import_service.read_catalogue(path, fmt)
    return [str(i) for i in caught.value.issues]


# --- detection ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (CISO, "ciso"),
        (OSCAL, "oscal"),
        (ROOT / "controls" / "library" / "appi-security-measures.yaml", "kansa"),
        (BROKEN / "ciso-shift-jis.yaml", "ciso"),
    ],
    ids=lambda v: v.name if isinstance(v, Path) else v,
)
def test_the_format_is_told_from_the_content(path: Path, expected: str) -> None:
    assert detect_format(path.read_bytes()) == expected


def test_oscal_yaml_is_recognised_too(tmp_path: Path) -> None:
    as_yaml = tmp_path / "catalog.yaml"
    as_yaml.write_text(
        yaml.safe_dump(json.loads(OSCAL.read_text(encoding="utf-8")), allow_unicode=True),
        encoding="utf-8",
    )
    read = import_service.read_catalogue(as_yaml)
    assert read.format == "oscal"
    assert [c.id for _, c in read.loaded.catalogue.controls()] == [
        "PD-1",
        "PD-1(1)",
        "PD-2",
        "AC-1",
        "gen-1",
    ]


def test_a_file_of_no_known_format_is_refused_with_the_way_out(tmp_path: Path) -> None:
    other = tmp_path / "notes.yaml"
    other.write_text("title: my notes\nitems: [1, 2]\n", encoding="utf-8")
    (issue,) = _issues(other)
    assert "cannot tell the format" in issue
    assert "--format" in issue


# --- CISO Assistant ------------------------------------------------------------------------


def test_ciso_library_maps_to_domains_and_controls_in_both_languages() -> None:
    read = import_service.read_catalogue(CISO)
    cat = read.loaded.catalogue
    assert read.format == "ciso"
    assert cat.urn == "urn:example:risk:framework:privacy-handling-sample"
    assert cat.version == "3"
    assert (cat.name.en, cat.name.ja) == (
        "Privacy handling sample framework",
        "個人情報取扱いサンプルフレームワーク",
    )
    assert [(d.id, d.name.ja) for d in cat.domains] == [
        ("GOV", "ガバナンス"),
        ("TEC", "技術的措置"),
    ]
    controls = {c.id: c for _, c in cat.controls()}
    # the nested GOV 2 sits directly in GOV (the heading between is flattened); its space is
    # not allowed in a Kansa id
    assert list(controls) == ["GOV.1", "GOV-2", "TEC.1", "TEC.2"]
    policy = controls["GOV.1"]
    assert policy.title.ja == "プライバシーポリシー"
    assert policy.requirement.ja.startswith("プライバシーポリシーを経営者が承認")
    assert policy.guidance.ja == ["方針を承認した取締役会議事録", "会社ウェブサイトへの掲載"]
    assert policy.evidence_hints.en == [
        "Approved policy document",
        "Screenshot of the published page",
    ]
    # no Japanese in the source: the English text stands in, and the report says so
    assert controls["TEC.1"].title.ja == "Access reviews"
    # no name: the id is the title, the description the requirement
    assert controls["TEC.2"].title.en == "TEC.2"
    assert not any(c.key for c in controls.values())


def test_ciso_mapping_report_names_what_was_dropped() -> None:
    report = import_service.read_catalogue(CISO).report
    assert report is not None
    text = "\n".join(report.lines())
    assert "2 top-level requirement nodes → domains, 4 assessable nodes → controls" in text
    assert "texts have no Japanese in the source" in text
    assert "dropped: score range 0–100" in text
    assert "dropped: 1 top-level headings with nothing assessable below them" in text
    assert "dropped: 1 intermediate headings" in text
    assert "dropped: implementation_groups on 1 node" in text
    assert "dropped: library objects reference_controls" in text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "ciso-missing-fields.yaml",
            [
                ":17: objects.framework.requirement_nodes[1].urn: required field is missing",
                ":21: objects.framework.requirement_nodes[2]: the requirement has neither a "
                "name nor a description",
            ],
        ),
        (
            "ciso-no-framework.yaml",
            [":7: objects.framework: required field is missing"],
        ),
        (
            "ciso-cycle.yaml",
            [
                ":19: objects.framework.requirement_nodes[1].parent_urn: parent_urn links form "
                "a cycle: B → C → B"
            ],
        ),
        (
            "ciso-duplicate-ref.yaml",
            [
                ":25: objects.framework.requirement_nodes[2].ref_id: duplicate control id "
                "'A.1': also line 17"
            ],
        ),
        (
            "ciso-unknown-parent.yaml",
            [
                ":15: objects.framework.requirement_nodes[0].parent_urn: no requirement node "
                "has the urn 'urn:example:risk:req_node:orphan:nowhere'"
            ],
        ),
        (
            "ciso-shift-jis.yaml",
            [":5: (file): not valid UTF-8 text (byte 0x83)"],
        ),
        (
            "oscal-missing-version.json",
            [
                ":4: catalog.metadata.version: required field is missing",
                ":15: catalog.groups[0].controls[1].title: required field is missing",
            ],
        ),
        (
            "oscal-duplicate-id.json",
            [":16: catalog.groups[0].controls[1].id: duplicate control id 'a-1': also line 15"],
        ),
        (
            "oscal-duplicate-key.json",
            [":6: catalog.metadata.title: duplicate key (only one may be given)"],
        ),
        (
            "oscal-truncated.json",
            [":6: (json): Expecting property name enclosed in double quotes"],
        ),
    ],
)
def test_bad_foreign_files_are_refused_with_file_line_and_field(
    name: str, expected: list[str]
) -> None:
    path = BROKEN / name
    issues = _issues(path)
    assert len(issues) == len(expected), issues
    for issue, want in zip(issues, expected, strict=True):
        assert issue.startswith(str(path) + ":")
        assert want in issue, (issue, want)


def _big_library(nodes: int) -> str:
    lines = [
        "urn: urn:example:risk:library:big",
        "locale: en",
        "ref_id: BIG",
        "name: Big",
        "version: 1",
        "objects:",
        "  framework:",
        "    urn: urn:example:risk:framework:big",
        "    ref_id: BIG",
        "    name: Big",
        "    requirement_nodes:",
        "    - {urn: 'urn:example:risk:req_node:big:top', assessable: false, ref_id: TOP, "
        "name: Top}",
    ]
    lines.extend(
        f"    - {{urn: 'urn:example:risk:req_node:big:{n}', assessable: true, "
        f"parent_urn: 'urn:example:risk:req_node:big:top', ref_id: 'R{n}', name: 'Req {n}'}}"
        for n in range(nodes - 1)
    )
    return "\n".join(lines) + "\n"


def test_fifty_thousand_nodes_are_refused_with_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(_big_library(50_000), encoding="utf-8")
    start = time.perf_counter()
    (issue,) = _issues(big)
    assert time.perf_counter() - start < 10
    assert "objects.framework.requirement_nodes: 50,002 urn entries" in issue
    assert "at most 10,000" in issue


def test_twelve_thousand_nodes_are_counted_exactly(tmp_path: Path) -> None:
    big = tmp_path / "twelve.yaml"
    big.write_text(_big_library(12_000), encoding="utf-8")
    (issue,) = _issues(big)
    assert "objects.framework.requirement_nodes: 12,000 requirement nodes" in issue


def test_fifty_thousand_oscal_controls_are_refused(tmp_path: Path) -> None:
    doc = {
        "catalog": {
            "uuid": "0c6f1a9e-2b3d-4c5e-8f7a-1b2c3d4e5f60",
            "metadata": {"title": "Huge", "version": "1", "oscal-version": "1.1.3"},
            "groups": [
                {
                    "id": "g",
                    "title": "G",
                    "controls": [{"id": f"c-{n}", "title": f"C {n}"} for n in range(50_000)],
                }
            ],
        }
    }
    big = tmp_path / "huge.json"
    big.write_text(json.dumps(doc), encoding="utf-8")
    (issue,) = _issues(big)
    assert "groups and controls" in issue
    assert "at most 10,000" in issue


def test_a_thousand_requirement_library_imports_in_well_under_a_second(tmp_path: Path) -> None:
    lib = tmp_path / "thousand.yaml"
    lib.write_text(_big_library(1_001), encoding="utf-8")
    start = time.perf_counter()
    read = import_service.read_catalogue(lib)
    elapsed = time.perf_counter() - start
    assert len(read.loaded.catalogue.controls()) == 1_000
    assert elapsed < 2.0  # the benchmark measures it properly; this only guards against blow-ups


# --- OSCAL ---------------------------------------------------------------------------------


def test_oscal_catalog_maps_groups_controls_parts_and_params() -> None:
    read = import_service.read_catalogue(OSCAL)
    cat = read.loaded.catalogue
    assert read.format == "oscal"
    assert cat.urn == "urn:kansa:oscal:sample-personal-data-controls"
    assert cat.version == "1.2.0"
    assert [d.id for d in cat.domains] == ["pd", "ac", "GENERAL"]
    controls = {c.id: c for _, c in cat.controls()}
    policy = controls["PD-1"]
    assert policy.requirement.en == (
        "a. Develop and disseminate a personal data policy to [Assignment: "
        "organization-defined personnel or roles];\n"
        "b. Review the policy [Selection: every six months; every year]."
    )
    assert policy.guidance.en == [
        "The policy names the responsible person.",
        "It is approved by management.",
    ]
    assert policy.title.ja == policy.title.en  # OSCAL has no Japanese: English for both
    assert controls["PD-1(1)"].requirement.en == "Publish the policy on the website."
    assert controls["AC-1"].requirement.en == "Access Reviews"  # no statement: the title
    assert "PD-1(2)" not in controls  # withdrawn
    report = read.report
    assert report is not None
    text = "\n".join(report.lines())
    for expected in (
        "dropped: 2 withdrawn controls",
        "dropped: 1 nested groups",
        "dropped: parts (assessment-objective) on 1 control",
        "dropped: back-matter (1 resources)",
        "mapped: 2 parameter insertions written into the text",
    ):
        assert expected in text


# --- storing -------------------------------------------------------------------------------


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "kansa.duckdb"
    open_database(path).close()
    return path


def test_import_stores_a_version_and_the_same_file_again_changes_nothing(db_path: Path) -> None:
    with open_database(db_path) as db:
        first, _ = import_service.import_any(db, OPERATOR, CISO)
        again, _ = import_service.import_any(db, OPERATOR, CISO)
        stored = catalogues.list_catalogues(db, OPERATOR)
    assert (first.status.value, again.status.value) == ("imported", "unchanged")
    assert [(c.urn, c.control_count) for c in stored] == [
        ("urn:example:risk:framework:privacy-handling-sample", 4)
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in BROKEN.iterdir()))
def test_nothing_is_stored_from_a_bad_file(
    db_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--data-dir", str(db_path.parent), "catalogue", "import", str(BROKEN / name)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(str(BROKEN / name) + ":")
    with open_database(db_path) as db:
        assert catalogues.list_catalogues(db, OPERATOR) == []


def test_cli_import_prints_the_mapping_report(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(db_path.parent), "catalogue", "import", str(OSCAL)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "imported: urn:kansa:oscal:sample-personal-data-controls 1.2.0 (5 controls)"
    assert out[1] == "mapping from OSCAL catalog:"
    assert any(line.startswith("  dropped: 2 withdrawn controls") for line in out)


def test_cli_format_option_forces_a_reader(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["--data-dir", str(db_path.parent), "catalogue", "import", str(CISO), "--format", "oscal"]
    )
    assert code == 1
    assert "catalog: required field is missing" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:  # argparse: not one of the choices
        main(["--data-dir", str(db_path.parent), "catalogue", "import", str(CISO), "--format", "x"])
    assert usage.value.code == 2
