"""The Reports page builds each document and offers it for download."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from assessments import service as assessments
from storage.migrate import open_shared
from tests.conftest import OPERATOR, DemoData
from ui.i18n import strings

EN = strings("en")


def _downloads(at: AppTest) -> list[str]:
    return [str(getattr(b, "label", "")) for b in at.get("download_button")]


def test_executive_builds_audit_and_portfolio_reports(
    make_app: Callable[..., AppTest], demo_data: DemoData
) -> None:
    db = open_shared(demo_data.db_path)
    closed = assessments.list_assessments(db, OPERATOR, status="closed", scope="HRD")[0]
    at = make_app("en", "executive")
    at.session_state["assessment_id"] = closed.id
    at.switch_page("pages/reports.py")
    at.run()
    assert not at.exception, at.exception
    assert _downloads(at) == []
    at.button(key="r_build").click().run()
    assert not at.exception, at.exception
    labels = _downloads(at)
    assert any(x.endswith("-en.pdf") and "audit-report-HRD" in x for x in labels), (
        labels,
        [e.value for e in at.error],
    )
    at.radio(key="p_lang").set_value("ja")
    at.button(key="p_build").click().run()
    assert not at.exception, at.exception
    assert any(
        "portfolio-report" in label and label.endswith("-ja.pdf") for label in _downloads(at)
    )


def test_announcement_text_is_shown_for_editing(
    make_app: Callable[..., AppTest], demo_data: DemoData
) -> None:
    at = make_app("ja", "auditor")
    at.switch_page("pages/reports.py")
    at.run()
    at.button(key="n_build").click().run()
    assert not at.exception, at.exception
    text = at.text_area[0].value or ""
    assert text.startswith("# ")
    assert "組織的安全管理措置" in text
