"""Backup and restore: a consistent copy, a round trip that changes no score and no evidence
byte, refusals that leave the target untouched; `kansa doctor` and `/healthz`."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.requests import Request

from assessments import service as assessments
from cli import main
from controls.service import sync_library
from core.settings import Settings
from demo.service import load_demo
from evidence.store import EvidenceStore
from maintenance import service as maintenance
from storage.backup import write_backup
from storage.migrate import open_database
from tests.conftest import OPERATOR


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("backup-template")
    with open_database(data / "kansa.duckdb") as db:
        sync_library(db, OPERATOR)
        load_demo(db, OPERATOR, EvidenceStore.from_settings(Settings(data_dir=data)))
    return data


@pytest.fixture
def source(template: Path, tmp_path: Path) -> Path:
    shutil.copytree(template, tmp_path / "data")
    return tmp_path / "data"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _evidence(data_dir: Path) -> dict[str, str]:
    """Every stored evidence file: name -> SHA-256 of its bytes."""
    root = data_dir / "evidence"
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.glob("??/*") if p.is_file()
    }


def _scores(capsys: pytest.CaptureFixture[str], data_dir: Path, ids: list[str]) -> list[str]:
    outputs = []
    for assessment_id in ids:
        code, out, err = _run(capsys, "--data-dir", str(data_dir), "score", assessment_id, "--json")
        assert code == 0, err
        outputs.append(out)
    return outputs


def _ids(data_dir: Path) -> list[str]:
    with open_database(data_dir / "kansa.duckdb") as db:
        return [a.id for a in assessments.list_assessments(db, OPERATOR)]


def _leftovers(parent: Path) -> list[str]:
    return sorted(
        p.name for p in parent.iterdir() if ".restoring-" in p.name or p.suffix == ".partial"
    )


# --- the round trip ------------------------------------------------------------------------


def test_backup_with_evidence_then_restore_gives_identical_scores_and_evidence(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _ids(source)
    assert len(ids) > 10
    before = _scores(capsys, source, ids)
    archive = tmp_path / "kansa.tar"
    code, out, err = _run(
        capsys, "--data-dir", str(source), "backup", "--out", str(archive), "--with-evidence"
    )
    assert code == 0, err
    assert out.startswith(f"wrote {archive} (")
    assert "evidence files" in out
    assert "included" in out

    target = tmp_path / "restored"
    code, out, err = _run(capsys, "restore", str(archive), "--data-dir", str(target))
    assert code == 0, err
    assert "(counts verified)" in out
    assert "every SHA-256 verified" in out

    assert _scores(capsys, target, ids) == before
    assert _evidence(target) == _evidence(source)
    assert all(name == sha for name, sha in _evidence(target).items())
    assert len(_evidence(target)) > 0
    code, out, _ = _run(capsys, "--data-dir", str(target), "evidence", "verify")
    assert code == 0
    assert out.startswith("evidence intact")
    assert _leftovers(tmp_path) == []


def test_the_archive_holds_the_database_evidence_and_a_manifest_last(
    source: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "b.tar"
    with open_database(source / "kansa.duckdb") as db:
        result = write_backup(db, source / "evidence", archive, with_evidence=True)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest_file = tar.extractfile("kansa-backup/manifest.json")
        assert manifest_file is not None
        manifest = json.loads(manifest_file.read())
    assert names.count("kansa-backup/kansa.duckdb") == 1
    assert names[-1] == "kansa-backup/manifest.json"
    assert manifest["format"] == "kansa-backup/1"
    assert manifest["tables"] == result.tables
    assert manifest["tables"]["schema_migrations"] >= 7
    files = {f["sha256"]: f["size"] for f in manifest["evidence"]["files"]}
    assert set(files) == set(_evidence(source))
    assert {n.rsplit("/", 1)[-1] for n in names if "/evidence/" in n} == set(files)


def test_backup_without_evidence_lists_it_and_restore_takes_it_from_a_folder(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "db-only.tar"
    code, out, err = _run(capsys, "--data-dir", str(source), "backup", "--out", str(archive))
    assert code == 0, err
    assert "listed in the manifest (not included)" in out
    with tarfile.open(archive) as tar:
        assert not any("/evidence/" in n for n in tar.getnames())

    plain = tmp_path / "plain"
    code, out, _ = _run(capsys, "restore", str(archive), "--data-dir", str(plain))
    assert code == 0
    assert "evidence: not in this backup" in out

    with_files = tmp_path / "with-files"
    code, out, err = _run(
        capsys,
        "restore",
        str(archive),
        "--data-dir",
        str(with_files),
        "--evidence-from",
        str(source / "evidence"),
    )
    assert code == 0, err
    assert "every SHA-256 verified" in out
    assert _evidence(with_files) == _evidence(source)


def test_the_copy_is_one_consistent_moment_while_others_write(source: Path, tmp_path: Path) -> None:
    """A transaction still open in the server (another cursor) is not in the copy."""
    with open_database(source / "kansa.duckdb") as db, db.cursor() as writer:
        before = writer.execute("SELECT count(*) FROM login_attempts").fetchall()[0][0]
        writer.begin()
        writer.execute(
            "INSERT INTO login_attempts (username, client, success) VALUES ('x', 'y', false)"
        )
        result = write_backup(db, source / "evidence", tmp_path / "b.tar", with_evidence=False)
        writer.commit()
        after = writer.execute("SELECT count(*) FROM login_attempts").fetchall()[0][0]
    assert result.tables["login_attempts"] == before == after - 1


def test_online_backup_takes_files_already_stored_and_restore_leaves_out_unnamed_ones(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The server's path: evidence goes into the tar while the database is copied; a file
    the copy does not name (an orphan, or one uploaded after the snapshot) is listed as extra
    and not restored."""
    orphan = b"uploaded while the backup ran"
    sha = hashlib.sha256(orphan).hexdigest()
    (source / "evidence" / sha[:2]).mkdir(parents=True, exist_ok=True)
    (source / "evidence" / sha[:2] / sha).write_bytes(orphan)
    archive = tmp_path / "online.tar"
    with open_database(source / "kansa.duckdb") as db:
        result = write_backup(db, source / "evidence", archive, with_evidence=True)
    assert result.missing == ()
    assert result.corrupt == ()
    with tarfile.open(archive) as tar:
        manifest_file = tar.extractfile("kansa-backup/manifest.json")
        assert manifest_file is not None
        manifest = json.loads(manifest_file.read())
    assert manifest["evidence"]["extra"] == [sha]
    target = tmp_path / "restored"
    code, _, err = _run(capsys, "restore", str(archive), "--data-dir", str(target))
    assert code == 0, err
    expected = _evidence(source)
    del expected[sha]
    assert _evidence(target) == expected


# --- refusals that leave the target untouched --------------------------------------------------


@pytest.fixture
def archive(source: Path, tmp_path: Path) -> Path:
    out = tmp_path / "good.tar"
    with open_database(source / "kansa.duckdb") as db:
        write_backup(db, source / "evidence", out, with_evidence=True)
    return out


def test_restore_refuses_a_folder_that_is_not_empty(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "in-use"
    target.mkdir()
    (target / "notes.txt").write_text("keep me", encoding="utf-8")
    code, _, err = _run(capsys, "restore", str(archive), "--data-dir", str(target))
    assert code == 1
    assert err.startswith("kansa: ")
    assert "is not empty" in err
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    assert (target / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert _leftovers(tmp_path) == []


def test_restore_into_an_existing_empty_folder_works(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    code, _, err = _run(capsys, "restore", str(archive), "--data-dir", str(target))
    assert code == 0, err
    assert (target / "kansa.duckdb").is_file()


def _cut_points(archive: Path) -> dict[str, int]:
    """Where to cut the archive: inside each kind of member, and between two members."""
    with tarfile.open(archive) as tar:
        members = {m.name.rsplit("/", 2)[-2 if "/evidence/" in m.name else -1]: m for m in tar}
    evidence = next(m for key, m in members.items() if len(key) == 2)
    manifest = members["manifest.json"]
    return {
        "first-block": 100,
        "in-database": members["kansa.duckdb"].offset_data + 4096,
        "in-evidence": evidence.offset_data + evidence.size // 2,
        "before-manifest": manifest.offset,  # whole members only: no manifest
        "in-manifest": manifest.offset_data + manifest.size // 2,
    }


@pytest.mark.parametrize(
    "where", ["first-block", "in-database", "in-evidence", "before-manifest", "in-manifest"]
)
def test_a_truncated_backup_is_refused_and_nothing_is_written(
    archive: Path, tmp_path: Path, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data = archive.read_bytes()
    cut = _cut_points(archive)[where]
    short = tmp_path / "short.tar"
    short.write_bytes(data[:cut])
    target = tmp_path / "target"
    code, _, err = _run(capsys, "restore", str(short), "--data-dir", str(target))
    assert code == 1
    assert "not a complete Kansa backup" in err or "not a Kansa backup" in err, err
    assert "nothing was restored" in err
    assert not target.exists()
    assert _leftovers(tmp_path) == []


def test_a_file_that_is_not_a_backup_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = tmp_path / "report.pdf"
    wrong.write_bytes(b"%PDF-1.7\n" + os.urandom(4096))
    code, _, err = _run(capsys, "restore", str(wrong), "--data-dir", str(tmp_path / "t"))
    assert code == 1
    assert "is not a Kansa backup (not a tar archive" in err

    other = tmp_path / "other.tar"
    with tarfile.open(other, "w") as tar:
        (tmp_path / "x.txt").write_text("hello", encoding="utf-8")
        tar.add(tmp_path / "x.txt", arcname="../../etc/x.txt")
    code, _, err = _run(capsys, "restore", str(other), "--data-dir", str(tmp_path / "t"))
    assert code == 1
    assert "does not belong in a Kansa backup" in err
    assert not (tmp_path / "t").exists()


def _flip_byte_in(archive: Path, member_prefix: str) -> None:
    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith(member_prefix))
    with archive.open("r+b") as fh:
        fh.seek(member.offset_data + member.size // 2)
        byte = fh.read(1)
        fh.seek(-1, os.SEEK_CUR)
        fh.write(bytes([byte[0] ^ 0xFF]))


@pytest.mark.parametrize(
    ("member", "message"),
    [
        ("kansa-backup/evidence/", "is damaged in the backup"),
        ("kansa-backup/kansa.duckdb", "does not match its recorded SHA-256"),
    ],
)
def test_a_damaged_backup_is_refused(
    archive: Path, tmp_path: Path, member: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _flip_byte_in(archive, member)
    target = tmp_path / "target"
    code, _, err = _run(capsys, "restore", str(archive), "--data-dir", str(target))
    assert code == 1
    assert message in err
    assert not target.exists()
    assert _leftovers(tmp_path) == []


# --- one process at a time --------------------------------------------------------------------


@pytest.fixture
def held(source: Path) -> Iterator[Path]:
    """The database held open by another process, as the running server holds it."""
    script = (
        "import duckdb, sys, time\n"
        "c = duckdb.connect(sys.argv[1])\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(source / "kansa.duckdb")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        yield source
    finally:
        proc.kill()
        proc.wait()


def test_cli_backup_refuses_while_the_server_holds_the_database(
    held: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "b.tar"
    code, _, err = _run(capsys, "--data-dir", str(held), "backup", "--out", str(out))
    assert code == 1
    assert "Backup page" in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()
    code, out_text, _ = _run(capsys, "--data-dir", str(held), "doctor")
    assert code == 1
    assert "FAIL  database" in out_text
    assert "/healthz" in out_text


# --- doctor and /healthz -------------------------------------------------------------------


def test_doctor_reports_every_check_and_exits_0_when_healthy(
    source: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "--data-dir", str(source), "doctor")
    lines = out.splitlines()
    assert [line.split()[1] for line in lines] == ["database", "migrations", "evidence", "font"]
    assert all(line.startswith("ok") for line in lines[:3]), out
    font_ok = lines[3].startswith("ok")
    assert code == (0 if font_ok else 1)


def test_doctor_finds_a_damaged_evidence_file_and_a_missing_database(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = next((source / "evidence").glob("??/*"))
    victim.write_bytes(b"changed")
    code, out, _ = _run(capsys, "--data-dir", str(source), "doctor")
    assert code == 1
    assert "FAIL  evidence   " in out
    assert "1 corrupt" in out
    code, out, _ = _run(capsys, "--data-dir", str(tmp_path / "nothing"), "doctor")
    assert code == 1
    assert "FAIL  database" in out
    assert "run `kansa init`" in out
    assert not (tmp_path / "nothing" / "kansa.duckdb").exists()  # the doctor creates nothing


def test_healthz_answers_without_sign_in_and_without_secrets(
    source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KANSA_DATA_DIR", str(source))
    from ui.health_routes import ROUTES  # noqa: PLC0415 -- needs the data dir set

    (route,) = ROUTES
    assert route.path == "/healthz"
    request = Request({"type": "http", "method": "GET", "path": "/healthz", "headers": []})
    response = asyncio.run(route.endpoint(request))
    text = bytes(response.body).decode("utf-8")
    body = json.loads(text)
    assert response.headers["cache-control"] == "no-store"
    assert set(body) == {"status", "database", "migrations", "evidence_store", "font"}
    assert body["database"] == "ok"
    assert body["migrations"] == "current"
    assert body["evidence_store"] == "ok"
    assert response.status_code == (200 if body["status"] == "ok" else 503)
    assert str(source) not in text


def test_backup_service_needs_the_admin(source: Path, tmp_path: Path) -> None:
    from auth.model import Principal, Role  # noqa: PLC0415
    from core.errors import PermissionDenied  # noqa: PLC0415

    auditor = Principal("a.miyoshi", Role.AUDITOR)
    with open_database(source / "kansa.duckdb") as db, pytest.raises(PermissionDenied):
        maintenance.backup(
            db, auditor, Settings(data_dir=source), tmp_path / "x.tar", with_evidence=False
        )
    assert not (tmp_path / "x.tar").exists()
