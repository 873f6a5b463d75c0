"""The Annex A view and the Backup page, through AppTest."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from assessments import service as assessments
from storage.migrate import open_shared
from tests.conftest import OPERATOR, DemoData
from ui.i18n import strings

EN = strings("en")
JA = strings("ja")


def _closed_appi(demo_data: DemoData) -> str:
    db = open_shared(demo_data.db_path)
    return next(
        a.id
        for a in assessments.list_assessments(db, OPERATOR, status="closed")
        if a.catalogue_urn.endswith("appi-security-measures")
    )


def _downloads(at: AppTest) -> list[str]:
    return [str(getattr(b, "label", "")) for b in at.get("download_button")]


def test_annex_a_view_shows_coverage_and_offers_the_csv(
    make_app: Callable[..., AppTest], demo_data: DemoData
) -> None:
    at = make_app("en", "auditor")
    at.session_state["assessment_id"] = _closed_appi(demo_data)
    at.switch_page("pages/crosswalk.py")
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == EN["crosswalk.title"]
    addressed = next(m for m in at.metric if m.label == EN["crosswalk.addressed"])
    assert addressed.value.endswith("/ 93")
    table = at.dataframe[1].value
    assert list(table.columns)[:2] == [EN["crosswalk.col.annex_a"], EN["crosswalk.col.name"]]
    privacy = table[table[EN["crosswalk.col.annex_a"]] == "5.34"]
    assert "ORG-03" in privacy[EN["crosswalk.col.controls"]].iloc[0]
    assert EN["crosswalk.download"] in _downloads(at)


def test_annex_a_view_in_japanese_filters_by_result(
    make_app: Callable[..., AppTest], demo_data: DemoData
) -> None:
    at = make_app("ja", "executive")
    at.session_state["assessment_id"] = _closed_appi(demo_data)
    at.switch_page("pages/crosswalk.py")
    at.run()
    assert not at.exception, at.exception
    everything = len(at.dataframe[1].value)
    at.multiselect(key="crosswalk_filter").set_value(["not_addressed"]).run()
    assert not at.exception, at.exception
    shown = at.dataframe[1].value
    assert 0 < len(shown) < everything
    assert set(shown[JA["crosswalk.col.result"]]) == {JA["crosswalk.status.not_addressed"]}
    assert "データマスキング" in set(shown[JA["crosswalk.col.name"]])


def test_admin_makes_a_backup_and_gets_a_download(
    make_app: Callable[..., AppTest], demo_data: DemoData
) -> None:
    at = make_app("en", "admin")
    at.switch_page("pages/backup.py")
    at.run()
    assert not at.exception, at.exception
    assert _downloads(at) == []
    submit = next(b for b in at.button if b.label == EN["backup.make"])
    submit.click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    labels = _downloads(at)
    assert len(labels) == 1
    assert labels[0].startswith("Download kansa-backup-")
    assert labels[0].endswith(".tar")
    made = sorted((demo_data.data_dir / "backups").glob("kansa-backup-*.tar"))
    assert made
    assert any("tables" in s.value for s in at.success)
