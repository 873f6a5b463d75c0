"""The contractor register (APPI Art. 25): contractors, certifications, re-entrustment chains,
risk tiers and the supervisor dashboard."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from auth import repository as auth_repository
from auth.model import Permission, Principal, Role
from auth.permissions import requires
from contractors import country_repository, repository, review_repository, schedule
from contractors.model import (
    DUE_SOON_DAYS,
    Certification,
    CertificationKind,
    Contractor,
    ContractorDetail,
    ContractorDraft,
    ContractorSummary,
    SubcontractorLink,
    SubjectKind,
    SupervisorDashboard,
    Tier,
    find_cycle,
    next_review_due,
)
from core.errors import Conflict, Issue, NotFound, ValidationFailed
from storage.db import Cursor, Database

MAX_NAME = 200
MAX_TEXT = 2000
MAX_INDIVIDUALS = 200_000_000  # more than the population of Japan: a typo, not a contractor
MAX_BREACH_HOURS = 24 * 30


def _today(today: date | None) -> date:
    return today or date.today()


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed([Issue("contractor", 0, field, message)])


def _audit(cur: Cursor, actor: Principal, action: str, entity_id: str, **kw: object) -> None:
    auth_repository.append_audit(
        cur, actor=actor.username, action=action, entity="contractor", entity_id=entity_id, **kw
    )


def _clean(draft: ContractorDraft) -> ContractorDraft:
    name_en = (draft.name_en or "").strip() or None
    categories = tuple(dict.fromkeys(c.strip() for c in draft.data_categories if c.strip()))
    return ContractorDraft(
        name=draft.name.strip(),
        services=draft.services.strip(),
        approx_individuals=draft.approx_individuals,
        special_care=draft.special_care,
        contract_start=draft.contract_start,
        owner=draft.owner.strip(),
        clauses=draft.clauses,
        name_en=name_en,
        data_categories=categories,
        contract_end=draft.contract_end,
    )


def _validate(cur: Cursor, d: ContractorDraft) -> None:
    issues: list[Issue] = []

    def bad(field: str, message: str) -> None:
        issues.append(Issue("contractor", 0, field, message))

    if not 0 < len(d.name) <= MAX_NAME:
        bad("name", f"give the contractor's name (1-{MAX_NAME} characters)")
    if d.name_en is not None and len(d.name_en) > MAX_NAME:
        bad("name_en", f"at most {MAX_NAME} characters")
    if not 0 < len(d.services) <= MAX_TEXT:
        bad("services", f"say what work is entrusted (1-{MAX_TEXT} characters)")
    if len(d.data_categories) > 30 or any(len(c) > 100 for c in d.data_categories):
        bad("data_categories", "at most 30 categories of at most 100 characters each")
    if isinstance(d.approx_individuals, bool) or not isinstance(d.approx_individuals, int):
        bad("approx_individuals", "give a whole number")
    elif not 0 <= d.approx_individuals <= MAX_INDIVIDUALS:
        bad("approx_individuals", f"give a number from 0 to {MAX_INDIVIDUALS:,}")
    if d.contract_end is not None and d.contract_end < d.contract_start:
        bad("contract_end", "the contract ends before it starts")
    hours = d.clauses.breach_notice_hours
    if hours is not None and not 0 < hours <= MAX_BREACH_HOURS:
        bad("breach_notice_hours", f"give the agreed hours (1-{MAX_BREACH_HOURS}) or leave empty")
    owner = auth_repository.find_user(cur, d.owner) if d.owner else None
    if owner is None or not owner.active or owner.role not in (Role.SUPERVISOR, Role.ADMIN):
        bad("owner", f"{d.owner or '(empty)'} is not an active supervisor")
    if issues:
        raise ValidationFailed(issues)


def _view(c: Contractor) -> dict[str, object]:
    return {k: v for k, v in asdict(c).items() if k not in ("created_at", "updated_at")}


# --- the register -------------------------------------------------------------------------------


@requires(Permission.CONTRACTOR_EDIT)
def register_contractor(
    db: Database, actor: Principal, draft: ContractorDraft, *, today: date | None = None
) -> Contractor:
    """Add a contractor; its tier and first review date follow from the rule."""
    day = _today(today)
    d = _clean(draft)
    with db.transaction() as cur:
        _validate(cur, d)
        result = schedule.draft_tier(cur, d, None, day)
        contractor_id = repository.insert_contractor(
            cur,
            d,
            code=repository.next_code(cur),
            tier=result.tier,
            tier_points=result.points,
            next_review_due=next_review_due(result.tier, None, d.contract_start),
            actor=actor.username,
        )
        created = schedule.load_contractor(cur, contractor_id)
        _audit(cur, actor, "contractor.register", contractor_id, after=_view(created))
    return created


@requires(Permission.CONTRACTOR_EDIT)
def update_contractor(
    db: Database,
    actor: Principal,
    contractor_id: str,
    draft: ContractorDraft,
    *,
    expected_version: int,
    today: date | None = None,
) -> Contractor:
    """Change a contractor if nobody else did meanwhile; the tier is recomputed."""
    day = _today(today)
    d = _clean(draft)
    with db.transaction() as cur:
        current = schedule.load_contractor(cur, contractor_id)
        if current.version != expected_version:
            raise Conflict(
                f"Not saved: {current.updated_by} changed {current.name} at {current.updated_at}"
                f" (version {current.version}, you saw {expected_version}). Reload and decide "
                "again."
            )
        _validate(cur, d)
        result = schedule.draft_tier(cur, d, current.id, day)
        if not repository.update_contractor(
            cur,
            current.id,
            d,
            expected_version,
            actor.username,
            tier=result.tier,
            tier_points=result.points,
            next_review_due=next_review_due(result.tier, current.last_review_on, d.contract_start),
        ):
            raise Conflict(f"{current.name} changed meanwhile; reload and decide again.")
        updated = schedule.load_contractor(cur, current.id)
        _audit(
            cur, actor, "contractor.update", current.id, before=_view(current), after=_view(updated)
        )
    return updated


@requires(Permission.CONTRACTOR_READ)
def list_contractors(
    db: Database,
    actor: Principal,
    *,
    owner: str | None = None,
    tier: Tier | str | None = None,
    query: str | None = None,
    today: date | None = None,
) -> list[ContractorSummary]:
    """The register, next review first (``overdue`` as of ``today``)."""
    wanted = Tier(tier) if tier else None
    with db.cursor() as cur:
        return repository.list_contractors(
            cur, _today(today), owner=owner, tier=wanted, query=(query or "").strip()[:100] or None
        )


@requires(Permission.CONTRACTOR_READ)
def get_contractor(
    db: Database, actor: Principal, contractor_id: str, *, today: date | None = None
) -> ContractorDetail:
    """A contractor with its certifications, chains, locations, reviews and tier explanation."""
    day = _today(today)
    with db.cursor() as cur:
        c = schedule.load_contractor(cur, contractor_id)
        links = repository.list_links(cur, c.id)
        return ContractorDetail(
            contractor=c,
            certifications=tuple(repository.list_certifications(cur, c.id)),
            subcontractors=tuple(k for k in links if k.parent_id == c.id),
            entrusted_by=tuple(k for k in links if k.child_id == c.id),
            locations=tuple(
                country_repository.list_locations(
                    cur, subject_kind=SubjectKind.CONTRACTOR, subject_id=c.id
                )
            ),
            reviews=tuple(review_repository.list_reviews(cur, c.id)),
            tier=schedule.current_tier(cur, c, day),
        )


@requires(Permission.CONTRACTOR_EDIT)
def recompute_tiers(db: Database, actor: Principal, *, today: date | None = None) -> int:
    """Re-apply the tier rule to every contractor (e.g. after findings were raised or closed);
    returns how many changed."""
    day = _today(today)
    changed = 0
    with db.transaction() as cur:
        for contractor_id in repository.contractor_ids(cur):
            before = schedule.load_contractor(cur, contractor_id)
            result, moved = schedule.refresh(cur, contractor_id, day, actor.username)
            if moved:
                changed += 1
                _audit(
                    cur,
                    actor,
                    "contractor.tier",
                    contractor_id,
                    before={"tier": before.tier.value, "points": before.tier_points},
                    after={"tier": result.tier.value, "points": result.points},
                )
    return changed


# --- certifications -----------------------------------------------------------------------------


@requires(Permission.CONTRACTOR_EDIT)
def add_certification(
    db: Database,
    actor: Principal,
    contractor_id: str,
    *,
    kind: CertificationKind | str,
    certificate_id: str,
    expires_on: date,
    scope: str | None = None,
) -> Certification:
    """Record a certification the contractor holds (PrivacyMark, ISO/IEC 27001, SOC 2, ...)."""
    try:
        k = CertificationKind(kind)
    except ValueError:
        raise _invalid("kind", f"unknown kind {kind!r}") from None
    number = certificate_id.strip()
    if not 0 < len(number) <= 100:
        raise _invalid("certificate_id", "give the registration or certificate number")
    with db.transaction() as cur:
        c = schedule.load_contractor(cur, contractor_id)
        cert = repository.insert_certification(
            cur,
            c.id,
            k,
            number,
            expires_on,
            (scope or "").strip()[:MAX_TEXT] or None,
            actor.username,
        )
        _audit(cur, actor, "contractor.certification_add", c.id, after=asdict(cert))
    return cert


@requires(Permission.CONTRACTOR_EDIT)
def remove_certification(db: Database, actor: Principal, certification_id: str) -> None:
    with db.transaction() as cur:
        cert = repository.get_certification(cur, certification_id)
        if cert is None:
            raise NotFound(f"No certification {certification_id!r}.")
        repository.delete_certification(cur, cert.id)
        _audit(
            cur, actor, "contractor.certification_remove", cert.contractor_id, before=asdict(cert)
        )


# --- re-entrustment chains ----------------------------------------------------------------------


@requires(Permission.CONTRACTOR_EDIT)
def link_subcontractor(
    db: Database, actor: Principal, parent_id: str, child_id: str, *, work: str
) -> SubcontractorLink:
    """Record that ``parent`` re-entrusts ``work`` to ``child`` (not yet approved).

    A link that would close a circle (A re-entrusts to B, B to C, C back to A) is refused."""
    what = work.strip()
    if not 0 < len(what) <= MAX_TEXT:
        raise _invalid("work", "say what work is re-entrusted")
    with db.transaction() as cur:
        parent, child = (
            schedule.load_contractor(cur, parent_id),
            schedule.load_contractor(cur, child_id),
        )
        if repository.find_link(cur, parent.id, child.id) is not None:
            raise Conflict(f"{parent.name} already re-entrusts work to {child.name}.")
        cycle = find_cycle(repository.all_links(cur), parent.id, child.id)
        if cycle is not None:
            names = {parent.id: parent, child.id: child}
            chain = " → ".join(
                f"{c.name} ({c.code})"
                for c in (names.get(i) or schedule.load_contractor(cur, i) for i in cycle)
            )
            raise Conflict(
                "Not linked: this would make a circular re-entrustment chain "
                f"({chain}). A contractor cannot end up re-entrusting our work to itself; "
                "check the direction of the link."
            )
        link = repository.insert_link(cur, parent.id, child.id, what, actor.username)
        _audit(cur, actor, "contractor.subcontractor_link", parent.id, after=asdict(link))
    return link


@requires(Permission.CONTRACTOR_EDIT)
def approve_subcontractor(
    db: Database, actor: Principal, link_id: str, *, expected_version: int
) -> SubcontractorLink:
    """Record our prior approval of a re-entrustment."""
    with db.transaction() as cur:
        link = repository.get_link(cur, link_id)
        if link is None:
            raise NotFound(f"No re-entrustment link {link_id!r}.")
        if link.approved:
            raise Conflict(f"Already approved by {link.approved_by} at {link.approved_at}.")
        if not repository.approve_link(cur, link.id, expected_version, actor.username):
            raise Conflict("The link changed meanwhile; reload and decide again.")
        approved = repository.get_link(cur, link.id)
        if approved is None:
            raise RuntimeError("link vanished")
        _audit(
            cur,
            actor,
            "contractor.subcontractor_approve",
            link.parent_id,
            before=asdict(link),
            after=asdict(approved),
        )
    return approved


@requires(Permission.CONTRACTOR_EDIT)
def unlink_subcontractor(
    db: Database, actor: Principal, link_id: str, *, expected_version: int
) -> None:
    with db.transaction() as cur:
        link = repository.get_link(cur, link_id)
        if link is None:
            raise NotFound(f"No re-entrustment link {link_id!r}.")
        if not repository.delete_link(cur, link.id, expected_version):
            raise Conflict("The link changed meanwhile; reload and decide again.")
        _audit(cur, actor, "contractor.subcontractor_unlink", link.parent_id, before=asdict(link))


# --- the supervisor dashboard -------------------------------------------------------------------


@requires(Permission.CONTRACTOR_READ)
def supervisor_dashboard(
    db: Database,
    actor: Principal,
    today: date | None = None,
    *,
    owner: str | None = None,
    horizon_days: int = DUE_SOON_DAYS,
) -> SupervisorDashboard:
    """What needs the supervisor: reviews overdue or due within ``horizon_days``, contracts
    lacking required clauses, certifications expiring, re-entrustments not approved.

    Contractors whose contract has ended are left out. ``owner`` narrows to one supervisor."""
    day = _today(today)
    horizon = max(0, min(int(horizon_days), 3660))
    with db.cursor() as cur:
        counts = repository.dashboard_counts(cur, day, owner)
        return SupervisorDashboard(
            today=day,
            horizon_days=horizon,
            contractors=sum(counts.values()),
            by_tier=counts,
            due=tuple(repository.due_reviews(cur, day, horizon, owner)),
            missing_clauses=tuple(repository.missing_clause_rows(cur, day, owner)),
            expiring=tuple(repository.expiring_certifications(cur, day, horizon, owner)),
            unapproved=tuple(repository.unapproved_links(cur, day, owner)),
        )
