"""The contractor register, the country register and the risk-tier rule. No I/O.

The risk tier is a points rule kept in the tables below: each factor adds points, the total
sets the tier, the tier sets the review interval. ``describe_rule`` renders the same tables as
text in Japanese or English, so what a page shows is what the code computes.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from controls.model import Lang


@dataclass(frozen=True, slots=True)
class BiText:
    """A text in both languages."""

    en: str
    ja: str

    def get(self, lang: Lang | str) -> str:
        return self.ja if lang == Lang.JA else self.en


class Tier(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


TIER_LABELS: dict[Tier, BiText] = {
    Tier.HIGH: BiText("high", "高"),
    Tier.MEDIUM: BiText("medium", "中"),
    Tier.LOW: BiText("low", "低"),
}


class Clause(StrEnum):
    """The clauses an entrustment contract needs (guideline 3-4-4)."""

    SECURITY_MEASURES = "security_measures"
    CONFIDENTIALITY = "confidentiality"
    REENTRUSTMENT = "reentrustment"
    HANDLING_REPORTS = "handling_reports"
    RETURN_DELETION = "return_deletion"
    BREACH_NOTICE = "breach_notice"
    AUDIT_RIGHTS = "audit_rights"


CLAUSE_LABELS: dict[Clause, BiText] = {
    Clause.SECURITY_MEASURES: BiText("security control measures", "安全管理措置"),
    Clause.CONFIDENTIALITY: BiText("confidentiality", "秘密保持"),
    Clause.REENTRUSTMENT: BiText("conditions on re-entrustment", "再委託の条件"),
    Clause.HANDLING_REPORTS: BiText("reports on handling status", "取扱状況の報告"),
    Clause.RETURN_DELETION: BiText("return or deletion at the end", "契約終了時の返却・削除"),
    Clause.BREACH_NOTICE: BiText("breach notice within an agreed time", "漏えい等の通知期限"),
    Clause.AUDIT_RIGHTS: BiText("audit rights", "監査の権利"),
}


class CertificationKind(StrEnum):
    PRIVACYMARK = "privacymark"
    ISO27001 = "iso27001"
    SOC2 = "soc2"
    OTHER = "other"


CERTIFICATION_LABELS: dict[CertificationKind, BiText] = {
    CertificationKind.PRIVACYMARK: BiText("PrivacyMark", "プライバシーマーク"),
    CertificationKind.ISO27001: BiText("ISO/IEC 27001", "ISO/IEC 27001"),
    CertificationKind.SOC2: BiText("SOC 2", "SOC 2"),
    CertificationKind.OTHER: BiText("other", "その他"),
}


class SubjectKind(StrEnum):
    """What holds personal data in a place: a contractor, one of our systems, one of our sites."""

    CONTRACTOR = "contractor"
    SYSTEM = "system"
    SITE = "site"


class LocationMode(StrEnum):
    STORED = "stored"
    ACCESSED = "accessed"


class ReviewMethod(StrEnum):
    QUESTIONNAIRE = "questionnaire"  # the contractor fills the workbook
    VISIT = "visit"  # the supervisor answers after an on-site audit or visit
    DOCUMENTS = "documents"  # the supervisor answers from documents the contractor sent


# --- contractors ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Clauses:
    """Which required clauses the contract has; breach notice as the agreed number of hours."""

    security_measures: bool = False
    confidentiality: bool = False
    reentrustment: bool = False
    handling_reports: bool = False
    return_deletion: bool = False
    breach_notice_hours: int | None = None
    audit_rights: bool = False

    def present(self, clause: Clause) -> bool:
        if clause == Clause.BREACH_NOTICE:
            return self.breach_notice_hours is not None
        return bool(getattr(self, clause.value))

    def missing(self) -> tuple[Clause, ...]:
        return tuple(c for c in Clause if not self.present(c))

    @classmethod
    def complete(cls, breach_notice_hours: int = 24) -> Clauses:
        return cls(True, True, True, True, True, breach_notice_hours, True)


@dataclass(frozen=True, slots=True)
class ContractorDraft:
    """What a supervisor enters to register or change a contractor."""

    name: str
    services: str
    approx_individuals: int
    special_care: bool
    contract_start: date
    owner: str
    clauses: Clauses = Clauses()
    name_en: str | None = None
    data_categories: tuple[str, ...] = ()
    contract_end: date | None = None


@dataclass(frozen=True, slots=True)
class Contractor:
    id: str
    code: str
    name: str
    name_en: str | None
    services: str
    data_categories: tuple[str, ...]
    approx_individuals: int
    special_care: bool
    contract_start: date
    contract_end: date | None
    clauses: Clauses
    owner: str
    tier: Tier
    tier_points: int
    last_review_on: date | None
    next_review_due: date
    version: int
    created_by: str
    created_at: str
    updated_by: str
    updated_at: str

    @property
    def missing_clauses(self) -> tuple[Clause, ...]:
        return self.clauses.missing()

    def display_name(self, lang: Lang | str) -> str:
        return self.name_en if lang == Lang.EN and self.name_en else self.name

    def draft(self) -> ContractorDraft:
        """The editable part, e.g. to change one field with ``dataclasses.replace``."""
        return ContractorDraft(
            name=self.name,
            services=self.services,
            approx_individuals=self.approx_individuals,
            special_care=self.special_care,
            contract_start=self.contract_start,
            owner=self.owner,
            clauses=self.clauses,
            name_en=self.name_en,
            data_categories=self.data_categories,
            contract_end=self.contract_end,
        )


@dataclass(frozen=True, slots=True)
class ContractorSummary:
    """One line of the register list."""

    id: str
    code: str
    name: str
    name_en: str | None
    tier: Tier
    owner: str
    approx_individuals: int
    special_care: bool
    abroad: bool
    missing_clauses: tuple[Clause, ...]
    last_review_on: date | None
    next_review_due: date
    overdue: bool
    contract_end: date | None


@dataclass(frozen=True, slots=True)
class Certification:
    id: str
    contractor_id: str
    kind: CertificationKind
    certificate_id: str
    scope: str | None
    expires_on: date
    added_by: str


@dataclass(frozen=True, slots=True)
class SubcontractorLink:
    id: str
    parent_id: str
    parent_name: str
    child_id: str
    child_name: str
    work: str
    approved: bool
    approved_by: str | None
    approved_at: str | None
    version: int


@dataclass(frozen=True, slots=True)
class DataLocation:
    id: str
    subject_kind: SubjectKind
    subject_id: str
    subject_name: str
    country_code: str
    mode: LocationMode
    note: str | None


@dataclass(frozen=True, slots=True)
class ContractorReview:
    assessment_id: str
    contractor_id: str
    title: str
    status: str  # the assessment's status
    assessment_version: int
    catalogue_version: str
    method: ReviewMethod
    started_by: str
    started_on: date
    completed_by: str | None
    completed_on: date | None
    score: float | None
    tier_after: Tier | None
    next_review_due: date | None


@dataclass(frozen=True, slots=True)
class ContractorDetail:
    contractor: Contractor
    certifications: tuple[Certification, ...]
    subcontractors: tuple[SubcontractorLink, ...]  # links where it re-entrusts
    entrusted_by: tuple[SubcontractorLink, ...]  # links where it is the sub-contractor
    locations: tuple[DataLocation, ...]
    reviews: tuple[ContractorReview, ...]  # newest first
    tier: TierResult  # the rule applied to today's data, with its explanation


# --- answers that are not on the maturity scale ---------------------------------------------


@dataclass(frozen=True, slots=True)
class ReviewAnswer:
    """One answer to a review question: D/I for maturity questions, ``value`` for yes/no
    ("yes"/"no"), date (YYYY-MM-DD) and text questions; or N/A with a reason."""

    control_id: str
    documented: int | None = None
    implemented: int | None = None
    value: str | None = None
    na_reason: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class TypedResponse:
    assessment_id: str
    control_id: str
    answer_type: str
    value: str | None
    na_reason: str | None
    note: str | None
    answered_by: str
    answered_at: str
    version: int


@dataclass(frozen=True, slots=True)
class QuestionnaireImport:
    """What importing a filled questionnaire did."""

    assessment_id: str  # the review the answers went into
    contractor_id: str
    created: bool  # a new review was started (False: the open review was filled)
    answered: int
    unanswered: tuple[str, ...]  # control ids the contractor left blank


# --- the supervisor dashboard ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DueReview:
    contractor_id: str
    code: str
    name: str
    tier: Tier
    owner: str
    last_review_on: date | None
    next_review_due: date
    days_left: int  # negative: overdue by that many days
    review_open: bool

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


@dataclass(frozen=True, slots=True)
class MissingClauses:
    contractor_id: str
    code: str
    name: str
    tier: Tier
    owner: str
    missing: tuple[Clause, ...]


@dataclass(frozen=True, slots=True)
class ExpiringCertification:
    contractor_id: str
    code: str
    name: str
    kind: CertificationKind
    certificate_id: str
    expires_on: date
    days_left: int  # negative: expired


@dataclass(frozen=True, slots=True)
class UnapprovedLink:
    link_id: str
    parent_id: str
    parent_code: str
    parent_name: str
    child_id: str
    child_code: str
    child_name: str
    work: str
    added_on: date


@dataclass(frozen=True, slots=True)
class SupervisorDashboard:
    today: date
    horizon_days: int
    contractors: int  # under contract today
    by_tier: dict[Tier, int]
    due: tuple[DueReview, ...]  # overdue first
    missing_clauses: tuple[MissingClauses, ...]
    expiring: tuple[ExpiringCertification, ...]
    unapproved: tuple[UnapprovedLink, ...]

    @property
    def overdue(self) -> tuple[DueReview, ...]:
        return tuple(d for d in self.due if d.overdue)


# --- the risk-tier rule ---------------------------------------------------------------------


class Factor(StrEnum):
    VOLUME = "volume"
    SPECIAL_CARE = "special_care"
    ABROAD = "abroad"
    MISSING_CLAUSES = "missing_clauses"
    FINDINGS = "findings"
    REVIEW_SCORE = "review_score"


@dataclass(frozen=True, slots=True)
class TierInputs:
    individuals: int  # approximate number of individuals whose data the contractor handles
    special_care: bool  # special care-required personal information included
    abroad: bool  # data stored or accessed outside Japan (the contractor or a location of it)
    missing_clauses: int  # required contract clauses missing
    findings: int  # nonconformities from its reviews: still open, or raised within 3 years
    review_score: float | None = None  # overall score of the last completed review


# At least this many individuals -> points (first match, largest first). Above 1,000 a leak
# is reportable to the PPC (Art. 26), hence the first step.
VOLUME_POINTS: tuple[tuple[int, int], ...] = ((100_000, 3), (10_000, 2), (1_000, 1))
SPECIAL_CARE_POINTS = 3  # any leak of it is reportable, whatever the volume
ABROAD_POINTS = 1
MISSING_CLAUSE_POINTS, MISSING_CLAUSE_CAP = 1, 3  # per clause, at most
FINDING_POINTS, FINDING_CAP = 1, 2  # per nonconformity, at most
FINDINGS_LOOKBACK_YEARS = 3
# Below this score -> points (first match, lowest first): the red / amber rating bands.
REVIEW_SCORE_POINTS: tuple[tuple[float, int], ...] = ((50.0, 2), (75.0, 1))
# At least this many points -> tier (first match, highest first).
TIER_THRESHOLDS: tuple[tuple[int, Tier], ...] = ((5, Tier.HIGH), (2, Tier.MEDIUM), (0, Tier.LOW))
REVIEW_INTERVAL_MONTHS: dict[Tier, int] = {Tier.HIGH: 12, Tier.MEDIUM: 24, Tier.LOW: 36}
DUE_SOON_DAYS = 90


@dataclass(frozen=True, slots=True)
class Contribution:
    factor: Factor
    points: int
    text: BiText  # the input and what it added, e.g. "... 12,000 → +2"


@dataclass(frozen=True, slots=True)
class TierResult:
    tier: Tier
    points: int
    contributions: tuple[Contribution, ...]

    @property
    def interval_months(self) -> int:
        return REVIEW_INTERVAL_MONTHS[self.tier]

    def explain(self, lang: Lang | str) -> tuple[str, ...]:
        """One line per factor and a closing line with the total, tier and interval."""
        label = TIER_LABELS[self.tier].get(lang)
        if lang == Lang.JA:
            total = (
                f"合計 {self.points} 点 → リスク区分「{label}」"
                f"（点検周期 {self.interval_months} か月）"
            )
        else:
            total = (
                f"Total {self.points} points → {label} risk tier "
                f"(review every {self.interval_months} months)"
            )
        return (*(c.text.get(lang) for c in self.contributions), total)


def _volume_points(individuals: int) -> int:
    return next((p for at_least, p in VOLUME_POINTS if individuals >= at_least), 0)


def _score_points(score: float | None) -> int:
    if score is None:
        return 0
    return next((p for below, p in REVIEW_SCORE_POINTS if score < below), 0)


def _yes(value: bool, lang: str) -> str:
    if lang == "ja":
        return "あり" if value else "なし"
    return "yes" if value else "no"


def tier_for(inputs: TierInputs) -> TierResult:
    """Apply the rule: add each factor's points, then the first threshold reached sets the tier."""
    n = inputs.individuals
    volume = _volume_points(n)
    special = SPECIAL_CARE_POINTS if inputs.special_care else 0
    abroad = ABROAD_POINTS if inputs.abroad else 0
    clauses = min(MISSING_CLAUSE_CAP, MISSING_CLAUSE_POINTS * max(0, inputs.missing_clauses))
    findings = min(FINDING_CAP, FINDING_POINTS * max(0, inputs.findings))
    score = _score_points(inputs.review_score)
    shown_score = "—" if inputs.review_score is None else f"{inputs.review_score:.0f}"
    parts = [
        Contribution(
            Factor.VOLUME,
            volume,
            BiText(
                f"Individuals whose data is handled: about {n:,} → +{volume}",
                f"取り扱う本人の数: 約{n:,}人 → +{volume}",
            ),
        ),
        Contribution(
            Factor.SPECIAL_CARE,
            special,
            BiText(
                f"Special care-required personal information: {_yes(inputs.special_care, 'en')}"
                f" → +{special}",
                f"要配慮個人情報: {_yes(inputs.special_care, 'ja')} → +{special}",
            ),
        ),
        Contribution(
            Factor.ABROAD,
            abroad,
            BiText(
                f"Personal data stored or accessed outside Japan: {_yes(inputs.abroad, 'en')}"
                f" → +{abroad}",
                f"外国での保管・アクセス: {_yes(inputs.abroad, 'ja')} → +{abroad}",
            ),
        ),
        Contribution(
            Factor.MISSING_CLAUSES,
            clauses,
            BiText(
                f"Required contract clauses missing: {inputs.missing_clauses} → +{clauses}",
                f"契約に欠けている必須条項: {inputs.missing_clauses}件 → +{clauses}",
            ),
        ),
        Contribution(
            Factor.FINDINGS,
            findings,
            BiText(
                f"Nonconformities from its reviews: {inputs.findings} → +{findings}",
                f"点検での不適合: {inputs.findings}件 → +{findings}",
            ),
        ),
        Contribution(
            Factor.REVIEW_SCORE,
            score,
            BiText(
                f"Score of the last completed review: {shown_score} → +{score}",
                f"直近に完了した点検の得点: {shown_score} → +{score}",
            ),
        ),
    ]
    points = sum(c.points for c in parts)
    tier = next(t for at_least, t in TIER_THRESHOLDS if points >= at_least)
    return TierResult(tier, points, tuple(parts))


def describe_rule(lang: Lang | str) -> tuple[str, ...]:
    """The rule in words, built from the same tables ``tier_for`` uses."""
    ja = lang == Lang.JA
    volume = (", " if not ja else "、").join(
        f"{n:,}人以上 +{p}" if ja else f"{n:,} or more: +{p}" for n, p in reversed(VOLUME_POINTS)
    )
    score = (", " if not ja else "、").join(
        f"{s:.0f}未満 +{p}" if ja else f"below {s:.0f}: +{p}" for s, p in REVIEW_SCORE_POINTS
    )
    bands = _tier_bands()
    if ja:
        tiers = "、".join(
            f"{TIER_LABELS[t].ja}: {lo}点{'以上' if hi is None else f'〜{hi}点'}"
            f"（{REVIEW_INTERVAL_MONTHS[t]}か月ごとに点検）"
            for t, lo, hi in bands
        )
        return (
            "委託先ごとに次の点数を合計し、リスク区分と点検周期を決めます。",
            f"取り扱う本人の数: {volume}",
            f"要配慮個人情報を含む: +{SPECIAL_CARE_POINTS}",
            f"外国で保管・アクセスされる: +{ABROAD_POINTS}",
            f"契約に欠けている必須条項: 1件につき +{MISSING_CLAUSE_POINTS}"
            f"（上限 {MISSING_CLAUSE_CAP}）",
            f"点検での不適合（未完了、または{FINDINGS_LOOKBACK_YEARS}年以内に指摘されたもの）: "
            f"1件につき +{FINDING_POINTS}（上限 {FINDING_CAP}）",
            f"直近に完了した点検の得点: {score}",
            f"リスク区分: {tiers}",
            "次回点検期限は、直近に完了した点検日（未実施なら契約開始日）に点検周期を加えた日です。",
        )
    tiers = "; ".join(
        f"{TIER_LABELS[t].en}: {lo}{'+' if hi is None else f'-{hi}'} points"
        f" (review every {REVIEW_INTERVAL_MONTHS[t]} months)"
        for t, lo, hi in bands
    )
    return (
        "Each contractor's points are added up; the total sets its risk tier and review interval.",
        f"Individuals whose data it handles: {volume}",
        f"Special care-required personal information included: +{SPECIAL_CARE_POINTS}",
        f"Personal data stored or accessed outside Japan: +{ABROAD_POINTS}",
        f"Required contract clauses missing: +{MISSING_CLAUSE_POINTS} each"
        f" (at most {MISSING_CLAUSE_CAP})",
        "Nonconformities from its reviews (still open, or raised within the last "
        f"{FINDINGS_LOOKBACK_YEARS} years): +{FINDING_POINTS} each (at most {FINDING_CAP})",
        f"Score of the last completed review: {score}",
        f"Tiers: {tiers}",
        "The next review is due one interval after the last completed review (or after the "
        "contract start when there has been none).",
    )


def _tier_bands() -> list[tuple[Tier, int, int | None]]:
    """(tier, lowest points, highest points or None) from TIER_THRESHOLDS."""
    bands: list[tuple[Tier, int, int | None]] = []
    ceiling: int | None = None
    for at_least, tier in TIER_THRESHOLDS:
        bands.append((tier, at_least, ceiling))
        ceiling = at_least - 1
    return bands


# --- review dates ---------------------------------------------------------------------------


def add_months(start: date, months: int) -> date:
    """``start`` plus whole months, on the same day or the last day of a shorter month."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def next_review_due(tier: Tier, last_review_on: date | None, contract_start: date) -> date:
    """One interval after the last completed review, or after the contract start."""
    return add_months(last_review_on or contract_start, REVIEW_INTERVAL_MONTHS[tier])


def days_until(due: date, today: date) -> int:
    """Days from ``today`` to ``due``; negative when it has passed."""
    return (due - today).days


def is_due_soon(due: date, today: date, horizon_days: int = DUE_SOON_DAYS) -> bool:
    """Overdue, or due within ``horizon_days``."""
    return days_until(due, today) <= horizon_days


def find_cycle(edges: Sequence[tuple[str, str]], parent: str, child: str) -> list[str] | None:
    """The chain parent -> child -> ... -> parent that adding ``parent -> child`` would close
    (None: no circle). ``edges`` are the existing (parent, child) links."""
    if parent == child:
        return [parent, child]
    following: dict[str, list[str]] = {}
    for a, b in edges:
        following.setdefault(a, []).append(b)
    # Breadth-first from child: the shortest way back to parent, if any.
    previous: dict[str, str | None] = {child: None}
    queue = [child]
    while queue:
        node = queue.pop(0)
        if node == parent:
            path = [node]
            step = previous[node]
            while step is not None:
                path.append(step)
                step = previous[step]
            return [parent, *reversed(path)]
        for nxt in following.get(node, ()):
            if nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return None
