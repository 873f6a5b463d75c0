"""Dashboard figures: the kept scores of closed assessments equal the live scoring, the
overview and trend agree with each assessment's own scores, and the scale generator works."""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from assessments import service as assessments
from auth.model import Principal, Role
from controls.service import sync_library
from core.errors import PermissionDenied
from dashboards import repository
from dashboards import service as dashboards
from dashboards.model import DashboardFilter, rating_of
from demo.service import load_demo, load_scale
from storage.db import Database
from storage.migrate import open_database
from tests.conftest import OPERATOR

URN = "urn:kansa:catalogue:appi-security-measures"
TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dashboards") / "k.duckdb"
    with open_database(path) as db:
        sync_library(db, OPERATOR)
        load_demo(db, OPERATOR)
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Iterator[Database]:
    shutil.copyfile(template, tmp_path / "k.duckdb")
    database = open_database(tmp_path / "k.duckdb")
    yield database
    database.close()


def _close(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (
        a is not None and b is not None and math.isclose(a, b, abs_tol=1e-9)
    )


def test_kept_scores_equal_live_scores(db: Database) -> None:
    overview = dashboards.overview(db, OPERATOR, DashboardFilter(), today=TODAY)
    with db.cursor() as cur:
        assert repository.missing_snapshots(cur) == 0  # filled on first use
    assert len(overview.units) == 6
    for unit in overview.units:
        live = assessments.score(db, OPERATOR, unit.assessment_id).score
        assert _close(unit.score, live.overall_score)
        assert unit.level == live.overall_level
        for domain, d in live.domains.items():
            assert _close(unit.domains[domain], d.score), (unit.unit, domain)


def test_closing_keeps_the_scores_at_once(db: Database) -> None:
    current = assessments.list_assessments(db, OPERATOR, scope="CSC", status="in_progress")[0]
    with db.cursor() as cur:
        cur.execute(
            """UPDATE responses SET review_state = 'accepted'
               WHERE assessment_id = CAST(? AS UUID)""",
            [current.id],
        )
    from assessments.model import Answer  # noqa: PLC0415

    controls = assessments.score(db, OPERATOR, current.id).score.controls
    answered = {r.control_id for r in assessments.list_responses(db, OPERATOR, current.id)}
    assessments.save_answers(
        db, OPERATOR, current.id, [(Answer(c, 4, 4), None) for c in controls if c not in answered]
    )
    assessments.close_assessment(db, OPERATOR, current.id)
    with db.cursor() as cur:
        kept = cur.execute(
            "SELECT score FROM closed_scores WHERE assessment_id = CAST(? AS UUID) "
            "AND domain_id = '*'",
            [current.id],
        ).fetchone()
    assert kept is not None
    assert _close(kept[0], assessments.score(db, OPERATOR, current.id).score.overall_score)
    latest = dashboards.overview(db, OPERATOR, DashboardFilter(unit="CSC"), today=TODAY)
    assert latest.units[0].assessment_id == current.id


def test_overview_figures(db: Database) -> None:
    o = dashboards.overview(db, OPERATOR, DashboardFilter(), today=TODAY)
    scores = [u.score for u in o.units if u.score is not None]
    assert o.overall is not None
    assert math.isclose(o.overall, sum(scores) / len(scores))
    assert o.level == min(u.level for u in o.units if u.level is not None)
    assert o.previous_overall is not None  # every unit has an earlier closed audit
    weak = [w.score for w in o.weakest]
    assert weak == sorted(weak)
    assert len(o.weakest) == dashboards.WEAKEST
    assert o.findings.open > 0
    assert set(o.contractors_by_tier) == {"high", "medium", "low"}
    # an open major finding on ORG turns CSC's ORG red whatever its score
    if ("CSC", "ORG") in o.flags and o.flags[("CSC", "ORG")] == "major":
        assert o.rating("CSC", "ORG") == "red"
    assert rating_of(49.9) == "red"
    assert rating_of(74.9) == "amber"
    assert rating_of(80.0, "minor") == "amber"
    assert rating_of(None) is None


def test_filters_narrow_the_overview(db: Database) -> None:
    one = dashboards.overview(db, OPERATOR, DashboardFilter(unit="HRD"), today=TODAY)
    assert [u.unit for u in one.units] == ["HRD"]
    fy2025 = dashboards.overview(db, OPERATOR, DashboardFilter(year=2025), today=TODAY)
    assert all((u.period_start or "") < "2026-04-01" for u in fy2025.units)


def test_trend_means_per_period(db: Database) -> None:
    points = dashboards.trend(db, OPERATOR, DashboardFilter())
    assert [p.period_start for p in points] == sorted(p.period_start for p in points)
    assert all(p.assessments == 6 for p in points)
    csc = dashboards.trend(db, OPERATOR, DashboardFilter(unit="CSC"))
    assert all(p.assessments == 1 for p in csc)
    assert csc[-1].score is not None
    assert csc[0].score is not None
    assert csc[-1].score > csc[0].score  # the demo improves over time


def test_progress_lists_campaigns_in_flight(db: Database) -> None:
    rows = dashboards.progress(db, OPERATOR, today=TODAY)
    assert {r.unit for r in rows} >= {"CSC", "SLS", "HRD", "ITS", "PAY", "GAD"}
    assert all(0 <= r.answered <= r.controls for r in rows)
    with pytest.raises(PermissionDenied):
        dashboards.progress(db, Principal("m.aoyagi", Role.EXECUTIVE, "MGT"))


def test_scale_generator(db: Database) -> None:
    counts = load_scale(db, OPERATOR, 5_000)
    assert counts["units"] >= 1
    assert counts["responses"] == pytest.approx(5_000, rel=0.2)
    o = dashboards.overview(db, OPERATOR, DashboardFilter(), today=TODAY)
    assert len(o.units) == 6 + counts["units"]
