"""Dashboard use cases: each page's figures from a few queries, checked against the role."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from auth.model import Permission, Principal
from auth.permissions import has_permission, requires
from contractors import country_service
from contractors import service as contractors
from dashboards import repository
from dashboards.model import (
    CampaignProgress,
    DashboardFilter,
    FindingsSummary,
    Overview,
    TrendPoint,
    UnitScores,
    WeakControl,
)
from storage.db import Database

WEAKEST = 10


def _units(rows: Sequence[repository.DomainRow]) -> tuple[tuple[str, ...], list[UnitScores]]:
    """Fold domain rows into one UnitScores per assessment (in row order)."""
    domains: list[str] = []
    found: dict[str, UnitScores] = {}
    for a_id, unit, start, title, domain, _pos, score, level, coverage in rows:
        item = found.get(a_id)
        if item is None:
            item = found[a_id] = UnitScores(a_id, unit, start, title, None, None, None)
        if domain is None:
            found[a_id] = UnitScores(
                a_id, unit, start, title, score, level, coverage,
                item.domains, item.domain_levels,
            )  # fmt: skip
        else:
            item.domains[domain] = score
            item.domain_levels[domain] = level
            if domain not in domains:
                domains.append(domain)
    return tuple(domains), list(found.values())


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def _ensure_snapshots(db: Database) -> None:
    """Keep the scores of closed assessments that arrived without them (imports, demo data):
    once, on the first dashboard that needs them."""
    with db.cursor() as cur:
        missing = repository.missing_snapshots(cur)
    if missing:
        with db.transaction() as cur:
            repository.fill_snapshots(cur)


@requires(Permission.DASHBOARD_READ)
def data_version(db: Database, actor: Principal) -> int:
    """A number that changes whenever data changes: the key that invalidates cached figures."""
    with db.cursor() as cur:
        return repository.data_version(cur)


@requires(Permission.DASHBOARD_READ)
def overview(
    db: Database, actor: Principal, flt: DashboardFilter, *, today: date | None = None
) -> Overview:
    """Where the company stands: each unit's latest closed assessment and the one before it,
    the weakest controls, open findings, contractors and countries."""
    day = today or date.today()
    _ensure_snapshots(db)
    with db.cursor() as cur:
        rows = repository.latest_scores(cur, flt.urn, flt.year, flt.unit, depth=2)
        weak = repository.weakest_controls(cur, flt.urn, flt.year, flt.unit, WEAKEST)
        open_rows = repository.open_findings(cur, day, flt.unit)
        flags = repository.open_finding_flags(cur, flt.urn)
    domains, scored = _units(rows)
    by_unit: dict[str, list[UnitScores]] = defaultdict(list)
    for u in scored:  # oldest first within a unit
        by_unit[u.unit].append(u)
    latest = tuple(sorted((v[-1] for v in by_unit.values()), key=lambda u: u.unit))
    previous = [v[-2] for v in by_unit.values() if len(v) > 1]
    counts = {(g, b): int(n) for g, b, n, _ in open_rows}
    tiers: dict[str, int] = {}
    overdue = 0
    countries: tuple[tuple[str, str, str, str, int], ...] = ()
    if has_permission(actor.role, Permission.CONTRACTOR_READ):
        board = contractors.supervisor_dashboard(db, actor, day)
        tiers = {t.value: n for t, n in board.by_tier.items()}
        overdue = len(board.overdue)
        countries = tuple(
            (c.code, c.alpha_3, c.name_en, c.name_ja, c.contractors + c.systems + c.sites)
            for c in country_service.where_data_sits(db, actor, day).countries
        )
    return Overview(
        today=day,
        filter=flt,
        domains=domains,
        units=latest,
        overall=_mean([u.score for u in latest]),
        level=min((u.level for u in latest if u.level is not None), default=None),
        previous_overall=_mean([u.score for u in previous]) if previous else None,
        domain_means={d: _mean([u.domains.get(d) for u in latest]) for d in domains},
        weakest=tuple(WeakControl(*w) for w in weak),
        findings=FindingsSummary(counts, sum(int(o) for *_, o in open_rows), sum(counts.values())),
        contractors_by_tier=tiers,
        contractors_overdue=overdue,
        countries=countries,
        flags=flags,
        changes=tuple(
            (v[-1].unit, v[-2].score, v[-1].score)
            for v in by_unit.values()
            if len(v) > 1 and v[-1].score is not None and v[-2].score is not None
        ),
    )


@requires(Permission.DASHBOARD_READ)
def fiscal_years(db: Database, actor: Principal) -> list[int]:
    """The fiscal years the period filter offers, newest first."""
    with db.cursor() as cur:
        return repository.fiscal_years(cur)


@requires(Permission.DASHBOARD_READ)
def trend(db: Database, actor: Principal, flt: DashboardFilter) -> list[TrendPoint]:
    """Per audit period, the mean overall and domain scores of the closed assessments of that
    period (company-wide, or of one unit when the filter names one)."""
    _ensure_snapshots(db)
    with db.cursor() as cur:
        rows = repository.trend_scores(cur, flt.urn, flt.unit)
    points: dict[str, TrendPoint] = {}
    for period, domain, _pos, score, count in rows:
        point = points.setdefault(period, TrendPoint(flt.unit or "*", period, count, None, {}))
        if domain is None:
            points[period] = TrendPoint(point.unit, period, count, score, point.domains)
        else:
            point.domains[domain] = score
    return list(points.values())


@requires(Permission.ASSESSMENT_PLAN)
def progress(
    db: Database, actor: Principal, *, today: date | None = None
) -> list[CampaignProgress]:
    """Campaigns in flight: coverage, answers awaiting review, days to the period end."""
    with db.cursor() as cur:
        rows = repository.progress(cur, today or date.today())
    return [CampaignProgress(*r) for r in rows]
