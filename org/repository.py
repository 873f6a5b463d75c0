"""SQL for org units and people."""

from __future__ import annotations

from org.model import OrgUnit, Person, UnitKind
from storage.db import Cursor


def insert_units(cur: Cursor, units: list[OrgUnit]) -> None:
    cur.executemany(
        "INSERT INTO org_units (code, kind, name_en, name_ja, parent_code) VALUES (?, ?, ?, ?, ?)",
        [[u.code, u.kind.value, u.name_en, u.name_ja, u.parent_code] for u in units],
    )


def insert_people(cur: Cursor, people: list[Person]) -> None:
    cur.executemany(
        """INSERT INTO people (name_ja, name_en, email, org_unit_code, title_en, title_ja)
           VALUES (?, ?, ?, ?, ?, ?)""",
        [[p.name_ja, p.name_en, p.email, p.org_unit_code, p.title_en, p.title_ja] for p in people],
    )


def list_units(cur: Cursor) -> list[OrgUnit]:
    rows = cur.execute(
        "SELECT code, kind, name_en, name_ja, parent_code FROM org_units ORDER BY code"
    ).fetchall()
    return [OrgUnit(str(a), UnitKind(b), str(c), str(d), e) for a, b, c, d, e in rows]


def list_people(cur: Cursor) -> list[Person]:
    rows = cur.execute(
        """SELECT name_ja, name_en, email, org_unit_code, title_en, title_ja
           FROM people ORDER BY org_unit_code, email"""
    ).fetchall()
    return [Person(*r) for r in rows]


def demo_loaded(cur: Cursor, name: str) -> bool:
    return cur.execute("SELECT count(*) FROM demo_loads WHERE name = ?", [name]).fetchone() == (1,)


def mark_demo_loaded(cur: Cursor, name: str) -> None:
    cur.execute("INSERT INTO demo_loads (name) VALUES (?)", [name])


def count_units(cur: Cursor) -> int:
    row = cur.execute("SELECT count(*) FROM org_units").fetchone()
    return int(row[0]) if row else 0
