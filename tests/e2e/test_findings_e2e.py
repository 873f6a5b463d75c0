"""A finding's life in a real browser: the auditor raises it while reviewing, the owner records
the root cause and corrective action, the auditor verifies it with evidence and closes it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import DemoData
from tests.e2e.conftest import settle, shot, sign_in
from tests.e2e.test_assessment_e2e import _choose, _full_shot, _no_exception
from ui.i18n import strings

pytestmark = pytest.mark.e2e

CURRENT_CSC = "FY2026 H2 self-inspection / 2026年度下期 自己点検 (CSC)"
STATEMENT = "漏えい時の報告手順が2023年版のまま更新されていない"


def test_raise_respond_verify_close(
    server: str, page: Page, browser: Browser, e2e_demo: DemoData
) -> None:
    en = strings("en")

    # The auditor raises a minor nonconformity on ORG-04 while reviewing the CSC audit.
    sign_in(page, server, e2e_demo, "auditor", path="/review", lang="en")
    _choose(page, en["assess.pick"], "FY2026 H2", CURRENT_CSC)
    settle(page)
    page.get_by_text(en["finding.raise.title"], exact=True).click()
    _choose(page, en["finding.col.control"], "ORG-04", "ORG-04 · Leak incident response")
    _choose(page, en["finding.col.grade"], "Minor", en["finding.grade.minor"])
    page.get_by_label(en["finding.col.statement"]).fill(STATEMENT)
    _choose(page, en["finding.col.owner"], "okamoto", "岡本 さくら (s.okamoto)")
    page.get_by_role("button", name=en["finding.raise.submit"]).click()
    settle(page)
    done = page.get_by_text(re.compile(r"Raised F-\d{4}-\d{4}\."))
    expect(done).to_be_visible()
    ref = re.search(r"F-\d{4}-\d{4}", done.inner_text())
    assert ref is not None
    ref_text = ref.group(0)
    _no_exception(page)
    shot(page, "finding-raised")

    # The owner answers on "My actions".
    owner_context = browser.new_context(viewport={"width": 1280, "height": 900})
    owner = owner_context.new_page()
    sign_in(owner, server, e2e_demo, "auditee", path="/my_actions", lang="en")
    item = owner.locator("[data-testid=stExpander]").filter(has_text=ref_text)
    item = item.first  # its own History expander sits inside it
    item.locator("summary").first.click()
    item.get_by_label(en["finding.root_cause"]).fill("手順書の改訂担当が決まっていなかった")
    item.get_by_label(en["finding.corrective_action"]).fill("改訂担当を置き、年1回見直す")
    item.get_by_text(en["finding.respond.done"]).click()
    item.get_by_role("button", name=en["finding.respond.submit"]).click()
    settle(owner)
    expect(owner.get_by_text(en["finding.respond.saved"].format(ref=ref_text))).to_be_visible()
    _no_exception(owner)
    owner_context.close()

    # The auditor verifies it with evidence and closes it.
    page.goto(f"{server}/findings?ref={ref_text}&lang=en")
    settle(page)
    expect(
        page.get_by_role("heading", name=f"{ref_text} · {en['finding.grade.minor']}")
    ).to_be_visible()
    page.get_by_label(en["finding.verify.note"]).fill("改訂版の手順書と周知記録を確認した")
    _choose(
        page,
        en["finding.verify.evidence"],
        "POL-02",
        "POL-02 · 個人データ取扱規程_2025改訂.pdf",
        multi=True,
    )
    page.get_by_role("button", name=en["finding.verify.submit"]).click()
    settle(page)
    expect(page.get_by_text(en["finding.verify.done"].format(ref=ref_text))).to_be_visible()
    page.get_by_role("button", name=en["finding.close.submit"]).click()
    settle(page)
    expect(page.get_by_text(en["finding.close.done"].format(ref=ref_text))).to_be_visible()
    expect(
        page.get_by_text(f"{en['finding.col.status']}: {en['finding.status.closed']}")
    ).to_be_visible()
    _no_exception(page)
    _full_shot(page, "finding-closed")
