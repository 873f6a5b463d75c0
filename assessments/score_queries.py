"""The scoring formula in SQL: one assessment for its page, every assessment for dashboards.

Same rules as the reference ``assessments/scoring.py`` (tested against it to 1e-9). The work
is set-based: responses are joined once to their control and folded per assessment and domain;
what unanswered controls contribute follows from the per-domain totals of the catalogue (an
unanswered control has no response row), so the query never builds assessments x controls.

Per (assessment, domain), from the catalogue: ``n`` controls, ``n_key`` key controls, weight
sum ``w_total``; from the responses: ``n_rows`` (``n_key_rows`` of key controls), ``n_na``
(``n_na_key``) of them N/A, ``ws = sum(w * (D + I))`` and the lowest ``min(D, I)`` over all
answered (``floor_all``) and over answered key controls (``floor_key``). Then:

- applicable ``n_app = n - n_na``; answered ``n_ans = n_rows - n_na`` (likewise for key);
- score ``10 * ws / (w_total - w_na)`` with ``w_na = n_na + n_na_key`` (weights are 1 and 2);
  unanswered controls add 0 to the numerator and their weight to the denominator;
- level over key controls when one is applicable, else over all: 0 when one of those is
  unanswered, else the floor; coverage ``n_ans / n_app``;
- overall: mean of domain scores, lowest level, answered / applicable summed over domains.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from assessments.scoring import (
    AssessmentScore,
    ControlScore,
    DomainScore,
    Rating,
    Result,
)
from core.errors import NotFound
from storage.db import Cursor

PortfolioRow = tuple[str, str | None, float | None, int | None, float | None]

# {assessments} and {responses} name the rows to score: the whole tables for the portfolio,
# one assessment's rows for its page (filled in below with constant SQL, never with values).
_TEMPLATE = """
WITH dom AS (
    -- Per catalogue domain: its scored controls. dpos, the domain's rank in catalogue order,
    -- is an integer domain key: grouping and joining 1M rows on integers beats VARCHARs.
    SELECT catalogue_id, domain_id,
           CAST(row_number() OVER (PARTITION BY catalogue_id ORDER BY min(position), domain_id)
                AS INTEGER) AS dpos,
           count(*) AS n, count(*) FILTER (WHERE is_key) AS n_key,
           sum(CASE WHEN is_key THEN 2 ELSE 1 END) AS w_total
    FROM controls
    WHERE is_assessable AND answer_type = 'maturity'
    GROUP BY catalogue_id, domain_id
),
ctl AS (
    SELECT c.catalogue_id, c.control_id, c.domain_id, c.position, c.is_key, d.dpos,
           CAST(CASE WHEN c.is_key THEN 2 ELSE 1 END AS INTEGER) AS w
    FROM controls c
    JOIN dom d ON d.catalogue_id = c.catalogue_id AND d.domain_id = c.domain_id
    WHERE c.is_assessable AND c.answer_type = 'maturity'
),
scope AS MATERIALIZED (
    -- k: an integer stand-in for the assessment's UUID, for the same reason.
    SELECT id, catalogue_id, CAST(row_number() OVER (ORDER BY id) AS INTEGER) AS k
    FROM {assessments}
),
folded AS (
    SELECT a.k, c.dpos,
           count(*) AS n_rows,
           count(*) FILTER (WHERE c.is_key) AS n_key_rows,
           count(*) FILTER (WHERE r.documented IS NULL) AS n_na,
           count(*) FILTER (WHERE r.documented IS NULL AND c.is_key) AS n_na_key,
           sum(CAST(c.w * (r.documented + r.implemented) AS INTEGER)) AS ws,
           min(CAST(least(r.documented, r.implemented) AS TINYINT)) AS floor_all,
           min(CAST(least(r.documented, r.implemented) AS TINYINT)) FILTER (WHERE c.is_key)
               AS floor_key
    FROM {responses} r
    JOIN scope a ON a.id = r.assessment_id
    -- LEFT, so the planner probes the small control table with each response instead of
    -- first pairing every assessment with every control of its catalogue (a 1M-row build
    -- side). Responses to controls that are not scored land in a dpos NULL group, which
    -- matches no domain below.
    LEFT JOIN ctl c ON c.catalogue_id = a.catalogue_id AND c.control_id = r.control_id
    GROUP BY a.k, c.dpos
),
tally AS (
    SELECT a.k, a.id AS assessment_id, d.domain_id, d.dpos,
           d.n - coalesce(f.n_na, 0) AS n_app,
           d.n_key - coalesce(f.n_na_key, 0) AS n_app_key,
           d.w_total - coalesce(f.n_na + f.n_na_key, 0) AS w_app,
           coalesce(f.n_rows - f.n_na, 0) AS n_ans,
           coalesce(f.n_key_rows - f.n_na_key, 0) AS n_ans_key,
           coalesce(f.ws, 0) AS ws,
           f.floor_all, f.floor_key
    FROM scope a
    JOIN dom d ON d.catalogue_id = a.catalogue_id
    LEFT JOIN folded f ON f.k = a.k AND f.dpos = d.dpos
),
scored AS (
    SELECT k, assessment_id, domain_id, dpos, n_app, n_ans,
           CASE WHEN n_app > 0 THEN CAST(10 * ws AS DOUBLE) / CAST(w_app AS DOUBLE) END
               AS score,
           CAST(CASE
               WHEN n_app_key > 0 THEN CASE WHEN n_ans_key < n_app_key THEN 0 ELSE floor_key END
               WHEN n_app > 0 THEN CASE WHEN n_ans < n_app THEN 0 ELSE floor_all END
           END AS INTEGER) AS level,
           CASE WHEN n_app > 0 THEN CAST(n_ans AS DOUBLE) / CAST(n_app AS DOUBLE) END
               AS coverage
    FROM tally
),
overall AS (
    SELECT a.k, a.id AS assessment_id, avg(s.score) AS score, min(s.level) AS level,
           CASE WHEN coalesce(sum(s.n_app), 0) > 0
                THEN CAST(sum(s.n_ans) AS DOUBLE) / CAST(sum(s.n_app) AS DOUBLE)
                ELSE 1.0 END AS coverage
    FROM scope a
    LEFT JOIN scored s ON s.k = a.k
    GROUP BY a.k, a.id
)
{select}
"""

_PORTFOLIO_SELECT = """
SELECT CAST(assessment_id AS VARCHAR), domain_id, score, level, coverage
FROM (
    SELECT k, assessment_id, domain_id, dpos, score, level, coverage FROM scored
    UNION ALL
    SELECT k, assessment_id, NULL, NULL, score, level, coverage FROM overall
)
ORDER BY k, dpos NULLS LAST
"""

# One assessment: a row per control, per domain (with its rating) and the overall row.
# Findings arrive as two parallel lists (control ids, grades).
_ASSESSMENT_SELECT = """,
findings AS (
    SELECT unnest($finding_controls::VARCHAR[]) AS control_id,
           unnest($finding_grades::VARCHAR[]) AS grade
),
flagged AS (
    SELECT c.domain_id,
           bool_or(lower(trim(f.grade)) = 'major') AS major,
           bool_or(lower(trim(f.grade)) = 'minor') AS minor
    FROM findings f
    JOIN scope a ON true
    JOIN ctl c ON c.catalogue_id = a.catalogue_id AND c.control_id = f.control_id
    GROUP BY c.domain_id
),
per_control AS (
    SELECT c.position, c.control_id, c.domain_id, r.assessment_id IS NOT NULL AS answered,
           r.documented, r.implemented, least(r.documented, r.implemented) AS floor
    FROM scope a
    JOIN ctl c ON c.catalogue_id = a.catalogue_id
    LEFT JOIN responses r ON r.assessment_id = a.id AND r.control_id = c.control_id
)
SELECT 'control' AS kind, position AS pos, control_id AS id, domain_id,
       CASE WHEN NOT answered THEN 0.0
            WHEN documented IS NOT NULL THEN CAST(10 * (documented + implemented) AS DOUBLE)
       END AS score,
       CASE WHEN NOT answered THEN 'not_assessed'
            WHEN documented IS NULL THEN 'not_applicable'
            WHEN floor >= 3 THEN 'conformant'
            WHEN floor >= 1 THEN 'partially_conformant'
            ELSE 'nonconformant' END AS result,
       NULL AS level, NULL AS coverage, NULL AS rating
FROM per_control
UNION ALL
SELECT 'domain', s.dpos, s.domain_id, s.domain_id, s.score, NULL, s.level, s.coverage,
       CASE WHEN s.score IS NULL THEN NULL
            WHEN s.score < 50 OR coalesce(g.major, false) THEN 'red'
            WHEN s.score < 75 OR coalesce(g.minor, false) THEN 'amber'
            ELSE 'green' END
FROM scored s LEFT JOIN flagged g ON g.domain_id = s.domain_id
UNION ALL
SELECT 'overall', NULL, NULL, NULL, score, NULL, level, coverage, NULL FROM overall
ORDER BY kind, pos
"""

_PORTFOLIO_SQL = _TEMPLATE.format(
    assessments="assessments", responses="responses", select=_PORTFOLIO_SELECT
)
_ASSESSMENT_SQL = _TEMPLATE.format(
    assessments="assessments WHERE id = $assessment::UUID",
    responses="(SELECT * FROM responses WHERE assessment_id = $assessment::UUID)",
    select=_ASSESSMENT_SELECT,
)


def portfolio_scores(cur: Cursor) -> list[PortfolioRow]:
    """Every assessment's domain figures and its overall row (domain None), in one query.

    Rows are ``(assessment_id, domain_id, score, level, coverage)``, ordered by assessment,
    then domains in catalogue order, then the overall row.
    """
    rows: list[PortfolioRow] = cur.execute(_PORTFOLIO_SQL).fetchall()
    return rows


def assessment_score(
    cur: Cursor, assessment_id: str, open_findings: Mapping[str, str] | None = None
) -> AssessmentScore:
    """The score of one assessment, figure for figure what the reference gives.

    ``open_findings``: control id -> grade of an open finding on it ("major", "minor", ...).
    Raises ``NotFound`` when there is no such assessment.
    """
    try:
        uuid.UUID(assessment_id)
    except ValueError:
        raise NotFound(f"No assessment {assessment_id!r}.") from None
    findings = dict(open_findings or {})
    rows = cur.execute(
        _ASSESSMENT_SQL,
        {
            "assessment": assessment_id,
            "finding_controls": list(findings),
            "finding_grades": list(findings.values()),
        },
    ).fetchall()
    controls: dict[str, ControlScore] = {}
    domains: dict[str, DomainScore] = {}
    overall: tuple[float | None, int | None, float] | None = None
    for kind, _pos, ident, domain_id, score, result, level, coverage, rating in rows:
        if kind == "control":
            controls[ident] = ControlScore(ident, domain_id, score, Result(result))
        elif kind == "domain":
            domains[ident] = DomainScore(
                ident, score, level, coverage, None if rating is None else Rating(rating)
            )
        else:
            overall = (score, level, coverage)
    if overall is None:
        raise NotFound(f"No assessment {assessment_id!r}.")
    return AssessmentScore(overall[0], overall[1], overall[2], domains, controls)


# The scoring query with its {assessments}, {responses} and {select} left open, for dashboards
# that score a chosen set of assessments the same way.
SCORE_TEMPLATE = _TEMPLATE
