"""The hash-chained audit trail: chaining, tamper detection, the CLI check, export and filters.

Each tamper case edits the table the way someone with write access to the database file
could, and states the first sequence number ``verify`` must name.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import cli
from auth import audit_service, service
from auth.audit_service import CSV_HEADER
from auth.model import VerifyResult
from auth.repository import GENESIS, append_audit
from auth.secret import load_or_create_secret
from auth.service import SignInRefused
from core.settings import Settings
from storage.db import Cursor, Database
from storage.migrate import open_database
from tests.conftest import OPERATOR
from tests.unit.conftest import Company

ROW_COLUMNS = 'seq, "at", actor, action, entity, entity_id, before, after, prev_hash, hash'
ROW_NAMES = [name.strip().strip('"') for name in ROW_COLUMNS.split(",")]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """An empty, migrated database: its audit log starts at seq 1."""
    database = open_database(tmp_path / "kansa.duckdb")
    yield database
    database.close()


def append(db: Database, count: int, *, start: int = 1) -> None:
    """Append ``count`` ASCII-only entries, each in its own transaction (as services do)."""
    for n in range(start, start + count):
        with db.transaction() as cur:
            append_audit(
                cur,
                actor=f"user{n}",
                action="thing.change",
                entity="thing",
                entity_id=f"T-{n}",
                before=None if n == 1 else {"n": n - 1},
                after={"n": n, "tags": ["a", "b"], "ok": True, "note": None},
            )


def rows(db: Database) -> list[dict[str, Any]]:
    with db.cursor() as cur:
        found = cur.execute(f"SELECT {ROW_COLUMNS} FROM audit_log ORDER BY seq").fetchall()  # noqa: S608
    return [dict(zip(ROW_NAMES, r, strict=True)) for r in found]


def row_at(cur: Cursor, seq: int) -> dict[str, Any]:
    found = cur.execute(f"SELECT {ROW_COLUMNS} FROM audit_log WHERE seq = ?", [seq]).fetchone()  # noqa: S608
    assert found is not None
    return dict(zip(ROW_NAMES, found, strict=True))


def verify(db: Database) -> VerifyResult:
    return audit_service.verify(db, OPERATOR)


def outside_hash(row: dict[str, Any], *, ensure_ascii: bool = True) -> str:
    """The entry's hash as an outside auditor recomputes it from the documented format.

    sha256(prev_hash + canonical JSON of the row): keys sorted, compact separators, UTF-8;
    ``before``/``after`` enter as JSON strings holding their stored JSON text (README, "Audit
    trail"), so no JSON library's way of printing numbers can change a hash.
    """
    canonical = json.dumps(
        {
            "action": row["action"],
            "actor": row["actor"],
            "after": row["after"],
            "at": row["at"],
            "before": row["before"],
            "entity": row["entity"],
            "entity_id": row["entity_id"],
            "seq": row["seq"],
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=ensure_ascii,
    )
    return hashlib.sha256((row["prev_hash"] + canonical).encode("utf-8")).hexdigest()


# --- chaining ---------------------------------------------------------------------------------


def test_entries_are_chained(db: Database) -> None:
    assert verify(db) == VerifyResult(0, None)

    append(db, 5)

    chain = rows(db)
    assert [r["seq"] for r in chain] == [1, 2, 3, 4, 5]
    assert chain[0]["prev_hash"] == GENESIS == "0" * 64
    for previous, current in itertools.pairwise(chain):
        assert current["prev_hash"] == previous["hash"]
    assert all(re.fullmatch("[0-9a-f]{64}", r["hash"]) for r in chain)
    assert len({r["hash"] for r in chain}) == 5
    assert verify(db) == VerifyResult(5, None)
    assert verify(db).ok


def test_an_outside_auditor_can_recompute_every_hash(db: Database) -> None:
    append(db, 3)
    with db.transaction() as cur:  # numbers that JSON libraries print in different ways
        append_audit(
            cur, actor="x", action="y", entity="z", after={"small": 1e-7, "big": 1e20, "f": 2.5}
        )

    chain = rows(db)
    assert chain[0]["before"] is None
    assert all(row["after"] is not None for row in chain)
    for row in chain:
        assert outside_hash(row) == row["hash"], f"seq {row['seq']}"
    assert verify(db) == VerifyResult(4, None)


def test_the_trail_of_real_services_verifies(company: Company) -> None:
    """The demo load writes Japanese names too; recomputing needs UTF-8 without escapes."""
    with open_database(company.db_path) as db:
        result = verify(db)
        chain = rows(db)

    assert result.ok
    assert result.entries == len(chain) > 10
    for row in chain:
        assert outside_hash(row, ensure_ascii=False) == row["hash"], f"seq {row['seq']}"


# --- tampering --------------------------------------------------------------------------------


def forge(cur: Cursor, seq: int, prev_hash: str) -> None:
    """Insert a made-up entry whose hash a forger computed correctly from its predecessor."""
    row: dict[str, Any] = {
        "seq": seq,
        "at": "2026-01-01T00:00:00.000000Z",
        "actor": "forger",
        "action": "thing.change",
        "entity": "thing",
        "entity_id": "T-X",
        "before": None,
        "after": '{"n":0}',
        "prev_hash": prev_hash,
    }
    row["hash"] = outside_hash(row)
    cur.execute(
        f"INSERT INTO audit_log ({ROW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        list(row.values()),
    )


def swap_2_and_4(cur: Cursor) -> None:
    cur.execute("UPDATE audit_log SET seq = -2 WHERE seq = 2")
    cur.execute("UPDATE audit_log SET seq = 2 WHERE seq = 4")
    cur.execute("UPDATE audit_log SET seq = 4 WHERE seq = -2")


def edit_3_and_rehash_it(cur: Cursor) -> None:
    """Edit entry 3 and give it a correct hash: the entry after it no longer fits."""
    cur.execute("""UPDATE audit_log SET after = '{"n":99}' WHERE seq = 3""")
    cur.execute("UPDATE audit_log SET hash = ? WHERE seq = 3", [outside_hash(row_at(cur, 3))])


def delete_3_and_rechain_the_rest(cur: Cursor) -> None:
    """Delete entry 3 and re-hash 4 and 5 onto entry 2, leaving their seq numbers alone."""
    cur.execute("DELETE FROM audit_log WHERE seq = 3")
    prev_hash = row_at(cur, 2)["hash"]
    for seq in (4, 5):
        row = {**row_at(cur, seq), "prev_hash": prev_hash}
        prev_hash = outside_hash(row)
        cur.execute(
            "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?",
            [row["prev_hash"], prev_hash, seq],
        )


def insert_forged_row_in_the_middle(cur: Cursor) -> None:
    """Make room at seq 3 and insert a correctly hashed entry there."""
    for seq in (5, 4, 3):
        cur.execute("UPDATE audit_log SET seq = seq + 1 WHERE seq = ?", [seq])
    forge(cur, 3, row_at(cur, 2)["hash"])


def append_forged_row_with_a_made_up_hash(cur: Cursor) -> None:
    cur.execute(
        f"""INSERT INTO audit_log ({ROW_COLUMNS})
            SELECT 6, "at", 'forger', action, entity, entity_id, before, after, hash,
                   repeat('a', 64)
            FROM audit_log WHERE seq = 5"""  # noqa: S608
    )


TAMPERING: dict[str, tuple[Callable[[Cursor], object], int]] = {
    # case: (what is done to entries 1..5, first seq verify must name)
    "edit-after-of-3": (
        lambda cur: cur.execute("""UPDATE audit_log SET after = '{"n":99}' WHERE seq = 3"""),
        3,
    ),
    "edit-actor-of-3": (
        lambda cur: cur.execute("UPDATE audit_log SET actor = 'someone.else' WHERE seq = 3"),
        3,
    ),
    "edit-time-of-3": (
        lambda cur: cur.execute("""UPDATE audit_log SET "at" = '2020-01-01' WHERE seq = 3"""),
        3,
    ),
    "clear-before-of-2": (
        lambda cur: cur.execute("UPDATE audit_log SET before = NULL WHERE seq = 2"),
        2,
    ),
    "edit-hash-of-3": (
        lambda cur: cur.execute("UPDATE audit_log SET hash = repeat('0', 64) WHERE seq = 3"),
        3,
    ),
    "edit-prev-hash-of-4": (
        lambda cur: cur.execute("UPDATE audit_log SET prev_hash = repeat('0', 64) WHERE seq = 4"),
        4,
    ),
    # entry 4 now follows entry 2: its seq and its prev_hash no longer fit
    "delete-3": (lambda cur: cur.execute("DELETE FROM audit_log WHERE seq = 3"), 4),
    # the log must start at seq 1 with the genesis hash
    "delete-1": (lambda cur: cur.execute("DELETE FROM audit_log WHERE seq = 1"), 2),
    # seq is inside the hash: the entry now at 2 was hashed as 4
    "swap-seq-2-and-4": (swap_2_and_4, 2),
    # entry 3 is self-consistent again, but entry 4's prev_hash still names the old hash
    "edit-and-rehash-3": (edit_3_and_rehash_it, 4),
    # every hash and prev_hash fits again; only the gap in seq numbers is left
    "delete-3-and-rechain-the-rest": (delete_3_and_rechain_the_rest, 4),
    # the forged entry at 3 fits; the real one moved to 4 was hashed as seq 3
    "forged-row-in-the-middle": (insert_forged_row_in_the_middle, 4),
    "forged-row-at-the-end": (append_forged_row_with_a_made_up_hash, 6),
}


@pytest.mark.parametrize(("tamper", "first_broken"), TAMPERING.values(), ids=TAMPERING.keys())
def test_tampering_is_found_at_the_first_broken_entry(
    db: Database, tamper: Callable[[Cursor], object], first_broken: int
) -> None:
    append(db, 5)
    assert verify(db).ok

    with db.transaction() as cur:
        tamper(cur)

    result = verify(db)
    assert not result.ok
    assert result.first_broken_seq == first_broken
    assert result.entries == len(rows(db))


def test_appending_after_a_break_does_not_hide_it(db: Database) -> None:
    append(db, 3)
    with db.transaction() as cur:
        cur.execute("UPDATE audit_log SET actor = 'someone.else' WHERE seq = 2")

    append(db, 2, start=4)

    assert verify(db) == VerifyResult(5, 2)


# --- the command line -------------------------------------------------------------------------


def kansa(data_dir: Path, *args: str) -> int:
    return cli.main(["--data-dir", str(data_dir), *args])


def test_cli_verify_passes_then_names_the_tampered_entry(
    company: Company, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_database(company.db_path) as db:
        count = len(rows(db))
        middle = count // 2

    assert kansa(company.data_dir, "audit-log", "verify") == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.strip() == f"audit log intact: {count} entries checked"

    with open_database(company.db_path) as db, db.transaction() as cur:
        cur.execute("UPDATE audit_log SET actor = 'someone.else' WHERE seq = ?", [middle])

    assert kansa(company.data_dir, "audit-log", "verify") == 1
    out, err = capsys.readouterr()
    assert out == ""
    (line,) = err.splitlines()
    assert line == f"kansa: audit log broken at seq {middle} ({count} entries checked)"


# --- reading and exporting --------------------------------------------------------------------


def parse_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_export_guards_formula_cells(db: Database, tmp_path: Path) -> None:
    # an anonymous visitor controls the name typed at sign-in, which the trail records
    settings = Settings(data_dir=tmp_path)
    secret = load_or_create_secret(settings.secret_path)
    with pytest.raises(SignInRefused):
        service.sign_in(
            db,
            settings,
            secret,
            username='=HYPERLINK("http://evil.example")',
            password="whatever-it-is",
            client="+81 3",
        )
    with db.transaction() as cur:
        append_audit(
            cur,
            actor="=cmd|' /C calc'!A0",
            action="thing.change",
            entity="thing",
            entity_id="@SUM(A1)",
            after={"name": "個人データ"},
        )
    entries = audit_service.list_entries(db, OPERATOR)

    data = audit_service.export_csv(db, OPERATOR, entries)

    assert data.startswith(b"\xef\xbb\xbf")
    table = parse_csv(data)
    assert tuple(table[0]) == CSV_HEADER
    assert [line[0] for line in table[1:]] == ["2", "1"]  # newest first, as listed
    by_seq = {line[0]: dict(zip(CSV_HEADER, line, strict=True)) for line in table[1:]}
    assert by_seq["1"]["entity_id"] == '\'=hyperlink("http://evil.example")'
    assert by_seq["1"]["actor"] == "anonymous"
    assert by_seq["2"]["actor"] == "'=cmd|' /C calc'!A0"
    assert by_seq["2"]["entity_id"] == "'@SUM(A1)"
    assert json.loads(by_seq["2"]["after"]) == {"name": "個人データ"}
    assert json.loads(by_seq["1"]["after"]) == {"client": "+81 3"}  # JSON is not guarded
    assert by_seq["2"]["hash"] == entries[0].hash
    assert all(not cell.startswith(("=", "+", "-", "@")) for line in table for cell in line)


def test_an_export_of_the_whole_trail_can_be_verified_outside_kansa(company: Company) -> None:
    """With the CSV alone (newest first, as exported), recompute the chain from the genesis."""
    with open_database(company.db_path) as db:
        data = audit_service.export_csv(db, OPERATOR, audit_service.list_entries(db, OPERATOR))
    table = parse_csv(data)
    exported = [dict(zip(table[0], line, strict=True)) for line in table[1:]]
    exported.sort(key=lambda r: int(r["seq"]))

    prev_hash = GENESIS
    for r in exported:
        row = {
            **{k: r[k] for k in ("action", "actor", "at", "entity")},
            "entity_id": r["entity_id"] or None,
            "before": r["before"] or None,  # stored JSON text is never empty; empty is NULL
            "after": r["after"] or None,
            "seq": int(r["seq"]),
            "prev_hash": prev_hash,
        }
        assert outside_hash(row, ensure_ascii=False) == r["hash"], f"seq {r['seq']}"
        prev_hash = r["hash"]
    assert [int(r["seq"]) for r in exported] == list(range(1, len(exported) + 1))


def test_csv_export_of_nothing_is_the_header(db: Database) -> None:
    assert parse_csv(audit_service.export_csv(db, OPERATOR, [])) == [list(CSV_HEADER)]


def dated_log(db: Database) -> None:
    """Six entries by two people on two kinds of thing, at chosen times.

    ``append_audit`` stamps the current time, so the times are set afterwards (this breaks
    the chain, which does not matter for reading).
    """
    made = [
        ("alice", "user", "2026-01-31T23:59:59.999999Z"),
        ("alice", "catalogue", "2026-02-01T00:00:00.000000Z"),
        ("bob", "user", "2026-02-14T12:00:00.000000Z"),
        ("bob", "catalogue", "2026-02-28T23:59:59.999999Z"),
        ("alice", "user", "2026-03-01T00:00:00.000000Z"),
        ("cli:ops", "session", "2026-03-02T09:00:00.000000Z"),
    ]
    with db.transaction() as cur:
        for actor, entity, _ in made:
            append_audit(cur, actor=actor, action=f"{entity}.change", entity=entity)
        for seq, (_, _, at) in enumerate(made, start=1):
            cur.execute('UPDATE audit_log SET "at" = ? WHERE seq = ?', [at, seq])


def listed(db: Database, **filters: Any) -> list[int]:
    return [e.seq for e in audit_service.list_entries(db, OPERATOR, **filters)]


def test_list_entries_newest_first_with_a_limit(db: Database) -> None:
    dated_log(db)

    assert listed(db) == [6, 5, 4, 3, 2, 1]
    assert listed(db, limit=2) == [6, 5]


def test_list_entries_by_person_and_entity(db: Database) -> None:
    dated_log(db)

    assert listed(db, person="alice") == [5, 2, 1]
    assert listed(db, person="bob") == [4, 3]
    assert listed(db, entity="catalogue") == [4, 2]
    assert listed(db, person="alice", entity="user") == [5, 1]
    assert listed(db, person="nobody") == []
    assert listed(db, person="' OR 1=1 --") == []


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        ("2026-02-01", "2026-02-28", [4, 3, 2]),  # both ends inclusive, to the microsecond
        ("2026-02-01", None, [6, 5, 4, 3, 2]),
        (None, "2026-01-31", [1]),
        ("2026-03-01", "2026-03-01", [5]),
        ("2026-04-01", None, []),
    ],
)
def test_list_entries_by_date_range(
    db: Database, since: str | None, until: str | None, expected: list[int]
) -> None:
    dated_log(db)

    assert listed(db, since=since, until=until) == expected


def test_facets_name_the_people_and_kinds_in_the_trail(db: Database) -> None:
    dated_log(db)

    assert audit_service.facets(db, OPERATOR) == (
        ["alice", "bob", "cli:ops"],
        ["catalogue", "session", "user"],
    )
