"""Dashboard queries: a few set-based SQL statements per page, no per-row Python.

Scores reuse the scoring SQL of ``assessments.score_queries`` over a chosen set of
assessments, so the dashboards show the same figures as each assessment's Scores page.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from assessments.score_queries import SCORE_TEMPLATE
from storage.db import Cursor

_SNAPSHOT_SELECT = """
SELECT assessment_id, domain_id, dpos, score, level, coverage FROM scored
UNION ALL
SELECT assessment_id, '*', NULL, score, level, coverage FROM overall
"""
# Closed assessments whose scores are not kept yet (usually none).
_MISSING = """(
    SELECT a.id, a.catalogue_id FROM assessments a
    WHERE a.status = 'closed'
      AND NOT EXISTS (SELECT 1 FROM closed_scores s WHERE s.assessment_id = a.id)
)"""
_FILL_SQL = "INSERT INTO closed_scores " + SCORE_TEMPLATE.format(
    assessments=_MISSING, responses="responses", select=_SNAPSHOT_SELECT
)
_FILL_ONE_SQL = "INSERT INTO closed_scores " + SCORE_TEMPLATE.format(  # noqa: S608 -- constants
    assessments="assessments WHERE id = $assessment::UUID",
    responses="(SELECT * FROM responses WHERE assessment_id = $assessment::UUID)",
    select=_SNAPSHOT_SELECT,
)


def missing_snapshots(cur: Cursor) -> int:
    row = cur.execute("SELECT count(*) FROM " + _MISSING + " m").fetchone()  # noqa: S608
    return int(row[0]) if row else 0


def fill_snapshots(cur: Cursor) -> None:
    """Keep the scores of every closed assessment that has none kept yet."""
    cur.execute(_FILL_SQL)


def snapshot(cur: Cursor, assessment_id: str) -> None:
    """Keep the scores of one assessment as it closes."""
    cur.execute("DELETE FROM closed_scores WHERE assessment_id = CAST(? AS UUID)", [assessment_id])
    cur.execute(_FILL_ONE_SQL, {"assessment": assessment_id})


# Closed assessments of one catalogue (of one fiscal year, of one unit, when given), newest
# first per unit: ``n`` is 1 for a unit's latest.
_RANKED = """
    SELECT a.id, a.scope_unit, a.period_start, a.title,
           row_number() OVER (PARTITION BY a.scope_unit
                              ORDER BY a.period_start DESC NULLS LAST, a.closed_at DESC) AS n
    FROM assessments a JOIN catalogues c ON c.id = a.catalogue_id
    WHERE a.status = 'closed' AND c.urn = $urn
      AND ($year IS NULL OR a.period_start < make_date($year + 1, 4, 1))
      AND ($unit IS NULL OR a.scope_unit = $unit)
"""
_LATEST_SQL = (
    "SELECT CAST(r.id AS VARCHAR), r.scope_unit, CAST(r.period_start AS VARCHAR), r.title, "
    "       nullif(s.domain_id, '*'), s.dpos, s.score, s.level, s.coverage "
    "FROM (" + _RANKED + ") r JOIN closed_scores s ON s.assessment_id = r.id "
    # earlier ones only for their overall figure (the trend of the headline score)
    "WHERE r.n <= $depth AND (r.n = 1 OR s.domain_id = '*') "
    "ORDER BY r.scope_unit, r.period_start, s.dpos NULLS LAST"
)
# Company-wide (or one unit's) mean per audit period, per domain and overall.
_TREND_SQL = (
    "SELECT CAST(r.period_start AS VARCHAR), nullif(s.domain_id, '*'), any_value(s.dpos), "
    "       avg(s.score), count(DISTINCT r.id) "
    "FROM (" + _RANKED + ") r JOIN closed_scores s ON s.assessment_id = r.id "
    "WHERE r.period_start IS NOT NULL "
    "GROUP BY ALL ORDER BY 1, 3 NULLS LAST"
)

DomainRow = tuple[
    str, str, str | None, str, str | None, int | None, float | None, int | None, float | None
]


def _params(urn: str, year: int | None, unit: str | None) -> dict[str, Any]:
    return {"urn": urn, "year": year, "unit": unit}


def latest_scores(
    cur: Cursor, urn: str, year: int | None, unit: str | None, depth: int = 2
) -> list[DomainRow]:
    """Per unit, its ``depth`` latest closed assessments (up to ``year``), oldest first: an
    overall row (domain None) each, and for the latest a row per domain too: (assessment,
    unit, period start, title, domain, position, score, level, coverage)."""
    rows: list[DomainRow] = cur.execute(
        _LATEST_SQL, {**_params(urn, year, unit), "depth": depth}
    ).fetchall()
    return rows


def trend_scores(
    cur: Cursor, urn: str, unit: str | None
) -> list[tuple[str, str | None, int | None, float | None, int]]:
    """Per audit period: the mean score per domain and overall (domain None) over the closed
    assessments of that period, and how many there were."""
    rows: list[tuple[str, str | None, int | None, float | None, int]] = cur.execute(
        _TREND_SQL, {**_params(urn, None, unit)}
    ).fetchall()
    return rows


_LATEST_IDS = "WITH latest AS (SELECT r.id, a.catalogue_id FROM (" + _RANKED + ")"  # noqa: S608
_WEAKEST = (
    _LATEST_IDS
    + """ r JOIN assessments a ON a.id = r.id WHERE r.n = 1)
SELECT r.control_id, any_value(c.domain_id), any_value(c.title_en), any_value(c.title_ja),
       bool_or(c.is_key),
       avg(CAST(10 * (r.documented + r.implemented) AS DOUBLE)) AS score,
       count(*) AS units,
       count(*) FILTER (WHERE least(r.documented, r.implemented) < 3) AS below_three
FROM responses r
JOIN latest l ON l.id = r.assessment_id
JOIN controls c ON c.catalogue_id = l.catalogue_id AND c.control_id = r.control_id
WHERE r.documented IS NOT NULL
GROUP BY r.control_id
ORDER BY score, r.control_id
LIMIT $limit
"""
)


def weakest_controls(
    cur: Cursor, urn: str, year: int | None, unit: str | None, limit: int
) -> list[tuple[str, str, str, str, bool, float, int, int]]:
    """The controls with the lowest mean score over each unit's latest closed assessment."""
    rows: list[tuple[str, str, str, str, bool, float, int, int]] = cur.execute(
        _WEAKEST, {**_params(urn, year, unit), "limit": limit}
    ).fetchall()
    return rows


_FINDINGS = """
SELECT grade,
       CASE WHEN age <= 30 THEN '0-30' WHEN age <= 90 THEN '31-90'
            WHEN age <= 180 THEN '91-180' ELSE '180+' END AS bucket,
       count(*) AS n,
       count(*) FILTER (WHERE due_date < $today) AS overdue
FROM (
    SELECT f.grade, f.due_date, $today - CAST(f.raised_at AS DATE) AS age
    FROM findings f
    WHERE f.status NOT IN ('verified', 'closed')
      AND ($unit IS NULL OR f.org_unit_code = $unit)
)
GROUP BY ALL
"""


def open_findings(cur: Cursor, today: date, unit: str | None) -> list[tuple[str, str, int, int]]:
    """Open findings (not yet verified) by grade and age bucket, with how many are overdue."""
    rows: list[tuple[str, str, int, int]] = cur.execute(
        _FINDINGS, {"today": today, "unit": unit}
    ).fetchall()
    return rows


_PROGRESS = """
WITH open_ones AS (
    SELECT a.id, a.title, a.scope_unit, a.status, a.period_end, a.catalogue_id
    FROM assessments a WHERE a.status <> 'closed'
),
asked AS (
    SELECT catalogue_id, count(*) AS n FROM controls
    WHERE is_assessable AND answer_type = 'maturity' GROUP BY catalogue_id
),
answered AS (
    SELECT r.assessment_id, count(*) AS answered,
           count(*) FILTER (WHERE r.review_state = 'pending') AS pending,
           count(*) FILTER (WHERE r.review_state = 'returned') AS returned
    FROM responses r JOIN open_ones o ON o.id = r.assessment_id
    GROUP BY r.assessment_id
)
SELECT CAST(o.id AS VARCHAR), o.title, o.scope_unit, o.status, CAST(o.period_end AS VARCHAR),
       coalesce(q.n, 0), coalesce(x.answered, 0), coalesce(x.pending, 0),
       coalesce(x.returned, 0), o.period_end - $today
FROM open_ones o
LEFT JOIN asked q ON q.catalogue_id = o.catalogue_id
LEFT JOIN answered x ON x.assessment_id = o.id
ORDER BY o.period_end NULLS LAST, o.scope_unit
"""


def progress(
    cur: Cursor, today: date
) -> list[tuple[str, str, str, str, str | None, int, int, int, int, int | None]]:
    """Campaigns in flight: controls asked, answered, awaiting review, returned, days left."""
    rows: list[tuple[str, str, str, str, str | None, int, int, int, int, int | None]] = cur.execute(
        _PROGRESS, {"today": today}
    ).fetchall()
    return rows


def data_version(cur: Cursor) -> int:
    """Changes whenever anything is written (every write appends to the audit trail)."""
    row = cur.execute("SELECT coalesce(max(seq), 0) FROM audit_log").fetchone()
    return int(row[0]) if row else 0


_FLAGS = """
SELECT f.org_unit_code, c.domain_id,
       bool_or(f.grade = 'major') AS major, bool_or(f.grade = 'minor') AS minor
FROM findings f
JOIN assessments a ON a.id = f.assessment_id
JOIN catalogues k ON k.id = a.catalogue_id AND k.urn = $urn
JOIN controls c ON c.catalogue_id = a.catalogue_id AND c.control_id = f.control_id
WHERE f.status NOT IN ('verified', 'closed')
GROUP BY ALL
"""


def open_finding_flags(cur: Cursor, urn: str) -> dict[tuple[str, str], str]:
    """(unit, domain) -> the gravest open nonconformity on it ("major" or "minor")."""
    return {
        (unit, domain): "major" if major else "minor"
        for unit, domain, major, minor in cur.execute(_FLAGS, {"urn": urn}).fetchall()
        if major or minor
    }


def fiscal_years(cur: Cursor) -> list[int]:
    """The fiscal years (April to March) in which assessments start, newest first."""
    rows = cur.execute(
        """SELECT DISTINCT year(period_start) - CASE WHEN month(period_start) < 4 THEN 1 ELSE 0
                  END AS fy
           FROM assessments WHERE period_start IS NOT NULL ORDER BY fy DESC"""
    ).fetchall()
    return [int(r[0]) for r in rows]
