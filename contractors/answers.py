"""Answers to review questions of every answer type, inside a service's transaction.

Maturity questions go to ``responses`` (documented/implemented 0-5, scored like any
assessment); yes/no, date and text questions go to ``typed_responses``, because the responses
table only holds maturity levels (its CHECK constraints say so) and the migration that made it
must not change.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date

from assessments import repository as assessment_repository
from assessments.model import Answer, Assessment, Status
from auth import repository as auth_repository
from contractors import review_repository
from contractors.model import ReviewAnswer
from core.errors import Conflict
from storage.db import Cursor

MAX_TEXT = 5000
TYPES = ("maturity", "yes_no", "date", "text")


def normalise(answer: ReviewAnswer) -> ReviewAnswer:
    value = None if answer.value is None else str(answer.value).strip() or None
    reason = (answer.na_reason or "").strip() or None
    note = (answer.note or "").strip() or None
    return replace(answer, value=value, na_reason=reason, note=note)


def problems(answer: ReviewAnswer, answer_type: str | None) -> list[str]:
    """What is wrong with one (normalised) answer; empty when it is fine."""
    cid = answer.control_id
    if answer_type is None:
        return [f"{cid}: not a question of this review's catalogue"]
    found: list[str] = []
    if len(answer.note or "") > MAX_TEXT or len(answer.na_reason or "") > MAX_TEXT:
        found.append(f"{cid}: text longer than {MAX_TEXT} characters")
    levels = (answer.documented, answer.implemented)
    if answer.na_reason:
        if answer.value is not None or levels != (None, None):
            found.append(f"{cid}: N/A leaves the answer empty")
        return found
    if answer_type == "maturity":
        if answer.value is not None:
            found.append(f"{cid}: answer with documented and implemented levels (0-5)")
        elif any(not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 5 for v in levels):
            found.append(
                f"{cid}: give documented and implemented as whole numbers 0-5, or N/A with a reason"
            )
        return found
    if levels != (None, None):
        found.append(f"{cid}: only maturity questions take documented/implemented levels")
    value = answer.value
    if value is None:
        found.append(f"{cid}: give an answer, or N/A with a reason")
    elif answer_type == "yes_no" and value not in ("yes", "no"):
        found.append(f"{cid}: answer yes or no")
    elif answer_type == "date" and not _is_date(value):
        found.append(f"{cid}: give a date as YYYY-MM-DD")
    elif len(value) > MAX_TEXT:
        found.append(f"{cid}: text longer than {MAX_TEXT} characters")
    return found


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def write(
    cur: Cursor,
    actor: str,
    assessment: Assessment,
    answer_type: str,
    answer: ReviewAnswer,
    expected_version: int | None,
) -> None:
    """Insert or overwrite one validated answer if it is still at ``expected_version`` (None:
    it was unanswered), with its audit entry."""
    if answer_type == "maturity":
        before: object = None
        plain = Answer(
            answer.control_id, answer.documented, answer.implemented, answer.na_reason, answer.note
        )
        current = assessment_repository.get_response(cur, assessment.id, answer.control_id)
        _check_version(
            answer.control_id, None if current is None else current.version, expected_version
        )
        if current is None:
            assessment_repository.insert_response(cur, assessment.id, plain, actor)
        else:
            before = asdict(current.as_answer())
            if (
                assessment_repository.update_response(
                    cur, assessment.id, plain, actor, current.version
                )
                is None
            ):  # pragma: no cover - the write lock makes this unreachable
                raise Conflict(f"{answer.control_id} changed meanwhile; reload and decide again.")
        after: object = asdict(plain)
    else:
        typed = review_repository.get_typed(cur, assessment.id, answer.control_id)
        _check_version(
            answer.control_id, None if typed is None else typed.version, expected_version
        )
        if typed is None:
            before = None
            review_repository.insert_typed(cur, assessment.id, answer_type, answer, actor)
        else:
            before = {"value": typed.value, "na_reason": typed.na_reason, "note": typed.note}
            if not review_repository.update_typed(
                cur, assessment.id, answer, actor, typed.version
            ):  # pragma: no cover - the write lock makes this unreachable
                raise Conflict(f"{answer.control_id} changed meanwhile; reload and decide again.")
        after = {
            "control_id": answer.control_id,
            "value": answer.value,
            "na_reason": answer.na_reason,
            "note": answer.note,
        }
    auth_repository.append_audit(
        cur,
        actor=actor,
        action="response.save",
        entity="assessment",
        entity_id=assessment.id,
        before=before,
        after=after,
    )


def _check_version(control_id: str, current: int | None, expected: int | None) -> None:
    if current != expected:
        raise Conflict(
            f"Not saved: {control_id} was answered or changed by someone else meanwhile "
            "(nothing was saved). Reload to see it, then decide again."
        )


def start_if_planned(cur: Cursor, actor: str, assessment: Assessment) -> None:
    if assessment.status == Status.PLANNED:
        if not assessment_repository.update_status(
            cur, assessment.id, assessment.version, Status.IN_PROGRESS, actor
        ):
            raise Conflict("The review changed meanwhile; reload and try again.")
        auth_repository.append_audit(
            cur,
            actor=actor,
            action="assessment.start",
            entity="assessment",
            entity_id=assessment.id,
            after={"status": Status.IN_PROGRESS.value},
        )
