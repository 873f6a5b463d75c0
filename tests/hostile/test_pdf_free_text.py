"""Every free-text field of the PDF reports filled with hostile text: markup, formulas, control
characters, right-to-left text, emoji, and megabyte strings. The report builds, and the markup
prints as the characters typed (it is never read as ReportLab markup)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from hypothesis import given
from hypothesis import strategies as st

from reports.pdf.announcement import build_announcement_pdf
from reports.pdf.audit_report import build_audit_report
from reports.pdf.model import AuditMethod, AuditReportData, Bilingual, OutOfScope
from reports.pdf.portfolio import build_portfolio_report
from tests.fixtures.pdf.sample_data import sample_announcement, sample_audit, sample_portfolio
from tests.hostile.cases import SAMPLES, bounded, hostile_line, huge
from tests.hostile.conftest import Tally

KIND = "PDF free text"
MARKER = "<script>alert(1)</script>"
SMALL = sample_audit(controls=7, findings=2, evidence=2, corrective_actions=1, contractor=True)


def _text_of(pdf: bytes) -> str:
    """Every character the PDF shows, blanks removed (line breaks fall anywhere)."""
    document = pdfium.PdfDocument(pdf)
    try:
        pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()
    return re.sub(r"\s+", "", "".join(pages))


def _b(text: str) -> Bilingual:
    return Bilingual(text, text)


def hostile_audit(base: AuditReportData, text: str) -> AuditReportData:
    """``base`` with ``text`` in every free-text field a user or a catalogue can fill."""
    findings = tuple(
        dataclasses.replace(
            f, statement=text, criterion=_b(text), evidence_seen=text, owner=_b(text)
        )
        for f in base.findings
    )
    controls = tuple(
        dataclasses.replace(c, note=text, title=_b(text), na_reason=c.na_reason and text)
        for c in base.controls
    )
    evidence = tuple(
        dataclasses.replace(e, filename=text, added_by=_b(text)) for e in base.evidence
    )
    actions = tuple(
        dataclasses.replace(a, action=text, verification=text, source=_b(text), owner=_b(text))
        for a in base.corrective_actions
    )
    team = tuple(dataclasses.replace(m, name=_b(text), department=text) for m in base.team)
    auditees = tuple(dataclasses.replace(a, name=text, title=_b(text)) for a in base.auditees)
    return dataclasses.replace(
        base,
        title=text,
        organisation=_b(text),
        scope=_b(text),
        lead_auditor=_b(text),
        findings=findings,
        controls=controls,
        evidence=evidence,
        corrective_actions=actions,
        team=team,
        auditees=auditees,
        distribution=(text, _b(text)),
        method=AuditMethod(site_visits=(text,), sampling=text, interviews=1),
        out_of_scope=(OutOfScope(text, text),),
        objective=text,
        conclusion=text,
        limitations=text,
        previous_label=_b(text),
    )


@bounded(6)
@given(text=hostile_line(5), lang=st.sampled_from(["ja", "en"]))
def test_audit_report_with_hostile_text_everywhere(text: str, lang: str, tally: Tally) -> None:
    pdf = build_audit_report(hostile_audit(SMALL, f"{MARKER} {text}"), lang)
    assert pdf.startswith(b"%PDF-")
    assert MARKER in _text_of(pdf)  # printed literally, not parsed as markup
    tally.handled(KIND)


def test_every_sample_in_one_report(tally: Tally, tmp_path: Path) -> None:
    text = " ".join(SAMPLES)
    pdf = build_audit_report(hostile_audit(SMALL, text), "ja")
    shown = _text_of(pdf)
    for literal in (
        "<b>bold?</b>",
        "<font name=x>no font</font>",
        "AT&T&amp;&lt;b&gt;",
        "</para><para>",
    ):
        assert literal.replace(" ", "") in shown, literal
    tally.handled(KIND)


def test_a_megabyte_statement_builds(tally: Tally) -> None:
    finding = dataclasses.replace(SMALL.findings[0], statement=huge(1_000_000))
    pdf = build_audit_report(dataclasses.replace(SMALL, findings=(finding,)), "en")
    assert pdf.startswith(b"%PDF-")
    tally.handled(KIND)


def test_a_megabyte_conclusion_builds(tally: Tally) -> None:
    words = " ".join(["監査の結論", "conclusion", MARKER, "🙂", "\u202eRTL", "=1+1"] * 3)
    text = (words + " ") * (1_000_000 // (len(words) + 1))
    pdf = build_audit_report(dataclasses.replace(SMALL, conclusion=text), "en")
    assert pdf.startswith(b"%PDF-")
    tally.handled(KIND)


def _hostile_portfolio(text: str) -> Any:
    base = sample_portfolio(scopes=3)
    scopes = tuple(
        dataclasses.replace(s, scope=_b(text), assessment_title=text) for s in base.scopes
    )
    worst = tuple(dataclasses.replace(w, scope=text, title=_b(text)) for w in base.worst_controls)
    overdue = tuple(dataclasses.replace(c, name=_b(text)) for c in base.contractors_overdue)
    return dataclasses.replace(
        base,
        organisation=_b(text),
        scopes=scopes,
        worst_controls=worst,
        contractors_overdue=overdue,
        prepared_by=text,
    )


def _hostile_announcement(text: str) -> Any:
    base = sample_announcement()
    measures = tuple(dataclasses.replace(m, lines=(text, _b(text))) for m in base.measures)
    return dataclasses.replace(
        base, organisation=_b(text), measures=measures, countries=(text,), contact=_b(text)
    )


@bounded(4)
@given(text=hostile_line(4), lang=st.sampled_from(["ja", "en"]))
def test_portfolio_and_announcement_with_hostile_text(text: str, lang: str, tally: Tally) -> None:
    for pdf in (
        build_portfolio_report(_hostile_portfolio(f"{MARKER} {text}"), lang),
        build_announcement_pdf(_hostile_announcement(f"{MARKER} {text}"), lang),
    ):
        assert pdf.startswith(b"%PDF-")
        assert MARKER in _text_of(pdf)
        tally.handled(KIND)
