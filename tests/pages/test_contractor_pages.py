"""Contractor supervision through the pages (AppTest): the supervisor dashboard, registering a
contractor, a circular re-entrustment refused, a tampered questionnaire refused with its sheet
and cell, a filled one imported and the review completed, a stale form refused, read-only
views for auditors and executives, and the country register."""

from __future__ import annotations

import base64
import io
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from contractors import country_service, review_service, service
from contractors.model import Clauses, Contractor, ContractorDraft
from contractors.questionnaire import MATURITY_CHOICES, SHEET_QUESTIONS, TYPE_LABELS, YES_CHOICE
from storage.db import Database
from storage.migrate import open_shared
from tests.conftest import OPERATOR, DemoData
from ui.i18n import strings
from ui.maps import MapCountry, data_map, map_config

EN = strings("en")
JA = strings("ja")
_numbers = itertools.count(1)
TYPE_OF_LABEL = {label: kind for kind, label in TYPE_LABELS.items()}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def db(demo_data: DemoData) -> Database:
    return open_shared(demo_data.db_path)


def _register(db: Database, name: str | None = None, **kw: Any) -> Contractor:
    draft = ContractorDraft(
        name=name or f"株式会社テスト委託先{next(_numbers)}",
        services="申込書のデータ入力",
        approx_individuals=kw.pop("individuals", 5_000),
        special_care=False,
        contract_start=date(2025, 4, 1),
        owner="d.sugimoto",
        clauses=Clauses.complete(),
    )
    return service.register_contractor(db, OPERATOR, draft)


def _texts(elements: Any) -> str:
    return re.sub(r"\\(.)", r"\1", "\n".join(str(e.value) for e in elements))


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def _open(
    make_app: Callable[..., AppTest],
    role: str,
    contractor: Contractor | None = None,
    *,
    lang: str = "en",
    page: str = "pages/contractors.py",
) -> AppTest:
    at = make_app(lang, role)
    if contractor is not None:
        at.query_params["contractor"] = contractor.code
    at.switch_page(page)
    return _run(at)


def _fill(data: bytes, *, tamper: Callable[[Any], None] | None = None) -> bytes:
    """Choose an answer from each row's list, as the contractor would in Excel."""
    wb: Any = load_workbook(io.BytesIO(data))
    ws = wb[SHEET_QUESTIONS]
    for row in ws.iter_rows(min_row=2):
        row[4].value = {
            "maturity": MATURITY_CHOICES[3],
            "yes_no": YES_CHOICE,
            "date": "2027-03-31",
            "text": "東京都内の自社データセンターのみ",
        }[TYPE_OF_LABEL[row[3].value]]
    if tamper is not None:
        tamper(ws)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    uploader = next(u for u in at.file_uploader if u.label == EN["ctr.q.upload"])
    uploader.set_value((name, data, XLSX))
    _run(at)
    at.button(key="ctr-q-import").click()
    return _run(at)


# --- the dashboard and the register ------------------------------------------------------------


def test_supervisor_sees_the_dashboard_lists(
    make_app: Callable[..., AppTest], db: Database
) -> None:
    at = _open(make_app, "supervisor")
    dash = service.supervisor_dashboard(db, OPERATOR)
    assert dash.overdue
    assert dash.missing_clauses
    assert dash.expiring
    assert dash.unapproved
    shown = _texts(at.markdown)
    assert f"{EN['ctr.dash.due.title'].format(days=90)}** ({len(dash.due)})" in shown
    assert f"{EN['ctr.dash.clauses.title']}** ({len(dash.missing_clauses)})" in shown
    assert f"{EN['ctr.dash.certs.title'].format(days=90)}** ({len(dash.expiring)})" in shown
    assert f"{EN['ctr.dash.unapproved.title']}** ({len(dash.unapproved)})" in shown
    due, certs, clauses, unapproved, register = (d.value for d in at.dataframe[:5])
    assert list(due[EN["ctr.col.code"]]) == [r.code for r in dash.due]
    late = dash.overdue[0]
    assert EN["ctr.days.overdue"].format(days=-late.days_left) in set(due[EN["ctr.col.days"]])
    assert list(certs[EN["ctr.col.cert_id"]]) == [r.certificate_id for r in dash.expiring]
    assert list(clauses[EN["ctr.col.code"]]) == [r.code for r in dash.missing_clauses]
    assert len(unapproved) == len(dash.unapproved)
    # The register says "overdue" in words beside the date, not only in colour.
    overdue_rows = register[register[EN["ctr.col.next_due"]].str.endswith(EN["ctr.overdue"])]
    assert set(overdue_rows[EN["ctr.col.code"]]) == {
        c.code for c in service.list_contractors(db, OPERATOR) if c.overdue
    }
    assert any(e.label == EN["ctr.rule.title"] for e in at.expander)
    assert "Tiers: high: 5+ points" in _texts(at.markdown)


def test_register_filters(make_app: Callable[..., AppTest], db: Database) -> None:
    at = _open(make_app, "supervisor")
    at.selectbox(key="ctr_f_tier").set_value("high")
    _run(at)
    register = at.dataframe[4].value
    high = [c.code for c in service.list_contractors(db, OPERATOR, tier="high")]
    assert list(register[EN["ctr.col.code"]]) == high
    at.text_input(key="ctr_f_query").input("Bluecrane")
    _run(at)
    assert list(at.dataframe[4].value[EN["ctr.col.code"]]) == [
        c.code for c in service.list_contractors(db, OPERATOR, tier="high", query="Bluecrane")
    ]


def test_supervisor_registers_a_contractor(make_app: Callable[..., AppTest], db: Database) -> None:
    at = _open(make_app, "supervisor")
    name = f"株式会社みなと名簿管理{next(_numbers)}"
    at.text_input(key="ctr-new-name").input(name)
    at.text_input(key="ctr-new-name_en").input("Minato Roster Co., Ltd.")
    at.text_area(key="ctr-new-services").input("会員名簿の管理・発送代行")
    at.text_area(key="ctr-new-categories").input("会員の氏名・住所\n購入履歴")
    at.number_input(key="ctr-new-individuals").set_value(120_000)
    at.checkbox(key="ctr-new-special").check()
    for clause in ("security_measures", "confidentiality", "breach_notice"):
        at.checkbox(key=f"ctr-new-{clause}").check()
    at.number_input(key="ctr-new-hours").set_value(48)
    at.button(key="ctr-new-submit").click()
    _run(at)
    [created] = [c for c in service.list_contractors(db, OPERATOR) if c.name == name]
    full = service.get_contractor(db, OPERATOR, created.id).contractor
    assert full.approx_individuals == 120_000
    assert full.special_care
    assert full.data_categories == ("会員の氏名・住所", "購入履歴")
    assert full.clauses.breach_notice_hours == 48
    assert not full.clauses.audit_rights
    assert full.tier.value == "high"  # 120,000 people +3, special care +3, 4 clauses missing +3
    assert EN["ctr.new.done"].format(
        name=name, code=full.code, tier="high", due=full.next_review_due.isoformat()
    ) in _texts(at.success)
    # The new contractor is open below, with its tier explained.
    assert at.selectbox(key="ctr_open").value == created.id
    assert at.query_params["contractor"] == full.code
    assert "Total 9 points → high risk tier (review every 12 months)" in _texts(at.markdown)
    assert at.text_input(key="ctr-new-name").value == ""  # the form is empty again


def test_registering_without_a_name_says_why(
    make_app: Callable[..., AppTest], db: Database
) -> None:
    at = _open(make_app, "supervisor")
    before = len(service.list_contractors(db, OPERATOR))
    at.button(key="ctr-new-submit").click()
    _run(at)
    assert "name: give the contractor's name" in _texts(at.error)
    assert len(service.list_contractors(db, OPERATOR)) == before


def test_a_circular_chain_is_refused_with_the_message(
    make_app: Callable[..., AppTest], db: Database
) -> None:
    parent, child = _register(db), _register(db)
    service.link_subcontractor(db, OPERATOR, parent.id, child.id, work="データ入力")
    at = _open(make_app, "supervisor", child)
    at.selectbox(key=f"ctr-link-child-{child.id}").set_value(parent.id)
    at.text_input(key=f"ctr-link-work-{child.id}").input("名簿の照合")
    at.button(key="ctr-link-submit").click()
    _run(at)
    errors = _texts(at.error)
    assert EN["ctr.chain.refused"] in errors
    assert "circular re-entrustment chain" in errors
    assert f"{child.name} ({child.code}) → {parent.name} ({parent.code})" in errors
    assert service.get_contractor(db, OPERATOR, child.id).subcontractors == ()


def test_link_then_approve_a_subcontractor(make_app: Callable[..., AppTest], db: Database) -> None:
    parent, child = _register(db), _register(db)
    at = _open(make_app, "supervisor", parent)
    at.selectbox(key=f"ctr-link-child-{parent.id}").set_value(child.id)
    at.text_input(key=f"ctr-link-work-{parent.id}").input("封入封緘")
    at.button(key="ctr-link-submit").click()
    _run(at)
    [link] = service.get_contractor(db, OPERATOR, parent.id).subcontractors
    assert not link.approved
    at.button(key="ctr-link-approve").click()
    _run(at)
    [link] = service.get_contractor(db, OPERATOR, parent.id).subcontractors
    assert link.approved
    assert link.approved_by == "d.sugimoto"
    assert at.button(key="ctr-link-approve").disabled


# --- the questionnaire -------------------------------------------------------------------------


def test_a_tampered_questionnaire_names_sheet_and_cell_and_imports_nothing(
    make_app: Callable[..., AppTest], db: Database
) -> None:
    c = _register(db)
    issued = review_service.generate_questionnaire(db, OPERATOR, c.id, lang="ja")

    def tamper(ws: Any) -> None:
        ws["C2"].value = "（設問を書き換えた）"
        ws["E3"].value = "たぶん"

    at = _open(make_app, "supervisor", c)
    _upload(at, "回答済み.xlsx", _fill(issued, tamper=tamper))
    errors = _texts(at.error)
    assert EN["ctr.q.refused"].format(file="回答済み.xlsx") in errors
    assert EN["ctr.q.issue_cell"].format(sheet=SHEET_QUESTIONS, cell="C2") in errors
    assert EN["ctr.q.issue_cell"].format(sheet=SHEET_QUESTIONS, cell="E3") in errors
    assert "'たぶん' is not an allowed answer" in errors
    assert service.get_contractor(db, OPERATOR, c.id).reviews == ()


def test_not_an_xlsx_is_refused(make_app: Callable[..., AppTest], db: Database) -> None:
    c = _register(db)
    at = make_app("ja", "supervisor")
    at.query_params["contractor"] = c.code
    at.switch_page("pages/contractors.py")
    _run(at)
    uploader = next(u for u in at.file_uploader if u.label == JA["ctr.q.upload"])
    uploader.set_value(("fake.xlsx", b"%PDF-1.4 not a workbook", XLSX))
    _run(at)
    at.button(key="ctr-q-import").click()
    _run(at)
    errors = _texts(at.error)
    assert JA["ctr.q.refused"].format(file="fake.xlsx") in errors
    assert JA["ctr.q.issue_file"] in errors
    assert "not an .xlsx workbook" in errors
    assert service.get_contractor(db, OPERATOR, c.id).reviews == ()


def test_a_filled_questionnaire_is_imported_and_the_review_completed(
    make_app: Callable[..., AppTest], db: Database
) -> None:
    c = _register(db, individuals=500)
    filled = _fill(review_service.generate_questionnaire(db, OPERATOR, c.id, lang="en"))
    at = _open(make_app, "supervisor", c)
    _upload(at, "answers.xlsx", filled)
    assert EN["ctr.q.imported"].format(count=28, file="answers.xlsx") in _texts(at.success)
    [review] = service.get_contractor(db, OPERATOR, c.id).reviews
    assert EN["ctr.review.progress"].format(answered=28, total=28) in _texts(at.caption)
    at.button(key="ctr-review-complete").click()
    _run(at)
    done = review_service.get_review(db, OPERATOR, review.assessment_id)
    assert done.completed_on == date.today()
    assert done.score is not None
    assert done.tier_after is not None
    assert done.next_review_due is not None
    assert EN["ctr.review.completed"].format(
        score=f"{done.score:.1f}",
        tier=done.tier_after.value,
        due=done.next_review_due.isoformat(),
    ) in _texts(at.success)
    assert service.get_contractor(db, OPERATOR, c.id).contractor.last_review_on == date.today()


def test_a_stale_edit_is_refused_and_the_other_change_kept(
    make_app: Callable[..., AppTest], db: Database
) -> None:
    c = _register(db)
    at = _open(make_app, "supervisor", c)
    # Someone else changes the contractor while this page shows it.
    other = service.get_contractor(db, OPERATOR, c.id).contractor
    service.update_contractor(
        db,
        OPERATOR,
        c.id,
        replace(other.draft(), services="コールセンター業務"),
        expected_version=other.version,
    )
    at.text_area(key=f"ctr-edit-{c.id}-services").input("発送代行")
    at.button(key=f"ctr-edit-{c.id}-submit").click()
    _run(at)
    assert "Not saved" in _texts(at.error)
    assert service.get_contractor(db, OPERATOR, c.id).contractor.services == "コールセンター業務"


# --- who may change what -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["auditor", "executive"])
def test_readers_see_everything_and_no_edit_forms(
    make_app: Callable[..., AppTest], db: Database, role: str
) -> None:
    late = next(c for c in service.list_contractors(db, OPERATOR) if c.overdue)
    c = service.get_contractor(db, OPERATOR, late.id).contractor
    at = _open(make_app, role, c)
    assert len(at.dataframe) >= 5  # the dashboard lists and the register
    assert EN["ctr.overdue.detail"].format(due=c.next_review_due.isoformat()) in _texts(at.error)
    assert any("Total" in m.value and "points" in m.value for m in at.markdown)
    assert not at.button
    assert not at.file_uploader
    assert [x.key for x in at.text_input] == ["ctr_f_query"]
    assert not any(e.label in (EN["ctr.new.title"], EN["ctr.edit.title"]) for e in at.expander)

    at = _open(make_app, role, page="pages/countries.py")
    at.selectbox(key="cty_pick").set_value("CN")
    _run(at)
    assert EN["cty.seed.notice"] in _texts(at.warning)
    assert not at.button
    assert not at.text_area


# --- foreign environments ----------------------------------------------------------------------


def test_where_data_sits_flags_stale_countries(
    make_app: Callable[..., AppTest], db: Database
) -> None:
    at = _open(make_app, "supervisor", page="pages/countries.py")
    data = country_service.where_data_sits(db, OPERATOR)
    assert data.stale
    banner = _texts(at.warning)
    assert EN["cty.stale.banner"].format(count=len(data.stale)) in banner
    assert EN["cty.reason.seed"] in banner
    table = at.dataframe[0].value
    assert len(table) == len(data.countries)
    stale_rows = table[table[EN["cty.col.state"]] == EN["cty.state.stale"]]
    assert len(stale_rows) == len(data.stale)


def test_supervisor_checks_a_seeded_country(make_app: Callable[..., AppTest], db: Database) -> None:
    before = country_service.get_country(db, OPERATOR, "VN")
    assert before.verified_by is None
    at = _open(make_app, "supervisor", page="pages/countries.py")
    at.selectbox(key="cty_pick").set_value("VN")
    _run(at)
    assert EN["cty.seed.notice"] in _texts(at.warning)
    form_area = next(a for a in at.text_area if a.label == EN["cty.field.source"])
    form_area.input(before.entry.source + " Checked against the PPC survey.")
    next(b for b in at.button if b.label == EN["cty.edit.submit"]).click()
    _run(at)
    after = country_service.get_country(db, OPERATOR, "VN")
    assert after.verified_by == "d.sugimoto"
    assert after.entry.source.endswith("Checked against the PPC survey.")
    assert after.entry.reviewed_on == date.today()
    assert EN["cty.seed.notice"] not in _texts(at.warning)


def test_the_world_map_has_one_trace_per_review_state() -> None:
    rows = [
        MapCountry("JPN", "Japan", "home", 30, "Japan"),
        MapCountry("USA", "United States", "current", 2, "US"),
        MapCountry("CHN", "China", "stale", 1, "CN"),
        MapCountry("VNM", "Viet Nam", "stale", 1, "VN"),
    ]
    labels = {"home": "Japan", "current": "current", "stale": "stale", "missing": "missing"}
    fig = data_map(rows, labels, title="map")
    choropleths = [tr for tr in fig.data if tr.type == "choropleth"]
    assert [tr.name for tr in choropleths] == ["Japan", "current", "stale"]
    assert list(choropleths[2].locations) == ["CHN", "VNM"]
    [numbers] = [tr for tr in fig.data if tr.type == "scattergeo"]
    assert list(numbers.text) == ["30", "2", "1", "1"]


def test_the_map_carries_its_world_outline() -> None:
    """No CDN needed: the outline plotly.js asks for is inside the chart's config."""
    url = map_config()["topojsonURL"]
    head, _, rest = url.partition(",")
    assert head == "data:application/json;base64"
    encoded, _, fragment = rest.partition("#")
    assert fragment == ""  # plotly.js appends "/world_110m.json" here
    outline = json.loads(base64.b64decode(encoded))
    countries = outline["objects"]["countries"]["geometries"]
    assert {"JPN", "USA", "CHN", "VNM"} <= {g.get("id") for g in countries}
