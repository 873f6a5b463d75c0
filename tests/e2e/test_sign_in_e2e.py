"""Sign-in in a real browser: each role sees exactly its pages; forbidden URLs say so."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import DemoData
from tests.e2e.conftest import settle, shot, sign_in
from ui.i18n import strings

pytestmark = pytest.mark.e2e

EN = strings("en")
ALL_PAGES = ("nav.home", "nav.catalogue", "nav.users", "nav.audit_trail")
ROLE_PAGES = {
    "admin": {"nav.home", "nav.catalogue", "nav.users", "nav.audit_trail"},
    "auditor": {"nav.home", "nav.catalogue", "nav.audit_trail"},
    "supervisor": {"nav.home", "nav.catalogue"},
    "auditee": {"nav.home", "nav.catalogue"},
    "executive": {"nav.home", "nav.catalogue"},
}


@pytest.mark.parametrize("role", sorted(ROLE_PAGES))
def test_role_sees_exactly_its_pages(
    server: str, page: Page, e2e_demo: DemoData, role: str
) -> None:
    sign_in(page, server, e2e_demo, role)
    sidebar = page.locator("[data-testid=stSidebar]")
    expect(sidebar.get_by_text(EN["auth.sign_out"])).to_be_visible()
    for key in ALL_PAGES:
        link = sidebar.get_by_role("link", name=EN[key], exact=True)
        expect(link).to_have_count(1 if key in ROLE_PAGES[role] else 0)
    assert page.locator("[data-testid=stException]").count() == 0
    shot(page, f"home-{role}")


@pytest.mark.parametrize(
    ("role", "path"),
    [("auditee", "/users"), ("executive", "/audit_trail"), ("supervisor", "/users")],
)
def test_forbidden_url_says_not_permitted(
    server: str, page: Page, e2e_demo: DemoData, role: str, path: str
) -> None:
    sign_in(page, server, e2e_demo, role)
    page.goto(f"{server}{path}?lang=en")
    settle(page)
    expect(page.get_by_text("Not permitted", exact=False)).to_be_visible()
    expect(page.locator("[data-testid=stDataFrame]")).to_have_count(0)
    shot(page, f"forbidden-{role}{path.replace('/', '-')}")


def test_signed_out_visitor_is_sent_to_the_form_and_back(
    server: str, page: Page, e2e_demo: DemoData
) -> None:
    page.goto(f"{server}/catalogue?lang=en")
    page.wait_for_selector("form[action^='/auth/login']")
    assert "/auth/login" in page.url
    shot(page, "sign-in-form-en")
    page.fill("#username", e2e_demo.users["auditor"])
    page.fill("#password", "not-the-password-at-all")
    page.click("button[type=submit]")
    expect(page.locator(".error")).to_have_text(EN["auth.refused"])
    page.fill("#password", e2e_demo.password)
    page.click("button[type=submit]")
    settle(page)
    expect(page.get_by_role("heading", name=EN["catalogue.title"])).to_be_visible()
    assert page.url.startswith(f"{server}/catalogue")
    cookie = next(c for c in page.context.cookies() if c["name"] == "kansa_session")
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"

    page.locator("[data-testid=stSidebar]").get_by_text(EN["auth.sign_out"]).click()
    page.wait_for_selector("form[action^='/auth/login']")
    page.goto(f"{server}/catalogue?lang=en")
    page.wait_for_selector("form[action^='/auth/login']")  # the old session is gone


def test_admin_adds_a_user_and_the_password_is_shown_once(
    server: str, page: Page, e2e_demo: DemoData
) -> None:
    sign_in(page, server, e2e_demo, "admin", path="/users")
    expect(page.get_by_role("heading", name=EN["users.title"], exact=True)).to_be_visible()
    form = page.locator("[data-testid=stForm]")
    form.get_by_label(EN["users.add.username"], exact=True).fill("k.tanaka")
    form.get_by_label(EN["users.add.display_name"], exact=True).fill("田中 健（テスト）")
    form.get_by_role("button", name=EN["users.add.submit"]).click()
    expect(page.get_by_text("Added k.tanaka")).to_be_visible()
    password = page.locator("[data-testid=stCode] code").inner_text().strip()
    assert len(password) >= 12
    shot(page, "users-added")
    expect(page.locator("[data-testid=stDataFrame]")).to_contain_text("k.tanaka")
    page.reload()
    settle(page)
    expect(page.locator("[data-testid=stCode]")).to_have_count(0)  # shown only once
