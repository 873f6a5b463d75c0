"""The risk-tier rule, review intervals and due dates (pure functions, injected dates)."""

from __future__ import annotations

from datetime import date

import pytest

from contractors.model import (
    REVIEW_INTERVAL_MONTHS,
    Clause,
    Clauses,
    Factor,
    Tier,
    TierInputs,
    add_months,
    days_until,
    describe_rule,
    find_cycle,
    is_due_soon,
    next_review_due,
    tier_for,
)
from controls.model import Lang


def _inputs(
    individuals: int = 0,
    special: bool = False,
    abroad: bool = False,
    missing: int = 0,
    findings: int = 0,
    score: float | None = None,
) -> TierInputs:
    return TierInputs(individuals, special, abroad, missing, findings, score)


# (inputs, expected points, expected tier): one row per boundary of the rule.
CASES = [
    (_inputs(), 0, Tier.LOW),
    (_inputs(999), 0, Tier.LOW),
    (_inputs(1_000), 1, Tier.LOW),
    (_inputs(9_999), 1, Tier.LOW),
    (_inputs(10_000), 2, Tier.MEDIUM),
    (_inputs(99_999), 2, Tier.MEDIUM),
    (_inputs(100_000), 3, Tier.MEDIUM),
    (_inputs(100_000, abroad=True), 4, Tier.MEDIUM),
    (_inputs(100_000, abroad=True, missing=1), 5, Tier.HIGH),
    (_inputs(special=True), 3, Tier.MEDIUM),
    (_inputs(1_000, special=True), 4, Tier.MEDIUM),
    (_inputs(10_000, special=True), 5, Tier.HIGH),
    (_inputs(abroad=True), 1, Tier.LOW),
    (_inputs(missing=1), 1, Tier.LOW),
    (_inputs(missing=2), 2, Tier.MEDIUM),
    (_inputs(missing=7), 3, Tier.MEDIUM),  # capped at 3
    (_inputs(findings=1), 1, Tier.LOW),
    (_inputs(findings=5), 2, Tier.MEDIUM),  # capped at 2
    (_inputs(score=75.0), 0, Tier.LOW),
    (_inputs(score=74.9), 1, Tier.LOW),
    (_inputs(score=50.0), 1, Tier.LOW),
    (_inputs(score=49.9), 2, Tier.MEDIUM),
    (_inputs(100_000, True, True, 7, 5, 10.0), 14, Tier.HIGH),
]


@pytest.mark.parametrize(("inputs", "points", "tier"), CASES)
def test_tier_rule(inputs: TierInputs, points: int, tier: Tier) -> None:
    result = tier_for(inputs)
    assert (result.points, result.tier) == (points, tier)
    assert sum(c.points for c in result.contributions) == result.points
    assert result.interval_months == REVIEW_INTERVAL_MONTHS[tier]


def test_each_factor_is_explained_in_both_languages() -> None:
    result = tier_for(_inputs(12_000, special=True, abroad=True, missing=2, findings=1, score=60))
    by_factor = {c.factor: c for c in result.contributions}
    assert set(by_factor) == set(Factor)
    assert by_factor[Factor.VOLUME].points == 2
    assert "12,000" in by_factor[Factor.VOLUME].text.en
    assert "12,000人" in by_factor[Factor.VOLUME].text.ja
    en, ja = result.explain(Lang.EN), result.explain(Lang.JA)
    assert en[-1] == "Total 10 points → high risk tier (review every 12 months)"
    assert ja[-1] == "合計 10 点 → リスク区分「高」（点検周期 12 か月）"
    assert len(en) == len(ja) == len(Factor) + 1


def test_the_rule_text_is_built_from_the_tables() -> None:
    en = "\n".join(describe_rule(Lang.EN))
    ja = "\n".join(describe_rule(Lang.JA))
    assert "100,000 or more: +3" in en
    assert "high: 5+ points (review every 12 months)" in en
    assert "low: 0-1 points (review every 36 months)" in en
    assert "高: 5点以上（12か月ごとに点検）" in ja
    assert "要配慮個人情報を含む: +3" in ja


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 15), 12, date(2027, 12, 15)),
        (date(2026, 5, 31), -3, date(2026, 2, 28)),
        (date(2026, 4, 1), 36, date(2029, 4, 1)),
    ],
)
def test_add_months_keeps_the_day_or_the_last_of_the_month(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("tier", "last", "expected"),
    [
        (Tier.HIGH, date(2026, 3, 10), date(2027, 3, 10)),
        (Tier.MEDIUM, date(2026, 3, 10), date(2028, 3, 10)),
        (Tier.LOW, date(2026, 3, 10), date(2029, 3, 10)),
        (Tier.HIGH, None, date(2025, 4, 1)),  # never reviewed: from the contract start
        (Tier.LOW, None, date(2027, 4, 1)),
    ],
)
def test_next_review_due(tier: Tier, last: date | None, expected: date) -> None:
    assert next_review_due(tier, last, contract_start=date(2024, 4, 1)) == expected


def test_due_soon_and_overdue_follow_the_injected_today() -> None:
    due = date(2027, 3, 1)
    assert days_until(due, date(2027, 3, 1)) == 0
    assert days_until(due, date(2027, 3, 2)) == -1
    assert is_due_soon(due, today=date(2026, 12, 1))  # 90 days before
    assert not is_due_soon(due, today=date(2026, 11, 30))  # 91 days before
    assert is_due_soon(due, today=date(2027, 6, 1))  # overdue counts too


def test_missing_clauses_count_breach_notice_by_its_hours() -> None:
    assert Clauses.complete().missing() == ()
    partial = Clauses(True, True, False, True, True, None, True)
    assert partial.missing() == (Clause.REENTRUSTMENT, Clause.BREACH_NOTICE)
    assert Clauses().missing() == tuple(Clause)


def test_find_cycle_names_the_whole_circle() -> None:
    edges = [("A", "B"), ("B", "C"), ("X", "Y")]
    assert find_cycle(edges, "C", "A") == ["C", "A", "B", "C"]
    assert find_cycle(edges, "A", "A") == ["A", "A"]
    assert find_cycle(edges, "A", "C") is None  # a second path is no circle
    assert find_cycle(edges, "Y", "X") == ["Y", "X", "Y"]
    assert find_cycle(edges, "C", "X") is None
