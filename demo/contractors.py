"""The demo company's contractors: about forty fictional businesses that handle its personal
data, in Japan and abroad, with re-entrustment chains, certifications, past reviews and the
country register.

Every name here is invented. Dates are relative to ``today`` so that the register always has
reviews overdue and due soon, certificates about to expire, and so on, whenever it is loaded.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from assessments import repository as assessment_repository
from assessments.model import Status
from assessments.score_queries import portfolio_scores
from auth import repository as auth_repository
from auth.model import Principal
from contractors import country_repository, repository, review_repository, schedule
from contractors.countries import load_seed
from contractors.model import (
    CertificationKind,
    Clause,
    Clauses,
    ContractorDraft,
    LocationMode,
    ReviewMethod,
    SubjectKind,
    Tier,
    add_months,
)
from storage.db import Cursor

CATALOGUE_URN = "urn:kansa:catalogue:contractor-review"
SUPERVISOR = "d.sugimoto"
ADMIN = "y.imai"


@dataclass(frozen=True, slots=True)
class ContractorDemo:
    contractors: int
    reviews: int  # completed reviews with answers (0 when the catalogue is not stored)
    open_reviews: int
    links: int
    locations: int
    countries: int


@dataclass(frozen=True, slots=True)
class _Spec:
    key: str
    name: str
    name_en: str
    services: str
    categories: tuple[str, ...]
    individuals: int
    special_care: bool
    started: int  # months before today
    places: tuple[tuple[str, str], ...] = (("JP", "stored"),)
    certs: tuple[tuple[str, str, int], ...] = ()  # (kind, number, days until expiry)
    missing: tuple[str, ...] = ()  # Clause values the contract lacks
    reviews: tuple[int, ...] = ()  # months before today of each completed review
    quality: float = 3.0  # mean maturity level in its reviews
    ended: int | None = None  # the contract ended this many months ago
    open_review: bool = False
    owner: str = SUPERVISOR


PM, ISO, SOC2 = "privacymark", "iso27001", "soc2"
CUSTOMER = ("顧客の氏名・連絡先", "問合せ履歴")
STAFF = ("従業員の氏名・所属",)

SPECS: tuple[_Spec, ...] = (
    _Spec(
        "callcentre",
        "株式会社ハルカゼ・テレサポート",
        "Harukaze Telesupport Co., Ltd.",
        "コールセンター業務（問合せ受付・折返し対応）",
        (*CUSTOMER, "通話録音"),
        180_000,
        False,
        70,
        certs=((PM, "21000417(05)", 210),),
        reviews=(38, 15),
        quality=3.3,
    ),
    _Spec(
        "dm_print",
        "しずく印刷株式会社",
        "Shizuku Printing Co., Ltd.",
        "ダイレクトメールの印刷・封入封緘",
        ("顧客の氏名・住所",),
        250_000,
        False,
        96,
        certs=((PM, "21000988(08)", 45),),
        reviews=(30, 6),
        quality=3.8,
    ),
    _Spec(
        "dm_delivery",
        "株式会社ソラマメ配送",
        "Soramame Delivery Co., Ltd.",
        "ダイレクトメールの仕分け・配送",
        ("顧客の氏名・住所",),
        250_000,
        False,
        60,
        missing=("handling_reports",),
        reviews=(20, 7),
        quality=2.9,
    ),
    _Spec(
        "payroll_sys",
        "株式会社カエデ給与システムズ",
        "Kaede Payroll Systems Inc.",
        "給与計算システムの運用保守",
        ("受託先従業員の給与・口座情報", "個人番号"),
        60_000,
        False,
        84,
        certs=((ISO, "IS 712044", 300), (PM, "21001533(04)", 400)),
        reviews=(35, 11),
        quality=3.9,
    ),
    _Spec(
        "health",
        "ミズナラ健診協会株式会社",
        "Mizunara Health Check Co., Ltd.",
        "従業員の定期健康診断の実施と結果管理",
        ("健康診断結果",),
        1_200,
        True,
        50,
        certs=((PM, "21002071(03)", 20),),
        reviews=(14,),
        quality=3.5,
    ),
    _Spec(
        "eap",
        "株式会社こもれびカウンセリング",
        "Komorebi Counselling Co., Ltd.",
        "従業員相談窓口（メンタルヘルス）",
        ("相談記録",),
        1_200,
        True,
        30,
        missing=("audit_rights",),
        quality=3.0,
    ),
    _Spec(
        "shred",
        "株式会社クヌギ機密文書処理",
        "Kunugi Secure Shredding Co., Ltd.",
        "機密文書の回収・溶解処理",
        ("各種申込書",),
        50_000,
        False,
        110,
        certs=((PM, "21000122(10)", 500),),
        reviews=(40, 14),
        quality=3.6,
    ),
    _Spec(
        "archive",
        "株式会社イチョウ書庫サービス",
        "Icho Records Storage Co., Ltd.",
        "契約書類の外部保管",
        ("顧客の氏名・住所", "契約内容"),
        300_000,
        False,
        120,
        certs=((ISO, "JQ-IS 30417", -12),),
        reviews=(28,),
        quality=3.4,
    ),
    _Spec(
        "recruit",
        "株式会社ツユクサ採用支援",
        "Tsuyukusa Recruiting Support Co., Ltd.",
        "新卒採用の応募受付と一次選考事務",
        ("応募者の履歴書",),
        4_000,
        False,
        18,
        missing=("reentrustment", "audit_rights"),
        quality=2.6,
    ),
    _Spec(
        "survey",
        "株式会社ヒバリ・リサーチ",
        "Hibari Research Co., Ltd.",
        "顧客満足度調査の実施と集計",
        ("顧客の氏名・連絡先", "回答内容"),
        30_000,
        False,
        44,
        certs=((PM, "21003390(02)", 150),),
        reviews=(8,),
        quality=3.1,
    ),
    _Spec(
        "ec_ops",
        "株式会社ノギク・コマース運営",
        "Nogiku Commerce Operations Co., Ltd.",
        "通販サイトの受注・出荷管理",
        ("顧客の氏名・住所", "購買履歴"),
        90_000,
        False,
        66,
        certs=((PM, "21002718(04)", 600),),
        reviews=(47, 23),
        quality=3.0,
    ),
    _Spec(
        "helpdesk",
        "株式会社サワラ・テクニカル",
        "Sawara Technical Co., Ltd.",
        "社内ITヘルプデスク（顧客管理システムへのリモート保守）",
        CUSTOMER,
        180_000,
        False,
        58,
        certs=((ISO, "IS 688201", 80),),
        reviews=(13,),
        quality=3.7,
    ),
    _Spec(
        "crm_dev",
        "株式会社ハナミズキ・ソフトウェア",
        "Hanamizuki Software Co., Ltd.",
        "顧客管理システムの開発・保守",
        CUSTOMER,
        180_000,
        False,
        90,
        certs=((ISO, "IS 640090", 260), (PM, "21000777(07)", 30)),
        reviews=(26, 2),
        quality=4.1,
    ),
    _Spec(
        "backup",
        "株式会社ユズリハ・データ保全",
        "Yuzuriha Data Protection Co., Ltd.",
        "バックアップ媒体の保管と輸送",
        (*CUSTOMER, "契約内容"),
        300_000,
        False,
        100,
        certs=((ISO, "IS 602311", 330),),
        reviews=(12,),
        quality=4.0,
    ),
    _Spec(
        "translation",
        "有限会社カヤ翻訳工房",
        "Kaya Translation Studio Ltd.",
        "顧客からの外国語の問合せの翻訳",
        ("問合せ本文",),
        800,
        False,
        40,
        missing=("reentrustment", "breach_notice"),
        quality=2.5,
    ),
    _Spec(
        "scanning",
        "株式会社シイノキ・スキャニング",
        "Shiinoki Scanning Co., Ltd.",
        "申込書のスキャン・データ化",
        ("申込書の記載事項",),
        40_000,
        False,
        48,
        certs=((PM, "21001840(03)", 70),),
        reviews=(22,),
        quality=3.2,
    ),
    _Spec(
        "events",
        "株式会社アオギリ企画",
        "Aogiri Planning Co., Ltd.",
        "セミナー参加受付",
        ("参加者の氏名・連絡先",),
        900,
        False,
        20,
        missing=("handling_reports", "audit_rights", "return_deletion"),
        quality=2.4,
    ),
    _Spec(
        "returns",
        "株式会社ナナカマド・ロジ",
        "Nanakamado Logistics Co., Ltd.",
        "返品受付と配送",
        ("顧客の氏名・住所",),
        15_000,
        False,
        38,
        reviews=(16,),
        quality=3.0,
    ),
    _Spec(
        "collection",
        "株式会社カラタチ債権管理",
        "Karatachi Receivables Co., Ltd.",
        "未収金の督促事務",
        ("顧客の氏名・連絡先", "未収金額"),
        3_000,
        False,
        34,
        certs=((PM, "21004002(01)", -40),),
        quality=2.8,
    ),
    _Spec(
        "elearning",
        "株式会社トチノキ研修",
        "Tochinoki Training Co., Ltd.",
        "従業員向けeラーニングの提供",
        (*STAFF, "受講履歴"),
        900,
        False,
        28,
        quality=3.5,
    ),
    _Spec(
        "cards",
        "株式会社シラカバ・カード製作",
        "Shirakaba Card Works Co., Ltd.",
        "会員カードの製作・発送",
        ("会員の氏名・住所",),
        120_000,
        False,
        52,
        certs=((PM, "21002290(03)", 190),),
        reviews=(4,),
        quality=3.6,
    ),
    _Spec(
        "cleaning",
        "株式会社モミジ・ファシリティ",
        "Momiji Facility Services Co., Ltd.",
        "仙台拠点の清掃（執務区域への立入りあり）",
        ("（付随的に）書類の閲覧可能性",),
        0,
        False,
        30,
        missing=("handling_reports",),
        quality=3.0,
    ),
    _Spec(
        "payslips",
        "株式会社ケヤキ帳票",
        "Keyaki Forms Co., Ltd.",
        "給与明細の印刷・封入・発送",
        ("受託先従業員の氏名・給与額",),
        60_000,
        False,
        75,
        certs=((PM, "21001107(06)", 400),),
        reviews=(27, 3),
        quality=3.4,
    ),
    _Spec(
        "messaging",
        "株式会社ツバメ・メッセージング",
        "Tsubame Messaging Co., Ltd.",
        "SMS・メール配信基盤の提供",
        ("顧客の電話番号・メールアドレス",),
        150_000,
        False,
        36,
        certs=((ISO, "IS 733120", 140),),
        reviews=(9,),
        quality=3.8,
    ),
    _Spec(
        "analytics",
        "株式会社ヤマブキ分析",
        "Yamabuki Analytics Co., Ltd.",
        "購買データの分析",
        ("購買履歴", "顧客属性"),
        90_000,
        False,
        32,
        quality=3.2,
        open_review=True,
    ),
    _Spec(
        "data_entry",
        "株式会社ススキ情報処理",
        "Susuki Data Processing Co., Ltd.",
        "申込書のデータ入力（契約終了、返却・削除の確認待ち）",
        ("申込書の記載事項",),
        20_000,
        False,
        90,
        missing=("return_deletion",),
        reviews=(30,),
        quality=2.7,
        ended=4,
    ),
    # --- abroad -------------------------------------------------------------------------------
    _Spec(
        "ph_bpo",
        "Luzon Harbor BPO Inc.",
        "Luzon Harbor BPO Inc.",
        "英語による問合せ対応（ハルカゼ・テレサポートからの再委託）",
        CUSTOMER,
        180_000,
        False,
        40,
        places=(("PH", "accessed"), ("JP", "stored")),
        certs=((ISO, "PH-ISMS 0412", 220),),
        reviews=(17,),
        quality=3.1,
    ),
    _Spec(
        "ph_it",
        "Visayas Ember IT Services Inc.",
        "Visayas Ember IT Services Inc.",
        "Luzon Harbor BPOの端末保守",
        CUSTOMER,
        180_000,
        False,
        14,
        places=(("PH", "accessed"),),
        missing=("audit_rights", "handling_reports"),
        quality=2.5,
    ),
    _Spec(
        "vn_dev",
        "Mekong Quill Software JSC",
        "Mekong Quill Software JSC",
        "顧客管理システムのオフショア開発（ハナミズキ・ソフトウェアからの再委託）",
        CUSTOMER,
        180_000,
        False,
        30,
        places=(("VN", "accessed"),),
        reviews=(19, 5),
        quality=3.0,
    ),
    _Spec(
        "in_analytics",
        "Pune Lantern Analytics Pvt. Ltd.",
        "Pune Lantern Analytics Pvt. Ltd.",
        "購買データの分析モデル作成（ヤマブキ分析からの再委託）",
        ("購買履歴",),
        90_000,
        False,
        10,
        places=(("IN", "stored"),),
        missing=("audit_rights",),
        quality=2.8,
    ),
    _Spec(
        "cn_entry",
        "Dalian Bluecrane Data Entry Co., Ltd.",
        "Dalian Bluecrane Data Entry Co., Ltd.",
        "スキャン画像からのデータ入力（シイノキ・スキャニングからの再委託）",
        ("申込書の記載事項",),
        40_000,
        False,
        44,
        places=(("CN", "accessed"),),
        missing=("audit_rights",),
        reviews=(41,),
        quality=2.6,
    ),
    _Spec(
        "kr_push",
        "Hangang Pebble Mobile Co., Ltd.",
        "Hangang Pebble Mobile Co., Ltd.",
        "スマートフォンアプリのプッシュ通知配信",
        ("アプリ利用者の端末識別子",),
        150_000,
        False,
        22,
        places=(("KR", "stored"),),
        certs=((ISO, "KR-IS 22-118", 500),),
        quality=3.5,
    ),
    _Spec(
        "tw_repair",
        "Formosa Kettle Tech Co., Ltd.",
        "Formosa Kettle Tech Co., Ltd.",
        "業務用端末の修理（記憶装置内のデータに触れる可能性）",
        STAFF,
        500,
        False,
        18,
        places=(("TW", "accessed"),),
        missing=("security_measures",),
        quality=3.0,
    ),
    _Spec(
        "sg_crm",
        "Merlion Fernleaf Pte. Ltd.",
        "Merlion Fernleaf Pte. Ltd.",
        "顧客管理SaaSの提供",
        (*CUSTOMER, "購買履歴"),
        180_000,
        False,
        42,
        places=(("SG", "stored"), ("JP", "accessed")),
        certs=((ISO, "SG-27001-5590", 365), (SOC2, "SOC2 Type II 2025", 60)),
        reviews=(16,),
        quality=4.2,
    ),
    _Spec(
        "us_mail",
        "Brightwater Ledger Inc.",
        "Brightwater Ledger Inc.",
        "メールマガジン配信SaaS",
        ("顧客のメールアドレス", "開封履歴"),
        250_000,
        False,
        55,
        places=(("US", "stored"),),
        certs=((SOC2, "SOC2 Type II 2025", 25),),
        reviews=(25, 10),
        quality=3.6,
    ),
    _Spec(
        "us_tickets",
        "Nimbus Quarry Support Inc.",
        "Nimbus Quarry Support Inc.",
        "問合せ管理（チケット）SaaS",
        CUSTOMER,
        180_000,
        False,
        33,
        places=(("US", "stored"), ("PH", "accessed")),
        certs=((SOC2, "SOC2 Type II", 200),),
        open_review=True,
        quality=3.7,
    ),
    _Spec(
        "ie_hosting",
        "Liffey Slate Hosting Ltd.",
        "Liffey Slate Hosting Ltd.",
        "欧州の顧客向けサイトのホスティング",
        CUSTOMER,
        3_000,
        False,
        20,
        places=(("IE", "stored"),),
        certs=((ISO, "IE-ISMS 7781", 310),),
        quality=3.9,
    ),
    _Spec(
        "de_translation",
        "Rheinfeld Übersetzungen GmbH",
        "Rheinfeld Translations GmbH",
        "ドイツ語の問合せの翻訳",
        ("問合せ本文",),
        300,
        False,
        16,
        places=(("DE", "accessed"),),
        quality=3.2,
    ),
    _Spec(
        "gb_panel",
        "Cobblestone Survey Ltd.",
        "Cobblestone Survey Ltd.",
        "海外顧客向けアンケートの実施（ヒバリ・リサーチからの再委託）",
        ("回答者のメールアドレス", "回答内容"),
        800,
        False,
        24,
        places=(("GB", "stored"),),
        quality=3.4,
    ),
    _Spec(
        "fr_ux",
        "Atelier Lumière Numérique SAS",
        "Atelier Lumiere Numerique SAS",
        "通販サイトのユーザーテスト（録画を含む）",
        ("テスト参加者の氏名・録画",),
        200,
        False,
        12,
        places=(("FR", "stored"),),
        missing=("return_deletion",),
        quality=3.1,
    ),
)

# (parent, child, work re-entrusted, approved by us)
LINKS: tuple[tuple[str, str, str, bool], ...] = (
    ("callcentre", "ph_bpo", "夜間・英語の問合せ対応", True),
    ("ph_bpo", "ph_it", "オペレーター端末の保守", False),
    ("dm_print", "dm_delivery", "印刷物の配送", True),
    ("crm_dev", "vn_dev", "機能追加の開発と試験", True),
    ("analytics", "in_analytics", "分析モデルの作成", False),
    ("scanning", "cn_entry", "データ入力", True),
    ("survey", "gb_panel", "海外顧客向け調査の実施", False),
    ("ec_ops", "cards", "会員カードの製作", True),
    ("helpdesk", "tw_repair", "端末の修理", False),
)

# Our own systems and sites (org unit codes of the demo company) and where their data sits.
OWN_PLACES: tuple[tuple[SubjectKind, str, str, LocationMode], ...] = (
    (SubjectKind.SYSTEM, "CRM", "JP", LocationMode.STORED),
    (SubjectKind.SYSTEM, "CRM", "SG", LocationMode.STORED),
    (SubjectKind.SYSTEM, "HRS", "JP", LocationMode.STORED),
    (SubjectKind.SITE, "HQ", "JP", LocationMode.STORED),
    (SubjectKind.SITE, "SND", "JP", LocationMode.STORED),
)
# Countries the supervisor has re-checked (the rest stay seed data to re-check).
VERIFIED = ("US", "SG", "PH", "KR")


def _clauses(spec: _Spec) -> Clauses:
    present = {c: c.value not in spec.missing for c in Clause}
    return Clauses(
        security_measures=present[Clause.SECURITY_MEASURES],
        confidentiality=present[Clause.CONFIDENTIALITY],
        reentrustment=present[Clause.REENTRUSTMENT],
        handling_reports=present[Clause.HANDLING_REPORTS],
        return_deletion=present[Clause.RETURN_DELETION],
        breach_notice_hours=24 if present[Clause.BREACH_NOTICE] else None,
        audit_rights=present[Clause.AUDIT_RIGHTS],
    )


def _level(rng: random.Random, mean: float) -> int:
    return max(0, min(5, round(rng.gauss(mean, 0.8))))


def _typed_answers(
    spec: _Spec, has_subs: bool, subs: list[str], today: date
) -> dict[str, tuple[str | None, str | None]]:
    """control id -> (value, N/A reason) of the yes/no, date and text questions."""

    def expiry(kind: str) -> str | None:
        days = [d for k, _, d in spec.certs if k == kind]
        return (today + timedelta(days=days[0])).isoformat() if days else None

    places = ", ".join(f"{c} ({'保管' if m == 'stored' else 'アクセス'})" for c, m in spec.places)
    abroad = [c for c, m in spec.places if c != "JP" and m == "accessed"]
    answers: dict[str, tuple[str | None, str | None]] = {
        "CR-SUB-01": ("yes" if has_subs else "no", None),
        "CR-SUB-02": ("、".join(subs), None) if has_subs else (None, "再委託なし"),
        "CR-LOC-01": (f"自社データセンターおよび委託業務の拠点: {places}", None),
        "CR-LOC-02": (", ".join(abroad), None) if abroad else (None, "国外からのアクセスなし"),
        "CR-LOC-03": ("yes", None),
    }
    for yes_no, when, kind in (
        ("CR-CERT-01", "CR-CERT-02", PM),
        ("CR-CERT-03", "CR-CERT-04", ISO),
        ("CR-CERT-05", "CR-CERT-06", SOC2),
    ):
        until = expiry(kind)
        answers[yes_no] = ("yes" if until else "no", None)
        answers[when] = (until, None) if until else (None, "取得していない")
    return answers


def _review(
    cur: Cursor,
    actor: Principal,
    spec: _Spec,
    contractor_id: str,
    code: str,
    catalogue_id: str,
    on: date,
    subs: list[str],
    today: date,
    rng: random.Random,
) -> str:
    """One closed review with every question answered (scored later, all at once)."""
    title = f"{spec.name} 委託先点検 / contractor review {on.isoformat()}"
    assessment_id = assessment_repository.insert_assessment(
        cur,
        title=title,
        catalogue_id=catalogue_id,
        scope_unit=code,
        period_start=on.isoformat(),
        period_end=None,
        lead_auditor=None,
        created_by=spec.owner,
        members=[],
    )
    method = ReviewMethod.VISIT if spec.individuals >= 100_000 else ReviewMethod.QUESTIONNAIRE
    review_repository.insert_review(cur, assessment_id, contractor_id, method, spec.owner, on)
    at = f"{on.isoformat()} 15:00:00+09"
    types = review_repository.answer_types(cur, catalogue_id)
    typed = _typed_answers(spec, bool(subs), subs, today)
    rows: list[dict[str, Any]] = []
    typed_rows: list[tuple[Any, ...]] = []
    for control_id, answer_type in types.items():
        if answer_type != "maturity":
            value, reason = typed.get(control_id, (None, "回答対象外（デモ）"))
            typed_rows.append(
                (assessment_id, control_id, answer_type, value, reason, None, spec.owner, at)
            )
            continue
        no_subs = control_id.startswith("CR-SUB") and not subs
        rows.append(
            {
                "assessment_id": assessment_id,
                "control_id": control_id,
                "documented": None if no_subs else _level(rng, spec.quality + 0.3),
                "implemented": None if no_subs else _level(rng, spec.quality - 0.2),
                "na_reason": "再委託なし" if no_subs else None,
                "note": None,
                "answered_by": spec.owner,
                "answered_at": at,
                "review_state": "accepted",
                "reviewed_by": spec.owner,
                "reviewed_at": at,
            }
        )
    assessment_repository.bulk_insert_responses(cur, rows)
    review_repository.bulk_insert_typed(cur, typed_rows)
    assessment_repository.set_status_at(cur, assessment_id, Status.CLOSED, spec.owner, at)
    auth_repository.append_audit(
        cur,
        actor=actor.username,
        action="assessment.create",
        entity="assessment",
        entity_id=assessment_id,
        after={"contractor": code, "status": "closed", "demo": True, "answers": len(types)},
    )
    return assessment_id


def _countries(cur: Cursor, actor: Principal, today: date) -> int:
    entries = load_seed()
    have = country_repository.country_codes(cur)
    for entry in entries:
        if entry.code in have:
            continue
        country_repository.insert_country(cur, entry, verified_by=None, actor=actor.username)
        if entry.code in VERIFIED:
            checked_on = today - timedelta(days=75)
            checked = replace(
                entry,
                reviewed_on=checked_on,
                review_due=add_months(checked_on, 12),
                source=entry.source + " Re-checked by the contractor supervisor (demo).",
            )
            country_repository.update_country(
                cur, checked, expected_version=1, verified_by=SUPERVISOR, actor=SUPERVISOR
            )
    return len(entries)


def _finish(
    cur: Cursor,
    actor: Principal,
    day: date,
    done: list[tuple[_Spec, str, str, date | None, list[tuple[str, date]]]],
) -> None:
    """Score every review in one query, then set each contractor's tier and review dates."""
    overall = {str(a): score for a, domain, score, _, _ in portfolio_scores(cur) if domain is None}
    for spec, _, _, _, history in done:
        for rid, on in history:
            review_repository.record_completion(
                cur, rid, actor=spec.owner, completed_on=on, score=overall.get(rid)
            )
    for spec, cid, code, last, history in done:
        result, _ = schedule.refresh(cur, cid, day, actor.username, last_review_on=last)
        stored = schedule.load_contractor(cur, cid)
        for rid, on in history:
            due = stored.next_review_due if on == last else add_months(on, result.interval_months)
            review_repository.record_outcome(cur, rid, tier_after=result.tier, next_review_due=due)
        auth_repository.append_audit(
            cur,
            actor=actor.username,
            action="contractor.register",
            entity="contractor",
            entity_id=cid,
            after={"code": code, "name": spec.name, "tier": result.tier.value, "demo": True},
        )


def load_contractors(
    cur: Cursor, actor: Principal, *, today: date | None = None, seed: int = 2026
) -> ContractorDemo:
    """Insert the demo contractors, their chains, places, certificates and reviews, and seed
    the country register, inside the caller's transaction (the demo company must be loaded:
    owners are its supervisor). Reviews need the contractor-review catalogue; without it the
    register is loaded without them."""
    day = today or date.today()
    rng = random.Random(seed)  # noqa: S311 -- demo data, not security
    countries = _countries(cur, actor, day)
    catalogue_id = assessment_repository.latest_catalogue_id(cur, CATALOGUE_URN)
    ids: dict[str, tuple[str, str]] = {}
    children: dict[str, list[str]] = {}
    names = {s.key: s.name for s in SPECS}
    for parent, child, _, _ in LINKS:
        children.setdefault(parent, []).append(names[child])
    reviews = open_reviews = locations = 0
    done: list[tuple[_Spec, str, str, date | None, list[tuple[str, date]]]] = []
    for spec in SPECS:
        start = add_months(day, -spec.started)
        draft = ContractorDraft(
            name=spec.name,
            name_en=spec.name_en,
            services=spec.services,
            data_categories=spec.categories,
            approx_individuals=spec.individuals,
            special_care=spec.special_care,
            contract_start=start,
            contract_end=None if spec.ended is None else add_months(day, -spec.ended),
            owner=spec.owner,
            clauses=_clauses(spec),
        )
        code = repository.next_code(cur)
        cid = repository.insert_contractor(
            cur,
            draft,
            code=code,
            tier=Tier.LOW,
            tier_points=0,
            next_review_due=start,
            actor=actor.username,
        )
        ids[spec.key] = (cid, code)
        for country, mode in spec.places:
            country_repository.insert_location(
                cur,
                subject_kind=SubjectKind.CONTRACTOR,
                subject_id=cid,
                subject_name=spec.name,
                country_code=country,
                mode=LocationMode(mode),
                note=None,
                actor=actor.username,
            )
            locations += 1
        for kind, number, days in spec.certs:
            repository.insert_certification(
                cur,
                cid,
                CertificationKind(kind),
                number,
                day + timedelta(days=days),
                None,
                actor.username,
            )
        last: date | None = None
        history: list[tuple[str, date]] = []
        if catalogue_id is not None:
            for months in sorted(spec.reviews, reverse=True):
                on = add_months(day, -months)
                rid = _review(
                    cur,
                    actor,
                    spec,
                    cid,
                    code,
                    catalogue_id,
                    on,
                    children.get(spec.key, []),
                    day,
                    rng,
                )
                history.append((rid, on))
                last, reviews = on, reviews + 1
        done.append((spec, cid, code, last, history))
        if spec.open_review and catalogue_id is not None:
            rid = assessment_repository.insert_assessment(
                cur,
                title=f"{spec.name} 委託先点検 / contractor review {day.isoformat()}",
                catalogue_id=catalogue_id,
                scope_unit=code,
                period_start=(day - timedelta(days=10)).isoformat(),
                period_end=None,
                lead_auditor=None,
                created_by=spec.owner,
                members=[],
            )
            review_repository.insert_review(
                cur, rid, cid, ReviewMethod.QUESTIONNAIRE, spec.owner, day - timedelta(days=10)
            )
            open_reviews += 1
    _finish(cur, actor, day, done)
    for parent, child, work, approved in LINKS:
        link = repository.insert_link(cur, ids[parent][0], ids[child][0], work, actor.username)
        if approved:
            repository.approve_link(cur, link.id, link.version, SUPERVISOR)
    for kind, unit, country, mode in OWN_PLACES:
        names_ja = {
            "CRM": "顧客管理システム",
            "HRS": "人事給与システム",
            "HQ": "本社（東京）",
            "SND": "仙台サポート拠点",
        }
        country_repository.insert_location(
            cur,
            subject_kind=kind,
            subject_id=unit,
            subject_name=names_ja[unit],
            country_code=country,
            mode=mode,
            note=None,
            actor=actor.username,
        )
        locations += 1
    return ContractorDemo(len(SPECS), reviews, open_reviews, len(LINKS), locations, countries)
