"""SQL for the contractor register: contractors, certifications, re-entrustment links and the
supervisor dashboard. Plain functions taking a cursor; parameterised SQL only."""

from __future__ import annotations

from datetime import date
from typing import Any

from contractors.country_model import HOME_COUNTRY
from contractors.model import (
    FINDINGS_LOOKBACK_YEARS,
    Certification,
    CertificationKind,
    Clause,
    Clauses,
    Contractor,
    ContractorDraft,
    ContractorSummary,
    DueReview,
    ExpiringCertification,
    MissingClauses,
    SubcontractorLink,
    Tier,
    UnapprovedLink,
)
from storage.db import Cursor

# The clauses a contractor's contract lacks, as a list of Clause values (computed in SQL so the
# dashboard never loops over contractors in Python).
_MISSING = """[x FOR x IN [
    CASE WHEN NOT c.clause_security_measures THEN 'security_measures' END,
    CASE WHEN NOT c.clause_confidentiality THEN 'confidentiality' END,
    CASE WHEN NOT c.clause_reentrustment THEN 'reentrustment' END,
    CASE WHEN NOT c.clause_handling_reports THEN 'handling_reports' END,
    CASE WHEN NOT c.clause_return_deletion THEN 'return_deletion' END,
    CASE WHEN c.breach_notice_hours IS NULL THEN 'breach_notice' END,
    CASE WHEN NOT c.clause_audit_rights THEN 'audit_rights' END] IF x IS NOT NULL]"""
_ACTIVE = "(c.contract_end IS NULL OR c.contract_end >= CAST($today AS DATE))"
_ABROAD = f"""EXISTS (SELECT 1 FROM data_locations l
                      WHERE l.subject_kind = 'contractor' AND l.subject_id = CAST(c.id AS VARCHAR)
                        AND l.country_code <> '{HOME_COUNTRY}')"""  # noqa: S608 -- a constant

_CONTRACTOR = """
    SELECT CAST(c.id AS VARCHAR), c.code, c.name, c.name_en, c.services, c.data_categories,
           c.approx_individuals, c.special_care, c.contract_start, c.contract_end,
           c.clause_security_measures, c.clause_confidentiality, c.clause_reentrustment,
           c.clause_handling_reports, c.clause_return_deletion, c.breach_notice_hours,
           c.clause_audit_rights, c.owner, c.tier, c.tier_points, c.last_review_on,
           c.next_review_due, c.version, c.created_by, strftime(c.created_at, '%Y-%m-%d %H:%M'),
           c.updated_by, strftime(c.updated_at, '%Y-%m-%d %H:%M')
    FROM contractors c
"""


def _contractor(r: tuple[Any, ...]) -> Contractor:
    return Contractor(
        id=r[0],
        code=r[1],
        name=r[2],
        name_en=r[3],
        services=r[4],
        data_categories=tuple(r[5]),
        approx_individuals=int(r[6]),
        special_care=bool(r[7]),
        contract_start=r[8],
        contract_end=r[9],
        clauses=Clauses(
            security_measures=bool(r[10]),
            confidentiality=bool(r[11]),
            reentrustment=bool(r[12]),
            handling_reports=bool(r[13]),
            return_deletion=bool(r[14]),
            breach_notice_hours=r[15],
            audit_rights=bool(r[16]),
        ),
        owner=r[17],
        tier=Tier(r[18]),
        tier_points=int(r[19]),
        last_review_on=r[20],
        next_review_due=r[21],
        version=int(r[22]),
        created_by=r[23],
        created_at=r[24],
        updated_by=r[25],
        updated_at=r[26],
    )


def _draft_values(d: ContractorDraft) -> list[Any]:
    k = d.clauses
    return [
        d.name,
        d.name_en,
        d.services,
        list(d.data_categories),
        d.approx_individuals,
        d.special_care,
        d.contract_start,
        d.contract_end,
        k.security_measures,
        k.confidentiality,
        k.reentrustment,
        k.handling_reports,
        k.return_deletion,
        k.breach_notice_hours,
        k.audit_rights,
        d.owner,
    ]


def next_code(cur: Cursor) -> str:
    """The next free human reference, CTR-0001, CTR-0002, ..."""
    row = cur.execute(
        "SELECT COALESCE(max(TRY_CAST(substr(code, 5) AS INTEGER)), 0) FROM contractors "
        "WHERE code LIKE 'CTR-%'"
    ).fetchone()
    return f"CTR-{(int(row[0]) if row else 0) + 1:04d}"


def insert_contractor(
    cur: Cursor,
    draft: ContractorDraft,
    *,
    code: str,
    tier: Tier,
    tier_points: int,
    next_review_due: date,
    actor: str,
    last_review_on: date | None = None,
) -> str:
    row = cur.execute(
        """INSERT INTO contractors (name, name_en, services, data_categories, approx_individuals,
               special_care, contract_start, contract_end, clause_security_measures,
               clause_confidentiality, clause_reentrustment, clause_handling_reports,
               clause_return_deletion, breach_notice_hours, clause_audit_rights, owner,
               code, tier, tier_points, next_review_due, last_review_on, created_by, updated_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           RETURNING CAST(id AS VARCHAR)""",
        [
            *_draft_values(draft),
            code,
            tier.value,
            tier_points,
            next_review_due,
            last_review_on,
            actor,
            actor,
        ],
    ).fetchone()
    if row is None:
        raise RuntimeError("INSERT ... RETURNING returned no row")
    return str(row[0])


def update_contractor(
    cur: Cursor,
    contractor_id: str,
    draft: ContractorDraft,
    expected_version: int,
    actor: str,
    *,
    tier: Tier,
    tier_points: int,
    next_review_due: date,
) -> bool:
    """Write the editable fields and the schedule they imply, if the row is still at
    ``expected_version``."""
    row = cur.execute(
        """UPDATE contractors SET name = ?, name_en = ?, services = ?, data_categories = ?,
               approx_individuals = ?, special_care = ?, contract_start = ?, contract_end = ?,
               clause_security_measures = ?, clause_confidentiality = ?,
               clause_reentrustment = ?, clause_handling_reports = ?,
               clause_return_deletion = ?, breach_notice_hours = ?, clause_audit_rights = ?,
               owner = ?, tier = ?, tier_points = ?, next_review_due = ?, updated_by = ?,
               updated_at = current_timestamp, version = version + 1
           WHERE id = CAST(? AS UUID) AND version = ? RETURNING id""",
        [
            *_draft_values(draft),
            tier.value,
            tier_points,
            next_review_due,
            actor,
            contractor_id,
            expected_version,
        ],
    ).fetchone()
    return row is not None


def set_schedule(
    cur: Cursor,
    contractor_id: str,
    *,
    tier: Tier,
    tier_points: int,
    next_review_due: date,
    last_review_on: date | None,
    actor: str,
) -> bool:
    """Store a recomputed tier and review date; True when anything changed."""
    row = cur.execute(
        """UPDATE contractors SET tier = ?, tier_points = ?, next_review_due = ?,
               last_review_on = ?, updated_by = ?, updated_at = current_timestamp,
               version = version + 1
           WHERE id = CAST(? AS UUID)
             AND (tier <> ? OR tier_points <> ? OR next_review_due <> ?
                  OR last_review_on IS DISTINCT FROM ?)
           RETURNING id""",
        [
            tier.value,
            tier_points,
            next_review_due,
            last_review_on,
            actor,
            contractor_id,
            tier.value,
            tier_points,
            next_review_due,
            last_review_on,
        ],
    ).fetchone()
    return row is not None


def get_contractor(cur: Cursor, id_or_code: str) -> Contractor | None:
    row = cur.execute(
        _CONTRACTOR + " WHERE c.id = TRY_CAST(? AS UUID) OR c.code = ?", [id_or_code, id_or_code]
    ).fetchone()
    return _contractor(row) if row else None


def contractor_ids(cur: Cursor) -> list[str]:
    return [
        str(r[0]) for r in cur.execute("SELECT CAST(id AS VARCHAR) FROM contractors").fetchall()
    ]


def list_contractors(
    cur: Cursor,
    today: date,
    *,
    owner: str | None = None,
    tier: Tier | None = None,
    query: str | None = None,
) -> list[ContractorSummary]:
    """Register lines, next review first; ``query`` matches code or either name."""
    sql = f"""SELECT CAST(c.id AS VARCHAR), c.code, c.name, c.name_en, c.tier, c.owner,
                     c.approx_individuals, c.special_care, {_ABROAD}, {_MISSING},
                     c.last_review_on, c.next_review_due,
                     {_ACTIVE} AND c.next_review_due < CAST($today AS DATE), c.contract_end
              FROM contractors c WHERE true"""  # noqa: S608 -- constant SQL fragments only
    params: dict[str, Any] = {"today": today}
    if owner:
        sql += " AND c.owner = $owner"
        params["owner"] = owner
    if tier:
        sql += " AND c.tier = $tier"
        params["tier"] = tier.value
    if query:
        sql += """ AND (contains(lower(c.name), lower($q)) OR contains(lower(c.code), lower($q))
                        OR contains(lower(COALESCE(c.name_en, '')), lower($q)))"""
        params["q"] = query
    sql += " ORDER BY c.next_review_due, c.code"
    return [
        ContractorSummary(
            id=r[0],
            code=r[1],
            name=r[2],
            name_en=r[3],
            tier=Tier(r[4]),
            owner=r[5],
            approx_individuals=int(r[6]),
            special_care=bool(r[7]),
            abroad=bool(r[8]),
            missing_clauses=tuple(Clause(m) for m in r[9]),
            last_review_on=r[10],
            next_review_due=r[11],
            overdue=bool(r[12]),
            contract_end=r[13],
        )
        for r in cur.execute(sql, params).fetchall()
    ]


def tier_facts(cur: Cursor, contractor_id: str, today: date) -> tuple[bool, int, float | None]:
    """(data abroad, nonconformities counted by the tier rule, score of the last completed
    review) for one contractor."""
    row = cur.execute(
        f"""SELECT {_ABROAD},
                   (SELECT count(*) FROM findings f
                      JOIN contractor_reviews r ON r.assessment_id = f.assessment_id
                     WHERE r.contractor_id = c.id AND f.grade IN ('major', 'minor')
                       AND (f.status NOT IN ('verified', 'closed')
                            OR f.raised_at >= CAST($today AS DATE) - to_years($years))),
                   (SELECT r.score FROM contractor_reviews r
                     WHERE r.contractor_id = c.id AND r.completed_on IS NOT NULL
                     ORDER BY r.completed_on DESC LIMIT 1)
            FROM contractors c WHERE c.id = CAST($id AS UUID)""",  # noqa: S608 -- constant SQL
        {"today": today, "years": FINDINGS_LOOKBACK_YEARS, "id": contractor_id},
    ).fetchone()
    if row is None:
        return False, 0, None
    return bool(row[0]), int(row[1]), None if row[2] is None else float(row[2])


# --- certifications ---------------------------------------------------------------------------

_CERTIFICATION = """
    SELECT CAST(id AS VARCHAR), CAST(contractor_id AS VARCHAR), kind, certificate_id, scope,
           expires_on, added_by
    FROM contractor_certifications
"""


def _certification(r: tuple[Any, ...]) -> Certification:
    return Certification(r[0], r[1], CertificationKind(r[2]), r[3], r[4], r[5], r[6])


def insert_certification(
    cur: Cursor,
    contractor_id: str,
    kind: CertificationKind,
    certificate_id: str,
    expires_on: date,
    scope: str | None,
    actor: str,
) -> Certification:
    row = cur.execute(
        """INSERT INTO contractor_certifications
               (contractor_id, kind, certificate_id, expires_on, scope, added_by)
           VALUES (CAST(? AS UUID), ?, ?, ?, ?, ?) RETURNING CAST(id AS VARCHAR)""",
        [contractor_id, kind.value, certificate_id, expires_on, scope, actor],
    ).fetchone()
    if row is None:
        raise RuntimeError("INSERT ... RETURNING returned no row")
    found = get_certification(cur, str(row[0]))
    if found is None:
        raise RuntimeError("inserted certification not found")
    return found


def get_certification(cur: Cursor, certification_id: str) -> Certification | None:
    row = cur.execute(
        _CERTIFICATION + " WHERE id = TRY_CAST(? AS UUID)", [certification_id]
    ).fetchone()
    return _certification(row) if row else None


def list_certifications(cur: Cursor, contractor_id: str) -> list[Certification]:
    rows = cur.execute(
        _CERTIFICATION + " WHERE contractor_id = TRY_CAST(? AS UUID) ORDER BY expires_on",
        [contractor_id],
    ).fetchall()
    return [_certification(r) for r in rows]


def delete_certification(cur: Cursor, certification_id: str) -> bool:
    row = cur.execute(
        "DELETE FROM contractor_certifications WHERE id = TRY_CAST(? AS UUID) RETURNING id",
        [certification_id],
    ).fetchone()
    return row is not None


# --- re-entrustment links ---------------------------------------------------------------------

_LINK = """
    SELECT CAST(l.id AS VARCHAR), CAST(l.parent_id AS VARCHAR), p.name,
           CAST(l.child_id AS VARCHAR), ch.name, l.work, l.approved, l.approved_by,
           strftime(l.approved_at, '%Y-%m-%d %H:%M'), l.version
    FROM contractor_subcontractors l
    JOIN contractors p ON p.id = l.parent_id
    JOIN contractors ch ON ch.id = l.child_id
"""


def _link(r: tuple[Any, ...]) -> SubcontractorLink:
    return SubcontractorLink(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7], r[8], int(r[9]))


def all_links(cur: Cursor) -> list[tuple[str, str]]:
    """Every (parent id, child id) re-entrustment link."""
    rows = cur.execute(
        "SELECT CAST(parent_id AS VARCHAR), CAST(child_id AS VARCHAR) "
        "FROM contractor_subcontractors"
    ).fetchall()
    return [(str(a), str(b)) for a, b in rows]


def insert_link(
    cur: Cursor, parent_id: str, child_id: str, work: str, actor: str
) -> SubcontractorLink:
    row = cur.execute(
        """INSERT INTO contractor_subcontractors (parent_id, child_id, work, added_by)
           VALUES (CAST(? AS UUID), CAST(? AS UUID), ?, ?) RETURNING CAST(id AS VARCHAR)""",
        [parent_id, child_id, work, actor],
    ).fetchone()
    if row is None:
        raise RuntimeError("INSERT ... RETURNING returned no row")
    found = get_link(cur, str(row[0]))
    if found is None:
        raise RuntimeError("inserted link not found")
    return found


def get_link(cur: Cursor, link_id: str) -> SubcontractorLink | None:
    row = cur.execute(_LINK + " WHERE l.id = TRY_CAST(? AS UUID)", [link_id]).fetchone()
    return _link(row) if row else None


def find_link(cur: Cursor, parent_id: str, child_id: str) -> SubcontractorLink | None:
    row = cur.execute(
        _LINK + " WHERE l.parent_id = CAST(? AS UUID) AND l.child_id = CAST(? AS UUID)",
        [parent_id, child_id],
    ).fetchone()
    return _link(row) if row else None


def list_links(cur: Cursor, contractor_id: str) -> list[SubcontractorLink]:
    """Links where the contractor is the parent or the child."""
    rows = cur.execute(
        _LINK + " WHERE l.parent_id = TRY_CAST(? AS UUID) OR l.child_id = TRY_CAST(? AS UUID)"
        " ORDER BY p.code, ch.code",
        [contractor_id, contractor_id],
    ).fetchall()
    return [_link(r) for r in rows]


def approve_link(cur: Cursor, link_id: str, expected_version: int, actor: str) -> bool:
    row = cur.execute(
        """UPDATE contractor_subcontractors SET approved = true, approved_by = ?,
               approved_at = current_timestamp, version = version + 1
           WHERE id = CAST(? AS UUID) AND version = ? RETURNING id""",
        [actor, link_id, expected_version],
    ).fetchone()
    return row is not None


def delete_link(cur: Cursor, link_id: str, expected_version: int) -> bool:
    row = cur.execute(
        "DELETE FROM contractor_subcontractors WHERE id = CAST(? AS UUID) AND version = ? "
        "RETURNING id",
        [link_id, expected_version],
    ).fetchone()
    return row is not None


# --- the supervisor dashboard -----------------------------------------------------------------

_OWNER = " AND ($owner IS NULL OR c.owner = $owner)"


def dashboard_counts(cur: Cursor, today: date, owner: str | None) -> dict[Tier, int]:
    """Contractors under contract today, per tier."""
    rows = cur.execute(
        f"SELECT c.tier, count(*) FROM contractors c WHERE {_ACTIVE}{_OWNER} GROUP BY c.tier",  # noqa: S608
        {"today": today, "owner": owner},
    ).fetchall()
    counts = dict.fromkeys(Tier, 0)
    counts.update({Tier(t): int(n) for t, n in rows})
    return counts


def due_reviews(cur: Cursor, today: date, horizon_days: int, owner: str | None) -> list[DueReview]:
    """Contractors under contract whose review is overdue or due within the horizon."""
    rows = cur.execute(
        f"""SELECT CAST(c.id AS VARCHAR), c.code, c.name, c.tier, c.owner, c.last_review_on,
                   c.next_review_due, date_diff('day', CAST($today AS DATE), c.next_review_due),
                   EXISTS (SELECT 1 FROM contractor_reviews r
                           WHERE r.contractor_id = c.id AND r.completed_on IS NULL)
            FROM contractors c
            WHERE {_ACTIVE}{_OWNER}
              AND c.next_review_due <= CAST($today AS DATE) + CAST($horizon AS INTEGER)
            ORDER BY c.next_review_due, c.code""",  # noqa: S608 -- constant SQL fragments only
        {"today": today, "owner": owner, "horizon": horizon_days},
    ).fetchall()
    return [
        DueReview(r[0], r[1], r[2], Tier(r[3]), r[4], r[5], r[6], int(r[7]), bool(r[8]))
        for r in rows
    ]


def missing_clause_rows(cur: Cursor, today: date, owner: str | None) -> list[MissingClauses]:
    rows = cur.execute(
        f"""SELECT * FROM (
                SELECT CAST(c.id AS VARCHAR), c.code, c.name, c.tier, c.owner,
                       {_MISSING} AS missing,
                       list_position(['high', 'medium', 'low'], c.tier) AS tier_rank
                FROM contractors c WHERE {_ACTIVE}{_OWNER})
            WHERE len(missing) > 0
            ORDER BY tier_rank, len(missing) DESC, code""",  # noqa: S608 -- constant SQL
        {"today": today, "owner": owner},
    ).fetchall()
    return [
        MissingClauses(r[0], r[1], r[2], Tier(r[3]), r[4], tuple(Clause(m) for m in r[5]))
        for r in rows
    ]


def expiring_certifications(
    cur: Cursor, today: date, horizon_days: int, owner: str | None
) -> list[ExpiringCertification]:
    """The latest certificate of each kind per contractor, when it expires within the horizon
    (or has expired): a renewed certificate hides the one it replaced."""
    rows = cur.execute(
        f"""SELECT CAST(c.id AS VARCHAR), c.code, c.name, k.kind, k.certificate_id,
                   k.expires_on, date_diff('day', CAST($today AS DATE), k.expires_on)
            FROM contractor_certifications k JOIN contractors c ON c.id = k.contractor_id
            WHERE {_ACTIVE}{_OWNER}
            QUALIFY row_number() OVER (
                        PARTITION BY k.contractor_id, k.kind,
                                     CASE WHEN k.kind = 'other' THEN k.certificate_id END
                        ORDER BY k.expires_on DESC) = 1
                AND k.expires_on <= CAST($today AS DATE) + CAST($horizon AS INTEGER)
            ORDER BY k.expires_on, c.code""",  # noqa: S608 -- constant SQL fragments only
        {"today": today, "owner": owner, "horizon": horizon_days},
    ).fetchall()
    return [
        ExpiringCertification(r[0], r[1], r[2], CertificationKind(r[3]), r[4], r[5], int(r[6]))
        for r in rows
    ]


def unapproved_links(cur: Cursor, today: date, owner: str | None) -> list[UnapprovedLink]:
    rows = cur.execute(
        f"""SELECT CAST(l.id AS VARCHAR), CAST(c.id AS VARCHAR), c.code, c.name,
                   CAST(ch.id AS VARCHAR), ch.code, ch.name, l.work, CAST(l.added_at AS DATE)
            FROM contractor_subcontractors l
            JOIN contractors c ON c.id = l.parent_id
            JOIN contractors ch ON ch.id = l.child_id
            WHERE NOT l.approved AND {_ACTIVE}{_OWNER}
            ORDER BY l.added_at, c.code""",  # noqa: S608 -- constant SQL fragments only
        {"today": today, "owner": owner},
    ).fetchall()
    return [
        UnapprovedLink(
            link_id=r[0],
            parent_id=r[1],
            parent_code=r[2],
            parent_name=r[3],
            child_id=r[4],
            child_code=r[5],
            child_name=r[6],
            work=r[7],
            added_on=r[8],
        )
        for r in rows
    ]
