"""Contractor supervision in a real browser: a supervisor registers a contractor, downloads its
questionnaire, the contractor fills it in (openpyxl, choosing answers from each cell's list),
the supervisor imports it and completes the review, and sees the score and the tier. Then the
world map of where personal data sits."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.conftest import DemoData
from tests.e2e.conftest import settle, sign_in
from tests.e2e.test_assessment_e2e import _choose, _full_shot, _no_exception
from ui.i18n import strings

pytestmark = pytest.mark.e2e

NAME = "株式会社あおば顧客サポート"


def _allowed(wb: Any, ws: Any, cell: Any) -> list[str] | None:
    """The values the answer cell's drop-down list offers (None: the cell has no list)."""
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list" and cell.coordinate in dv.sqref:
            sheet, _, area = dv.formula1.lstrip("=").partition("!")
            return [str(c.value) for row in wb[sheet][area.replace("$", "")] for c in row]
    return None


def _fill_as_contractor(data: bytes) -> bytes:
    """Answer every question: from the list where the cell has one, else a date or a sentence."""
    wb: Any = load_workbook(io.BytesIO(data))
    ws = wb.active  # the workbook opens on its questions sheet
    header = [c.value for c in ws[1]]
    answer_col = header.index("answer / 回答") + 1
    for row in range(2, ws.max_row + 1):
        cell = ws.cell(row=row, column=answer_col)
        choices = _allowed(wb, ws, cell)
        kind = str(ws.cell(row=row, column=4).value)
        if choices:
            # maturity: "3: defined, mostly followed"; yes/no: "yes" (N/A would need a reason)
            cell.value = choices[3] if len(choices) > 4 else choices[0]
        elif "date" in kind:
            cell.value = "2027-03-31"
        else:
            cell.value = "委託元の指示に従い、国内のデータセンターでのみ保管しています。"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _register(page: Page) -> str:
    """Register the contractor through the form; its code."""
    en = strings("en")
    page.get_by_text(en["ctr.new.title"], exact=True).click()
    form = page.locator("[data-testid=stForm]").filter(has_text=en["ctr.new.submit"])
    form.get_by_label(en["ctr.field.name"], exact=True).fill(NAME)
    form.get_by_label(en["ctr.field.name_en"], exact=True).fill("Aoba Customer Support Co., Ltd.")
    form.get_by_label(en["ctr.field.services"], exact=True).fill("問合せ窓口の運営（電話・メール）")
    form.get_by_label(en["ctr.field.categories"], exact=True).fill("顧客の氏名・連絡先\n問合せ履歴")
    form.get_by_label(en["ctr.field.individuals"], exact=True).fill("60000")
    for label in ("security control measures", "confidentiality", "audit rights"):
        form.get_by_text(label, exact=True).click()
    form.get_by_role("button", name=en["ctr.new.submit"]).click()
    settle(page)
    done = page.get_by_text(re.compile(r"as CTR-\d{4}: risk tier"))
    expect(done).to_be_visible()
    found = re.search(r"CTR-\d{4}", done.inner_text())
    assert found is not None
    _no_exception(page)
    return found.group(0)


def test_register_send_import_and_complete_a_review(
    server: str, page: Page, e2e_demo: DemoData, tmp_path: Path
) -> None:
    en = strings("en")
    sign_in(page, server, e2e_demo, "supervisor", path="/contractors", lang="en")
    expect(page.get_by_role("heading", name=en["ctr.dash.title"])).to_be_visible()
    _no_exception(page)
    _full_shot(page, "contractors-dashboard")

    code = _register(page)

    # Its detail is open: download the questionnaire from the Reviews tab.
    expect(page.get_by_role("heading", name=f"{code} · Aoba")).to_be_visible()
    page.get_by_role("tab", name=en["ctr.tab.reviews"]).click()
    with page.expect_download() as info:
        page.get_by_role("button", name=en["ctr.q.download"]).click()
    download = info.value
    assert download.suggested_filename.startswith(f"questionnaire-{code}-")
    issued = download.path().read_bytes()

    # The contractor fills it in and sends it back; the supervisor imports it.
    filled = tmp_path / "回答済み質問票.xlsx"
    filled.write_bytes(_fill_as_contractor(issued))
    page.locator("[data-testid=stFileUploader] input[type=file]").first.set_input_files(str(filled))
    importer = page.get_by_role("button", name=en["ctr.q.import"])
    settle(page)
    expect(importer).to_be_enabled()
    settle(page)
    importer.click()
    settle(page)
    expect(page.get_by_text(re.compile(r"Imported 28 answers from"))).to_be_visible()
    page.get_by_role("tab", name=en["ctr.tab.reviews"]).click()
    expect(
        page.get_by_text(en["ctr.review.progress"].format(answered=28, total=28))
    ).to_be_visible()

    # Completing the review scores it and sets the tier and next review date.
    page.get_by_role("button", name=en["ctr.review.complete"]).click()
    settle(page)
    completed = page.get_by_text(re.compile(r"Review completed: score \d+\.\d, risk tier \w+"))
    expect(completed).to_be_visible()
    page.get_by_role("tab", name=en["ctr.tab.reviews"]).click()
    expect(
        page.get_by_role("link", name=re.compile("Scores of the review completed"))
    ).to_be_visible()
    _no_exception(page)
    _full_shot(page, "contractor-review-completed")
    page.get_by_role("tab", name=en["ctr.tab.data"]).click()
    expect(page.get_by_text(re.compile(r"Score of the last completed review: \d+"))).to_be_visible()
    _full_shot(page, "contractor-tier-explained")

    # The same contractor in Japanese, opened by its link.
    ja = strings("ja")
    page.goto(f"{server}/contractors?contractor={code}&lang=ja")
    settle(page)
    expect(page.get_by_role("heading", name=ja["ctr.detail.title"])).to_be_visible()
    expect(page.get_by_text("合計 6 点 → リスク区分「高」（点検周期 12 か月）")).to_be_visible()
    _no_exception(page)
    _full_shot(page, "contractor-detail-ja")


def test_where_personal_data_sits(server: str, page: Page, e2e_demo: DemoData) -> None:
    ja = strings("ja")
    sign_in(page, server, e2e_demo, "supervisor", path="/countries", lang="ja")
    expect(page.get_by_role("heading", name=ja["cty.title"])).to_be_visible()
    # The map draws its countries from the outline it carries (no network needed).
    expect(
        page.locator("[data-testid=stPlotlyChart] path.choroplethlocation").first
    ).to_be_attached(timeout=30_000)  # plotly.js loads on first use
    expect(page.get_by_text(re.compile(r"\d+か国の確認が古くなっています"))).to_be_visible()
    _choose(page, ja["cty.register.pick"], "VN", "ベトナム (VN)")
    settle(page)
    expect(page.get_by_text(ja["cty.seed.notice"])).to_be_visible()
    _no_exception(page)
    _full_shot(page, "countries-map")
