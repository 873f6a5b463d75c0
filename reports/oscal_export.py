"""One assessment as an OSCAL assessment-results document (JSON, OSCAL 1.2.3).

The shape, and how Kansa's data lands in it:

- ``metadata``: the assessment's title, the export time, its document version, OSCAL version;
- ``import-ap``: Kansa keeps no OSCAL assessment plan; ``href`` names the campaign by URN and
  the remarks say so (the plan is the campaign: scope, period, team, pinned catalogue);
- one ``result`` for the assessment: its period, props for scope, catalogue, overall score,
  level and coverage, and ``reviewed-controls`` listing every control of the catalogue;
- one ``observation`` per answered control (documented/implemented or N/A and the note), with
  ``relevant-evidence`` for each evidence file (its store path and SHA-256);
- one ``finding`` per control: target ``objective-id`` = the control, state ``satisfied`` for
  a conformant or N/A result and ``not-satisfied`` otherwise; and one per audit finding
  (nonconformity, observation, ...) with its grade and status as props.

Every uuid is a version-5 UUID derived from Kansa ids, so exporting the same assessment twice
gives the same uuids (only ``last-modified`` moves). OSCAL tokens (control ids) allow letters,
digits, ``_ . -`` and must start with a letter or ``_``: other characters become ``_`` and the
Kansa id is kept in a prop. Custom props carry the namespace :data:`NS`.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Any

from reports.pdf.model import AuditReportData, ControlLine, EvidenceLine, pick

OSCAL_VERSION = "1.2.3"
NS = "urn:kansa:oscal"
_UUIDS = uuid.uuid5(uuid.NAMESPACE_URL, NS)
_SPACE = re.compile(r"\s+")
_SATISFIED = frozenset({"conformant", "not_applicable"})
Json = dict[str, Any]


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(_UUIDS, "/".join(parts)))


def token(value: str) -> str:
    """An OSCAL token (NCName) for a Kansa id: ``ORG-03`` stays, ``10-3(1)`` -> ``_10-3_1_``."""
    out = "".join(ch if ch.isalpha() or ch.isdigit() or ch in "._-" else "_" for ch in value)
    if not out or not (out[0].isalpha() or out[0] == "_"):
        out = "_" + out
    return out


def line(value: object, fallback: str = "-") -> str:
    """One line of text without leading or trailing space (OSCAL string and markup-line)."""
    text = _SPACE.sub(" ", str(value if value is not None else "")).strip()
    return text or fallback


def _timestamp(value: object, fallback: datetime) -> str:
    """A date/time with a time zone (UTC when the value has none)."""
    moment: datetime | None = None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str) and value:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            moment = None
    if moment is None:
        moment = fallback
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _prop(name: str, value: object, *, kansa: bool = True) -> Json:
    prop: Json = {"name": name, "value": line(value)}
    if kansa:
        prop["ns"] = NS
    return prop


def _answer_text(c: ControlLine) -> str:
    if c.na_reason:
        answer = f"Not applicable: {c.na_reason}"
    elif c.documented is None:
        answer = "Not answered."
    else:
        answer = f"Documented {c.documented}/5, implemented {c.implemented}/5."
    score = "" if c.score is None else f" Score {c.score:g}/100."
    note = f"\n\nNote: {c.note}" if c.note else ""
    return f"{answer}{score} Result: {c.result.replace('_', ' ')}.{note}"


def _observation(
    data: AuditReportData,
    key: str,
    c: ControlLine,
    files: list[EvidenceLine],
    lang: str,
    now: datetime,
) -> Json:
    obs: Json = {
        "uuid": _uuid("observation", key, c.control_id),
        "title": line(f"{c.control_id} {pick(c.title, lang)}"),
        "description": _answer_text(c),
        "props": [
            _prop("kansa-control-id", c.control_id),
            _prop("result", c.result),
            *([_prop("score", f"{c.score:g}")] if c.score is not None else []),
        ],
        "methods": ["EXAMINE", "INTERVIEW"] if files else ["INTERVIEW"],
        "types": ["control-objective"],
        "collected": _timestamp(data.period_end, now),
    }
    if files:
        obs["relevant-evidence"] = [
            {
                "href": f"evidence/{f.sha256[:2]}/{f.sha256}",
                "description": f.filename or f.sha256,
                "props": [_prop("sha256", f.sha256)],
            }
            for f in files
        ]
    return obs


def _control_finding(
    data: AuditReportData, key: str, c: ControlLine, lang: str, observed: bool
) -> Json:
    satisfied = c.result in _SATISFIED
    finding: Json = {
        "uuid": _uuid("determination", key, c.control_id),
        "title": line(f"{c.control_id} {pick(c.title, lang)}"),
        "description": f"Determination for {c.control_id}: {c.result.replace('_', ' ')}.",
        "props": [_prop("kansa-control-id", c.control_id), _prop("result", c.result)],
        "target": {
            "type": "objective-id",
            "target-id": token(c.control_id),
            "status": {
                "state": "satisfied" if satisfied else "not-satisfied",
                "reason": "pass" if satisfied else "fail",
            },
        },
    }
    if observed:
        finding["related-observations"] = [
            {"observation-uuid": _uuid("observation", key, c.control_id)}
        ]
    return finding


def _audit_findings(data: AuditReportData, key: str, lang: str) -> Iterable[Json]:
    for f in data.findings:
        settled = f.status in {"verified", "closed"}
        nonconformity = f.grade in {"major", "minor"}
        yield {
            "uuid": _uuid("finding", key, f.ref),
            "title": line(f"{f.ref} {f.grade} {f.control_id}"),
            "description": f.statement or "-",
            "props": [
                _prop("kansa-finding-ref", f.ref),
                _prop("grade", f.grade),
                _prop("status", f.status),
                *([_prop("due-date", f.due_date)] if f.due_date else []),
            ],
            "target": {
                "type": "objective-id",
                "target-id": token(f.control_id),
                "status": {
                    "state": "not-satisfied" if nonconformity and not settled else "satisfied",
                    "reason": "fail" if nonconformity and not settled else "other",
                },
            },
            "remarks": f"Criterion: {pick(f.criterion, lang)}",
        }


def assessment_results(data: AuditReportData, *, key: str, now: datetime, lang: str = "en") -> Json:
    """The OSCAL assessment-results document as plain data (``{"assessment-results": ...}``).

    ``key`` (the assessment's id) seeds every uuid, so they stay the same from one export to
    the next."""
    s = data.score
    files: dict[str, list[EvidenceLine]] = defaultdict(list)
    for e in data.evidence:
        for cid in e.controls:
            files[cid].append(e)
    answered = [c for c in data.controls if c.result != "not_assessed"]
    observations = [
        _observation(data, key, c, files.get(c.control_id, []), lang, now) for c in answered
    ]
    observed = {c.control_id for c in answered}
    findings = [
        _control_finding(data, key, c, lang, c.control_id in observed) for c in data.controls
    ]
    findings.extend(_audit_findings(data, key, lang))
    result_props = [
        _prop("scope", pick(data.scope, lang)),
        _prop("catalogue-urn", data.catalogue_urn or "-"),
        _prop("catalogue-version", data.catalogue_version),
        _prop("coverage", f"{s.overall_coverage:.4f}"),
    ]
    if s.overall_score is not None:
        result_props.append(_prop("overall-score", f"{s.overall_score:.2f}"))
    if s.overall_level is not None:
        result_props.append(_prop("maturity-level", s.overall_level))
    result: Json = {
        "uuid": _uuid("result", key),
        "title": line(data.title),
        "description": (
            f"Self-inspection of {pick(data.scope, lang)} against "
            f"{pick(data.catalogue_name, lang)} {data.catalogue_version}."
        ),
        "start": _timestamp(data.period_start, now),
        "props": result_props,
        "reviewed-controls": {
            "control-selections": [
                {"include-controls": [{"control-id": token(c.control_id)} for c in data.controls]}
                if data.controls
                else {"include-all": {}}
            ]
        },
    }
    if data.period_end:
        result["end"] = _timestamp(data.period_end, now)
    if observations:
        result["observations"] = observations
    if findings:
        result["findings"] = findings
    metadata: Json = {
        "title": line(data.title),
        "last-modified": _timestamp(now, now),
        "version": line(data.version),
        "oscal-version": OSCAL_VERSION,
        "props": [_prop("kansa-report-id", data.report_id)],
    }
    return {
        "assessment-results": {
            "uuid": _uuid("assessment-results", key),
            "metadata": metadata,
            "import-ap": {
                "href": f"urn:kansa:assessment-plan:{token(key)}",
                "remarks": (
                    "Kansa keeps no OSCAL assessment plan: the plan is the self-inspection "
                    "campaign itself (scope, period, team and the pinned catalogue "
                    f"{data.catalogue_urn} {data.catalogue_version})."
                ),
            },
            "results": [result],
        }
    }


def assessment_results_json(
    data: AuditReportData, *, key: str, now: datetime, lang: str = "en"
) -> bytes:
    """The document as UTF-8 JSON (Japanese kept as characters, not escapes)."""
    document = assessment_results(data, key=key, now=now, lang=lang)
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
