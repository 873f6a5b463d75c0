"""The scoring formula: the worked example of scoring.md, SQL == reference, edge cases."""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterator, Mapping, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.score_queries import PortfolioRow, assessment_score, portfolio_scores
from assessments.scoring import (
    Answer,
    AssessmentScore,
    ControlScore,
    ControlSpec,
    Rating,
    Result,
    score_assessment,
    trend,
)
from core.errors import NotFound
from storage.db import Cursor, Database
from storage.migrate import open_database

TOL = 1e-9


# --- the worked example of shared/domain/scoring.md -----------------------------------------

K, N = True, False
EXAMPLE_CONTROLS = [
    ControlSpec("ORG-01", "ORG", K),
    ControlSpec("ORG-02", "ORG", N),
    ControlSpec("ORG-03", "ORG", K),
    ControlSpec("ORG-04", "ORG", K),
    ControlSpec("ORG-05", "ORG", K),
    ControlSpec("HUM-01", "HUM", K),
    ControlSpec("HUM-02", "HUM", N),
    ControlSpec("HUM-03", "HUM", N),
    *(ControlSpec(f"PHY-0{i}", "PHY", N) for i in range(1, 5)),
    ControlSpec("TEC-01", "TEC", K),
    ControlSpec("TEC-02", "TEC", K),
    ControlSpec("TEC-03", "TEC", K),
    ControlSpec("TEC-04", "TEC", N),
]
REMOTE = "no office; fully remote"
EXAMPLE_ANSWERS = {
    "ORG-01": Answer(4, 3),
    "ORG-02": Answer(3, 2),
    "ORG-03": Answer(2, 1),
    "ORG-04": Answer(None, None, "handled by group holding company"),
    "ORG-05": Answer(5, 4),
    "HUM-01": Answer(3, 3),
    "HUM-02": Answer(5, 5),
    # HUM-03 unanswered
    **{f"PHY-0{i}": Answer(None, None, REMOTE) for i in range(1, 5)},
    "TEC-01": Answer(4, 4),
    "TEC-02": Answer(3, 2),
    "TEC-03": Answer(1, 0),
    "TEC-04": Answer(2, 3),
}
EXAMPLE_CONTROL_ROWS = {
    "ORG-01": (70.0, Result.CONFORMANT),
    "ORG-02": (50.0, Result.PARTIALLY_CONFORMANT),
    "ORG-03": (30.0, Result.PARTIALLY_CONFORMANT),
    "ORG-04": (None, Result.NOT_APPLICABLE),
    "ORG-05": (90.0, Result.CONFORMANT),
    "HUM-01": (60.0, Result.CONFORMANT),
    "HUM-02": (100.0, Result.CONFORMANT),
    "HUM-03": (0.0, Result.NOT_ASSESSED),
    **{f"PHY-0{i}": (None, Result.NOT_APPLICABLE) for i in range(1, 5)},
    "TEC-01": (80.0, Result.CONFORMANT),
    "TEC-02": (50.0, Result.PARTIALLY_CONFORMANT),
    "TEC-03": (10.0, Result.NONCONFORMANT),
    "TEC-04": (50.0, Result.PARTIALLY_CONFORMANT),
}


# --- database helpers -------------------------------------------------------------------------


def insert_catalogue(
    cur: Cursor, controls: Sequence[ControlSpec], *, extra: Sequence[ControlSpec] = ()
) -> str:
    """A catalogue holding ``controls`` (maturity, assessable) then ``extra`` (not scored:
    alternately a text question and a non-assessable heading)."""
    catalogue_id = str(uuid.uuid4())
    cur.execute(
        "INSERT INTO catalogues (id, urn, version, name_en, name_ja, scale, sha256, source_file,"
        " imported_by) VALUES (?, 'urn:kansa:catalogue:test', ?, 'Test', 'テスト',"
        " 'maturity-0-5', 'x', 'test.yaml', 'test')",
        [catalogue_id, catalogue_id],
    )
    rows = [(c, True, "maturity") for c in controls] + [
        (c, i % 2 == 1, "text" if i % 2 == 1 else "maturity") for i, c in enumerate(extra)
    ]
    if not rows:
        return catalogue_id
    cur.execute(
        """
        INSERT INTO controls (catalogue_id, control_id, domain_id, position, is_key,
            is_assessable, answer_type, title_en, title_ja, requirement_en, requirement_ja,
            guidance_en, guidance_ja, evidence_hints_en, evidence_hints_ja, search_text)
        SELECT $cat, unnest($ids), unnest($domains), unnest($positions), unnest($keys),
               unnest($assessable), unnest($types), 't', 't', 'r', 'r', [], [], [], [], ''
        """,
        {
            "cat": catalogue_id,
            "ids": [c.control_id for c, _, _ in rows],
            "domains": [c.domain_id for c, _, _ in rows],
            "positions": list(range(len(rows))),
            "keys": [c.is_key for c, _, _ in rows],
            "assessable": [a for _, a, _ in rows],
            "types": [t for _, _, t in rows],
        },
    )
    return catalogue_id


def insert_assessment(cur: Cursor, catalogue_id: str, answers: Mapping[str, Answer]) -> str:
    assessment_id = str(uuid.uuid4())
    cur.execute(
        "INSERT INTO assessments (id, title, catalogue_id, scope_unit, created_by)"
        " VALUES (?, 'Test', ?, 'S', 'test')",
        [assessment_id, catalogue_id],
    )
    if answers:
        cur.execute(
            """
            INSERT INTO responses (assessment_id, control_id, documented, implemented,
                                   na_reason, answered_by)
            SELECT $a, unnest($ids), unnest($d), unnest($i), unnest($na), 'test'
            """,
            {
                "a": assessment_id,
                "ids": list(answers),
                "d": [a.documented for a in answers.values()],
                "i": [a.implemented for a in answers.values()],
                "na": [a.na_reason for a in answers.values()],
            },
        )
    return assessment_id


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One database for the module: every case adds its own catalogue and assessment."""
    db = open_database(tmp_path_factory.mktemp("scoring") / "k.duckdb")
    yield db
    db.close()


def sql_score(
    db: Database,
    controls: Sequence[ControlSpec],
    answers: Mapping[str, Answer],
    findings: Mapping[str, str] | None = None,
    *,
    extra: Sequence[ControlSpec] = (),
) -> tuple[str, AssessmentScore]:
    with db.transaction() as cur:
        catalogue_id = insert_catalogue(cur, controls, extra=extra)
        assessment_id = insert_assessment(cur, catalogue_id, answers)
    with db.cursor() as cur:
        return assessment_id, assessment_score(cur, assessment_id, findings)


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=0.0, abs_tol=TOL)


def assert_same(sql: AssessmentScore, ref: AssessmentScore) -> None:
    """Every figure equal to 1e-9, every label equal, dict order (catalogue order) equal."""
    assert close(sql.overall_score, ref.overall_score), (sql.overall_score, ref.overall_score)
    assert sql.overall_level == ref.overall_level
    assert close(sql.overall_coverage, ref.overall_coverage)
    assert list(sql.domains) == list(ref.domains)
    for domain_id, r in ref.domains.items():
        s = sql.domains[domain_id]
        assert close(s.score, r.score), (domain_id, s, r)
        assert close(s.coverage, r.coverage), (domain_id, s, r)
        assert (s.level, s.rating) == (r.level, r.rating), (domain_id, s, r)
    assert list(sql.controls) == list(ref.controls)
    for control_id, rc in ref.controls.items():
        sc = sql.controls[control_id]
        assert close(sc.score, rc.score), (control_id, sc, rc)
        assert (sc.result, sc.domain_id) == (rc.result, rc.domain_id), (control_id, sc, rc)


def assert_portfolio_matches(db: Database, assessment_id: str, ref: AssessmentScore) -> None:
    with db.cursor() as cur:
        rows = [r for r in portfolio_scores(cur) if r[0] == assessment_id]
    expected: list[PortfolioRow] = [
        (assessment_id, d.domain_id, d.score, d.level, d.coverage) for d in ref.domains.values()
    ]
    expected.append(
        (assessment_id, None, ref.overall_score, ref.overall_level, ref.overall_coverage)
    )
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected, strict=True):
        assert got[:2] == want[:2]
        assert close(got[2], want[2]), (got, want)
        assert got[3] == want[3], (got, want)
        assert close(got[4], want[4]), (got, want)


# --- (a) the worked example -------------------------------------------------------------------


def check_worked_example(score: AssessmentScore) -> None:
    org, hum, phy, tec = (score.domains[d] for d in ("ORG", "HUM", "PHY", "TEC"))
    assert list(score.domains) == ["ORG", "HUM", "PHY", "TEC"]
    assert org.score == pytest.approx(430 / 7, abs=TOL)
    assert org.score == pytest.approx(61.428571428571, abs=1e-9)
    assert hum.score == pytest.approx(55.0, abs=TOL)
    assert phy.score is None
    assert tec.score == pytest.approx(330 / 7, abs=TOL)
    assert tec.score == pytest.approx(47.142857142857, abs=1e-9)
    assert score.overall_score == pytest.approx((430 / 7 + 55 + 330 / 7) / 3, abs=TOL)
    assert score.overall_score == pytest.approx(54.523809523810, abs=1e-9)
    assert (org.level, hum.level, phy.level, tec.level) == (1, 3, None, 0)
    assert score.overall_level == 0
    assert org.coverage == pytest.approx(1.0, abs=TOL)
    assert hum.coverage == pytest.approx(2 / 3, abs=TOL)
    assert phy.coverage is None
    assert tec.coverage == pytest.approx(1.0, abs=TOL)
    assert score.overall_coverage == pytest.approx(10 / 11, abs=TOL)
    assert (org.rating, hum.rating, phy.rating, tec.rating) == (
        Rating.AMBER,
        Rating.AMBER,
        None,
        Rating.RED,
    )
    assert list(score.controls) == [c.control_id for c in EXAMPLE_CONTROLS]
    for control_id, (value, result) in EXAMPLE_CONTROL_ROWS.items():
        got = score.controls[control_id]
        assert close(got.score, value), control_id
        assert got.result is result, control_id


def test_worked_example_reference() -> None:
    check_worked_example(score_assessment(EXAMPLE_CONTROLS, EXAMPLE_ANSWERS))


def test_worked_example_sql(shared_db: Database) -> None:
    assessment_id, score = sql_score(shared_db, EXAMPLE_CONTROLS, EXAMPLE_ANSWERS)
    check_worked_example(score)
    assert_portfolio_matches(
        shared_db, assessment_id, score_assessment(EXAMPLE_CONTROLS, EXAMPLE_ANSWERS)
    )


@pytest.mark.parametrize("engine", ["reference", "sql"])
def test_worked_example_open_major_finding_turns_org_red(engine: str, shared_db: Database) -> None:
    findings = {"ORG-03": "major"}
    if engine == "reference":
        score = score_assessment(EXAMPLE_CONTROLS, EXAMPLE_ANSWERS, findings)
    else:
        _, score = sql_score(shared_db, EXAMPLE_CONTROLS, EXAMPLE_ANSWERS, findings)
    assert score.domains["ORG"].rating is Rating.RED
    assert score.domains["HUM"].rating is Rating.AMBER
    assert score.domains["TEC"].rating is Rating.RED


@pytest.mark.parametrize("engine", ["reference", "sql"])
def test_minor_finding_caps_a_green_domain_at_amber(engine: str, shared_db: Database) -> None:
    controls = [ControlSpec("A-1", "A", True), ControlSpec("B-1", "B", True)]
    answers = {"A-1": Answer(5, 5), "B-1": Answer(4, 4)}
    findings = {"A-1": "Minor", "B-1": "observation"}
    if engine == "reference":
        score = score_assessment(controls, answers, findings)
    else:
        _, score = sql_score(shared_db, controls, answers, findings)
    assert score.domains["A"].rating is Rating.AMBER
    assert score.domains["B"].rating is Rating.GREEN


def test_worked_example_json() -> None:
    data = score_assessment(EXAMPLE_CONTROLS, EXAMPLE_ANSWERS).to_json_dict()
    assert list(data) == ["overall", "domains", "controls"]
    assert data["overall"] == {
        "score": pytest.approx(54.523809523810, abs=1e-9),
        "level": 0,
        "coverage": pytest.approx(10 / 11),
    }
    assert data["domains"]["PHY"] == {
        "score": None,
        "level": None,
        "coverage": None,
        "rating": None,
    }
    assert data["domains"]["HUM"] == {
        "score": 55.0,
        "level": 3,
        "coverage": pytest.approx(2 / 3),
        "rating": "amber",
    }
    assert data["controls"]["ORG-04"] == {"score": None, "result": "not_applicable"}
    assert data["controls"]["HUM-03"] == {"score": 0.0, "result": "not_assessed"}
    assert data["controls"]["ORG-02"] == {"score": 50.0, "result": "partially_conformant"}
    assert set(data["domains"]["ORG"]) == {"score", "level", "coverage", "rating"}


# --- (b) SQL == reference on generated catalogues ---------------------------------------------

DOMAIN_NAMES = ["ORG", "HUM", "PHY", "TEC", "BAS", "EXT"]
LEVEL = st.integers(0, 5)
ANSWER = st.one_of(
    st.none(),  # unanswered
    st.just(Answer(None, None, "not relevant here")),
    st.builds(Answer, LEVEL, LEVEL),
)
GRADE = st.sampled_from(["major", "minor", "observation"])


@st.composite
def cases(
    draw: st.DrawFn,
) -> tuple[list[ControlSpec], dict[str, Answer], dict[str, str], list[ControlSpec]]:
    names = draw(st.permutations(DOMAIN_NAMES))[: draw(st.integers(1, 6))]
    controls: list[ControlSpec] = []
    answers: dict[str, Answer] = {}
    findings: dict[str, str] = {}
    for name in names:
        for i in range(draw(st.integers(1, 12))):
            # Ids repeat across examples, so a query that ignored the pinned catalogue
            # would mix them up.
            spec = ControlSpec(f"{name}-{i:02d}", name, draw(st.booleans()))
            controls.append(spec)
            answer = draw(ANSWER)
            if answer is not None:
                answers[spec.control_id] = answer
            if draw(st.integers(0, 9)) == 0:
                findings[spec.control_id] = draw(GRADE)
    # Controls that never count: answered anyway, to prove they are left out.
    extra = [
        ControlSpec(f"{names[0]}-X{i}", names[0], True) for i in range(draw(st.integers(0, 2)))
    ]
    for spec in extra:
        answers[spec.control_id] = Answer(0, 0)
    return controls, answers, findings, extra


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(case=cases())
def test_sql_equals_reference(
    shared_db: Database,
    case: tuple[list[ControlSpec], dict[str, Answer], dict[str, str], list[ControlSpec]],
) -> None:
    controls, answers, findings, extra = case
    ref = score_assessment(controls, answers, findings)
    assessment_id, sql = sql_score(shared_db, controls, answers, findings, extra=extra)
    assert_same(sql, ref)
    assert_portfolio_matches(shared_db, assessment_id, ref)


# --- (c) edge cases ---------------------------------------------------------------------------

TWO_DOMAINS = [
    ControlSpec("A-1", "A", True),
    ControlSpec("A-2", "A", False),
    ControlSpec("B-1", "B", False),
]


def both(
    db: Database, controls: Sequence[ControlSpec], answers: Mapping[str, Answer]
) -> list[AssessmentScore]:
    ref = score_assessment(controls, answers)
    assessment_id, sql = sql_score(db, controls, answers)
    assert_same(sql, ref)
    assert_portfolio_matches(db, assessment_id, ref)
    return [ref, sql]


def test_all_not_applicable(shared_db: Database) -> None:
    na = Answer(None, None, "out of scope")
    for score in both(shared_db, TWO_DOMAINS, dict.fromkeys(("A-1", "A-2", "B-1"), na)):
        assert (score.overall_score, score.overall_level, score.overall_coverage) == (
            None,
            None,
            1.0,
        )
        assert all(
            (d.score, d.level, d.coverage, d.rating) == (None, None, None, None)
            for d in score.domains.values()
        )
        assert all(c.result is Result.NOT_APPLICABLE for c in score.controls.values())


def test_nothing_answered(shared_db: Database) -> None:
    for score in both(shared_db, TWO_DOMAINS, {}):
        assert (score.overall_score, score.overall_level, score.overall_coverage) == (0.0, 0, 0.0)
        for d in score.domains.values():
            assert (d.score, d.level, d.coverage, d.rating) == (0.0, 0, 0.0, Rating.RED)
        assert all(
            c == ControlScore(c.control_id, c.domain_id, 0.0, Result.NOT_ASSESSED)
            for c in score.controls.values()
        )


def test_one_domain_only(shared_db: Database) -> None:
    controls = [ControlSpec("A-1", "A", False), ControlSpec("A-2", "A", False)]
    for score in both(shared_db, controls, {"A-1": Answer(5, 4), "A-2": Answer(4, 3)}):
        assert score.overall_score == pytest.approx(80.0, abs=TOL)
        assert score.domains["A"].score == score.overall_score
        # No key control: the level comes from every applicable control.
        assert score.overall_level == score.domains["A"].level == 3
        assert score.domains["A"].rating is Rating.GREEN


def test_key_controls_all_na_fall_back_to_every_applicable_control(shared_db: Database) -> None:
    answers = {"A-1": Answer(None, None, "n/a"), "A-2": Answer(4, 2), "B-1": Answer(1, 5)}
    for score in both(shared_db, TWO_DOMAINS, answers):
        assert score.domains["A"].level == 2
        assert score.domains["A"].score == pytest.approx(60.0, abs=TOL)


def test_unanswered_key_control_sets_level_zero(shared_db: Database) -> None:
    answers = {"A-2": Answer(5, 5), "B-1": Answer(5, 5)}
    for score in both(shared_db, TWO_DOMAINS, answers):
        assert score.domains["A"].level == 0
        assert score.domains["A"].coverage == pytest.approx(0.5)
        assert score.domains["A"].score == pytest.approx(100 / 3, abs=TOL)
        assert score.overall_level == 0


def test_catalogue_without_maturity_controls(shared_db: Database) -> None:
    for score in both(shared_db, [], {}):
        assert score.domains == {}
        assert score.controls == {}
        assert (score.overall_score, score.overall_level, score.overall_coverage) == (
            None,
            None,
            1.0,
        )


def test_unknown_assessment(shared_db: Database) -> None:
    with shared_db.cursor() as cur:
        with pytest.raises(NotFound):
            assessment_score(cur, str(uuid.uuid4()))
        with pytest.raises(NotFound):
            assessment_score(cur, "not-a-uuid")


@pytest.mark.parametrize(
    "args",
    [(1, None, None), (None, None, None), (None, 2, "reason"), (3, 3, "reason"), (6, 0, None)],
)
def test_inconsistent_answer_is_refused(args: tuple[int | None, int | None, str | None]) -> None:
    with pytest.raises(ValueError, match="D and I"):
        Answer(*args)


# --- trend ------------------------------------------------------------------------------------


def test_trend_matches_domains_and_controls_by_id() -> None:
    current = score_assessment(EXAMPLE_CONTROLS, EXAMPLE_ANSWERS)
    earlier = score_assessment(
        [*EXAMPLE_CONTROLS[:8], ControlSpec("TEC-01", "TEC", True)],
        {"ORG-01": Answer(2, 2), "HUM-01": Answer(3, 3), "TEC-01": Answer(4, 4)},
    )
    delta = trend(current, earlier)
    assert current.overall_score is not None
    assert earlier.overall_score is not None
    assert delta["overall"] == pytest.approx(current.overall_score - earlier.overall_score)
    assert delta["domains"]["ORG"] == pytest.approx(430 / 7 - 80 / 9)  # 2·40 over weights 2+1+2+2+2
    assert delta["domains"]["PHY"] is None  # null now, absent before
    assert delta["domains"]["TEC"] == pytest.approx(330 / 7 - 80)
    assert delta["controls"]["ORG-01"] == pytest.approx(30.0)
    assert delta["controls"]["ORG-04"] is None  # N/A
    assert delta["controls"]["TEC-02"] is None  # not in the previous catalogue version
    assert delta["controls"]["HUM-03"] == 0.0  # unanswered both times


def test_trend_without_previous() -> None:
    current = score_assessment(EXAMPLE_CONTROLS, EXAMPLE_ANSWERS)
    delta = trend(current, None)
    assert delta["overall"] is None
    assert set(delta["domains"]) == {"ORG", "HUM", "PHY", "TEC"}
    assert all(v is None for v in delta["domains"].values())
    assert all(v is None for v in delta["controls"].values())
