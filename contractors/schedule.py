"""Keep a contractor's stored tier and next review date in step with the tier rule.

Called inside the transaction of every change that feeds the rule (register, update, a data
location, a completed review) and by the demo loader; the rule itself is pure
(``contractors.model.tier_for``).
"""

from __future__ import annotations

from datetime import date

from contractors import repository
from contractors.model import (
    Contractor,
    ContractorDraft,
    TierInputs,
    TierResult,
    next_review_due,
    tier_for,
)
from core.errors import NotFound
from storage.db import Cursor


def load_contractor(cur: Cursor, contractor_id: str) -> Contractor:
    """The contractor with this id or code, or ``NotFound``."""
    found = repository.get_contractor(cur, contractor_id.strip())
    if found is None:
        raise NotFound(f"No contractor {contractor_id!r}.")
    return found


def tier_inputs(cur: Cursor, contractor: Contractor, today: date) -> TierInputs:
    abroad, findings, score = repository.tier_facts(cur, contractor.id, today)
    return TierInputs(
        individuals=contractor.approx_individuals,
        special_care=contractor.special_care,
        abroad=abroad,
        missing_clauses=len(contractor.missing_clauses),
        findings=findings,
        review_score=score,
    )


def draft_tier(
    cur: Cursor, draft: ContractorDraft, contractor_id: str | None, today: date
) -> TierResult:
    """The rule applied to a draft: what the contractor's tier becomes if it is saved."""
    abroad, findings, score = (
        repository.tier_facts(cur, contractor_id, today) if contractor_id else (False, 0, None)
    )
    return tier_for(
        TierInputs(
            individuals=draft.approx_individuals,
            special_care=draft.special_care,
            abroad=abroad,
            missing_clauses=len(draft.clauses.missing()),
            findings=findings,
            review_score=score,
        )
    )


def current_tier(cur: Cursor, contractor: Contractor, today: date) -> TierResult:
    return tier_for(tier_inputs(cur, contractor, today))


def refresh(
    cur: Cursor,
    contractor_id: str,
    today: date,
    actor: str,
    *,
    last_review_on: date | None = None,
) -> tuple[TierResult, bool]:
    """Recompute and store the tier and next review date (``last_review_on``: a review was
    just completed); returns the result and whether the stored values changed."""
    contractor = repository.get_contractor(cur, contractor_id)
    if contractor is None:
        raise RuntimeError(f"contractor {contractor_id} vanished")
    result = current_tier(cur, contractor, today)
    last = last_review_on or contractor.last_review_on
    due = next_review_due(result.tier, last, contractor.contract_start)
    changed = repository.set_schedule(
        cur,
        contractor_id,
        tier=result.tier,
        tier_points=result.points,
        next_review_due=due,
        last_review_on=last,
        actor=actor,
    )
    return result, changed
