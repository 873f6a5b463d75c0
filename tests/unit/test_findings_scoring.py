"""The worked example of scoring.md through the services: an open Major on ORG-03 turns ORG red."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from assessments import service as assessments
from assessments.model import Answer
from assessments.scoring import Rating
from auth.model import Principal, Role
from controls.service import import_file
from core.settings import Settings
from demo.service import load_demo
from evidence import service as evidence
from evidence.store import EvidenceStore
from findings import service as findings
from storage.db import Database
from storage.migrate import open_database
from tests.conftest import OPERATOR

URN = "urn:kansa:catalogue:worked-example"
AUDITOR = Principal("a.miyoshi", Role.AUDITOR, "IAD")
OWNER = Principal("s.okamoto", Role.AUDITEE, "CSC")

# (control id, key, guideline ref) of the worked example, in catalogue order.
CONTROLS = {
    "ORG": [
        ("ORG-01", True, "10-3(1)"),
        ("ORG-02", False, "10-3(2)"),
        ("ORG-03", True, "10-3(3)"),
        ("ORG-04", True, "10-3(4)"),
        ("ORG-05", True, "10-3(5)"),
    ],
    "HUM": [("HUM-01", True, "10-4"), ("HUM-02", False, "10-4"), ("HUM-03", False, "10-4")],
    "PHY": [(f"PHY-0{i}", False, f"10-5({i})") for i in range(1, 5)],
    "TEC": [
        ("TEC-01", True, "10-6(1)"),
        ("TEC-02", True, "10-6(2)"),
        ("TEC-03", True, "10-6(3)"),
        ("TEC-04", False, "10-6(4)"),
    ],
}
REMOTE = "no office; fully remote"
ANSWERS = [
    Answer("ORG-01", 4, 3),
    Answer("ORG-02", 3, 2),
    Answer("ORG-03", 2, 1),
    Answer("ORG-04", None, None, "handled by group holding company"),
    Answer("ORG-05", 5, 4),
    Answer("HUM-01", 3, 3),
    Answer("HUM-02", 5, 5),
    *(Answer(f"PHY-0{i}", None, None, REMOTE) for i in range(1, 5)),
    Answer("TEC-01", 4, 4),
    Answer("TEC-02", 3, 2),
    Answer("TEC-03", 1, 0),
    Answer("TEC-04", 2, 3),
]


def _text(value: str) -> dict[str, str]:
    return {"en": value, "ja": value}


def worked_example_yaml() -> str:
    domains = [
        {
            "id": domain,
            "name": _text(f"Domain {domain}"),
            "controls": [
                {
                    "id": control_id,
                    "title": _text(f"Control {control_id}"),
                    "requirement": _text("A requirement."),
                    "guidance": {"en": ["Do it."], "ja": ["実施する。"]},
                    "key": key,
                    "refs": {"appi_guideline": [ref], "iso27001_2022": ["5.9"]},
                    "evidence_hints": {"en": ["A record."], "ja": ["記録"]},
                }
                for control_id, key, ref in controls
            ],
        }
        for domain, controls in CONTROLS.items()
    ]
    doc = {"urn": URN, "version": "1", "name": _text("Worked example"), "domains": domains}
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "kansa.duckdb")
    load_demo(database, OPERATOR)  # org units and accounts; the demo history needs APPI
    path = tmp_path / "worked-example.yaml"
    path.write_text(worked_example_yaml(), encoding="utf-8")
    import_file(database, OPERATOR, path)
    yield database
    database.close()


def ratings(db: Database, assessment_id: str) -> dict[str, Rating | None]:
    view = assessments.score(db, OWNER, assessment_id)
    return {d.domain_id: d.rating for d in view.score.domains.values()}


def test_open_major_on_org_03_turns_org_red_until_verified(db: Database, tmp_path: Path) -> None:
    a = assessments.create_assessment(
        db, AUDITOR, title="Worked example", catalogue_urn=URN, scope_unit="CSC"
    )
    assessments.save_answers(db, OWNER, a.id, [(answer, None) for answer in ANSWERS])
    before = assessments.score(db, OWNER, a.id).score
    assert before.domains["ORG"].score == pytest.approx(61.428571428571, abs=1e-9)
    assert ratings(db, a.id) == {
        "ORG": Rating.AMBER,
        "HUM": Rating.AMBER,
        "PHY": None,
        "TEC": Rating.RED,
    }

    major = findings.raise_finding(
        db,
        AUDITOR,
        assessment_id=a.id,
        control_id="ORG-03",
        grade="major",
        statement="The register misses the call-recording system.",
        owner="s.okamoto",
        due_date="2099-12-31",
    )
    assert ratings(db, a.id) == {
        "ORG": Rating.RED,
        "HUM": Rating.AMBER,
        "PHY": None,
        "TEC": Rating.RED,
    }
    after = assessments.score(db, OWNER, a.id).score
    assert after.overall_score == before.overall_score  # findings change ratings, not scores

    store = EvidenceStore.from_settings(Settings(data_dir=tmp_path))
    proof = evidence.add_evidence(
        db,
        OWNER,
        store,
        assessment_id=a.id,
        control_id="ORG-03",
        filename="register.pdf",
        stream=io.BytesIO(b"%PDF-1.4\n%%EOF\n"),
    ).sha256
    done = findings.respond(
        db,
        OWNER,
        major.id,
        version=major.version,
        root_cause="no registration step",
        correction="registered",
        corrective_action="registration is a condition of go-live",
        mark_done=True,
    )
    assert ratings(db, a.id)["ORG"] == Rating.RED  # done is not yet verified
    findings.verify(db, AUDITOR, done.id, version=done.version, note="seen", evidence=[proof])
    assert ratings(db, a.id)["ORG"] == Rating.AMBER


def test_an_open_minor_finding_caps_a_green_domain_at_amber(db: Database) -> None:
    a = assessments.create_assessment(
        db, AUDITOR, title="All good", catalogue_urn=URN, scope_unit="CSC"
    )
    good = [Answer(c, 4, 4) for domain in CONTROLS.values() for c, _, _ in domain]
    assessments.save_answers(db, OWNER, a.id, [(answer, None) for answer in good])
    assert set(ratings(db, a.id).values()) == {Rating.GREEN}
    for grade, control_id in (("minor", "HUM-02"), ("observation", "TEC-04")):
        findings.raise_finding(
            db,
            AUDITOR,
            assessment_id=a.id,
            control_id=control_id,
            grade=grade,
            statement="x",
            owner="s.okamoto",
            due_date="2099-12-31",
        )
    assert ratings(db, a.id) == {
        "ORG": Rating.GREEN,
        "HUM": Rating.AMBER,
        "PHY": Rating.GREEN,
        "TEC": Rating.GREEN,
    }
