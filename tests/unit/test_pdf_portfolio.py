"""The executive portfolio report: heat map, weakest controls, findings by age, contractors."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from reports.pdf.model import OpenFinding, PortfolioReportData
from reports.pdf.portfolio import AGE_BUCKETS, age_bucket, bucket_counts, build_portfolio_report
from reports.pdf.text import fmt_score
from tests.fixtures.pdf import poppler
from tests.fixtures.pdf.sample_data import sample_portfolio

TITLES = {
    "ja": [
        "1. 概要",
        "2. ヒートマップ：対象範囲 × 領域",
        "3. スコアの低い管理策",
        "4. 未完了の指摘事項（経過日数別）",
        "5. 監査期限を過ぎた委託先",
    ],
    "en": [
        "1. Overview",
        "2. Heat map: scope × domain",
        "3. Weakest controls",
        "4. Open findings by age",
        "5. Contractors overdue for review",
    ],
}


@pytest.fixture(scope="module")
def data() -> PortfolioReportData:
    return sample_portfolio()


@pytest.fixture(scope="module")
def reports(data: PortfolioReportData, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("portfolio-pdf")
    return {
        lang: poppler.write(build_portfolio_report(data, lang), folder / f"portfolio-{lang}.pdf")
        for lang in ("ja", "en")
    }


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_sections_and_footers(reports: dict[str, Path], lang: str) -> None:
    path = reports[lang]
    pages = poppler.pages_text(path, layout=True)
    body = "\n".join(pages)
    positions = [body.rfind(title) for title in TITLES[lang]]  # rfind: skip the contents
    assert all(p >= 0 for p in positions), positions
    assert positions == sorted(positions)
    total = poppler.page_count(path)
    pattern = r"(\d+) / (\d+) ページ" if lang == "ja" else r"page (\d+) of (\d+)"
    for number, text in enumerate(pages, start=1):
        assert re.findall(pattern, text) == [(str(number), str(total))]
        assert "PF-2026-Q1" in text


def test_heat_map_shows_every_score_with_its_mark(
    reports: dict[str, Path], data: PortfolioReportData
) -> None:
    text = "\n".join(poppler.pages_text(reports["en"], layout=True))
    for scope in data.scopes:
        for domain_id, score in scope.domain_scores.items():
            if score is None:
                continue
            mark = "×" if score < 50 else "△" if score < 75 else "○"
            assert f"{mark} {fmt_score(score)}" in text, (scope.scope, domain_id)
    assert "red × below 50" in text


def test_weak_controls_findings_and_contractors(
    reports: dict[str, Path], data: PortfolioReportData
) -> None:
    text = "\n".join(poppler.pages_text(reports["ja"], layout=True))
    for weak in data.worst_controls:
        assert weak.control_id in text
    totals = bucket_counts(data.open_findings)
    assert sum(sum(v) for v in totals.values()) == len(data.open_findings)
    assert re.search(rf"合計\s.*\s{len(data.open_findings)}\s", text)
    assert "クラウド会計株式会社" in text
    assert "86" in text
    poppler.render_png(reports["ja"], "portfolio-ja", 1, 3)


def test_age_buckets() -> None:
    assert [age_bucket(d) for d in (0, 30, 31, 90, 91, 180, 181, 4000)] == [0, 0, 1, 1, 2, 2, 3, 3]
    assert len(AGE_BUCKETS) == 4
    counts = bucket_counts(
        [OpenFinding("F-1", "A", "major", 10), OpenFinding("F-2", "A", "major", 200)]
    )
    assert counts["major"] == [1, 0, 0, 1]
    assert counts["minor"] == [0, 0, 0, 0]


def test_empty_portfolio(tmp_path: Path, data: PortfolioReportData) -> None:
    empty = replace(data, scopes=(), worst_controls=(), open_findings=(), contractors_overdue=())
    path = poppler.write(build_portfolio_report(empty, "en"), tmp_path / "empty.pdf")
    text = " ".join(" ".join(poppler.pages_text(path)).split())
    for sentence in (
        "No assessment has been closed yet.",
        "No control to list.",
        "No finding is open.",
        "No contractor is overdue for review.",
    ):
        assert sentence in text


def test_fonts_are_embedded(reports: dict[str, Path]) -> None:
    fonts = poppler.fonts(reports["ja"])
    assert fonts
    assert all(f.embedded and "IPAexGothic" in f.name for f in fonts)
