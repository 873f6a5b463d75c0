"""The evidence store and service: round trip, dedup, crash safety, refusals, verify."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import BinaryIO

import pytest
from reportlab.pdfgen import canvas

from assessments import service as assessments
from assessments.model import Answer
from auth import audit_service as audit
from auth.model import Principal, Role
from cli import main
from controls.service import sync_library
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.settings import Settings
from demo.service import load_demo
from evidence import service
from evidence.model import EvidenceFilter, EvidenceItem, StoredFile
from evidence.preview import preview_png
from evidence.store import EvidenceStore
from findings import service as findings
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


# --- finding, filtering, unlinking, purging, carrying forward ---------------------------------

TODAY = date(2026, 11, 25)
AUDITOR = Principal("a.miyoshi", Role.AUDITOR, "IAD")
CSV = "番号,氏名\n1,受講者\n".encode()


def add_item(
    db: Database,
    store: EvidenceStore,
    campaign: str,
    data: bytes,
    name: str,
    control: str,
    valid_until: str | None = None,
    actor: Principal = AUDITEE,
) -> EvidenceItem:
    return service.add_evidence(
        db,
        actor,
        store,
        assessment_id=campaign,
        control_id=control,
        filename=name,
        stream=io.BytesIO(data),
        description="説明",
        valid_until=valid_until,
    )


def test_search_filters_and_scope(db: Database, store: EvidenceStore, campaign: str) -> None:
    add_item(db, store, campaign, PDF, "rules.pdf", "POL-01", "2026-11-01")  # expired
    add_item(db, store, campaign, PNG, "cabinet.png", "POL-02", "2026-12-10")  # in 15 days
    add_item(db, store, campaign, CSV, "roster.csv", "POL-02", None, actor=AUDITOR)

    def names(**kw: object) -> set[str]:
        flt = EvidenceFilter(**kw)  # type: ignore[arg-type]
        return {i.filename for i in service.search_evidence(db, AUDITOR, flt, today=TODAY)}

    assert names(assessment_id=campaign) == {"rules.pdf", "cabinet.png", "roster.csv"}
    assert names(control_id="POL-02") == {"cabinet.png", "roster.csv"}
    assert names(media_type="image/png") == {"cabinet.png"}
    assert names(added_by="a.miyoshi") == {"roster.csv"}
    assert names(expired=True) == {"rules.pdf"}
    assert names(expiring_within_days=30) == {"cabinet.png"}
    assert names(expiring_within_days=10) == set()
    assert names(control_id="POL-02", media_type="text/csv") == {"roster.csv"}
    # an auditee of another department sees none of it
    assert service.search_evidence(db, OTHER, EvidenceFilter(), today=TODAY) == []
    with pytest.raises(ValidationFailed, match="number of days"):
        service.search_evidence(db, AUDITOR, EvidenceFilter(expiring_within_days=-1))
    assert service.evidence_counts(db, AUDITEE, campaign) == {"POL-01": 1, "POL-02": 2}


def test_level_three_answers_without_evidence_are_flagged(
    db: Database, store: EvidenceStore, campaign: str
) -> None:
    assessments.save_answers(
        db,
        AUDITEE,
        campaign,
        [
            (Answer("POL-01", 4, 3), None),  # level 3: needs evidence
            (Answer("POL-02", 4, 2), None),  # level 2: not flagged
            (Answer("ORG-01", None, None, na_reason="該当なし"), None),
        ],
    )
    gaps = service.unsupported_answers(db, AUDITEE, campaign)
    assert [(g.control_id, g.documented, g.implemented) for g in gaps] == [("POL-01", 4, 3)]
    add_item(db, store, campaign, PDF, "rules.pdf", "POL-01")
    assert service.unsupported_answers(db, AUDITEE, campaign) == []
    # across every visible assessment the demo's own unsupported answers show up too
    assert all(g.assessment_id != campaign for g in service.unsupported_answers(db, AUDITOR))


def test_unlink_is_audited_and_keeps_the_file_until_purged(
    db: Database, store: EvidenceStore, campaign: str
) -> None:
    item = add_item(db, store, campaign, PDF, "rules.pdf", "POL-01")
    second = add_item(db, store, campaign, PDF, "rules-copy.pdf", "POL-02")
    service.unlink_evidence(db, AUDITEE, item.link_id, reason="古い版")
    assert service.list_unlinked(db, OPERATOR) == []  # still linked to POL-02
    with pytest.raises(NotFound, match="No evidence"):  # removed twice (e.g. by two people)
        service.unlink_evidence(db, AUDITEE, item.link_id)
    service.unlink_evidence(db, AUDITOR, second.link_id)
    [unlinked] = service.list_unlinked(db, OPERATOR)
    assert (unlinked.sha256, unlinked.last_name) == (item.sha256, "rules-copy.pdf")
    assert store.path_of(item.sha256).exists()  # kept until an admin purges it
    entries = audit.list_entries(db, OPERATOR, entity="evidence")
    removed = [e for e in entries if e.action == "evidence.unlink"]
    assert len(removed) == 2
    assert "古い版" in (removed[-1].after or "")
    assert "rules.pdf" in (removed[-1].before or "")
    assert service.list_evidence(db, AUDITEE, campaign) == []


def test_purge_is_for_admins_and_only_takes_unlinked_files(
    db: Database, store: EvidenceStore, campaign: str
) -> None:
    kept = add_item(db, store, campaign, PDF, "rules.pdf", "POL-01")
    gone = add_item(db, store, campaign, PNG, "old.png", "POL-02")
    service.unlink_evidence(db, AUDITEE, gone.link_id)
    with pytest.raises(PermissionDenied):
        service.purge_unlinked(db, AUDITOR, store)
    # naming a linked file does not delete it
    assert service.purge_unlinked(db, OPERATOR, store, [kept.sha256]) == []
    assert service.purge_unlinked(db, OPERATOR, store, [kept.sha256, gone.sha256]) == [gone.sha256]
    assert not store.path_of(gone.sha256).exists()
    assert store.path_of(kept.sha256).exists()
    assert service.verify_store(db, OPERATOR, store).ok
    purges = [e for e in audit.list_entries(db, OPERATOR) if e.action == "evidence.purge"]
    assert [e.entity_id for e in purges] == [gone.sha256]
    assert audit.verify(db, OPERATOR).ok


def test_purge_everything_also_removes_orphaned_files(
    db: Database, store: EvidenceStore, campaign: str
) -> None:
    orphan = store.ingest(io.BytesIO(PNG), "crashed.png")  # a file whose row never came
    assert service.verify_store(db, OPERATOR, store).orphaned == (orphan.sha256,)
    assert service.purge_unlinked(db, OPERATOR, store) == [orphan.sha256]
    assert service.verify_store(db, OPERATOR, store).ok


def test_carry_forward_rechecks_validity(db: Database, store: EvidenceStore) -> None:
    earlier = assessments.create_assessment(
        db, OPERATOR, title="前回", catalogue_urn=URN, scope_unit="CSC", period_start="2026-04-01"
    ).id
    later = assessments.create_assessment(
        db, OPERATOR, title="今回", catalogue_urn=URN, scope_unit="CSC", period_start="2026-10-01"
    ).id
    add_item(db, store, earlier, PDF, "rules.pdf", "POL-01", "2027-03-31")
    add_item(db, store, earlier, PNG, "cabinet.png", "PHY-01", "2026-06-30")  # expired by now
    add_item(db, store, earlier, CSV, "roster.csv", "HUM-01")
    add_item(db, store, later, CSV, "roster.csv", "HUM-01")  # already there

    done = service.carry_forward(db, AUDITEE, later, today=TODAY)
    assert done.source_assessment_id == earlier
    assert done.carried == ("POL-01: rules.pdf",)
    assert done.expired == ("PHY-01: cabinet.png",)
    assert done.already_linked == 1
    items = service.list_evidence(db, AUDITEE, later)
    assert {(i.control_id, i.filename, i.valid_until) for i in items} == {
        ("POL-01", "rules.pdf", "2027-03-31"),
        ("HUM-01", "roster.csv", None),
    }
    carried = [e for e in audit.list_entries(db, OPERATOR) if e.action == "evidence.carry_forward"]
    assert len(carried) == 1
    again = service.carry_forward(db, AUDITEE, later, source_assessment_id=earlier, today=TODAY)
    assert (again.count, again.already_linked) == (0, 2)


def test_carry_forward_refusals(db: Database, store: EvidenceStore, campaign: str) -> None:
    with pytest.raises(NotFound, match="No earlier assessment"):
        service.carry_forward(db, AUDITEE, campaign, today=TODAY)
    other = assessments.create_assessment(
        db, OPERATOR, title="営業部", catalogue_urn=URN, scope_unit="SLS"
    ).id
    with pytest.raises(ValidationFailed, match="same scope"):
        service.carry_forward(db, OPERATOR, campaign, source_assessment_id=other)
    with pytest.raises(NotFound):  # an auditee cannot pull another department's evidence
        service.carry_forward(db, AUDITEE, campaign, source_assessment_id=other)
    closed = assessments.list_assessments(db, OPERATOR, status="closed", scope="CSC")[0]
    with pytest.raises(Conflict, match="closed"):
        service.carry_forward(db, OPERATOR, closed.id, source_assessment_id=other)


def test_read_evidence_checks_who_asks(db: Database, store: EvidenceStore, campaign: str) -> None:
    item = add_item(db, store, campaign, PDF, "rules.pdf", "POL-01")
    found, data = service.read_evidence(db, AUDITEE, store, item.link_id)
    assert (found.filename, data) == ("rules.pdf", PDF)
    with pytest.raises(NotFound):
        service.read_evidence(db, OTHER, store, item.link_id)
    with pytest.raises(NotFound):
        service.get_evidence(db, AUDITOR, "not-a-uuid")
    store.path_of(item.sha256).unlink()
    with pytest.raises(NotFound, match="missing from the evidence store"):
        service.read_evidence(db, AUDITEE, store, item.link_id)


def test_preview_renders_the_first_page_of_a_real_pdf() -> None:
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawString(72, 720, "page one")
    pdf.showPage()
    pdf.drawString(72, 720, "page two")
    pdf.save()
    png = preview_png(out.getvalue(), "application/pdf")
    assert png is not None
    assert png.startswith(b"\x89PNG")
    assert preview_png(PNG, "image/png") == PNG
    assert preview_png(b"%PDF-1.4 broken", "application/pdf") is None
    assert preview_png(CSV, "text/csv") is None


def test_a_file_a_finding_cites_is_not_purged(
    db: Database, store: EvidenceStore, campaign: str
) -> None:
    item = add_item(db, store, campaign, PDF, "rules.pdf", "POL-01")
    findings.raise_finding(
        db,
        OPERATOR,
        assessment_id=campaign,
        control_id="POL-01",
        grade="minor",
        statement="規程の改訂履歴が記録されていない",
        owner="s.okamoto",
        due_date=date.today() + timedelta(days=60),
        evidence=[item.sha256],
    )
    service.unlink_evidence(db, AUDITEE, item.link_id)
    assert service.list_unlinked(db, OPERATOR) == []
    assert service.purge_unlinked(db, OPERATOR, store) == []
    assert store.path_of(item.sha256).exists()
