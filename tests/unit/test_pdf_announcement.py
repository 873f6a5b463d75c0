"""The Art. 32 public announcement: every heading, review flags, countries, Markdown and PDF."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from reports.pdf.announcement import announcement_markdown, build_announcement_pdf, md_escape
from reports.pdf.model import AnnouncedMeasure, AnnouncementData, Bilingual
from tests.fixtures.pdf import poppler
from tests.fixtures.pdf.sample_data import sample_announcement

HEADINGS = {
    "ja": [
        "## 基本方針の策定",
        "## 個人データの取扱いに係る規律の整備",
        "## 組織的安全管理措置",
        "### (1) 組織体制の整備",
        "### (2) 規律に従った運用",
        "### (3) 取扱状況を確認する手段の整備",
        "### (4) 漏えい等事案に対応する体制の整備",
        "### (5) 取扱状況の把握及び安全管理措置の見直し",
        "## 人的安全管理措置",
        "## 物理的安全管理措置",
        "### (1) 個人データを取り扱う区域の管理",
        "### (2) 機器及び電子媒体等の盗難等の防止",
        "### (3) 電子媒体等を持ち運ぶ場合の漏えい等の防止",
        "### (4) 個人データの削除及び機器、電子媒体等の廃棄",
        "## 技術的安全管理措置",
        "### (1) アクセス制御",
        "### (2) アクセス者の識別と認証",
        "### (3) 外部からの不正アクセス等の防止",
        "### (4) 情報システムの使用に伴う漏えい等の防止",
        "## 委託先の監督",
        "## 外的環境の把握",
    ],
    "en": [
        "## Basic policy",
        "## Internal rules for handling personal data",
        "## Organizational security control measures",
        "### (1) Organizational structure",
        "### (5) Review of handling and of the measures",
        "## Human security control measures",
        "## Physical security control measures",
        "### (4) Deletion of data and disposal of equipment and media",
        "## Technological security control measures",
        "### (4) Prevention of leaks through the use of information systems",
        "## Supervision of contractors",
        "## Understanding the external environment",
    ],
}


@pytest.fixture(scope="module")
def data() -> AnnouncementData:
    return sample_announcement()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_markdown_has_every_heading_in_order(data: AnnouncementData, lang: str) -> None:
    text = announcement_markdown(data, lang)
    lines = text.splitlines()
    positions = [lines.index(h) for h in HEADINGS[lang]]
    assert positions == sorted(positions)
    assert lines[0].startswith("# ")
    assert ("第32条" if lang == "ja" else "Article 32") in text


def test_measures_not_in_place_are_flagged_for_review(data: AnnouncementData) -> None:
    text = announcement_markdown(data, "ja")
    flagged = [line for line in text.splitlines() if line.startswith("> **要確認")]
    assert len(flagged) == 1
    assert "ORG-03" in flagged[0]
    clean = announcement_markdown(sample_announcement(all_in_place=True), "ja")
    assert "要確認" not in clean
    missing = replace(data, measures=tuple(m for m in data.measures if m.area != "physical"))
    flagged_en = announcement_markdown(missing, "en")
    assert flagged_en.count("> **Review:") == 1 + 4
    assert flagged_en.count("no control of the latest audit covers this measure") == 4


def test_lines_from_controls_replace_the_standard_wording(data: AnnouncementData) -> None:
    text = announcement_markdown(data, "en")
    assert "All staff take personal-information training at least once a year" in text
    assert "Staff receive regular training" not in text  # the standard human-measures line


def test_countries_are_named(data: AnnouncementData) -> None:
    assert "アメリカ合衆国、シンガポール" in announcement_markdown(data, "ja")
    assert "United States of America, Singapore" in announcement_markdown(data, "en")
    none = announcement_markdown(replace(data, countries=()), "en")
    assert "do not currently handle personal data in any foreign country" in none


def test_markdown_escapes_what_would_change_the_rendering() -> None:
    assert md_escape("*bold* _x_ <b>&</b> [link](http://x)") == (
        r"\*bold\* \_x\_ \<b\>&\</b\> \[link\](http://x)"
    )
    assert md_escape("# not a heading") == r"\# not a heading"
    assert md_escape("1. not a list") == r"1\. not a list"
    hostile = AnnouncedMeasure("human", lines=(Bilingual("<script>", "<script>"),))
    text = announcement_markdown(
        AnnouncementData(Bilingual("A*B", "A*B"), sample_announcement().as_of, (hostile,)), "en"
    )
    assert r"\<script\>" in text
    assert r"A\*B" in text


def test_unknown_items_are_refused() -> None:
    with pytest.raises(ValueError, match="item"):
        AnnouncedMeasure("physical", 5)
    with pytest.raises(ValueError, match="area"):
        AnnouncedMeasure("finance", None)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_pdf_has_the_same_headings_and_embeds_fonts(
    data: AnnouncementData, lang: str, tmp_path: Path
) -> None:
    path = poppler.write(build_announcement_pdf(data, lang), tmp_path / f"ann-{lang}.pdf")
    text = re.sub(r"\s+", "", "".join(poppler.pages_text(path)))
    for heading in HEADINGS[lang]:
        assert re.sub(r"\s+", "", heading.lstrip("# ")) in text, heading
    fonts = poppler.fonts(path)
    assert all(f.embedded for f in fonts)
    assert any("IPAexGothic" in f.name for f in fonts)
    pages = poppler.pages_text(path, layout=True)
    pattern = r"(\d+) / (\d+) ページ" if lang == "ja" else r"page (\d+) of (\d+)"
    for number, page in enumerate(pages, start=1):
        assert re.findall(pattern, page) == [(str(number), str(len(pages)))]
    poppler.render_png(path, f"announcement-{lang}", 1, len(pages))
