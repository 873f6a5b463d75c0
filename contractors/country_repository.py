"""SQL for the country register and the places where personal data is stored or accessed."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from contractors.country_model import (
    CbprStatus,
    Country,
    CountryEntry,
    GdprAdequacy,
    OecdGap,
    OecdPrinciple,
)
from contractors.model import DataLocation, LocationMode, SubjectKind
from storage.db import Cursor

_COUNTRY = """
    SELECT code, name_en, name_ja, regime_exists, regime_en, regime_ja, gdpr_adequacy, apec_cbpr,
           CAST(oecd_gaps AS VARCHAR), government_access_en, government_access_ja,
           localisation_en, localisation_ja, source, reviewed_on, review_due, verified_by,
           version, updated_by, strftime(updated_at, '%Y-%m-%d %H:%M')
    FROM countries
"""


def _gaps_json(gaps: tuple[OecdGap, ...]) -> str:
    return json.dumps(
        [
            {"principle": g.principle.value, "note_en": g.note_en, "note_ja": g.note_ja}
            for g in gaps
        ],
        ensure_ascii=False,
    )


def _country(r: tuple[Any, ...]) -> Country:
    gaps = tuple(
        OecdGap(OecdPrinciple(g["principle"]), str(g["note_en"]), str(g["note_ja"]))
        for g in json.loads(r[8])
    )
    entry = CountryEntry(
        code=r[0],
        name_en=r[1],
        name_ja=r[2],
        regime_exists=bool(r[3]),
        regime_en=r[4],
        regime_ja=r[5],
        gdpr_adequacy=GdprAdequacy(r[6]),
        apec_cbpr=CbprStatus(r[7]),
        oecd_gaps=gaps,
        government_access_en=r[9],
        government_access_ja=r[10],
        localisation_en=r[11],
        localisation_ja=r[12],
        source=r[13],
        reviewed_on=r[14],
        review_due=r[15],
    )
    return Country(entry, r[16], int(r[17]), r[18], r[19])


def _entry_values(e: CountryEntry) -> list[Any]:
    return [
        e.name_en,
        e.name_ja,
        e.regime_exists,
        e.regime_en,
        e.regime_ja,
        e.gdpr_adequacy.value,
        e.apec_cbpr.value,
        _gaps_json(e.oecd_gaps),
        e.government_access_en,
        e.government_access_ja,
        e.localisation_en,
        e.localisation_ja,
        e.source,
        e.reviewed_on,
        e.review_due,
    ]


def insert_country(
    cur: Cursor, entry: CountryEntry, *, verified_by: str | None, actor: str
) -> None:
    cur.execute(
        """INSERT INTO countries (name_en, name_ja, regime_exists, regime_en, regime_ja,
               gdpr_adequacy, apec_cbpr, oecd_gaps, government_access_en, government_access_ja,
               localisation_en, localisation_ja, source, reviewed_on, review_due, code,
               verified_by, updated_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS JSON), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [*_entry_values(entry), entry.code, verified_by, actor],
    )


def update_country(
    cur: Cursor, entry: CountryEntry, *, expected_version: int, verified_by: str, actor: str
) -> bool:
    row = cur.execute(
        """UPDATE countries SET name_en = ?, name_ja = ?, regime_exists = ?, regime_en = ?,
               regime_ja = ?, gdpr_adequacy = ?, apec_cbpr = ?, oecd_gaps = CAST(? AS JSON),
               government_access_en = ?, government_access_ja = ?, localisation_en = ?,
               localisation_ja = ?, source = ?, reviewed_on = ?, review_due = ?,
               verified_by = ?, updated_by = ?, updated_at = current_timestamp,
               version = version + 1
           WHERE code = ? AND version = ? RETURNING code""",
        [*_entry_values(entry), verified_by, actor, entry.code, expected_version],
    ).fetchone()
    return row is not None


def get_country(cur: Cursor, code: str) -> Country | None:
    row = cur.execute(_COUNTRY + " WHERE code = ?", [code]).fetchone()
    return _country(row) if row else None


def list_countries(cur: Cursor) -> list[Country]:
    return [_country(r) for r in cur.execute(_COUNTRY + " ORDER BY code").fetchall()]


def country_codes(cur: Cursor) -> set[str]:
    return {str(r[0]) for r in cur.execute("SELECT code FROM countries").fetchall()}


def delete_country(cur: Cursor, code: str, expected_version: int) -> bool:
    row = cur.execute(
        "DELETE FROM countries WHERE code = ? AND version = ? RETURNING code",
        [code, expected_version],
    ).fetchone()
    return row is not None


# --- data locations ---------------------------------------------------------------------------

_LOCATION = """
    SELECT CAST(id AS VARCHAR), subject_kind, subject_id, subject_name, country_code, mode, note
    FROM data_locations
"""


def _location(r: tuple[Any, ...]) -> DataLocation:
    return DataLocation(r[0], SubjectKind(r[1]), r[2], r[3], r[4], LocationMode(r[5]), r[6])


def insert_location(
    cur: Cursor,
    *,
    subject_kind: SubjectKind,
    subject_id: str,
    subject_name: str,
    country_code: str,
    mode: LocationMode,
    note: str | None,
    actor: str,
) -> DataLocation:
    row = cur.execute(
        """INSERT INTO data_locations (subject_kind, subject_id, subject_name, country_code,
                                       mode, note, added_by)
           VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING CAST(id AS VARCHAR)""",
        [subject_kind.value, subject_id, subject_name, country_code, mode.value, note, actor],
    ).fetchone()
    if row is None:
        raise RuntimeError("INSERT ... RETURNING returned no row")
    found = get_location(cur, str(row[0]))
    if found is None:
        raise RuntimeError("inserted location not found")
    return found


def get_location(cur: Cursor, location_id: str) -> DataLocation | None:
    row = cur.execute(_LOCATION + " WHERE id = TRY_CAST(? AS UUID)", [location_id]).fetchone()
    return _location(row) if row else None


def find_location(
    cur: Cursor, subject_kind: SubjectKind, subject_id: str, country_code: str, mode: LocationMode
) -> DataLocation | None:
    row = cur.execute(
        _LOCATION + " WHERE subject_kind = ? AND subject_id = ? AND country_code = ? AND mode = ?",
        [subject_kind.value, subject_id, country_code, mode.value],
    ).fetchone()
    return _location(row) if row else None


def list_locations(
    cur: Cursor,
    *,
    subject_kind: SubjectKind | None = None,
    subject_id: str | None = None,
    country_code: str | None = None,
) -> list[DataLocation]:
    sql = _LOCATION + " WHERE true"
    params: list[Any] = []
    for column, value in (
        ("subject_kind", subject_kind.value if subject_kind else None),
        ("subject_id", subject_id),
        ("country_code", country_code),
    ):
        if value is not None:
            sql += f" AND {column} = ?"  # column names are the constants above
            params.append(value)
    sql += " ORDER BY country_code, subject_kind, subject_name, mode"
    return [_location(r) for r in cur.execute(sql, params).fetchall()]


def delete_location(cur: Cursor, location_id: str) -> bool:
    row = cur.execute(
        "DELETE FROM data_locations WHERE id = TRY_CAST(? AS UUID) RETURNING id", [location_id]
    ).fetchone()
    return row is not None


def exposure_rows(cur: Cursor, today: date) -> list[tuple[Any, ...]]:
    """Per country with data or a register entry: (code, contractors, systems, sites, stored,
    accessed, in register, regime exists, GDPR adequacy, APEC CBPR, reviewed on, review due,
    verified, stale, name en, name ja). Subjects are counted once per country whatever the mode."""
    return cur.execute(
        """WITH used AS (
               SELECT country_code AS code,
                      count(DISTINCT subject_id) FILTER (WHERE subject_kind = 'contractor') AS k,
                      count(DISTINCT subject_id) FILTER (WHERE subject_kind = 'system') AS y,
                      count(DISTINCT subject_id) FILTER (WHERE subject_kind = 'site') AS s,
                      count(*) FILTER (WHERE mode = 'stored') AS stored,
                      count(*) FILTER (WHERE mode = 'accessed') AS accessed
               FROM data_locations GROUP BY country_code)
           SELECT COALESCE(u.code, g.code), COALESCE(u.k, 0), COALESCE(u.y, 0),
                  COALESCE(u.s, 0), COALESCE(u.stored, 0), COALESCE(u.accessed, 0),
                  g.code IS NOT NULL, g.regime_exists, g.gdpr_adequacy, g.apec_cbpr,
                  g.reviewed_on, g.review_due, g.verified_by IS NOT NULL,
                  g.code IS NULL OR g.verified_by IS NULL OR g.review_due < CAST(? AS DATE),
                  g.name_en, g.name_ja
           FROM used u FULL OUTER JOIN countries g ON g.code = u.code
           ORDER BY COALESCE(u.k, 0) + COALESCE(u.y, 0) + COALESCE(u.s, 0) DESC,
                    COALESCE(u.code, g.code)""",
        [today],
    ).fetchall()
