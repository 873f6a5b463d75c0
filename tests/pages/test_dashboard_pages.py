"""The dashboards render from the demo data in both languages, with the figures the service
gives (Plotly charts are opaque to AppTest: the tables and metrics beside them are checked)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from dashboards import service as dashboards
from dashboards.model import DashboardFilter
from storage.migrate import open_shared
from tests.conftest import OPERATOR, DemoData
from ui.i18n import strings


def _run(make_app: Callable[..., AppTest], lang: str, role: str, page: str) -> AppTest:
    at = make_app(lang, role)
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_overview(make_app: Callable[..., AppTest], demo_data: DemoData, lang: str) -> None:
    s = strings(lang)
    at = _run(make_app, lang, "executive", "pages/overview.py")
    expected = dashboards.overview(open_shared(demo_data.db_path), OPERATOR, DashboardFilter())
    metrics = {m.label: m.value for m in at.metric}
    assert expected.overall is not None
    assert metrics[s["scores.overall"]] == f"{expected.overall:.1f}"
    assert metrics[s["overview.open_findings"]] == str(expected.findings.open)
    heat = at.dataframe[0].value
    assert len(heat) == len(expected.units)
    assert s["overview.lights"] in at.markdown[0].value or any(
        s["overview.lights"] in m.value for m in at.markdown
    )
    # filtering to one department narrows every figure
    at.selectbox(key="o_unit").set_value("HRD").run()
    assert not at.exception, at.exception
    assert len(at.dataframe[0].value) == 1


def test_trend_and_progress(make_app: Callable[..., AppTest]) -> None:
    en = strings("en")
    at = _run(make_app, "en", "auditor", "pages/trend.py")
    assert any(en["trend.changes"] == h.value for h in at.subheader)
    at.selectbox(key="t_unit").set_value("CSC").run()
    assert not at.exception, at.exception
    at = _run(make_app, "en", "auditor", "pages/progress.py")
    assert {m.label for m in at.metric} >= {en["progress.in_flight"], en["progress.pending"]}
