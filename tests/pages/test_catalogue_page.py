"""The Home and Catalogue pages in both languages (AppTest)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from controls import service
from storage.migrate import open_shared
from tests.conftest import OPERATOR
from ui.i18n import strings


def _catalogue(make_app: Callable[..., AppTest], lang: str) -> AppTest:
    at = make_app(lang)
    at.run()
    at.switch_page("pages/catalogue.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _caption_texts(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


@pytest.fixture(scope="module")
def appi_counts(demo_data_dir: Path) -> dict[str, int]:
    db = open_shared(demo_data_dir / "kansa.duckdb")
    latest = service.latest_catalogues(db, OPERATOR)
    cat = next(c for c in latest if c.urn.endswith("appi-security-measures"))
    rows = service.search_controls(db, OPERATOR, cat.id)
    return {
        "all": len(rows),
        "key": sum(r.is_key for r in rows),
        "TEC": sum(r.domain_id == "TEC" for r in rows),
    }


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_home_says_what_kansa_is(make_app: Callable[..., AppTest], lang: str) -> None:
    at = make_app(lang)
    at.run()
    assert not at.exception
    assert at.title[0].value == strings(lang)["app.title"]
    assert any(strings(lang)["home.demo_notice"] in i.value for i in at.info)
    labels = [m.label for m in at.metric]
    assert strings(lang)["home.org_units"] in labels


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_catalogue_page_renders_in_language(
    make_app: Callable[..., AppTest], lang: str, appi_counts: dict[str, int]
) -> None:
    at = _catalogue(make_app, lang)
    s = strings(lang)
    assert at.title[0].value == s["catalogue.title"]
    assert at.selectbox(key="catalogue_id").value is not None
    results = s["catalogue.results"].format(shown=appi_counts["all"], total=appi_counts["all"])
    assert results in _caption_texts(at)
    table = at.dataframe[0].value
    assert list(table.columns)[:3] == [
        s["catalogue.col.id"],
        s["catalogue.col.key"],
        s["catalogue.col.title"],
    ]
    assert len(table) == appi_counts["all"]
    # The detail of the first control shows its requirement heading in the same language.
    assert any(s["catalogue.detail.requirement"] in m.value for m in at.markdown)


def test_titles_follow_the_language(make_app: Callable[..., AppTest]) -> None:
    ja = _catalogue(make_app, "ja").dataframe[0].value
    en = _catalogue(make_app, "en").dataframe[0].value
    assert ja.iloc[0, 0] == en.iloc[0, 0] == "POL-01"
    assert ja.iloc[0, 2] != en.iloc[0, 2]
    assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in ja.iloc[0, 2])
    assert ja.iloc[0, 2].isascii() is False
    assert en.iloc[0, 2].isascii()


@pytest.mark.parametrize(
    ("query", "expect_id"), [("暗号化", "TEC-04"), ("ENCRYPT", "TEC-04"), ("10-3(3)", "ORG-03")]
)
def test_search_filters_in_both_languages(
    make_app: Callable[..., AppTest], query: str, expect_id: str, appi_counts: dict[str, int]
) -> None:
    at = _catalogue(make_app, "en")
    at.text_input(key="catalogue_query").input(query).run()
    assert not at.exception
    ids = list(at.dataframe[0].value["ID"])
    assert expect_id in ids
    assert 0 < len(ids) < appi_counts["all"]


def test_key_only_and_domain_filters(
    make_app: Callable[..., AppTest], appi_counts: dict[str, int]
) -> None:
    at = _catalogue(make_app, "en")
    at.toggle(key="catalogue_key_only").set_value(True).run()
    assert len(at.dataframe[0].value) == appi_counts["key"]
    at.toggle(key="catalogue_key_only").set_value(False).run()
    domains = next(m for m in at.multiselect if m.key and m.key.startswith("catalogue_domains_"))
    domains.set_value(["TEC"]).run()
    ids = list(at.dataframe[0].value["ID"])
    assert len(ids) == appi_counts["TEC"]
    assert all(i.startswith("TEC-") for i in ids)


def test_nothing_found_says_so(make_app: Callable[..., AppTest]) -> None:
    at = _catalogue(make_app, "ja")
    at.text_input(key="catalogue_query").input("%' OR 1=1 -- zzz").run()
    assert not at.exception
    assert strings("ja")["catalogue.no_results"] in [i.value for i in at.info]
    assert len(at.dataframe) == 0


def test_control_detail_shows_every_part(make_app: Callable[..., AppTest]) -> None:
    at = _catalogue(make_app, "en")
    select = next(s for s in at.selectbox if s.key and s.key.startswith("catalogue_control_"))
    select.set_value("ORG-03").run()
    text = "\n".join(m.value for m in at.markdown)
    s = strings("en")
    for key in ("requirement", "guidance", "evidence_hints", "refs"):
        assert s[f"catalogue.detail.{key}"] in text
    assert "10\\-3\\(3\\)" in text  # escaped ref in the references list
    assert s["catalogue.detail.small_business"] in text
    assert any(s["catalogue.detail.key"] in m.value for m in at.markdown)


def test_crosswalk_tab_lists_guideline_and_annex_a(
    make_app: Callable[..., AppTest], appi_counts: dict[str, int]
) -> None:
    at = _catalogue(make_app, "en")
    crosswalk = at.dataframe[1].value
    s = strings("en")
    assert list(crosswalk.columns) == [
        s["catalogue.col.id"],
        s["catalogue.col.title"],
        s["catalogue.col.guideline"],
        s["catalogue.col.annex_a"],
    ]
    row = crosswalk[crosswalk[s["catalogue.col.id"]] == "ORG-03"].iloc[0]
    assert row[s["catalogue.col.guideline"]] == "10-3(3)"
    assert row[s["catalogue.col.annex_a"]] == "5.9, 5.12, 5.34"
    assert len(crosswalk) == appi_counts["all"]
