"""The evidence store and service: round trip, dedup, crash safety, refusals, verify."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from assessments import service as assessments
from auth.model import Principal, Role
from cli import main
from controls.service import sync_library
from core.errors import Conflict, NotFound, ValidationFailed
from core.settings import Settings
from demo.service import load_demo
from evidence import service
from evidence.model import StoredFile
from evidence.store import EvidenceStore
from storage.db import Database
from storage.migrate import open_database
from tests.conftest import OPERATOR

URN = "urn:kansa:catalogue:appi-security-measures"
AUDITEE = Principal("s.okamoto", Role.AUDITEE, "CSC")
OTHER = Principal("x.sales", Role.AUDITEE, "SLS")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("evidence") / "template.duckdb"
    with open_database(path) as db:
        sync_library(db, OPERATOR)
        load_demo(db, OPERATOR)
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, evidence_max_mb=1)


@pytest.fixture
def db(template: Path, settings: Settings) -> Iterator[Database]:
    shutil.copyfile(template, settings.db_path)
    database = open_database(settings.db_path)
    yield database
    database.close()


@pytest.fixture
def store(settings: Settings) -> EvidenceStore:
    return EvidenceStore.from_settings(settings)


@pytest.fixture
def campaign(db: Database) -> str:
    return assessments.create_assessment(
        db, OPERATOR, title="証跡テスト", catalogue_urn=URN, scope_unit="CSC"
    ).id


def add(
    db: Database,
    store: EvidenceStore,
    campaign: str,
    data: bytes,
    name: str = "規程.pdf",
    control: str = "POL-01",
    actor: Principal = AUDITEE,
) -> str:
    item = service.add_evidence(
        db,
        actor,
        store,
        assessment_id=campaign,
        control_id=control,
        filename=name,
        stream=io.BytesIO(data),
    )
    return item.sha256


def test_round_trip_and_dedup(db: Database, store: EvidenceStore, campaign: str) -> None:
    sha = add(db, store, campaign, PDF)
    assert store.path_of(sha).read_bytes() == PDF
    assert add(db, store, campaign, PDF, name="copy.pdf", control="POL-02") == sha
    items = service.list_evidence(db, AUDITEE, campaign)
    assert {(i.control_id, i.filename, i.media_type) for i in items} == {
        ("POL-01", "規程.pdf", "application/pdf"),
        ("POL-02", "copy.pdf", "application/pdf"),
    }
    assert list(store.stored()) == [sha]  # stored once, linked twice
    with pytest.raises(Conflict, match="already linked"):
        add(db, store, campaign, PDF, name="again.pdf")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "report.pdf", "application/x-msdownload"),
        (b"", "empty.pdf", "empty"),
        (b"\x7fELF" + b"\x00" * 100, "photo.png", "not accepted"),
    ],
)
def test_disguised_and_empty_files_are_refused(
    db: Database, store: EvidenceStore, campaign: str, data: bytes, name: str, message: str
) -> None:
    with pytest.raises(ValidationFailed, match=message):
        add(db, store, campaign, data, name=name)
    assert service.list_evidence(db, AUDITEE, campaign) == []
    assert list(store.stored()) == []


def test_too_large_is_refused_and_nothing_kept(
    db: Database, store: EvidenceStore, campaign: str
) -> None:
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(ValidationFailed, match="larger than 1 MB"):
        add(db, store, campaign, big)
    assert list(store.stored()) == []
    assert list((store.root / ".incoming").iterdir()) == []


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Windows\\evil.txt", "evil.txt"),
        ("a\x00b.txt", "ab.txt"),
        ("議事録_2026年度🙂.txt", "議事録_2026年度🙂.txt"),
    ],
)
def test_file_names_are_metadata_only(
    db: Database, store: EvidenceStore, campaign: str, name: str, kept: str
) -> None:
    sha = add(db, store, campaign, "研修受講記録\n".encode(), name=name)
    (item,) = service.list_evidence(db, AUDITEE, campaign)
    assert item.filename == kept
    assert store.path_of(sha).is_relative_to(store.root)


@pytest.mark.parametrize("name", ["..", "/", "\x00\x01"])
def test_names_without_a_name_are_refused(
    db: Database, store: EvidenceStore, campaign: str, name: str
) -> None:
    with pytest.raises(ValidationFailed, match="proper name"):
        add(db, store, campaign, b"text", name=name)


class CrashAfterFile(EvidenceStore):
    """The process dies after the file is in place, before the row is written."""

    def ingest(self, stream: BinaryIO, display_name: str) -> StoredFile:
        super().ingest(stream, display_name)
        raise RuntimeError("power cut")


def test_crash_between_file_and_row_leaves_an_orphan_never_a_dangling_row(
    db: Database, store: EvidenceStore, campaign: str
) -> None:
    crashing = CrashAfterFile(
        store.root, max_bytes=store.max_bytes, allowed_types=store.allowed_types
    )
    with pytest.raises(RuntimeError, match="power cut"):
        add(db, crashing, campaign, PDF)
    assert service.list_evidence(db, AUDITEE, campaign) == []
    report = service.verify_store(db, OPERATOR, store)
    assert (report.missing, report.corrupt, len(report.orphaned)) == ((), (), 1)
    add(db, store, campaign, PDF)  # the same upload again completes it
    assert service.verify_store(db, OPERATOR, store).ok


def test_verify_finds_corrupt_and_missing_files(
    db: Database, store: EvidenceStore, campaign: str
) -> None:
    pdf = add(db, store, campaign, PDF)
    png = add(db, store, campaign, PNG, name="cabinet.png", control="PHY-02")
    assert service.verify_store(db, OPERATOR, store).ok
    path = store.path_of(pdf)
    data = bytearray(path.read_bytes())
    data[10] ^= 0x01
    path.write_bytes(bytes(data))
    store.path_of(png).unlink()
    report = service.verify_store(db, OPERATOR, store)
    assert (report.corrupt, report.missing) == ((pdf,), (png,))


def test_scope_and_closed_assessments(db: Database, store: EvidenceStore, campaign: str) -> None:
    with pytest.raises(NotFound):
        add(db, store, campaign, PDF, actor=OTHER)
    closed = assessments.list_assessments(db, OPERATOR, status="closed", scope="CSC")[0]
    with pytest.raises(Conflict, match="closed"):
        add(db, store, closed.id, PDF)
    with pytest.raises(ValidationFailed, match="unknown control"):
        add(db, store, campaign, PDF, control="NOPE-1")
    with pytest.raises(ValidationFailed, match="not a date"):
        service.add_evidence(
            db,
            AUDITEE,
            store,
            assessment_id=campaign,
            control_id="POL-01",
            filename="a.pdf",
            stream=io.BytesIO(PDF),
            valid_until="2026-13-45",
        )


def test_cli_add_list_verify(
    template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "cli"
    data_dir.mkdir()
    shutil.copyfile(template, data_dir / "kansa.duckdb")
    with open_database(data_dir / "kansa.duckdb") as db:
        assessment_id = assessments.create_assessment(
            db, OPERATOR, title="cli", catalogue_urn=URN, scope_unit="CSC"
        ).id
    pdf = tmp_path / "台帳.pdf"
    pdf.write_bytes(PDF)
    base = ["--data-dir", str(data_dir)]
    assert (
        main(
            [
                *base,
                "evidence",
                "add",
                assessment_id,
                "ORG-03",
                str(pdf),
                "--valid-until",
                "2027-03-31",
            ]
        )
        == 0
    )
    sha = capsys.readouterr().out.strip()
    assert len(sha) == 64
    assert main([*base, "evidence", "list", assessment_id, "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert {"sha256", "control_id", "filename", "size"} <= set(row)
    assert (row["sha256"], row["filename"], row["size"]) == (sha, "台帳.pdf", len(PDF))
    assert main([*base, "evidence", "verify"]) == 0
    assert "1 files checked" in capsys.readouterr().out
    (data_dir / "evidence" / sha[:2] / sha).write_bytes(b"tampered")
    assert main([*base, "evidence", "verify"]) == 1
    err = capsys.readouterr().err
    assert f"corrupt: {sha}" in err
