"""Three years of semi-annual self-inspections for the demo company.

Each department starts with its own strengths and weak areas and improves a little every
half-year, with noise, so scores, trends and weak controls look like a real programme. The
latest half-year is under way: some answers in, none reviewed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from assessments import repository
from assessments.model import MemberRole, Status
from auth import repository as auth_repository
from auth.model import Principal
from storage.db import Cursor

CATALOGUE_URN = "urn:kansa:catalogue:appi-security-measures"
LEAD_AUDITOR = "a.miyoshi"
SCOPES = ("CSC", "SLS", "HRD", "ITS", "PAY", "GAD")
# Japanese fiscal half-years (April-September, October-March) from FY2024.
PERIODS = [
    (date(2024, 4, 1), date(2024, 9, 30)),
    (date(2024, 10, 1), date(2025, 3, 31)),
    (date(2025, 4, 1), date(2025, 9, 30)),
    (date(2025, 10, 1), date(2026, 3, 31)),
    (date(2026, 4, 1), date(2026, 9, 30)),
    (date(2026, 10, 1), date(2027, 3, 31)),
]
# Starting maturity per department and domain (0-5), before improvement and noise.
BASE: dict[str, dict[str, float]] = {
    "CSC": {"POL": 3.2, "ORG": 2.6, "HUM": 3.0, "PHY": 2.8, "TEC": 2.2, "CON": 1.6, "EXT": 1.2},
    "SLS": {"POL": 2.8, "ORG": 2.2, "HUM": 2.4, "PHY": 2.6, "TEC": 1.6, "CON": 2.0, "EXT": 1.4},
    "HRD": {"POL": 3.6, "ORG": 3.2, "HUM": 3.8, "PHY": 3.0, "TEC": 2.8, "CON": 2.6, "EXT": 2.0},
    "ITS": {"POL": 3.4, "ORG": 3.0, "HUM": 3.2, "PHY": 3.2, "TEC": 3.6, "CON": 2.8, "EXT": 2.4},
    "PAY": {"POL": 3.0, "ORG": 2.8, "HUM": 2.8, "PHY": 2.4, "TEC": 2.6, "CON": 2.2, "EXT": 1.8},
    "GAD": {"POL": 3.2, "ORG": 2.6, "HUM": 3.0, "PHY": 3.4, "TEC": 2.0, "CON": 2.4, "EXT": 1.6},
}
NA_REASONS: dict[tuple[str, str], str] = {
    ("HRD", "EXT-03"): "海外での個人データの取扱いなし（国内クラウドのみ）",
    ("GAD", "CON-04"): "再委託を認めている委託先なし",
}
HALF_NAMES = {4: ("上期", "H1"), 10: ("下期", "H2")}


def _level(rng: random.Random, base: float) -> int:
    return max(0, min(5, round(rng.gauss(base, 0.7))))


def load_history(cur: Cursor, actor: Principal, *, seed: int = 2024) -> int:
    """Insert the campaigns and answers; return how many assessments were made (0 when the
    APPI catalogue is not stored yet)."""
    catalogue_id = repository.latest_catalogue_id(cur, CATALOGUE_URN)
    if catalogue_id is None:
        return 0
    controls = repository.scored_controls(cur, catalogue_id)
    auditees = {u.org_unit_code: u.username for u in auth_repository.list_users(cur)}
    rng = random.Random(seed)  # noqa: S311 -- demo data, not security
    made = 0
    for scope in SCOPES:
        for step, (start, end) in enumerate(PERIODS):
            latest = step == len(PERIODS) - 1
            fiscal = start.year if start.month >= 4 else start.year - 1
            ja, en = HALF_NAMES[start.month]
            title = f"FY{fiscal} {en} self-inspection / {fiscal}年度{ja} 自己点検 ({scope})"
            members = [(LEAD_AUDITOR, MemberRole.AUDITOR)]
            if scope in auditees:
                members.append((auditees[scope], MemberRole.AUDITEE))
            assessment_id = repository.insert_assessment(
                cur,
                title=title,
                catalogue_id=catalogue_id,
                scope_unit=scope,
                period_start=start.isoformat(),
                period_end=end.isoformat(),
                lead_auditor=LEAD_AUDITOR,
                created_by=actor.username,
                members=members,
            )
            answered_on = min(end, date(2026, 11, 20)) - timedelta(days=rng.randint(3, 20))
            rows: list[dict[str, Any]] = []
            for control_id, domain_id, _ in controls:
                if latest and rng.random() < 0.45:
                    continue  # not answered yet in the current half-year
                reason = NA_REASONS.get((scope, control_id))
                base = BASE[scope][domain_id] + 0.28 * step
                d = None if reason else _level(rng, base + 0.3)
                i = None if reason else _level(rng, base - 0.2)
                rows.append(
                    {
                        "assessment_id": assessment_id,
                        "control_id": control_id,
                        "documented": d,
                        "implemented": i,
                        "na_reason": reason,
                        "note": None,
                        "answered_by": auditees.get(scope, actor.username),
                        "answered_at": f"{answered_on.isoformat()} 10:00:00+09",
                        "review_state": "pending" if latest else "accepted",
                        "reviewed_by": None if latest else LEAD_AUDITOR,
                        "reviewed_at": None if latest else f"{end.isoformat()} 17:00:00+09",
                    }
                )
            repository.bulk_insert_responses(cur, rows)
            status = Status.IN_PROGRESS if latest else Status.CLOSED
            closed_at = f"{(end + timedelta(days=14)).isoformat()} 12:00:00+09"
            repository.set_status_at(cur, assessment_id, status, LEAD_AUDITOR, closed_at)
            auth_repository.append_audit(
                cur,
                actor=actor.username,
                action="assessment.create",
                entity="assessment",
                entity_id=assessment_id,
                after={
                    "title": title,
                    "scope": scope,
                    "status": status.value,
                    "demo": True,
                    "answers": len(rows),
                },
            )
            made += 1
    return made
