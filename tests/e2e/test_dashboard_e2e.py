"""The dashboards in a real browser, in both languages: every chart draws, no exception."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.conftest import DemoData
from tests.e2e.conftest import settle, shot, sign_in
from tests.e2e.test_assessment_e2e import _full_shot, _no_exception
from ui.i18n import strings

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_dashboards_draw(server: str, page: Page, e2e_demo: DemoData, lang: str) -> None:
    s = strings(lang)
    sign_in(page, server, e2e_demo, "executive", path="/overview", lang=lang)
    # heatmap, weakest controls, findings, tiers, countries: five charts (two svgs each)
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 10")
    settle(page)
    assert page.get_by_role("heading", name=s["overview.title"]).is_visible()
    _no_exception(page)
    _full_shot(page, f"dashboard-overview-{lang}")
    page.goto(f"{server}/trend?lang={lang}")
    page.wait_for_selector(".js-plotly-plot .main-svg")
    settle(page)
    _no_exception(page)
    shot(page, f"dashboard-trend-{lang}")
