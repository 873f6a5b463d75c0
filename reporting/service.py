"""Reports as a use case: gather plain data from the other services, hand it to ``reports.pdf``.

``reports/`` turns plain data into bytes and never touches the database; this module is the
one place that knows where each figure of a report comes from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date

from assessments import service as assessments
from assessments.model import Assessment, Status
from assessments.scoring import CONFORMANT_FROM
from auth import service as users
from auth.model import Permission, Principal
from auth.permissions import has_permission, requires
from controls import service as catalogues
from controls.model import ControlRow
from core.errors import Conflict
from demo import service as demo
from demo.company import COMPANY_EN, COMPANY_JA
from evidence import service as evidence
from evidence.model import EvidenceItem
from findings import service as findings
from findings.model import FindingFilter, age_days, is_overdue
from org import service as org
from reports.pdf.model import (
    AREAS,
    AnnouncedMeasure,
    AnnouncementData,
    Area,
    Auditee,
    AuditMethod,
    AuditReportData,
    Bilingual,
    ControlLine,
    CorrectiveActionLine,
    DomainInfo,
    EvidenceLine,
    FindingLine,
    OpenFinding,
    PortfolioReportData,
    PortfolioScope,
    TeamMember,
    WeakControl,
)
from storage.db import Database

Progress = Callable[[float], None]
CONFIDENTIAL = Bilingual("社外秘", "Confidential")
APPI_URN = "urn:kansa:catalogue:appi-security-measures"
WORST_CONTROLS = 10


def _organisation(db: Database) -> Bilingual:
    """The company's name for report covers (the demo company's when the demo is loaded)."""
    if demo.is_demo(db):
        return Bilingual(COMPANY_JA, COMPANY_EN)
    return Bilingual("", "")


def _names(db: Database, actor: Principal) -> dict[str, str]:
    if not has_permission(actor.role, Permission.USER_READ):
        return {}
    return {u.username: u.display_name or u.username for u in users.list_users(db, actor)}


def _units(db: Database, actor: Principal) -> dict[str, Bilingual]:
    return {u.code: Bilingual(u.name("ja"), u.name("en")) for u in org.list_units(db, actor)}


def _report_id(prefix: str, key: str, day: date) -> str:
    return f"{prefix}-{day:%Y%m%d}-{key[-8:].upper()}"


# --- the audit report of one assessment ------------------------------------------------------


@requires(Permission.REPORT_READ)
def audit_report_data(
    db: Database, actor: Principal, assessment_id: str, *, today: date | None = None
) -> AuditReportData:
    """Everything the audit report of ``assessment_id`` shows, as plain data."""
    day = today or date.today()
    a = assessments.get_assessment(db, actor, assessment_id)
    view = assessments.score(db, actor, a.id)
    catalogue = catalogues.get_catalogue(db, actor, a.catalogue_id)
    controls = {c.control_id: c for c in catalogues.search_controls(db, actor, a.catalogue_id)}
    domains = tuple(
        DomainInfo(d.domain_id, Bilingual(d.name("ja"), d.name("en")))
        for d in catalogues.list_domains(db, actor, a.catalogue_id)
    )
    names, units = _names(db, actor), _units(db, actor)
    responses = {r.control_id: r for r in assessments.list_responses(db, actor, a.id)}
    items = evidence.list_evidence(db, actor, a.id)
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        counts[item.control_id] += 1

    lines = []
    for cid, c in view.score.controls.items():
        row = controls.get(cid)
        r = responses.get(cid)
        lines.append(
            ControlLine(
                control_id=cid,
                domain_id=c.domain_id,
                title=Bilingual(row.title_ja, row.title_en) if row else cid,
                is_key=bool(row and row.is_key),
                documented=r.documented if r else None,
                implemented=r.implemented if r else None,
                na_reason=r.na_reason if r else None,
                result=c.result.value,
                score=c.score,
                evidence_count=counts.get(cid, 0),
                note=r.note if r else None,
                guideline_refs=row.refs_of("appi_guideline") if row else (),
                iso_refs=row.refs_of("iso27001_2022") if row else (),
            )
        )

    previous_label = None
    previous_overall = None
    previous_domains: dict[str, float | None] = {}
    if view.previous_id:
        before = assessments.get_assessment(db, actor, view.previous_id)
        earlier = assessments.score(db, actor, before.id).score
        previous_label = before.title
        previous_overall = earlier.overall_score
        previous_domains = {k: d.score for k, d in earlier.domains.items()}

    raised = findings.list_findings(db, actor, FindingFilter(assessment_id=a.id), day)
    finding_lines = []
    for f in sorted(raised, key=lambda f: f.ref):
        seen = findings.list_evidence(db, actor, f.id)
        finding_lines.append(
            FindingLine(
                ref=f.ref,
                grade=f.grade.value,
                status=f.status.value,
                control_id=f.control_id,
                statement=f.statement,
                criterion=Bilingual(f.criterion_ja, f.criterion_en),
                evidence_seen=", ".join(e.filename or e.sha256[:12] for e in seen),
                owner=names.get(f.owner, f.owner),
                due_date=f.due_date,
                overdue=is_overdue(f, day),
            )
        )
    actions = tuple(
        CorrectiveActionLine(
            ref=f.ref,
            grade=f.grade.value,
            source=f.assessment_title,
            action=f.corrective_action or "",
            owner=names.get(f.owner, f.owner),
            due_date=f.due_date,
            status=f.status.value,
            verified_on=f.verified_at[:10] if f.verified_at else None,
            verification=f.verification_note or "",
            overdue=is_overdue(f, day),
        )
        for f in findings.follow_up(db, actor, a.id)
    )
    by_file: dict[str, list[str]] = defaultdict(list)
    first: dict[str, EvidenceItem] = {}
    for item in items:
        by_file[item.sha256].append(item.control_id)
        first.setdefault(item.sha256, item)
    evidence_lines = tuple(
        EvidenceLine(
            filename=first[sha].filename,
            sha256=sha,
            added_by=names.get(first[sha].added_by, first[sha].added_by),
            added_at=first[sha].added_at,
            valid_until=first[sha].valid_until,
            controls=tuple(sorted(set(cids))),
        )
        for sha, cids in by_file.items()
    )
    team = tuple(
        TeamMember(names.get(u, u), "", lead=(u == a.lead_auditor))
        for u in dict.fromkeys([*([a.lead_auditor] if a.lead_auditor else []), *a.auditors])
    )
    scope = units.get(a.scope_unit, Bilingual.same(a.scope_unit))
    return AuditReportData(
        report_id=_report_id("AR", a.id, day),
        organisation=_organisation(db),
        title=a.title,
        scope=scope,
        period_start=a.period_start,
        period_end=a.period_end,
        report_date=day,
        version="1.0" if a.status == Status.CLOSED else "0.9 (draft)",
        lead_auditor=names.get(a.lead_auditor or "", a.lead_auditor or ""),
        confidentiality=CONFIDENTIAL,
        catalogue_name=Bilingual(catalogue.name("ja"), catalogue.name("en")),
        catalogue_version=a.catalogue_version,
        catalogue_urn=a.catalogue_urn,
        domains=domains,
        score=view.score,
        controls=tuple(lines),
        team=team,
        auditees=tuple(Auditee(names.get(u, u), scope) for u in a.auditees),
        previous_label=previous_label,
        previous_overall=previous_overall,
        previous_domain_scores=previous_domains,
        findings=tuple(finding_lines),
        corrective_actions=actions,
        evidence=evidence_lines,
        method=AuditMethod(
            fieldwork_start=a.period_start,
            fieldwork_end=a.period_end,
            documents_reviewed=len(evidence_lines),
            sampling="",
        ),
        independence_confirmed=True,  # the assessment service refuses auditors of their unit
    )


@requires(Permission.REPORT_READ)
def audit_report_pdf(
    db: Database,
    actor: Principal,
    assessment_id: str,
    lang: str,
    *,
    progress: Progress | None = None,
    today: date | None = None,
) -> bytes:
    """The audit report of an assessment as PDF, in Japanese or English."""
    from reports.pdf.audit_report import build_audit_report  # noqa: PLC0415 -- ReportLab ~0.3 s

    data = audit_report_data(db, actor, assessment_id, today=today)
    return build_audit_report(data, lang, progress)


# --- the portfolio of every department ------------------------------------------------------


def _latest_closed(db: Database, actor: Principal, urn: str) -> list[Assessment]:
    """The latest closed assessment of each scope on the catalogue ``urn``."""
    latest: dict[str, Assessment] = {}
    for a in assessments.list_assessments(db, actor, status=Status.CLOSED.value):
        if a.catalogue_urn == urn and a.scope_unit not in latest:  # newest first
            latest[a.scope_unit] = a
    return list(latest.values())


@requires(Permission.REPORT_READ)
def portfolio_report_data(
    db: Database, actor: Principal, *, urn: str = APPI_URN, today: date | None = None
) -> PortfolioReportData:
    """Every department's latest closed assessment, the weakest controls, open findings."""
    day = today or date.today()
    units = _units(db, actor)
    latest = _latest_closed(db, actor, urn)
    if not latest:
        raise Conflict("No closed assessment yet: the portfolio report needs at least one.")
    catalogue = catalogues.get_catalogue(db, actor, latest[0].catalogue_id)
    domains = tuple(
        DomainInfo(d.domain_id, Bilingual(d.name("ja"), d.name("en")))
        for d in catalogues.list_domains(db, actor, latest[0].catalogue_id)
    )
    titles: dict[str, ControlRow] = {
        c.control_id: c for c in catalogues.search_controls(db, actor, latest[0].catalogue_id)
    }
    scopes, weak = [], []
    for a in latest:
        view = assessments.score(db, actor, a.id)
        s = view.score
        previous = (
            assessments.score(db, actor, view.previous_id).score.overall_score
            if view.previous_id
            else None
        )
        scope = units.get(a.scope_unit, Bilingual.same(a.scope_unit))
        scopes.append(
            PortfolioScope(
                scope=scope,
                assessment_title=a.title,
                closed_on=a.closed_at[:10] if a.closed_at else None,
                overall_score=s.overall_score,
                overall_level=s.overall_level,
                coverage=s.overall_coverage,
                domain_scores={k: d.score for k, d in s.domains.items()},
                domain_ratings={
                    k: d.rating.value if d.rating else None for k, d in s.domains.items()
                },
                previous_overall=previous,
            )
        )
        for cid, c in s.controls.items():
            if c.score is None:
                continue
            row = titles.get(cid)
            weak.append(
                WeakControl(
                    scope=scope,
                    control_id=cid,
                    title=Bilingual(row.title_ja, row.title_en) if row else cid,
                    score=c.score,
                    result=c.result.value,
                    is_key=bool(row and row.is_key),
                )
            )
    weak.sort(key=lambda w: (w.score if w.score is not None else 0.0, not w.is_key))
    open_items = findings.list_findings(db, actor, FindingFilter(open_only=True), day)
    return PortfolioReportData(
        report_id=_report_id("PF", f"{len(latest):08d}", day),
        organisation=_organisation(db),
        report_date=day,
        confidentiality=CONFIDENTIAL,
        catalogue_name=Bilingual(catalogue.name("ja"), catalogue.name("en")),
        domains=domains,
        scopes=tuple(scopes),
        worst_controls=tuple(weak[:WORST_CONTROLS]),
        open_findings=tuple(
            OpenFinding(
                ref=f.ref,
                scope=units.get(f.org_unit_code, Bilingual.same(f.org_unit_code)),
                grade=f.grade.value,
                age_days=age_days(f, day),
                overdue=is_overdue(f, day),
            )
            for f in open_items
        ),
        prepared_by=actor.display_name or actor.username,
    )


@requires(Permission.REPORT_READ)
def portfolio_report_pdf(
    db: Database,
    actor: Principal,
    lang: str,
    *,
    progress: Progress | None = None,
    today: date | None = None,
) -> bytes:
    from reports.pdf.portfolio import build_portfolio_report  # noqa: PLC0415 -- ReportLab

    return build_portfolio_report(portfolio_report_data(db, actor, today=today), lang, progress)


# --- the Art. 32 announcement ---------------------------------------------------------------

_AREAS: dict[str, Area] = {
    "10-1": "basic_policy",
    "10-2": "internal_rules",
    "10-3": "organizational",
    "10-4": "human",
    "10-5": "physical",
    "10-6": "technological",
    "10-7": "external",
    "3-4-4": "contractors",
}


def _measure_of(guideline_ref: str) -> tuple[Area, int | None] | None:
    """The announcement heading a guideline reference belongs to: "10-5(2)" -> physical 2."""
    base, _, rest = guideline_ref.partition("(")
    area = _AREAS.get(base)
    if area is None:
        return None
    item = int(rest.rstrip(")")) if rest.rstrip(")").isdigit() else None
    return area, item


def _in_place(levels: Sequence[int | None]) -> bool:
    """Every department's latest answer is N/A (None) or at least level 3."""
    return all(level is None or level >= CONFORMANT_FROM for level in levels)


@requires(Permission.REPORT_READ)
def announcement_data(
    db: Database, actor: Principal, *, urn: str = APPI_URN, today: date | None = None
) -> AnnouncementData:
    """The Art. 32 announcement: each measure of the catalogue, and whether every
    department's latest closed assessment shows it in place."""
    day = today or date.today()
    latest = _latest_closed(db, actor, urn)
    catalogue_id = (
        latest[0].catalogue_id
        if latest
        else next(c.id for c in catalogues.latest_catalogues(db, actor) if c.urn == urn)
    )
    levels: dict[str, list[int | None]] = defaultdict(list)
    for a in latest:
        for r in assessments.list_responses(db, actor, a.id):
            if r.na_reason:
                levels[r.control_id].append(None)
            else:
                levels[r.control_id].append(min(r.documented or 0, r.implemented or 0))
    by_measure: dict[tuple[Area, int | None], list[str]] = defaultdict(list)
    for c in catalogues.search_controls(db, actor, catalogue_id):
        for ref in c.refs_of("appi_guideline"):
            found = _measure_of(ref)
            if found:
                by_measure[found].append(c.control_id)
    measures = tuple(
        AnnouncedMeasure(
            area=area,
            item=item,
            in_place=bool(latest) and all(_in_place(levels.get(cid, [0])) for cid in control_ids),
            control_ids=tuple(control_ids),
        )
        for (area, item), control_ids in sorted(
            by_measure.items(), key=lambda kv: (AREAS.index(kv[0][0]), kv[0][1] or 0)
        )
    )
    return AnnouncementData(
        organisation=_organisation(db),
        as_of=day,
        measures=measures,
        basis=Bilingual(
            "各部門の直近の完了した自己点検 " + "、".join(a.title for a in latest),
            "The latest closed self-inspection of each department: "
            + "; ".join(a.title for a in latest),
        )
        if latest
        else None,
    )


@requires(Permission.REPORT_READ)
def announcement(
    db: Database, actor: Principal, lang: str, fmt: str, *, today: date | None = None
) -> bytes:
    """The announcement as Markdown (UTF-8) for legal to edit, or as a PDF draft."""
    data = announcement_data(db, actor, today=today)
    if fmt == "md":
        from reports.pdf.announcement import announcement_markdown  # noqa: PLC0415

        return announcement_markdown(data, lang).encode("utf-8")
    if fmt == "pdf":
        from reports.pdf.announcement import build_announcement_pdf  # noqa: PLC0415

        return build_announcement_pdf(data, lang)
    raise ValueError(f"unknown format {fmt!r}")
