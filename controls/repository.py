"""SQL for catalogues and controls. Plain functions taking a cursor; parameterised SQL only."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from controls.model import (
    CatalogueSummary,
    ControlRow,
    DomainSummary,
    ImportResult,
    ImportStatus,
)
from storage.db import Cursor

if TYPE_CHECKING:
    from controls.schema import Catalogue


def fold(text: str) -> str:
    """Normalise text for search: NFKC (full-/half-width alike) and case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


_CONTROL_COLUMNS = (
    "control_id",
    "domain_id",
    "position",
    "is_key",
    "is_assessable",
    "answer_type",
    "title_en",
    "title_ja",
    "requirement_en",
    "requirement_ja",
    "guidance_en",
    "guidance_ja",
    "small_business_en",
    "small_business_ja",
    "evidence_hints_en",
    "evidence_hints_ja",
    "search_text",
)
_REF_COLUMNS = ("control_id", "scheme", "ref", "position")


_BULK_INSERT = {
    table: f"INSERT INTO {table} BY NAME "  # noqa: S608 -- table names are these constants
    "SELECT * REPLACE (CAST(catalogue_id AS UUID) AS catalogue_id) FROM _incoming"
    for table in ("controls", "control_refs")
}


def _bulk_insert(cur: Cursor, table: str, catalogue_id: str, columns: dict[str, list[Any]]) -> None:
    """Insert column-wise through Arrow: executemany costs ~3 ms a row here."""
    count = len(next(iter(columns.values())))
    if not count:
        return
    import pyarrow as pa  # noqa: PLC0415 -- ~0.2 s, only needed here

    cur.register("_incoming", pa.table({"catalogue_id": [catalogue_id] * count, **columns}))
    try:
        cur.execute(_BULK_INSERT[table])
    finally:
        cur.unregister("_incoming")


def catalogues_by_sha256(cur: Cursor, hashes: list[str]) -> dict[str, ImportResult]:
    """Stored catalogues whose file had one of these SHA-256s, as 'unchanged' results."""
    rows = cur.execute(
        """
        SELECT c.sha256, CAST(c.id AS VARCHAR), c.urn, c.version,
               (SELECT count(*) FROM controls k WHERE k.catalogue_id = c.id AND k.is_assessable)
        FROM catalogues c WHERE list_contains(?, c.sha256)
        """,
        [hashes],
    ).fetchall()
    return {
        str(sha): ImportResult(ImportStatus.UNCHANGED, str(cid), str(urn), str(ver), int(n))
        for sha, cid, urn, ver, n in rows
    }


def find_catalogue(cur: Cursor, urn: str, version: str) -> tuple[str, str] | None:
    """(id, sha256) of the stored catalogue with this URN and version, if any."""
    row = cur.execute(
        "SELECT CAST(id AS VARCHAR), sha256 FROM catalogues WHERE urn = ? AND version = ?",
        [urn, version],
    ).fetchone()
    return (str(row[0]), str(row[1])) if row else None


def insert_catalogue(
    cur: Cursor, catalogue: Catalogue, *, sha256: str, source_file: str, actor: str
) -> str:
    """Write a catalogue with its domains, controls and refs; return the new id."""
    row = cur.execute(
        """
        INSERT INTO catalogues
            (urn, version, name_en, name_ja, source_en, source_ja, scale, sha256,
             source_file, imported_by)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        RETURNING CAST(id AS VARCHAR)
        """,
        [
            catalogue.urn,
            catalogue.version,
            catalogue.name.en,
            catalogue.name.ja,
            catalogue.source.en if catalogue.source else None,
            catalogue.source.ja if catalogue.source else None,
            catalogue.scale,
            sha256,
            source_file,
            actor,
        ],
    ).fetchone()
    if row is None:
        raise RuntimeError("INSERT ... RETURNING returned no row")
    catalogue_id = str(row[0])
    cur.executemany(
        "INSERT INTO catalogue_domains VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            [
                catalogue_id,
                d.id,
                i,
                d.name.en,
                d.name.ja,
                d.description.en if d.description else None,
                d.description.ja if d.description else None,
            ]
            for i, d in enumerate(catalogue.domains)
        ],
    )
    controls: dict[str, list[Any]] = {name: [] for name in _CONTROL_COLUMNS}
    refs: dict[str, list[Any]] = {name: [] for name in _REF_COLUMNS}
    for position, (domain, c) in enumerate(catalogue.controls()):
        pairs = c.refs.pairs()
        sb = c.small_business
        words = [
            c.id,
            c.title.en,
            c.title.ja,
            c.requirement.en,
            c.requirement.ja,
            *c.guidance.en,
            *c.guidance.ja,
            *((sb.en, sb.ja) if sb else ()),
            *c.evidence_hints.en,
            *c.evidence_hints.ja,
            *(ref for _, ref in pairs),
        ]
        values = (
            c.id,
            domain.id,
            position,
            c.key,
            c.assessable,
            c.answer_type,
            c.title.en,
            c.title.ja,
            c.requirement.en,
            c.requirement.ja,
            c.guidance.en,
            c.guidance.ja,
            sb.en if sb else None,
            sb.ja if sb else None,
            c.evidence_hints.en,
            c.evidence_hints.ja,
            fold("\n".join(words)),
        )
        for name, value in zip(_CONTROL_COLUMNS, values, strict=True):
            controls[name].append(value)
        for i, (scheme, ref) in enumerate(pairs):
            for name, ref_value in zip(_REF_COLUMNS, (c.id, scheme, ref, i), strict=True):
                refs[name].append(ref_value)
    _bulk_insert(cur, "controls", catalogue_id, controls)
    _bulk_insert(cur, "control_refs", catalogue_id, refs)
    return catalogue_id


_SUMMARY_SQL = """
    SELECT CAST(c.id AS VARCHAR), c.urn, c.version, c.name_en, c.name_ja, c.scale,
           (SELECT count(*) FROM controls k WHERE k.catalogue_id = c.id AND k.is_assessable),
           c.sha256, strftime(c.imported_at, '%Y-%m-%d %H:%M:%S')
    FROM catalogues c
"""


def _summary(r: tuple[Any, ...]) -> CatalogueSummary:
    return CatalogueSummary(
        id=str(r[0]),
        urn=str(r[1]),
        version=str(r[2]),
        name_en=str(r[3]),
        name_ja=str(r[4]),
        scale=str(r[5]),
        control_count=int(r[6]),
        sha256=str(r[7]),
        imported_at=str(r[8]),
    )


def list_catalogues(cur: Cursor) -> list[CatalogueSummary]:
    rows = cur.execute(_SUMMARY_SQL + " ORDER BY c.urn, c.imported_at DESC").fetchall()
    return [_summary(r) for r in rows]


def get_catalogue(cur: Cursor, catalogue_id: str) -> CatalogueSummary | None:
    row = cur.execute(_SUMMARY_SQL + " WHERE c.id = TRY_CAST(? AS UUID)", [catalogue_id]).fetchone()
    return _summary(row) if row else None


def list_domains(cur: Cursor, catalogue_id: str) -> list[DomainSummary]:
    rows = cur.execute(
        """
        SELECT d.domain_id, d.name_en, d.name_ja,
               (SELECT count(*) FROM controls k
                 WHERE k.catalogue_id = d.catalogue_id AND k.domain_id = d.domain_id)
        FROM catalogue_domains d
        WHERE d.catalogue_id = TRY_CAST(? AS UUID)
        ORDER BY d.position
        """,
        [catalogue_id],
    ).fetchall()
    return [DomainSummary(str(a), str(b), str(c), int(n)) for a, b, c, n in rows]


_CONTROL_SQL = """
    SELECT CAST(k.catalogue_id AS VARCHAR), k.control_id, k.domain_id, k.is_key, k.answer_type,
           k.title_en, k.title_ja, k.requirement_en, k.requirement_ja,
           k.guidance_en, k.guidance_ja, k.small_business_en, k.small_business_ja,
           k.evidence_hints_en, k.evidence_hints_ja,
           COALESCE((SELECT list([r.scheme, r.ref] ORDER BY r.scheme, r.position)
                     FROM control_refs r
                     WHERE r.catalogue_id = k.catalogue_id AND r.control_id = k.control_id),
                    [])
    FROM controls k
"""


def _control(row: tuple[Any, ...]) -> ControlRow:
    return ControlRow(
        catalogue_id=row[0],
        control_id=row[1],
        domain_id=row[2],
        is_key=bool(row[3]),
        answer_type=row[4],
        title_en=row[5],
        title_ja=row[6],
        requirement_en=row[7],
        requirement_ja=row[8],
        guidance_en=tuple(row[9]),
        guidance_ja=tuple(row[10]),
        small_business_en=row[11],
        small_business_ja=row[12],
        evidence_hints_en=tuple(row[13]),
        evidence_hints_ja=tuple(row[14]),
        refs=tuple((str(p[0]), str(p[1])) for p in row[15]),
    )


def search_controls(
    cur: Cursor,
    catalogue_id: str,
    *,
    folded_terms: list[str],
    domains: list[str],
    key_only: bool,
) -> list[ControlRow]:
    """Controls of a catalogue matching every term (anywhere, either language)."""
    sql = _CONTROL_SQL + " WHERE k.catalogue_id = TRY_CAST(? AS UUID)"
    params: list[Any] = [catalogue_id]
    if domains:
        sql += " AND list_contains(?, k.domain_id)"
        params.append(domains)
    if key_only:
        sql += " AND k.is_key"
    for term in folded_terms:
        # contains() matches the literal text: no LIKE wildcards to escape.
        sql += " AND contains(k.search_text, ?)"
        params.append(term)
    sql += " ORDER BY k.position"
    return [_control(r) for r in cur.execute(sql, params).fetchall()]


def get_control(cur: Cursor, catalogue_id: str, control_id: str) -> ControlRow | None:
    row = cur.execute(
        _CONTROL_SQL + " WHERE k.catalogue_id = TRY_CAST(? AS UUID) AND k.control_id = ?",
        [catalogue_id, control_id],
    ).fetchone()
    return _control(row) if row else None
