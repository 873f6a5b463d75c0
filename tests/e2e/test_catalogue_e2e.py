"""The Catalogue in a real browser: renders in both languages, search works, no exception."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import DemoData
from tests.e2e.conftest import settle, shot, sign_in
from ui.i18n import strings

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_catalogue_renders_without_exception(
    server: str, page: Page, e2e_demo: DemoData, lang: str
) -> None:
    s = strings(lang)
    sign_in(page, server, e2e_demo, "auditee", path="/catalogue", lang=lang)
    expect(page.get_by_role("heading", name=s["catalogue.title"])).to_be_visible()
    expect(page.locator("[data-testid=stDataFrame]").first).to_be_visible()
    expect(page.get_by_text(s["catalogue.detail.requirement"], exact=True)).to_be_visible()
    # Reached by URL, the page still runs inside app.py: its navigation is there.
    nav = page.locator("[data-testid=stSidebar]")
    expect(nav).to_contain_text(s["nav.group.library"])
    expect(nav.get_by_role("link", name=s["nav.home"], exact=True)).to_be_visible()
    assert page.locator("[data-testid=stException]").count() == 0
    shot(page, f"catalogue-{lang}")


def test_search_and_language_switch(server: str, page: Page, e2e_demo: DemoData) -> None:
    ja, en = strings("ja"), strings("en")
    sign_in(page, server, e2e_demo, "executive", path="/catalogue", lang="ja")
    counts = page.get_by_text("件中")
    expect(counts).to_have_count(1)
    before = counts.inner_text()
    box = page.get_by_label(ja["catalogue.filter.search"])
    box.fill("暗号化")
    box.press("Enter")
    expect(counts).not_to_have_text(before)
    settle(page)
    expect(page.locator("[data-testid=stDataFrame]").first).to_contain_text("TEC-04")
    shot(page, "catalogue-search-ja")

    page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    expect(page.get_by_role("heading", name=en["catalogue.title"])).to_be_visible()
    settle(page)
    expect(page).to_have_url(f"{server}/catalogue?lang=en")
    assert page.locator("[data-testid=stException]").count() == 0


def test_crosswalk_tab_offers_csv(server: str, page: Page, e2e_demo: DemoData) -> None:
    en = strings("en")
    sign_in(page, server, e2e_demo, "supervisor", path="/catalogue")
    page.get_by_role("tab", name=en["catalogue.tab.crosswalk"]).click()
    button = page.get_by_role("button", name=en["catalogue.crosswalk.download"])
    expect(button).to_be_visible()
    with page.expect_download() as info:
        button.click()
    download = info.value
    data = download.path().read_bytes()
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "control_id,domain,key,title,appi_guideline,iso27001_2022"
    assert "ORG-03,ORG,TRUE," in text
    assert download.suggested_filename.endswith("-en.csv")
    shot(page, "catalogue-crosswalk-en")
