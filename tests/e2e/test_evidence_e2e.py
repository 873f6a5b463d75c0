"""Evidence in a real browser: the auditee uploads a real PDF to a control, sees it listed with
its first page rendered, and finds it on the Evidence page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from reportlab.pdfgen import canvas

from tests.conftest import DemoData
from tests.e2e.conftest import settle, shot, sign_in
from tests.e2e.test_assessment_e2e import _choose, _full_shot, _no_exception
from ui.i18n import strings

pytestmark = pytest.mark.e2e

CURRENT_CSC = "FY2026 H2 self-inspection / 2026年度下期 自己点検 (CSC)"


def _real_pdf(path: Path) -> Path:
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.setFont("Helvetica-Bold", 20)
    pdf.drawString(72, 760, "Access review, customer database")
    pdf.setFont("Helvetica", 12)
    for i in range(12):
        pdf.drawString(72, 720 - 18 * i, f"Account {i:02d}: still needed, confirmed by manager")
    pdf.showPage()
    pdf.drawString(72, 760, "Page two")
    pdf.save()
    path.write_bytes(out.getvalue())
    return path


def test_upload_a_pdf_and_preview_it(
    server: str, page: Page, e2e_demo: DemoData, tmp_path: Path
) -> None:
    en = strings("en")
    pdf = _real_pdf(tmp_path / "access-review-2026H2.pdf")
    sign_in(page, server, e2e_demo, "auditee", path="/workspace", lang="en")
    _choose(page, en["assess.pick"], "FY2026 H2", CURRENT_CSC)
    settle(page)
    _choose(
        page,
        en["workspace.evidence.control"],
        "TEC-01",
        "TEC-01 · Access control and least privilege",
    )
    settle(page)
    page.locator("[data-testid=stFileUploader] input[type=file]").first.set_input_files(str(pdf))
    # the uploader lists the file once its bytes are on the server (the name may be shortened)
    expect(page.get_by_role("button", name="Remove access-review-2026H2.pdf")).to_be_visible()
    page.get_by_label(en["evidence.upload.description"]).fill("Half-yearly access review")
    page.get_by_test_id("stBaseButton-primaryFormSubmit").click()
    settle(page)
    expect(page.get_by_text(en["evidence.upload.done"].format(count=1))).to_be_visible()

    # the card: the innermost block holding both the file's name and its preview switch
    card = (
        page.locator("[data-testid=stVerticalBlock]")
        .filter(has_text="access-review-2026H2.pdf")
        .filter(has=page.get_by_role("switch"))
        .last
    )
    expect(card.get_by_text("Half-yearly access review")).to_be_visible()
    card.get_by_text(en["evidence.preview"], exact=True).click()
    settle(page)
    preview = card.locator("[data-testid=stImage] img")
    expect(preview).to_be_visible()
    # the picture really is a rendered page: the browser decoded an image of the page's shape
    width, height = preview.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert width > 400
    assert 1.3 < height / width < 1.5  # A4 / Letter portrait
    _no_exception(page)
    _full_shot(page, "evidence-workspace-preview")

    page.goto(f"{server}/evidence?lang=en")
    settle(page)
    expect(page.get_by_role("heading", name=en["evidence.title"])).to_be_visible()
    expect(page.get_by_text(en["evidence.results"].split("{")[0]).first).to_be_visible()
    _no_exception(page)
    shot(page, "evidence-page")
