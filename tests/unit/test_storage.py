"""Migrations and the connection factory against real DuckDB files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import Conflict, StorageError
from storage.db import Database
from storage.migrate import MIGRATIONS_DIR, discover, migrate, open_database


def _copy_migrations(target: Path) -> Path:
    target.mkdir()
    for path in MIGRATIONS_DIR.glob("*.sql"):
        (target / path.name).write_bytes(path.read_bytes())
    return target


def test_fresh_database_gets_every_migration(tmp_path: Path) -> None:
    with Database(tmp_path / "k.duckdb") as db:
        applied = migrate(db)
        assert [m.version for m in applied] == [m.version for m in discover()]
        with db.cursor() as cur:
            rows = cur.execute(
                "SELECT version, sha256 FROM schema_migrations ORDER BY 1"
            ).fetchall()
            tables = {
                r[0]
                for r in cur.execute("SELECT table_name FROM information_schema.tables").fetchall()
            }
    assert rows == [(m.version, m.sha256) for m in discover()]
    assert {"catalogues", "controls", "control_refs", "org_units", "people"} <= tables


def test_rerun_applies_nothing(tmp_path: Path) -> None:
    with Database(tmp_path / "k.duckdb") as db:
        migrate(db)
        assert migrate(db) == []


def test_new_migration_is_applied_on_next_start(tmp_path: Path) -> None:
    folder = _copy_migrations(tmp_path / "migrations")
    with Database(tmp_path / "k.duckdb") as db:
        migrate(db, folder)
        n = len(discover(folder))
        (folder / f"{n + 1:04d}_extra.sql").write_text("CREATE TABLE extra (x INTEGER);")
        applied = migrate(db, folder)
        assert [m.name for m in applied] == ["extra"]
        with db.cursor() as cur:
            assert cur.execute("SELECT count(*) FROM extra").fetchone() == (0,)


def test_changed_applied_migration_refuses_to_start(tmp_path: Path) -> None:
    folder = _copy_migrations(tmp_path / "migrations")
    db_path = tmp_path / "k.duckdb"
    open_database(db_path, directory=folder).close()
    first = sorted(folder.glob("*.sql"))[0]
    first.write_text(first.read_text() + "\n-- edited later\n")
    with pytest.raises(StorageError, match=r"0001_.*changed after it was applied"):
        open_database(db_path, directory=folder)


def test_failed_migration_leaves_nothing_applied(tmp_path: Path) -> None:
    folder = _copy_migrations(tmp_path / "migrations")
    n = len(discover(folder))
    (folder / f"{n + 1:04d}_broken.sql").write_text(
        "CREATE TABLE half (x INTEGER); THIS IS NOT SQL;"
    )
    with Database(tmp_path / "k.duckdb") as db:
        with pytest.raises(Exception, match="syntax error"):
            migrate(db, folder)
        with db.cursor() as cur:
            tables = {
                r[0]
                for r in cur.execute("SELECT table_name FROM information_schema.tables").fetchall()
            }
    assert "half" not in tables
    assert "schema_migrations" not in tables  # the whole batch rolled back


def test_gap_in_numbering_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "0001_a.sql").write_text("SELECT 1;")
    (folder / "0003_c.sql").write_text("SELECT 1;")
    with pytest.raises(StorageError, match="numbered"):
        discover(folder)


def test_database_from_newer_version_is_refused(tmp_path: Path) -> None:
    db_path = tmp_path / "k.duckdb"
    with open_database(db_path) as db, db.transaction() as cur:
        cur.execute("INSERT INTO schema_migrations (version, name, sha256) VALUES (999, 'x', 'y')")
    with pytest.raises(StorageError, match="newer Kansa"):
        open_database(db_path)


def test_not_a_duckdb_file_gets_a_sentence(tmp_path: Path) -> None:
    bogus = tmp_path / "kansa.duckdb"
    bogus.write_text("name,score\nA,1\n")
    with pytest.raises(StorageError, match="is not a DuckDB database"):
        Database(bogus)


def test_database_locked_by_another_process_gets_a_sentence(tmp_path: Path) -> None:
    db_path = tmp_path / "k.duckdb"
    open_database(db_path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
            "sys.stdin.read()",
            str(db_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StorageError, match=r"in use by another Kansa process \(process \d+\)"):
            Database(db_path)
    finally:
        holder.communicate("", timeout=30)


def test_cli_reports_locked_database_in_one_line(tmp_path: Path) -> None:
    db_path = tmp_path / "kansa.duckdb"
    open_database(db_path).close()
    with Database(db_path):
        # This process holds the file; a second process (the CLI) must refuse politely.
        result = subprocess.run(
            [sys.executable, "cli.py", "--data-dir", str(tmp_path), "catalogue", "list"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
            check=False,
        )
    assert result.returncode == 1
    assert result.stderr.startswith("kansa: The database")
    assert "in use by another Kansa process" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    with open_database(tmp_path / "k.duckdb") as db:
        with pytest.raises(RuntimeError), db.transaction() as cur:
            cur.execute("INSERT INTO demo_loads (name) VALUES ('x')")
            raise RuntimeError("boom")
        with db.cursor() as cur:
            assert cur.execute("SELECT count(*) FROM demo_loads").fetchone() == (0,)


def test_concurrent_write_to_same_row_is_a_conflict(tmp_path: Path) -> None:
    with open_database(tmp_path / "k.duckdb") as db:
        with db.transaction() as cur:
            cur.execute("INSERT INTO demo_loads (name) VALUES ('x')")
        with pytest.raises(Conflict), db.transaction() as first:
            first.execute("UPDATE demo_loads SET loaded_at = now() WHERE name = 'x'")
            with db.transaction() as second:
                second.execute("UPDATE demo_loads SET loaded_at = now() WHERE name = 'x'")


def test_closed_database_refuses_cursors(tmp_path: Path) -> None:
    db = open_database(tmp_path / "k.duckdb")
    db.close()
    with pytest.raises(StorageError, match="closed"), db.cursor():
        pass
