"""The audit report PDF, read back with poppler: sections, numbers, footers, fonts, escaping."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageStat

from reports.pdf.audit_report import build_audit_report
from reports.pdf.model import AuditReportData
from reports.pdf.text import fmt_percent, fmt_score, short_hash
from tests.fixtures.pdf import poppler
from tests.fixtures.pdf.sample_data import HOSTILE_MARKUP, sample_audit

SECTIONS = {
    "ja": [
        "1. エグゼクティブサマリー",
        "2. 監査の目的・範囲・基準",
        "3. 監査チームと被監査部門",
        "4. 監査の方法",
        "5. 領域別の結果",
        "6. 指摘事項",
        "7. 過去の監査の是正処置",
        "8. 証跡一覧",
        "9. 結論",
        "10. 付録 管理策と参照規格の対応表",
    ],
    "en": [
        "1. Executive summary",
        "2. Objectives, scope and criteria",
        "3. Audit team and auditees",
        "4. Method",
        "5. Results by domain",
        "6. Findings",
        "7. Corrective actions from earlier audits",
        "8. Evidence index",
        "9. Conclusion",
        "10. Appendix: control-to-reference crosswalk",
    ],
}
FOOTER = {
    "ja": re.compile(r"(\d+) / (\d+) ページ"),
    "en": re.compile(r"page (\d+) of (\d+)"),
}
CONTENTS_LINE = re.compile(r"^\s*(\d+\.(?:\d+)?\s.*?)\s{2,}(\d+)\s*$")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def sample() -> AuditReportData:
    return sample_audit()


@pytest.fixture(scope="module")
def reports(sample: AuditReportData, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("audit-pdf")
    return {
        lang: poppler.write(build_audit_report(sample, lang), folder / f"audit-{lang}.pdf")
        for lang in ("ja", "en")
    }


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_sections_appear_in_order_after_the_contents(reports: dict[str, Path], lang: str) -> None:
    pages = poppler.pages_text(reports[lang], layout=True)
    body = "\n".join(pages[2:])  # after cover and contents
    positions = [body.find(title) for title in SECTIONS[lang]]
    assert all(p >= 0 for p in positions), dict(zip(SECTIONS[lang], positions, strict=True))
    assert positions == sorted(positions)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_contents_and_bookmarks_point_at_the_headings(
    reports: dict[str, Path], lang: str, sample: AuditReportData
) -> None:
    path = reports[lang]
    pages = poppler.pages_text(path, layout=True)
    entries = [m.groups() for line in pages[1].splitlines() if (m := CONTENTS_LINE.match(line))]
    titles = [title.strip() for title, _ in entries]
    assert [t for t in titles if not re.match(r"\d+\.\d", t)] == SECTIONS[lang]
    assert len(titles) == len(SECTIONS[lang]) + len(sample.domains)
    for title, page in entries:
        assert _flat(title) in _flat(pages[int(page) - 1]), (title, page)

    document = pdfium.PdfDocument(str(path))
    try:
        outline = [
            (item.level, item.get_title(), item.get_dest().get_index())
            for item in document.get_toc()
        ]
    finally:
        document.close()
    assert [title for _, title, _ in outline] == titles
    assert [index + 1 for _, _, index in outline] == [int(page) for _, page in entries]
    assert {level for level, _, _ in outline} == {0, 1}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_has_its_number_the_total_the_id_and_the_label(
    reports: dict[str, Path], lang: str
) -> None:
    path = reports[lang]
    pages = poppler.pages_text(path, layout=True)
    total = poppler.page_count(path)
    assert len(pages) == total
    label = "社外秘" if lang == "ja" else "Confidential"
    for number, text in enumerate(pages, start=1):
        found = FOOTER[lang].findall(text)
        assert found == [(str(number), str(total))], (number, found)
        assert "IA-2026-007" in text
        assert label in text


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_scores_are_printed_as_computed(
    reports: dict[str, Path], lang: str, sample: AuditReportData
) -> None:
    pages = poppler.pages_text(reports[lang])
    summary = pages[2]
    assert fmt_score(sample.score.overall_score) in summary
    assert fmt_percent(sample.score.overall_coverage) in summary
    level = sample.score.overall_level
    assert (f"レベル {level}" if lang == "ja" else f"Level {level}") in summary
    results = "\n".join(pages[4:8])
    for domain in sample.score.domains.values():
        assert fmt_score(domain.score) in results, domain.domain_id
    everything = "\n".join(pages)
    for control in sample.controls:
        assert control.control_id in everything
    for finding in sample.findings:
        assert finding.ref in everything


def test_fonts_are_embedded(reports: dict[str, Path]) -> None:
    for path in reports.values():
        fonts = poppler.fonts(path)
        assert fonts, "no fonts at all"
        assert all(f.embedded for f in fonts), fonts  # no unembedded Helvetica either
        assert all("IPAexGothic" in f.name for f in fonts), fonts


def test_japanese_text_is_extractable(reports: dict[str, Path], sample: AuditReportData) -> None:
    text = "".join(poppler.pages_text(reports["ja"]))
    assert "株式会社みなと精機" in text
    assert "内部監査報告書" in text
    assert _flat(sample.conclusion) in _flat(text)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_no_text_leaves_the_page_and_no_page_is_empty(reports: dict[str, Path], lang: str) -> None:
    for page in poppler.word_boxes(reports[lang]):
        for word in page.words:
            # the frame is 45 pt from each edge; a Japanese full stop may hang past it
            where = (word.page, word.text)
            assert word.x_min >= 40, where
            assert word.x_max <= page.width - 35, where
            assert word.y_min >= 20, where
            assert word.y_max <= page.height - 20, where
        # more than the running header and footer
        assert len(page.words) > 12, f"page {page.words[0].page if page.words else '?'} is empty"


def test_pages_render_to_png_for_review(reports: dict[str, Path]) -> None:
    shots = poppler.render_png(reports["ja"], "audit-ja", 1, 6)
    shots += poppler.render_png(reports["en"], "audit-en", 3, 3)
    assert len(shots) == 7
    for shot in shots:
        with Image.open(shot) as image:
            assert image.width > 400
            # a page with content is not uniformly white
            assert ImageStat.Stat(image.convert("L")).stddev[0] > 10, shot


def test_hostile_strings_print_literally(tmp_path: Path) -> None:
    data = sample_audit(hostile=True)
    path = poppler.write(build_audit_report(data, "en"), tmp_path / "hostile.pdf")
    text = _flat("\n".join(poppler.pages_text(path)))
    markup = _flat(HOSTILE_MARKUP)
    # title (cover, header), statement, control note, evidence file name, conclusion
    assert text.count(markup) >= 5
    assert _flat("<script>alert(1)</script>") in text
    assert text.count("END_OF_RUN") >= 3  # statement, note, conclusion: all 5,000 characters
    assert "not been confirmed" in text.replace("\n", " ") or "notbeenconfirmed" in text
    for page in poppler.word_boxes(path):
        for word in page.words:
            assert word.x_max <= page.width - 40, (word.page, word.text)
    poppler.render_png(path, "audit-hostile-en", 7, 8)


def test_contractor_review_report_shows_the_register_on_page_one(tmp_path: Path) -> None:
    path = poppler.write(
        build_audit_report(sample_audit(contractor=True), "ja"), tmp_path / "contractor.pdf"
    )
    first = poppler.pages_text(path)[0]
    for expected in ("委託先監査報告書", "株式会社データ物流サービス", "ベトナム", "PrivacyMark"):
        assert expected in first


def test_a_small_audit_without_trend_findings_or_evidence(tmp_path: Path) -> None:
    data = sample_audit(controls=7, findings=0, evidence=0, corrective_actions=0)
    data = replace(
        data,
        previous_label=None,
        previous_overall=None,
        previous_domain_scores={},
        domains=data.domains[:2],
    )
    path = poppler.write(build_audit_report(data, "en"), tmp_path / "small.pdf")
    text = " ".join(" ".join(poppler.pages_text(path)).split())
    assert "no earlier audit of this scope" in text
    assert "A radar chart needs three or more scored domains" in text
    assert "No findings were raised in this audit." in text
    assert "No evidence was recorded." in text
    assert "There are no corrective actions from earlier audits to verify." in text


def test_progress_is_reported_up_to_one() -> None:
    seen: list[float] = []
    build_audit_report(sample_audit(controls=14, findings=3, evidence=5), "en", seen.append)
    assert seen
    assert seen == sorted(seen)
    assert seen[-1] == pytest.approx(1.0)


def test_unknown_language_is_refused(sample: AuditReportData) -> None:
    with pytest.raises(ValueError, match="lang"):
        build_audit_report(sample, "fr")


@pytest.mark.slow
def test_a_150_control_200_finding_3000_evidence_report(tmp_path: Path) -> None:
    data = sample_audit(controls=150, findings=200, evidence=3000)
    path = poppler.write(build_audit_report(data, "ja"), tmp_path / "big.pdf")
    pages = poppler.pages_text(path, layout=True)
    total = poppler.page_count(path)
    assert total == len(pages) > 100
    for number, text in enumerate(pages, start=1):
        assert FOOTER["ja"].findall(text) == [(str(number), str(total))], number
    start = next(i for i, p in enumerate(pages) if "8. 証跡一覧" in p and i > 1)
    end = next(i for i, p in enumerate(pages) if "9. 結論" in p and i > 1)
    evidence_pages = pages[start:end]
    assert len(evidence_pages) > 50
    everything = "\n".join(evidence_pages)
    for item in data.evidence:
        assert short_hash(item.sha256) in everything
    # the header row repeats on every page of the index
    assert [p.count("ファイル名") for p in evidence_pages] == [1] * len(evidence_pages)
    findings_text = "\n".join(pages)
    assert all(f.ref in findings_text for f in data.findings)
    poppler.render_png(path, "audit-big-ja", total - 3, total)
