"""Catalogue use cases against a real DuckDB file: import, versions, library sync, search, CSV."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from auth import audit_service
from auth.model import Principal, Role
from controls import service
from controls.crosswalk import CROSSWALK_HEADER, crosswalk_csv
from controls.model import ImportStatus
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.settings import LIBRARY_DIR
from reports.csv_export import safe_cell
from storage.db import Database
from storage.migrate import open_database
from tests.conftest import OPERATOR

BROKEN_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "catalogues" / "broken"
URN = "urn:kansa:catalogue:service-test"
APPI_URN = "urn:kansa:catalogue:appi-security-measures"


def control(control_id: str, title_en: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": control_id,
        "title": {"en": title_en, "ja": f"{title_en}（日本語）"},
        "requirement": {"en": f"{title_en} is in place.", "ja": "措置が講じられている。"},
        "guidance": {"en": ["Write it down"], "ja": ["文書化する"]},
        "evidence_hints": {"en": ["A record"], "ja": ["記録"]},
        **extra,
    }


def catalogue_text(
    *, version: str = "1.0", controls: list[dict[str, Any]] | None = None, urn: str = URN
) -> str:
    if controls is None:
        controls = [
            control("ORG-01", "Responsible person", key=True),
            control("ORG-02", "Records"),
            control("ORG-03", "Contact list", assessable=False),
        ]
    doc = {
        "urn": urn,
        "version": version,
        "name": {"en": "Service test", "ja": "サービスのテスト"},
        "domains": [
            {"id": "ORG", "name": {"en": "Organization", "ja": "組織"}, "controls": controls}
        ],
    }
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def table_counts(db: Database) -> dict[str, int]:
    with db.cursor() as cur:
        return {
            table: int(cur.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])  # noqa: S608
            for table in ("catalogues", "catalogue_domains", "controls", "control_refs")
        }


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "k.duckdb")
    yield database
    database.close()


@pytest.fixture(scope="module")
def library_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One database with the shipped library, shared by the read-only search tests."""
    database = open_database(tmp_path_factory.mktemp("library") / "k.duckdb")
    service.sync_library(database, OPERATOR)
    yield database
    database.close()


@pytest.fixture(scope="module")
def appi_id(library_db: Database) -> str:
    (summary,) = [c for c in service.list_catalogues(library_db, OPERATOR) if c.urn == APPI_URN]
    return summary.id


def ids(rows: list[Any]) -> list[str]:
    return [r.control_id for r in rows]


# --- import -----------------------------------------------------------------------------------


def test_import_stores_a_catalogue(db: Database, tmp_path: Path) -> None:
    result = service.import_file(db, OPERATOR, write(tmp_path / "c.yaml", catalogue_text()))

    assert result.status is ImportStatus.IMPORTED
    assert (result.urn, result.version) == (URN, "1.0")
    assert result.control_count == 2  # ORG-03 is not assessable
    (summary,) = service.list_catalogues(db, OPERATOR)
    assert summary.id == result.catalogue_id
    assert summary.control_count == 2
    all_rows = service.search_controls(db, OPERATOR, result.catalogue_id)
    assert ids(all_rows) == ["ORG-01", "ORG-02", "ORG-03"]


def test_importing_the_same_file_again_changes_nothing(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "c.yaml", catalogue_text())
    first = service.import_file(db, OPERATOR, path)
    before = table_counts(db)

    again = service.import_file(db, OPERATOR, path)

    assert again.status is ImportStatus.UNCHANGED
    assert again.catalogue_id == first.catalogue_id
    assert again.control_count == first.control_count
    assert table_counts(db) == before


def test_same_version_with_other_content_is_a_conflict(db: Database, tmp_path: Path) -> None:
    first = service.import_file(db, OPERATOR, write(tmp_path / "v1.yaml", catalogue_text()))
    before = table_counts(db)
    edited = catalogue_text().replace("Responsible person", "Accountable person")
    edited_path = write(tmp_path / "v1-edited.yaml", edited)

    with pytest.raises(Conflict, match="already stored with different content"):
        service.import_file(db, OPERATOR, edited_path)

    assert table_counts(db) == before
    (summary,) = service.list_catalogues(db, OPERATOR)
    assert (summary.id, summary.version) == (first.catalogue_id, "1.0")
    titles = [r.title_en for r in service.search_controls(db, OPERATOR, first.catalogue_id)]
    assert "Responsible person" in titles
    assert "Accountable person" not in titles


def test_a_new_version_is_stored_beside_the_old_one(db: Database, tmp_path: Path) -> None:
    old = service.import_file(db, OPERATOR, write(tmp_path / "v1.yaml", catalogue_text()))
    old_rows = service.search_controls(db, OPERATOR, old.catalogue_id)
    new_controls = [
        control("ORG-01", "Accountable person", key=True),
        control("ORG-02", "Records"),
        control("ORG-04", "Annual review"),
    ]
    new_text = catalogue_text(version="2.0", controls=new_controls)

    new = service.import_file(db, OPERATOR, write(tmp_path / "v2.yaml", new_text))

    assert new.status is ImportStatus.IMPORTED
    assert new.catalogue_id != old.catalogue_id
    versions = sorted((c.urn, c.version) for c in service.list_catalogues(db, OPERATOR))
    assert versions == [(URN, "1.0"), (URN, "2.0")]
    assert service.search_controls(db, OPERATOR, old.catalogue_id) == old_rows
    assert [r.title_en for r in service.search_controls(db, OPERATOR, new.catalogue_id)] == [
        "Accountable person",
        "Records",
        "Annual review",
    ]
    latest = [(c.urn, c.version) for c in service.latest_catalogues(db, OPERATOR)]
    assert latest == [(URN, "2.0")]


def test_a_broken_file_writes_nothing(db: Database) -> None:
    before = table_counts(db)

    with pytest.raises(ValidationFailed):
        service.import_file(db, OPERATOR, BROKEN_DIR / "several-errors.yaml")

    assert table_counts(db) == before
    assert service.list_catalogues(db, OPERATOR) == []


def test_a_library_with_one_broken_file_imports_none_of_them(db: Database, tmp_path: Path) -> None:
    """Two phases: every file is validated before any is written."""
    library = tmp_path / "library"
    library.mkdir()
    write(library / "a-valid.yaml", catalogue_text())
    write(library / "b-broken.yaml", (BROKEN_DIR / "bad-scale.yaml").read_text(encoding="utf-8"))

    with pytest.raises(ValidationFailed) as caught:
        service.sync_library(db, OPERATOR, directory=library)

    assert {Path(i.file).name for i in caught.value.issues} == {"b-broken.yaml"}
    assert service.list_catalogues(db, OPERATOR) == []
    assert table_counts(db)["controls"] == 0


def test_validate_files_collects_the_issues_of_every_file() -> None:
    paths = [BROKEN_DIR / "bad-scale.yaml", BROKEN_DIR / "duplicate-key.yaml"]
    with pytest.raises(ValidationFailed) as caught:
        service.validate_files(paths)
    assert {Path(i.file).name for i in caught.value.issues} == {p.name for p in paths}


def test_sync_library_imports_the_shipped_catalogues_once(db: Database) -> None:
    shipped = sorted(LIBRARY_DIR.glob("*.yaml"))

    first = service.sync_library(db, OPERATOR)

    assert len(first) == len(shipped) == 3
    assert all(r.status is ImportStatus.IMPORTED for r in first)
    assert len({r.urn for r in first}) == 3
    assert all(r.control_count > 0 for r in first)
    counts = table_counts(db)

    second = service.sync_library(db, OPERATOR)

    assert all(r.status is ImportStatus.UNCHANGED for r in second)
    assert [r.catalogue_id for r in second] == [r.catalogue_id for r in first]
    assert table_counts(db) == counts
    assert len(service.list_catalogues(db, OPERATOR)) == 3
    imports = audit_service.list_entries(db, OPERATOR, entity="catalogue")
    assert sorted(e.entity_id or "" for e in imports) == sorted(r.catalogue_id for r in first)


# --- audit trail and permissions --------------------------------------------------------------


def test_an_import_writes_one_audit_entry(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "c.yaml", catalogue_text())

    result = service.import_file(db, OPERATOR, path)

    (entry,) = audit_service.list_entries(db, OPERATOR)
    assert (entry.action, entry.entity, entry.entity_id) == (
        "catalogue.import",
        "catalogue",
        result.catalogue_id,
    )
    assert entry.actor == OPERATOR.username == "cli:test"
    assert entry.after is not None
    after = json.loads(entry.after)
    assert after["urn"] == URN
    assert after["version"] == "1.0"
    assert after["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert after["control_count"] == 2
    assert after["source_file"].endswith("c.yaml")
    assert audit_service.verify(db, OPERATOR).ok


def test_only_a_real_import_is_recorded(db: Database, tmp_path: Path) -> None:
    """Importing the same file again, a refused edit and a broken file leave no entry."""
    path = write(tmp_path / "v1.yaml", catalogue_text())
    service.import_file(db, OPERATOR, path)
    edited = write(tmp_path / "v1-edited.yaml", catalogue_text().replace("Records", "Files"))

    service.import_file(db, OPERATOR, path)
    with pytest.raises(Conflict):
        service.import_file(db, OPERATOR, edited)
    with pytest.raises(ValidationFailed):
        service.import_file(db, OPERATOR, BROKEN_DIR / "several-errors.yaml")

    assert [e.action for e in audit_service.list_entries(db, OPERATOR)] == ["catalogue.import"]


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
def test_only_an_admin_may_import(db: Database, tmp_path: Path, role: Role) -> None:
    someone = Principal(username="someone", role=role)
    path = write(tmp_path / "c.yaml", catalogue_text())

    with pytest.raises(PermissionDenied):
        service.import_file(db, someone, path)
    with pytest.raises(PermissionDenied):
        service.sync_library(db, someone)

    assert set(table_counts(db).values()) == {0}
    assert audit_service.verify(db, OPERATOR).entries == 0
    service.import_file(db, OPERATOR, path)
    assert len(service.list_catalogues(db, someone)) == 1  # reading is allowed to every role


# --- search -----------------------------------------------------------------------------------


def test_empty_query_lists_every_control_in_order(library_db: Database, appi_id: str) -> None:
    rows = service.search_controls(library_db, OPERATOR, appi_id)
    assert len(rows) == service.get_catalogue(library_db, OPERATOR, appi_id).control_count
    assert ids(rows)[:3] == ["POL-01", "POL-02", "ORG-01"]


def test_search_by_japanese_word(library_db: Database, appi_id: str) -> None:
    rows = service.search_controls(library_db, OPERATOR, appi_id, query="暗号化")
    assert "TEC-04" in ids(rows)
    assert len(rows) < len(service.search_controls(library_db, OPERATOR, appi_id))
    for row in rows:
        text = " ".join(
            [row.title_ja, row.requirement_ja, *row.guidance_ja, *row.evidence_hints_ja]
        )
        text += " " + (row.small_business_ja or "")
        assert "暗号化" in text


def test_search_by_english_word_ignores_case(library_db: Database, appi_id: str) -> None:
    lower = service.search_controls(library_db, OPERATOR, appi_id, query="encrypt")
    assert lower
    for variant in ("ENCRYPT", "EnCrYpT"):
        found = service.search_controls(library_db, OPERATOR, appi_id, query=variant)
        assert ids(found) == ids(lower)


def test_search_by_control_id(library_db: Database, appi_id: str) -> None:
    found = ids(service.search_controls(library_db, OPERATOR, appi_id, query="ORG-03"))
    assert "ORG-03" in found
    assert "TEC-01" not in found


def test_search_by_guideline_ref(library_db: Database, appi_id: str) -> None:
    rows = service.search_controls(library_db, OPERATOR, appi_id, query="10-6(1)")
    assert rows
    assert all("10-6(1)" in r.refs_of("appi_guideline") for r in rows)


@pytest.mark.parametrize(
    ("full_width", "ascii_text"),
    [("ＯＲＧ－０３", "ORG-03"), ("ＩＳＯ", "iso"), ("１０－６（１）", "10-6(1)")],
    ids=["control-id", "word", "guideline-ref"],
)
def test_full_width_input_is_normalised(
    library_db: Database, appi_id: str, full_width: str, ascii_text: str
) -> None:
    expected = ids(service.search_controls(library_db, OPERATOR, appi_id, query=ascii_text))
    assert expected
    assert ids(service.search_controls(library_db, OPERATOR, appi_id, query=full_width)) == expected


def test_several_words_must_all_match(library_db: Database, appi_id: str) -> None:
    access = set(ids(service.search_controls(library_db, OPERATOR, appi_id, query="access")))
    log = set(ids(service.search_controls(library_db, OPERATOR, appi_id, query="log")))
    both = ids(service.search_controls(library_db, OPERATOR, appi_id, query="  access   log "))

    assert set(both) == access & log
    assert both
    assert len(both) < min(len(access), len(log))


def test_filter_by_domain(library_db: Database, appi_id: str) -> None:
    org = service.search_controls(library_db, OPERATOR, appi_id, domains=["ORG"])
    counts = {
        d.domain_id: d.control_count for d in service.list_domains(library_db, OPERATOR, appi_id)
    }

    assert len(org) == counts["ORG"]
    assert {r.domain_id for r in org} == {"ORG"}
    two = service.search_controls(library_db, OPERATOR, appi_id, domains=["ORG", "TEC"])
    assert len(two) == counts["ORG"] + counts["TEC"]
    with_query = service.search_controls(
        library_db, OPERATOR, appi_id, query="暗号化", domains=["TEC"]
    )
    assert with_query
    assert {r.domain_id for r in with_query} == {"TEC"}


def test_filter_key_controls_only(library_db: Database, appi_id: str) -> None:
    everything = service.search_controls(library_db, OPERATOR, appi_id)
    key = service.search_controls(library_db, OPERATOR, appi_id, key_only=True)

    assert key
    assert all(r.is_key for r in key)
    assert len(key) == sum(r.is_key for r in everything) < len(everything)


@pytest.mark.parametrize(
    "query",
    ["%", "_", "' OR 1=1 --", "'; DROP TABLE controls; --", '"', "\\", "*", "%%_%"],
)
def test_sql_like_input_matches_literally(library_db: Database, appi_id: str, query: str) -> None:
    """None of these occur in the shipped texts, so nothing may match (LIKE would match all)."""
    assert service.search_controls(library_db, OPERATOR, appi_id, query=query) == []
    everything = service.search_controls(library_db, OPERATOR, appi_id)
    assert len(everything) > 0  # the table is still there


def test_wildcards_match_where_they_really_occur(db: Database, tmp_path: Path) -> None:
    controls = [
        control("ORG-01", "Encrypt 100% of laptops"),
        control("ORG-02", "Rotate the access_log file"),
        control("ORG-03", "Plain title"),
    ]
    result = service.import_file(
        db, OPERATOR, write(tmp_path / "c.yaml", catalogue_text(controls=controls))
    )

    def search(query: str) -> list[str]:
        return ids(service.search_controls(db, OPERATOR, result.catalogue_id, query=query))

    assert search("%") == ["ORG-01"]
    assert search("100%") == ["ORG-01"]
    assert search("_") == ["ORG-02"]
    assert search("access_log") == ["ORG-02"]
    assert search("access%log") == []


def test_a_very_long_query_does_not_fail(library_db: Database, appi_id: str) -> None:
    expected = ids(service.search_controls(library_db, OPERATOR, appi_id, query="ORG-03"))
    long_query = "ORG-03 " * 10_000
    assert ids(service.search_controls(library_db, OPERATOR, appi_id, query=long_query)) == expected


# --- crosswalk CSV ----------------------------------------------------------------------------


def parse_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_crosswalk_csv_of_the_shipped_catalogue(
    library_db: Database, appi_id: str, lang: str
) -> None:
    rows = service.search_controls(library_db, OPERATOR, appi_id)
    data = crosswalk_csv(rows, lang)

    assert data.startswith(b"\xef\xbb\xbf")
    table = parse_csv(data)
    assert tuple(table[0]) == CROSSWALK_HEADER
    assert len(table) == len(rows) + 1
    by_id = {line[0]: line for line in table[1:]}
    tec01 = by_id["TEC-01"]
    assert tec01[1] == "TEC"
    assert "10-6(1)" in tec01[4].split(", ")
    title = next(r for r in rows if r.control_id == "TEC-01").title(lang)
    assert tec01[3] == title


def test_crosswalk_csv_guards_formula_cells(db: Database, tmp_path: Path) -> None:
    controls = [
        control("ORG-01", '=HYPERLINK("http://example.com")', key=True),
        control("ORG-02", "+1 more"),
        control("ORG-03", "@SUM(A1)"),
        control("ORG-04", "Normal title"),
    ]
    result = service.import_file(
        db, OPERATOR, write(tmp_path / "c.yaml", catalogue_text(controls=controls))
    )
    data = crosswalk_csv(service.search_controls(db, OPERATOR, result.catalogue_id), "en")
    table = parse_csv(data)

    titles = [line[3] for line in table[1:]]
    assert titles == ['\'=HYPERLINK("http://example.com")', "'+1 more", "'@SUM(A1)", "Normal title"]
    assert [line[2] for line in table[1:]] == ["TRUE", "FALSE", "FALSE", "FALSE"]
    assert b"\r\n" in data


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=x", "'\t=x"),
        ("\r=x", "'\r=x"),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("Normal text", "Normal text"),
        ("個人データの安全管理措置", "個人データの安全管理措置"),
        ("a=1", "a=1"),
        ("", ""),
        (None, ""),
        (True, "TRUE"),
        (False, "FALSE"),
        (42, "42"),
        (-5, "'-5"),
        (("5.1", "5.10"), "5.1, 5.10"),
        (["=A1", "x"], "'=A1, x"),
    ],
    ids=repr,
)
def test_safe_cell(value: object, expected: str) -> None:
    assert safe_cell(value) == expected
