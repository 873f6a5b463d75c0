"""Evidence in the Answers page and on the Evidence page, through AppTest."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable
from typing import Any

import pytest
from reportlab.pdfgen import canvas
from streamlit.testing.v1 import AppTest

from assessments import service as assessments
from assessments.model import Answer, Assessment
from core.settings import Settings
from evidence import service as evidence
from evidence.model import EvidenceFilter
from evidence.store import EvidenceStore
from storage.db import Database
from storage.migrate import open_shared
from tests.conftest import OPERATOR, DemoData
from ui.i18n import strings

APPI = "urn:kansa:catalogue:appi-security-measures"
_numbers = itertools.count(1)
EXE = b"MZ\x90\x00" + b"\x00" * 300


def _pdf(text: str = "Access review 2026") -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.save()
    return out.getvalue()


@pytest.fixture
def db(demo_data: DemoData) -> Database:
    return open_shared(demo_data.db_path)


@pytest.fixture
def store(demo_data: DemoData) -> EvidenceStore:
    return EvidenceStore.from_settings(Settings(data_dir=demo_data.data_dir))


def _plan(db: Database) -> Assessment:
    return assessments.create_assessment(
        db,
        OPERATOR,
        title=f"Evidence AppTest {next(_numbers)}",
        catalogue_urn=APPI,
        scope_unit="CSC",
        lead_auditor="a.miyoshi",
        auditees=["s.okamoto"],
    )


def _open(
    make_app: Callable[..., AppTest], page: str, *, role: str, a: Assessment | None = None
) -> AppTest:
    at = make_app("en", role)
    if a is not None:
        at.session_state["assessment_id"] = a.id
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def _texts(elements: Any) -> str:
    return re.sub(r"\\(.)", r"\1", "\n".join(str(e.value) for e in elements))


def _evidence_uploader(at: AppTest) -> Any:
    label = strings("en")["evidence.upload.files"]
    return next(u for u in at.file_uploader if u.label == label)


def test_auditee_uploads_several_files_one_is_refused(
    make_app: Callable[..., AppTest], db: Database
) -> None:
    en = strings("en")
    a = _plan(db)
    at = _open(make_app, "pages/workspace.py", role="auditee", a=a)
    control = next(b for b in at.selectbox if b.label == en["workspace.evidence.control"])
    assert control.value == "POL-01"
    _evidence_uploader(at).set_value(
        [
            ("アクセス権棚卸.pdf", _pdf(), "application/pdf"),
            ("setup.pdf", EXE, "application/pdf"),  # an executable with a PDF name
        ]
    )
    next(i for i in at.text_input if i.label == en["evidence.upload.description"]).input(
        '=HYPERLINK("x") *manager* signed'
    )
    next(b for b in at.button if b.label == en["evidence.upload.submit"]).click().run()
    assert not at.exception, at.exception

    assert en["evidence.upload.done"].format(count=1) in _texts(at.success)
    refused = _texts(at.error)
    assert "setup.pdf" in refused
    assert "application/x-msdownload" in refused
    items = evidence.list_evidence(db, OPERATOR, a.id)
    assert [(i.control_id, i.filename, i.description) for i in items] == [
        ("POL-01", "アクセス権棚卸.pdf", '=HYPERLINK("x") *manager* signed')
    ]
    # the card shows the name and the description literally, and the control's count is 1
    shown = _texts(at.markdown)
    assert "アクセス権棚卸.pdf" in shown
    assert '=HYPERLINK("x") *manager* signed' in shown
    assert evidence.evidence_counts(db, OPERATOR, a.id) == {"POL-01": 1}
    assert en["workspace.evidence.count"].format(id="POL-01", count=1) in _texts(at.caption)


def test_preview_download_and_remove(
    make_app: Callable[..., AppTest], db: Database, store: EvidenceStore
) -> None:
    en = strings("en")
    a = _plan(db)
    item = evidence.add_evidence(
        db,
        OPERATOR,
        store,
        assessment_id=a.id,
        control_id="POL-01",
        filename="rules.pdf",
        stream=io.BytesIO(_pdf("Internal rules")),
    )
    at = _open(make_app, "pages/workspace.py", role="auditee", a=a)
    assert any(
        getattr(b, "label", None) == en["evidence.download"] for b in at.get("download_button")
    )
    at.toggle(key=f"ws-ev-{a.id}-pv-{item.link_id}").set_value(True).run()
    assert not at.exception, at.exception
    images = at.get("image")
    assert len(images) == 1  # the first page, rendered

    at.text_input(key=f"ws-ev-{a.id}-why-{item.link_id}").input("superseded").run()
    at.button(key=f"ws-ev-{a.id}-rm-{item.link_id}").click().run()
    assert not at.exception, at.exception
    assert en["evidence.unlink.done"].format(file="rules.pdf") in _texts(at.success)
    assert evidence.list_evidence(db, OPERATOR, a.id) == []
    assert store.path_of(item.sha256).exists()  # kept until an admin purges it


def test_evidence_page_filters_and_flags(
    make_app: Callable[..., AppTest], db: Database, store: EvidenceStore
) -> None:
    en = strings("en")
    a = _plan(db)
    for name, control, until in [
        ("old-certificate.pdf", "PHY-04", "2020-01-31"),
        ("roster.pdf", "HUM-01", None),
    ]:
        evidence.add_evidence(
            db,
            OPERATOR,
            store,
            assessment_id=a.id,
            control_id=control,
            filename=name,
            stream=io.BytesIO(_pdf(name)),
            valid_until=until,
        )
    assessments.save_answers(db, OPERATOR, a.id, [(Answer("TEC-01", 4, 4), None)])
    at = _open(make_app, "pages/evidence.py", role="auditor")
    at.selectbox(key="ev_f_assessment").set_value(a.id).run()
    frame = at.dataframe[0].value
    assert set(frame[en["evidence.col.file"]]) == {"old-certificate.pdf", "roster.pdf"}
    at.checkbox(key="ev_f_expired").check().run()
    frame = at.dataframe[0].value
    assert list(frame[en["evidence.col.file"]]) == ["old-certificate.pdf"]
    assert "EXPIRED" in frame[en["evidence.col.valid_until"]].iloc[0]

    at.selectbox(key="ev_gap_assessment").set_value(a.id).run()
    assert not at.exception, at.exception
    assert en["evidence.unsupported.count"].format(count=1) in _texts(at.warning)
    assert evidence.unsupported_answers(db, OPERATOR, a.id)[0].control_id == "TEC-01"


def test_admin_purges_what_nothing_uses(
    make_app: Callable[..., AppTest], db: Database, store: EvidenceStore
) -> None:
    en = strings("en")
    a = _plan(db)
    item = evidence.add_evidence(
        db,
        OPERATOR,
        store,
        assessment_id=a.id,
        control_id="POL-02",
        filename="draft.pdf",
        stream=io.BytesIO(_pdf("draft only, purge me")),
    )
    evidence.unlink_evidence(db, OPERATOR, item.link_id)
    at = _open(make_app, "pages/evidence.py", role="admin")
    assert item.sha256 in set(at.dataframe[-1].value["SHA-256"])
    purge = next(b for b in at.button if b.label == en["evidence.purge.button"])
    assert purge.disabled  # nothing goes without the confirmation
    next(c for c in at.checkbox if c.label.startswith("I want to delete")).check().run()
    next(b for b in at.button if b.label == en["evidence.purge.button"]).click().run()
    assert not at.exception, at.exception
    assert not store.path_of(item.sha256).exists()
    assert evidence.search_evidence(db, OPERATOR, EvidenceFilter(assessment_id=a.id)) == []


def test_auditor_may_verify_but_not_purge(make_app: Callable[..., AppTest]) -> None:
    en = strings("en")
    at = _open(make_app, "pages/evidence.py", role="auditor")
    assert [t.label for t in at.tabs][-1] == en["evidence.tab.store"]
    next(b for b in at.button if b.label == en["evidence.verify.button"]).click().run()
    assert not at.exception, at.exception
    assert _texts(at.success).startswith(en["evidence.verify.ok"].split("{")[0])
    assert not any(b.label == en["evidence.purge.button"] for b in at.button)
