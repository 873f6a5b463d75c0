"""A large fictional company for trying Kansa at scale and for benchmarks: ``kansa demo --scale N``.

Units (branches of the demo company), semi-annual closed self-inspections of each on the APPI
catalogue, about ``N`` answers in all, findings on the weak ones, all written with a few
set-based SQL statements (no per-row Python). Each unit has its own level that improves a
little every half-year, with noise, like the small demo.
"""

from __future__ import annotations

from auth.model import Principal
from auth.repository import append_audit
from storage.db import Cursor

APPI_URN = "urn:kansa:catalogue:appi-security-measures"
PERIODS = 12  # six fiscal years, two self-inspections each
FIRST_YEAR = 2021


def load_scale(cur: Cursor, actor: Principal, responses: int) -> dict[str, int]:
    """Add units, closed assessments and about ``responses`` answers; return the counts."""
    row = cur.execute(
        """SELECT CAST(id AS VARCHAR) FROM catalogues WHERE urn = ?
           ORDER BY imported_at DESC LIMIT 1""",
        [APPI_URN],
    ).fetchone()
    if row is None:
        raise ValueError("the APPI catalogue is not stored yet: run `kansa init` first")
    catalogue_id = str(row[0])
    controls = cur.execute(
        """SELECT count(*) FROM controls WHERE catalogue_id = CAST(? AS UUID)
           AND is_assessable AND answer_type = 'maturity'""",
        [catalogue_id],
    ).fetchone()
    per_assessment = int(controls[0]) if controls else 0
    if per_assessment == 0:
        raise ValueError("the APPI catalogue has no maturity controls")
    units = max(1, -(-responses // (per_assessment * PERIODS)))
    start = cur.execute("SELECT count(*) FROM org_units WHERE code LIKE 'BR%'").fetchone()
    offset = int(start[0]) if start else 0
    cur.execute(
        """INSERT INTO org_units (code, kind, name_en, name_ja)
           SELECT 'BR' || lpad(CAST(i AS VARCHAR), 5, '0'), 'site',
                  'Branch ' || i || ' (demo)', '支店' || i || '（デモ）'
           FROM range(?, ?) t(i)""",
        [offset + 1, offset + units + 1],
    )
    cur.execute(
        """INSERT INTO assessments (title, catalogue_id, scope_unit, period_start, period_end,
                                    lead_auditor, status, created_by, closed_by, closed_at)
           SELECT 'FY' || (? + p // 2) || CASE WHEN p % 2 = 0 THEN ' H1' ELSE ' H2' END
                      || ' self-inspection (' || 'BR' || lpad(CAST(u AS VARCHAR), 5, '0') || ')',
                  CAST(? AS UUID), 'BR' || lpad(CAST(u AS VARCHAR), 5, '0'),
                  make_date(? + p // 2, CASE WHEN p % 2 = 0 THEN 4 ELSE 10 END, 1),
                  make_date(? + p // 2 + p % 2, CASE WHEN p % 2 = 0 THEN 9 ELSE 3 END,
                            CASE WHEN p % 2 = 0 THEN 30 ELSE 31 END),
                  'a.miyoshi', 'closed', ?, ?,
                  CAST(make_date(? + p // 2 + p % 2, CASE WHEN p % 2 = 0 THEN 10 ELSE 4 END, 20)
                       AS TIMESTAMPTZ)
           FROM range(?, ?) a(u), range(0, ?) b(p)""",
        [
            FIRST_YEAR,
            catalogue_id,
            FIRST_YEAR,
            FIRST_YEAR,
            actor.username,
            actor.username,
            FIRST_YEAR,
            offset + 1,
            offset + units + 1,
            PERIODS,
        ],
    )
    # Levels: a unit's base (hash of its code) + 0.25 per half-year + noise per answer,
    # rounded and clamped to 0..5; I trails D a little. About 2 % N/A.
    cur.execute(
        """INSERT INTO responses (assessment_id, control_id, documented, implemented, na_reason,
                                  answered_by, review_state)
           WITH a AS (
               SELECT id, scope_unit,
                      (year(period_start) - ?) * 2 + CASE WHEN month(period_start) >= 10
                                                          THEN 1 ELSE 0 END AS step
               FROM assessments
               WHERE catalogue_id = CAST(? AS UUID) AND starts_with(scope_unit, 'BR')
                 AND scope_unit > ? AND scope_unit <= ?
           ),
           c AS (
               SELECT control_id FROM controls WHERE catalogue_id = CAST(? AS UUID)
                 AND is_assessable AND answer_type = 'maturity'
           ),
           x AS (
               SELECT a.id, c.control_id,
                      1.0 + (hash(a.scope_unit) % 150) / 100.0 + 0.25 * a.step
                        + ((hash(a.id, c.control_id) % 200) / 100.0 - 1.0) AS level,
                      hash(c.control_id, a.id) % 100 AS roll
               FROM a, c
           )
           SELECT id, control_id,
                  CASE WHEN roll < 2 THEN NULL ELSE CAST(greatest(0, least(5, round(level)))
                       AS SMALLINT) END,
                  CASE WHEN roll < 2 THEN NULL
                       ELSE CAST(greatest(0, least(5, round(level - (roll % 3) / 2.0)))
                       AS SMALLINT) END,
                  CASE WHEN roll < 2 THEN 'not used at this branch' END,
                  'demo', 'accepted'
           FROM x""",
        [
            FIRST_YEAR,
            catalogue_id,
            f"BR{offset:05d}",
            f"BR{offset + units:05d}",
            catalogue_id,
        ],
    )
    made = cur.execute(
        """SELECT count(*) FROM responses r JOIN assessments a ON a.id = r.assessment_id
           WHERE a.scope_unit > ? AND a.scope_unit <= ?""",
        [f"BR{offset:05d}", f"BR{offset + units:05d}"],
    ).fetchone()
    # Findings on a sample of the weakest answers of the latest two periods.
    cur.execute(
        """INSERT INTO findings (ref, assessment_id, control_id, grade, status, statement,
                                 criterion_en, criterion_ja, org_unit_code, owner, due_date,
                                 raised_by, updated_by, raised_at)
           SELECT 'F-SCALE-' || lpad(CAST(row_number() OVER () + ? AS VARCHAR), 7, '0'),
                  r.assessment_id, r.control_id,
                  CASE WHEN least(r.documented, r.implemented) <= 1 THEN 'major' ELSE 'minor' END,
                  CASE hash(r.assessment_id) % 3 WHEN 0 THEN 'open' WHEN 1 THEN 'action_planned'
                       ELSE 'closed' END,
                  'Weak answer at branch ' || a.scope_unit || ' (demo)',
                  r.control_id, r.control_id, a.scope_unit, 'y.imai',
                  a.period_end + 90, 'a.miyoshi', 'a.miyoshi', CAST(a.period_end AS TIMESTAMPTZ)
           FROM responses r JOIN assessments a ON a.id = r.assessment_id
           WHERE a.scope_unit > ? AND a.scope_unit <= ?
             AND a.period_start >= make_date(? + ? // 2 - 1, 4, 1)
             AND least(r.documented, r.implemented) <= 2
             AND hash(r.assessment_id, r.control_id) % 4 = 0""",
        [
            offset * 1000,
            f"BR{offset:05d}",
            f"BR{offset + units:05d}",
            FIRST_YEAR,
            PERIODS,
        ],
    )
    found = cur.execute(
        "SELECT count(*) FROM findings WHERE org_unit_code > ? AND org_unit_code <= ?",
        [f"BR{offset:05d}", f"BR{offset + units:05d}"],
    ).fetchone()
    counts = {
        "units": units,
        "assessments": units * PERIODS,
        "responses": int(made[0]) if made else 0,
        "findings": int(found[0]) if found else 0,
    }
    append_audit(
        cur,
        actor=actor.username,
        action="demo.scale",
        entity="demo",
        entity_id="scale",
        after=counts,
    )
    return counts
