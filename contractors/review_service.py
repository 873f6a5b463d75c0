"""Contractor reviews: start one, answer it after a visit or by questionnaire workbook,
complete it (which sets the contractor's tier and next review date)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date

from assessments import repository as assessment_repository
from assessments.model import Assessment, Status
from assessments.score_queries import assessment_score
from auth import repository as auth_repository
from auth.model import Permission, Principal
from auth.permissions import requires
from contractors import answers, review_repository, schedule
from contractors.model import (
    BiText,
    Contractor,
    ContractorReview,
    QuestionnaireImport,
    ReviewAnswer,
    ReviewMethod,
    TypedResponse,
)
from contractors.questionnaire import (
    ImportedAnswer,
    Question,
    QuestionnaireSpec,
    build_workbook,
    read_workbook,
)
from controls import repository as control_repository
from controls.model import Lang
from core.errors import Conflict, Issue, NotFound, ValidationFailed
from storage.db import Cursor, Database

CATALOGUE_URN = "urn:kansa:catalogue:contractor-review"


def _today(today: date | None) -> date:
    return today or date.today()


def _audit(cur: Cursor, actor: Principal, action: str, entity_id: str, **kw: object) -> None:
    auth_repository.append_audit(
        cur, actor=actor.username, action=action, entity="contractor", entity_id=entity_id, **kw
    )


def _load_review(cur: Cursor, assessment_id: str) -> tuple[ContractorReview, Assessment]:
    review = review_repository.get_review(cur, assessment_id)
    assessment = assessment_repository.get_assessment(cur, assessment_id)
    if review is None or assessment is None:
        raise NotFound(f"No contractor review {assessment_id!r}.")
    return review, assessment


def _create_review(
    cur: Cursor,
    actor: Principal,
    contractor: Contractor,
    catalogue_id: str,
    method: ReviewMethod,
    day: date,
) -> str:
    assessment_id = assessment_repository.insert_assessment(
        cur,
        title=f"{contractor.name} 委託先点検 / contractor review {day.isoformat()}",
        catalogue_id=catalogue_id,
        scope_unit=contractor.code,
        period_start=day.isoformat(),
        period_end=None,
        lead_auditor=None,
        created_by=actor.username,
        members=[],
    )
    review_repository.insert_review(cur, assessment_id, contractor.id, method, actor.username, day)
    auth_repository.append_audit(
        cur,
        actor=actor.username,
        action="assessment.create",
        entity="assessment",
        entity_id=assessment_id,
        after={"contractor": contractor.code, "method": method.value, "catalogue": catalogue_id},
    )
    _audit(cur, actor, "contractor.review_start", contractor.id, after={"review": assessment_id})
    return assessment_id


@requires(Permission.CONTRACTOR_EDIT)
def start_review(
    db: Database,
    actor: Principal,
    contractor_id: str,
    *,
    method: ReviewMethod | str = ReviewMethod.VISIT,
    today: date | None = None,
) -> ContractorReview:
    """Start a review: an assessment on the newest contractor-review catalogue whose scope is
    the contractor. One review at a time per contractor."""
    how = ReviewMethod(method)
    day = _today(today)
    with db.transaction() as cur:
        contractor = schedule.load_contractor(cur, contractor_id)
        current = review_repository.open_review(cur, contractor.id)
        if current is not None:
            raise Conflict(
                f"{contractor.name} already has a review under way ({current.title}); "
                "complete it first."
            )
        catalogue_id = assessment_repository.latest_catalogue_id(cur, CATALOGUE_URN)
        if catalogue_id is None:
            raise NotFound(f"The catalogue {CATALOGUE_URN} is not stored; import it first.")
        assessment_id = _create_review(cur, actor, contractor, catalogue_id, how, day)
        review = review_repository.get_review(cur, assessment_id)
    if review is None:
        raise RuntimeError("created review not found")
    return review


@requires(Permission.CONTRACTOR_READ)
def list_reviews(db: Database, actor: Principal, contractor_id: str) -> list[ContractorReview]:
    """The contractor's reviews, newest first."""
    with db.cursor() as cur:
        contractor = schedule.load_contractor(cur, contractor_id)
        return review_repository.list_reviews(cur, contractor.id)


@requires(Permission.CONTRACTOR_READ)
def get_review(db: Database, actor: Principal, assessment_id: str) -> ContractorReview:
    with db.cursor() as cur:
        return _load_review(cur, assessment_id)[0]


@requires(Permission.CONTRACTOR_READ)
def list_review_answers(db: Database, actor: Principal, assessment_id: str) -> list[TypedResponse]:
    """The yes/no, date and text answers of a review (maturity answers are the assessment's
    responses, read through the assessment service)."""
    with db.cursor() as cur:
        if assessment_repository.get_assessment(cur, assessment_id) is None:
            raise NotFound(f"No assessment {assessment_id!r}.")
        return review_repository.list_typed(cur, assessment_id)


def _answerable(cur: Cursor, assessment_id: str) -> Assessment:
    """A contractor or country review that is still open."""
    assessment = assessment_repository.get_assessment(cur, assessment_id)
    review = review_repository.get_review(cur, assessment_id)
    if assessment is None or (
        review is None and not review_repository.is_country_review(cur, assessment_id)
    ):
        raise NotFound(f"No contractor or country review {assessment_id!r}.")
    if assessment.status == Status.CLOSED or (review is not None and review.completed_on):
        raise Conflict(f"{assessment.title} is completed: its answers are read-only.")
    return assessment


@requires(Permission.CONTRACTOR_EDIT)
def save_review_answers(
    db: Database,
    actor: Principal,
    assessment_id: str,
    changes: Sequence[tuple[ReviewAnswer, int | None]],
) -> int:
    """Save answers to a contractor (or country) review, each against the version the user saw
    (None: it was unanswered). All or nothing."""
    with db.transaction() as cur:
        a = _answerable(cur, assessment_id)
        types = review_repository.answer_types(cur, a.catalogue_id)
        cleaned = [(answers.normalise(ans), v) for ans, v in changes]
        found = [p for ans, _ in cleaned for p in answers.problems(ans, types.get(ans.control_id))]
        if found:
            raise ValidationFailed([Issue("answer", 0, "answer", p) for p in found])
        for ans, version in cleaned:
            answers.write(cur, actor.username, a, types[ans.control_id], ans, version)
        if cleaned:
            answers.start_if_planned(cur, actor.username, a)
    return len(cleaned)


@requires(Permission.CONTRACTOR_EDIT)
def complete_review(
    db: Database,
    actor: Principal,
    assessment_id: str,
    *,
    expected_version: int,
    today: date | None = None,
) -> ContractorReview:
    """Close the review once every question is answered; its score and the contractor's data
    set the tier, and the next review falls one interval after today."""
    day = _today(today)
    with db.transaction() as cur:
        review, a = _load_review(cur, assessment_id)
        if review.completed_on is not None or a.status == Status.CLOSED:
            raise Conflict(f"{a.title} was already completed on {review.completed_on}.")
        if a.version != expected_version:
            raise Conflict("The review changed meanwhile; reload and try again.")
        missing = review_repository.unanswered_controls(cur, a.id)
        if missing:
            raise Conflict(
                f"Not completed: {len(missing)} question(s) unanswered ({', '.join(missing[:8])}"
                f"{', ...' if len(missing) > 8 else ''}). Answer them, or mark them N/A with a "
                "reason."
            )
        if not assessment_repository.update_status(
            cur, a.id, a.version, Status.CLOSED, actor.username
        ):
            raise Conflict("The review changed meanwhile; reload and try again.")
        score = assessment_score(cur, a.id).overall_score
        review_repository.record_completion(
            cur, a.id, actor=actor.username, completed_on=day, score=score
        )
        result, _ = schedule.refresh(
            cur, review.contractor_id, day, actor.username, last_review_on=day
        )
        contractor = schedule.load_contractor(cur, review.contractor_id)
        review_repository.record_outcome(
            cur, a.id, tier_after=result.tier, next_review_due=contractor.next_review_due
        )
        auth_repository.append_audit(
            cur,
            actor=actor.username,
            action="assessment.closed",
            entity="assessment",
            entity_id=a.id,
            before={"status": a.status.value},
            after={"status": Status.CLOSED.value},
        )
        _audit(
            cur,
            actor,
            "contractor.review_complete",
            contractor.id,
            after={
                "review": a.id,
                "score": score,
                "tier": result.tier.value,
                "points": result.points,
                "next_review_due": contractor.next_review_due,
            },
        )
        done = review_repository.get_review(cur, a.id)
    if done is None:
        raise RuntimeError("review vanished")
    return done


# --- the questionnaire workbook -----------------------------------------------------------------


def _target_catalogue(cur: Cursor, contractor: Contractor) -> tuple[str, ContractorReview | None]:
    """The catalogue the questionnaire is for: the open review's, else the newest stored."""
    current = review_repository.open_review(cur, contractor.id)
    if current is not None:
        a = assessment_repository.get_assessment(cur, current.assessment_id)
        if a is not None:
            return a.catalogue_id, current
    catalogue_id = assessment_repository.latest_catalogue_id(cur, CATALOGUE_URN)
    if catalogue_id is None:
        raise NotFound(f"The catalogue {CATALOGUE_URN} is not stored; import it first.")
    return catalogue_id, None


def _spec(cur: Cursor, contractor: Contractor, catalogue_id: str) -> QuestionnaireSpec:
    catalogue = control_repository.get_catalogue(cur, catalogue_id)
    if catalogue is None:
        raise NotFound(f"No catalogue {catalogue_id}.")
    domains = {d.domain_id: d for d in control_repository.list_domains(cur, catalogue_id)}
    types = review_repository.answer_types(cur, catalogue_id)
    controls = control_repository.search_controls(
        cur, catalogue_id, folded_terms=[], domains=[], key_only=False
    )
    questions = tuple(
        Question(
            control_id=k.control_id,
            domain=BiText(domains[k.domain_id].name_en, domains[k.domain_id].name_ja),
            text=BiText(k.title_en, k.title_ja),
            answer_type=types[k.control_id],
            evidence=BiText("\n".join(k.evidence_hints_en), "\n".join(k.evidence_hints_ja)),
        )
        for k in controls
        if k.control_id in types
    )
    return QuestionnaireSpec(
        contractor_id=contractor.id,
        contractor_code=contractor.code,
        contractor_name=contractor.name,
        catalogue_urn=catalogue.urn,
        catalogue_version=catalogue.version,
        catalogue_name=BiText(catalogue.name_en, catalogue.name_ja),
        questions=questions,
    )


@requires(Permission.CONTRACTOR_EDIT)
def generate_questionnaire(
    db: Database,
    actor: Principal,
    contractor_id: str,
    *,
    lang: Lang | str = Lang.JA,
    today: date | None = None,
) -> bytes:
    """The questionnaire workbook (.xlsx) to send to the contractor; the issue is audited."""
    language = Lang(lang)
    day = _today(today)
    with db.transaction() as cur:
        contractor = schedule.load_contractor(cur, contractor_id)
        catalogue_id, _ = _target_catalogue(cur, contractor)
        spec = _spec(cur, contractor, catalogue_id)
        data = build_workbook(spec, language, issued_on=day)
        _audit(
            cur,
            actor,
            "contractor.questionnaire_issue",
            contractor.id,
            after={
                "catalogue": f"{spec.catalogue_urn}@{spec.catalogue_version}",
                "lang": language.value,
                "questions_sha256": spec.checksum(language),
                "file_sha256": hashlib.sha256(data).hexdigest(),
            },
        )
    return data


@requires(Permission.CONTRACTOR_EDIT)
def import_questionnaire(
    db: Database,
    actor: Principal,
    contractor_id: str,
    file_name: str,
    data: bytes,
    *,
    replace: bool = False,
    today: date | None = None,
) -> QuestionnaireImport:
    """Import a filled questionnaire: every cell is checked first, then its answers go into the
    contractor's open review (``replace`` to overwrite answers it already has) or a new one.
    Maturity levels are recorded as documented = implemented = the level the contractor chose.
    """
    day = _today(today)
    name = (file_name or "questionnaire.xlsx")[:200]
    with db.cursor() as cur:
        contractor = schedule.load_contractor(cur, contractor_id)
        catalogue_id, _ = _target_catalogue(cur, contractor)
        spec = _spec(cur, contractor, catalogue_id)
    workbook = read_workbook(name, data, spec)  # raises before anything is written
    with db.transaction() as cur:
        target, current = _target_catalogue(cur, contractor)
        if target != catalogue_id:
            raise Conflict("The review's catalogue changed meanwhile; import the file again.")
        created = current is None
        if current is None:
            assessment_id = _create_review(
                cur, actor, contractor, catalogue_id, ReviewMethod.QUESTIONNAIRE, day
            )
        else:
            assessment_id = current.assessment_id
            held = review_repository.answer_count(cur, assessment_id)
            if held and not replace:
                raise Conflict(
                    f"The review under way ({current.title}) already has {held} answer(s); "
                    "nothing was imported. Import again choosing to replace them, or complete "
                    "that review first."
                )
        a = _answerable(cur, assessment_id)
        maturity: list[ReviewAnswer] = []
        typed: list[tuple[str, ReviewAnswer]] = []
        for item in workbook.answers:
            answer = ReviewAnswer(
                control_id=item.control_id,
                documented=item.level,
                implemented=item.level,
                value=item.value,
                na_reason=item.note if item.na else None,
                note=None if item.na else item.note,
            )
            if item.answer_type == "maturity":
                maturity.append(answer)
            else:
                typed.append((item.answer_type, answer))
        review_repository.upsert_responses(cur, a.id, maturity, actor.username)
        review_repository.upsert_typed(cur, a.id, typed, actor.username)
        if workbook.answers:
            answers.start_if_planned(cur, actor.username, a)
        auth_repository.append_audit(
            cur,
            actor=actor.username,
            action="assessment.import",
            entity="assessment",
            entity_id=a.id,
            after={
                "file": name,
                "sha256": hashlib.sha256(data).hexdigest(),
                "questions_sha256": workbook.checksum,
                "unanswered": list(workbook.unanswered),
                "answers": {i.control_id: _shown(i) for i in workbook.answers},
            },
        )
    return QuestionnaireImport(
        assessment_id=a.id,
        contractor_id=contractor.id,
        created=created,
        answered=len(workbook.answers),
        unanswered=workbook.unanswered,
    )


def _shown(item: ImportedAnswer) -> str:
    """An imported answer as the audit trail records it."""
    given = "N/A" if item.na else str(item.level if item.level is not None else item.value)
    return f"{given} ({item.note})" if item.note else given
