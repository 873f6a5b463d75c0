"""Self-inspection in a real browser: an auditor plans a campaign, the auditee answers a
control in the data editor and saves, and the scores page draws its radar."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.conftest import DemoData
from tests.e2e.conftest import settle, shot, sign_in
from ui.assessments import ID_WIDTH, KEY_WIDTH, LEVEL_WIDTH, TITLE_WIDTH
from ui.i18n import strings

pytestmark = pytest.mark.e2e

FIRST_LEVEL_X = ID_WIDTH + KEY_WIDTH + TITLE_WIDTH  # where "documented" starts in the editor
ROW_HEIGHT = 35


def _full_shot(page: Page, name: str) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main area, so make the
    window as tall as that content first."""
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 1280, "height": max(800, int(height))})
    settle(page)
    page.wait_for_selector("[data-testid=stSkeleton]", state="detached")
    shot(page, name)
    page.set_viewport_size({"width": 1280, "height": 800})


def _no_exception(page: Page) -> None:
    assert page.locator("[data-testid=stException]").count() == 0


def _choose(page: Page, label: str, search: str, option: str, *, multi: bool = False) -> None:
    """Pick ``option`` in the Streamlit selectbox or multiselect labelled ``label``: typing
    opens its list filtered to ``search``. A rerun landing mid-typing can swallow the keys,
    so the typing is retried (a bounded wait for the option, not a sleep)."""
    box = page.get_by_label(label, exact=True)
    choice = page.get_by_role("option", name=option).first
    for attempt in range(3):
        box.click()
        box.fill("")
        box.press_sequentially(search)
        try:
            expect(choice).to_be_visible(timeout=3000)
            break
        except AssertionError:
            if attempt == 2:
                raise
    choice.click()
    if multi:  # a multiselect keeps its list open (Escape would clear a selectbox)
        box.press("Escape")
    expect(page.get_by_role("option")).to_have_count(0)


def _type_in_cell(page: Page, grid: Locator, row: int, column_x: float, text: str) -> None:
    """Open a cell's editor (double click: the grid is a canvas), type, and commit."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.dblclick(box["x"] + column_x, box["y"] + ROW_HEIGHT * (row + 1) + ROW_HEIGHT / 2)
    editor = page.locator("input.gdg-input, textarea.gdg-input")
    expect(editor).to_be_visible()
    editor.fill(text)
    editor.press("Enter")
    expect(editor).to_have_count(0)


def test_plan_answer_and_score(server: str, page: Page, e2e_demo: DemoData) -> None:
    en, ja = strings("en"), strings("ja")
    title = "E2E self-inspection CSC"

    # The auditor plans a campaign for the Customer Support Centre.
    sign_in(page, server, e2e_demo, "auditor", path="/assessments", lang="en")
    expect(page.get_by_role("heading", name=en["assessments.title"])).to_be_visible()
    page.get_by_text(en["assessments.new.title"], exact=True).click()
    page.get_by_label(en["assessments.new.name"]).fill(title)
    _choose(page, en["assessments.new.scope"], "CSC", "CSC · Customer Support Centre")
    _choose(page, en["assessments.new.auditees"], "okamoto", "岡本 さくら (s.okamoto)", multi=True)
    page.get_by_role("button", name=en["assessments.new.submit"]).click()
    settle(page)
    expect(page.get_by_text(en["assessments.new.created"].format(title=title))).to_be_visible()
    _no_exception(page)
    _full_shot(page, "assessments-created-en")
    assessment_id = parse_qs(urlparse(page.url).query)["id"][0]

    # The auditee answers POL-01 (documented 3, implemented 2) in Japanese and saves.
    page.goto(f"{server}/auth/logout")
    sign_in(page, server, e2e_demo, "auditee", path=f"/workspace?id={assessment_id}", lang="ja")
    expect(page.get_by_role("heading", name=ja["workspace.title"])).to_be_visible()
    grid = page.locator("[class*='st-key-answers-POL-'] [data-testid=stDataFrame]").first
    expect(grid).to_be_visible()
    _type_in_cell(page, grid, 0, FIRST_LEVEL_X + LEVEL_WIDTH / 2, "3")
    _type_in_cell(page, grid, 0, FIRST_LEVEL_X + LEVEL_WIDTH * 1.5, "2")
    discard = page.get_by_role("button", name=ja["workspace.discard"]).first
    expect(discard).to_be_enabled()  # the edits reached the server
    settle(page)
    _full_shot(page, "workspace-editing-ja")
    page.get_by_role("button", name=ja["workspace.save"]).first.click()
    settle(page)
    expect(page.get_by_text(ja["workspace.saved"].format(count=1, domain="POL"))).to_be_visible()
    grid = page.locator("[class*='st-key-answers-POL-'] [data-testid=stDataFrame]").first
    # The grid's accessible cells (columns: ID, key, title, documented, implemented).
    expect(grid.locator("[data-testid=glide-cell-3-0]")).to_have_text("3")
    expect(grid.locator("[data-testid=glide-cell-4-0]")).to_have_text("2")
    expect(page.get_by_role("tab", name="POL (1/2)")).to_be_visible()
    _no_exception(page)
    _full_shot(page, "workspace-saved-ja")

    # The scores page draws the radar and the results chart, with their tables.
    page.goto(f"{server}/scores?id={assessment_id}&lang=ja")
    settle(page)
    expect(page.get_by_role("heading", name=ja["scores.title"])).to_be_visible()
    expect(page.locator(".js-plotly-plot")).to_have_count(2)  # radar and result bars
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    expect(page.get_by_text(ja["scores.overall"])).to_be_visible()
    page.get_by_text(ja["scores.how"]).click()
    expect(page.get_by_text("10 × (D + I)").first).to_be_visible()
    _no_exception(page)
    _full_shot(page, "scores-ja")

    page.goto(f"{server}/scores?id={assessment_id}&lang=en")
    settle(page)
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    _no_exception(page)
    _full_shot(page, "scores-en")
