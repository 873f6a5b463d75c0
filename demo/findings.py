"""Findings of the demo company's audits, with their corrective actions.

Every grade and every status occurs; some actions are overdue. Dates of the closed history
follow the audits; due dates of the findings still being worked on are set relative to
``today`` so that the register always shows some overdue and some upcoming actions.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from assessments import repository as assessment_repository
from auth import repository as auth_repository
from auth.model import Principal
from controls import repository as control_repository
from demo.assessments import CATALOGUE_URN, LEAD_AUDITOR, PERIODS
from findings import repository
from findings.model import NONCONFORMITIES, Grade, Status, criterion_texts
from storage.db import Cursor

CURRENT = len(PERIODS) - 1  # the half-year under way
STEP_DAYS = 21  # between the steps of a finding's history
SETTLED_DUE_DAYS = 90  # due date of the findings already dealt with, after raising

G, S = Grade, Status


@dataclass(frozen=True, slots=True)
class DemoFinding:
    scope: str  # the audited department
    period: int  # index into demo.assessments.PERIODS
    control_id: str
    grade: Grade
    status: Status
    unit: str  # the responsible department
    owner: str
    statement: str
    due_in: int = 30  # for unsettled findings: days after today (negative: overdue)
    root_cause: str | None = None
    correction: str | None = None
    corrective_action: str | None = None
    verification: str | None = None
    reopen_reason: str | None = None  # verified once, then reopened with this reason


FINDINGS: tuple[DemoFinding, ...] = (
    # Customer Support Centre: the longest history, including the current half-year.
    DemoFinding(
        "CSC",
        0,
        "ORG-03",
        G.MINOR,
        S.CLOSED,
        "CSC",
        "s.okamoto",
        "個人情報取扱台帳の記載項目に保存期間が含まれておらず、応対記録の廃棄時期を判断できない。",
        root_cause="台帳の様式が全社標準の旧版のままで、保存期間欄の追加が周知されていなかった。",
        correction="応対記録・通話録音の保存期間を台帳に追記した。",
        corrective_action="台帳様式を最新版に切り替え、様式改定時の部門への通知手順を定めた。",
        verification="2024年12月版の台帳で全12件に保存期間の記載があることを確認した。",
    ),
    DemoFinding(
        "CSC",
        1,
        "PHY-02",
        G.MINOR,
        S.CLOSED,
        "CSC",
        "s.okamoto",
        "センター内の4座席で、離席時に顧客の氏名・電話番号を記載した応対メモが机上に放置されていた"
        "（クリアデスクの不徹底）。",
        root_cause="紙の応対メモを使う運用が残っており、離席時の保管場所が決まっていなかった。",
        correction="放置されていたメモを回収し、シュレッダーで廃棄した。",
        corrective_action="応対メモを電子化し、紙メモは施錠キャビネットに保管する運用に改めた。",
        verification="抜き打ち巡回（2025年5月、3回）で机上放置がないことを確認した。",
    ),
    DemoFinding(
        "CSC",
        2,
        "HUM-01",
        G.OBSERVATION,
        S.CLOSED,
        "CSC",
        "s.okamoto",
        "2025年度上期の個人情報保護教育の受講率は92%で、派遣スタッフ8名が未受講のまま"
        "応対業務に従事していた。",
        corrective_action="派遣スタッフの受講を着任初日の必須手続に組み込んだ。",
    ),
    DemoFinding(
        "CSC",
        3,
        "ORG-04",
        G.MAJOR,
        S.CLOSED,
        "CSC",
        "s.okamoto",
        "2025年11月に発生したメール誤送信（顧客1名分）について、個人情報保護管理者への報告が"
        "発生から9日後であり、規程の「直ちに報告」が守られていない。",
        root_cause="報告基準が「影響が大きい場合」と読める記載で、1名分の誤送信は報告不要と"
        "判断された。",
        correction="当該事案を個人情報保護管理者に報告し、本人へのお詫びと削除依頼を行った。",
        corrective_action="規程の報告基準を「件数によらずすべて」に改め、事例を用いた研修を"
        "センター全員に実施した。",
        verification="2026年5月の訓練で発見から報告まで1時間以内であることを確認した。",
    ),
    DemoFinding(
        "CSC",
        3,
        "TEC-05",
        G.MINOR,
        S.ACTION_DONE,
        "CSC",
        "s.okamoto",
        "通話録音システムへのアクセスログは取得されているが、定期的な確認の記録がない。",
        root_cause="確認担当者が1名で、繁忙期に確認が後回しになっていた。",
        correction="未確認期間のログを確認し、不審なアクセスがないことを記録した。",
        corrective_action="確認を副担当との輪番制にし、月次の確認結果をセンター長が承認する。",
        verification="2026年4月・5月の確認記録を確認した。",
        reopen_reason="確認記録にセンター長の承認がなく、是正処置として定めた承認の手順が運用されて"
        "いないため。",
    ),
    DemoFinding(
        "CSC",
        4,
        "PHY-04",
        G.MINOR,
        S.ACTION_PLANNED,
        "CSC",
        "s.okamoto",
        "書類の溶解処理を委託している廃棄業者の廃棄証明書が、2026年5月分以降保管されていない。",
        due_in=-10,
        root_cause="総務部から受け取った証明書の保管先が決まっていなかった。",
        corrective_action="証明書を受領した日に共有フォルダへ登録し、月次で件数を突合する。",
    ),
    DemoFinding(
        "CSC",
        4,
        "CON-03",
        G.MINOR,
        S.ACTION_DONE,
        "PRV",
        "d.sugimoto",
        "仙台サポート拠点の入電受付業務の委託先（リスク区分：高）に対する2026年度の実地確認が"
        "未実施である。",
        due_in=14,
        root_cause="委託先管理台帳の確認予定日が更新されておらず、実施漏れに気付かなかった。",
        correction="2026年11月に実地確認を実施し、報告書を作成した。",
        corrective_action="委託先管理台帳に次回確認期限を設け、期限30日前に通知する。",
    ),
    DemoFinding(
        "CSC",
        4,
        "HUM-02",
        G.GOOD,
        S.CLOSED,
        "CSC",
        "s.okamoto",
        "退職予定者に対し、最終出社日に秘密保持誓約の再確認と貸与物返却チェックリストの記入を"
        "行っており、記録も整っている。",
    ),
    DemoFinding(
        "CSC",
        4,
        "ORG-02",
        G.OFI,
        S.OPEN,
        "CSC",
        "s.okamoto",
        "応対記録の持出し申請を紙で運用しており、承認記録の検索に時間を要する。"
        "ワークフロー化を検討されたい。",
        due_in=60,
    ),
    DemoFinding(
        "CSC",
        CURRENT,
        "ORG-03",
        G.MAJOR,
        S.OPEN,
        "CSC",
        "s.okamoto",
        "2026年8月に導入した通話録音システム（録音データ約12万件）が個人情報取扱台帳に"
        "登録されていない。台帳の最終見直しは2025年3月で、年1回以上の見直しが行われていない。",
        due_in=30,
    ),
    DemoFinding(
        "CSC",
        CURRENT,
        "TEC-02",
        G.OBSERVATION,
        S.OPEN,
        "ITS",
        "y.imai",
        "仙台サポート拠点の共用端末2台で、交代勤務者が同じWindowsアカウントを使用していた。",
        due_in=45,
    ),
    # Information Systems Department.
    DemoFinding(
        "ITS",
        2,
        "TEC-01",
        G.MINOR,
        S.CLOSED,
        "ITS",
        "y.imai",
        "退職者3名の顧客管理システムのアカウントが、退職後最長47日間有効なまま残っていた。",
        root_cause="人事部からの退職連絡がメールのみで、システム管理者への連携が漏れていた。",
        correction="該当アカウントを無効化し、退職後のログインがないことを確認した。",
        corrective_action="人事給与システムの退職登録から削除依頼が自動で起票されるようにした。",
        verification="2025年10月・11月の退職者5名全員が退職日当日に無効化されていることを確認した。",
    ),
    DemoFinding(
        "ITS",
        3,
        "TEC-06",
        G.MINOR,
        S.VERIFIED,
        "ITS",
        "y.imai",
        "人事給与システムのバックアップからの復旧手順が一度も試験されていない。",
        root_cause="復旧試験が年間計画に含まれていなかった。",
        corrective_action="年1回の復旧試験を年間計画に追加し、2026年5月に初回試験を実施した。",
        verification="2026年5月の復旧試験記録（所要3時間、データ欠損なし）を確認した。",
    ),
    DemoFinding(
        "ITS",
        4,
        "TEC-02",
        G.MAJOR,
        S.ACTION_DONE,
        "ITS",
        "y.imai",
        "インターネットから接続できる顧客管理システムの管理画面に、多要素認証が設定されていない"
        "管理者アカウントが2件存在した。",
        due_in=-5,
        root_cause="保守ベンダー用の管理者アカウントが多要素認証の適用対象から除外されていた。",
        correction="2件に多要素認証を設定し、ベンダー用アカウントは作業時のみ有効化する運用とした。",
        corrective_action="管理者アカウントの棚卸しを四半期ごとに行い、例外設定を承認制にした。",
    ),
    DemoFinding(
        "ITS",
        4,
        "TEC-04",
        G.MINOR,
        S.OPEN,
        "ITS",
        "y.imai",
        "ノートPCのディスク暗号化の適用状況が管理されておらず、抽出した20台中2台で暗号化が"
        "無効だった。",
        due_in=-20,
    ),
    DemoFinding(
        "ITS",
        CURRENT,
        "TEC-05",
        G.GOOD,
        S.OPEN,
        "ITS",
        "y.imai",
        "特権操作の自動検知ルールが整備され、月次のレビュー記録も残っている。",
        due_in=30,
    ),
    # Findings on contractors and foreign countries go to the Privacy Office.
    DemoFinding(
        "SLS",
        4,
        "CON-02",
        G.MINOR,
        S.ACTION_PLANNED,
        "PRV",
        "d.sugimoto",
        "営業部が2026年7月に利用を開始した名刺管理サービスについて、個人データの取扱い"
        "（再委託・事故時の報告）に関する契約上の定めが確認されていない。",
        due_in=21,
        root_cause="クラウドサービスの申込みが委託先選定の手続を経ずに行われた。",
        corrective_action="利用規約と個人データ取扱いの覚書を確認し、申込み前の審査を必須にする。",
    ),
    DemoFinding(
        "PAY",
        3,
        "EXT-02",
        G.MINOR,
        S.CLOSED,
        "PRV",
        "d.sugimoto",
        "給与計算データのバックアップを保管する海外リージョン（シンガポール）について、"
        "個人情報の保護に関する制度の調査記録がない。",
        root_cause="リージョンの選定を情報システム部が行い、個人情報保護推進室に共有されなかった。",
        correction="シンガポールの制度を調査し、外国にある第三者への提供に当たらないことを整理した。",
        corrective_action="海外リージョンの利用開始時に個人情報保護推進室の確認を必須にした。",
        verification="外国の制度調査記録と、プライバシーポリシーの記載の更新を確認した。",
    ),
    DemoFinding(
        "HRD",
        4,
        "EXT-01",
        G.OBSERVATION,
        S.ACTION_PLANNED,
        "PRV",
        "d.sugimoto",
        "採用管理サービスの提供事業者は国内法人だが、データの保存先の国が確認されていない。",
        due_in=40,
        corrective_action="提供事業者に保存先の国を照会し、外国の特定の一覧に反映する。",
    ),
    DemoFinding(
        "GAD",
        4,
        "CON-05",
        G.OFI,
        S.CLOSED,
        "PRV",
        "d.sugimoto",
        "契約終了時の返却・削除の確認書の様式が部門ごとに異なる。全社様式の整備を検討されたい。",
        corrective_action="全社様式を作成し、委託先管理規程の別紙として2026年11月に公布した。",
    ),
)


def _steps(spec: DemoFinding) -> list[Status]:
    """The statuses a finding passes through after raising, ending in ``spec.status``."""
    if spec.status == S.OPEN:
        path: list[Status] = []
    elif spec.status == S.CLOSED and spec.grade not in NONCONFORMITIES:
        path = [S.ACTION_PLANNED, S.CLOSED] if spec.corrective_action else [S.CLOSED]
    else:
        full = [S.ACTION_PLANNED, S.ACTION_DONE, S.VERIFIED, S.CLOSED]
        path = full[: full.index(spec.status) + 1]
    if spec.reopen_reason:
        path = [S.ACTION_PLANNED, S.ACTION_DONE, S.VERIFIED, S.OPEN, *path]
    return path


def _at(day: date) -> str:
    return f"{day.isoformat()} 15:00:00+09"


def _assessments(cur: Cursor) -> dict[tuple[str, int], str]:
    """(scope, period index) -> id of the demo assessment."""
    starts = {start.isoformat(): i for i, (start, _) in enumerate(PERIODS)}
    return {
        (a.scope_unit, starts[a.period_start]): a.id
        for a in assessment_repository.list_assessments(cur)
        if a.catalogue_urn == CATALOGUE_URN and a.period_start in starts
    }


def load_findings(cur: Cursor, actor: Principal, *, today: date | None = None) -> int:
    """Insert the demo findings with their histories; return how many were made.

    Findings whose assessment, control or owner is missing, or that would be raised after
    ``today``, are left out (0 when the demo assessments are not loaded)."""
    today = today or date.today()
    assessments = _assessments(cur)
    made = 0
    for spec in sorted(FINDINGS, key=lambda s: s.period):  # numbered in the order raised
        assessment_id = assessments.get((spec.scope, spec.period))
        owner = auth_repository.find_user(cur, spec.owner)
        if assessment_id is None or owner is None or not owner.active:
            continue
        made += _insert(cur, actor, spec, assessment_id, today)
    return made


def _insert(
    cur: Cursor, actor: Principal, spec: DemoFinding, assessment_id: str, today: date
) -> int:
    a = assessment_repository.get_assessment(cur, assessment_id)
    control = control_repository.get_control(cur, a.catalogue_id, spec.control_id) if a else None
    if control is None:
        return 0
    if spec.period == CURRENT:
        raised = today - timedelta(days=12)
    else:
        raised = PERIODS[spec.period][1] + timedelta(days=7)  # at the review, before closing
    if raised >= today:
        return 0
    steps = _steps(spec)
    if spec.status in (S.VERIFIED, S.CLOSED):
        due = raised + timedelta(days=SETTLED_DUE_DAYS)
    else:
        due = max(today + timedelta(days=spec.due_in), raised + timedelta(days=14))
    criterion_en, criterion_ja = criterion_texts(
        control.control_id,
        control.title_en,
        control.title_ja,
        control.refs_of("appi_guideline"),
        control.refs_of("iso27001_2022"),
    )
    finding_id = repository.insert_finding(
        cur,
        ref=repository.next_ref(cur, raised.year),
        assessment_id=assessment_id,
        control_id=spec.control_id,
        grade=spec.grade,
        statement=spec.statement,
        criterion_en=criterion_en,
        criterion_ja=criterion_ja,
        org_unit_code=spec.unit,
        owner=spec.owner,
        due_date=due,
        raised_by=LEAD_AUDITOR,
        raised_at=_at(raised),
    )
    repository.insert_history(
        cur,
        finding_id,
        from_status=None,
        to_status=S.OPEN,
        actor=LEAD_AUDITOR,
        note=None,
        at=_at(raised),
    )
    _walk(cur, spec, finding_id, steps, raised, today)
    created = repository.get_finding(cur, finding_id)
    auth_repository.append_audit(
        cur,
        actor=actor.username,
        action="finding.raise",
        entity="finding",
        entity_id=finding_id,
        after={**asdict(created), "demo": True} if created else {"demo": True},
    )
    return 1


def _walk(
    cur: Cursor,
    spec: DemoFinding,
    finding_id: str,
    steps: list[Status],
    raised: date,
    today: date,
) -> None:
    """Move the finding through ``steps``, each a few weeks after the one before."""
    version: int | None = 1
    current = S.OPEN
    for n, step in enumerate(steps, start=1):
        day = min(raised + timedelta(days=STEP_DAYS * n), today - timedelta(days=1))
        at = _at(max(day, raised))
        by, note = LEAD_AUDITOR, None
        if version is None:
            raise RuntimeError(f"demo finding {finding_id} changed while loading")
        if step in (S.ACTION_PLANNED, S.ACTION_DONE):
            by = spec.owner
            version = repository.record_response(
                cur,
                finding_id,
                version,
                status=step,
                root_cause=spec.root_cause,
                correction=spec.correction,
                corrective_action=spec.corrective_action,
                actor=by,
                at=at,
            )
        elif step == S.VERIFIED:
            note = spec.verification or "是正処置の実施記録を確認した。"
            version = repository.record_verification(cur, finding_id, version, note, by, at)
        elif step == S.CLOSED:
            version = repository.record_closure(cur, finding_id, version, by, at)
        else:
            note = spec.reopen_reason
            version = repository.record_reopening(cur, finding_id, version, by, at)
        repository.insert_history(
            cur, finding_id, from_status=current, to_status=step, actor=by, note=note, at=at
        )
        current = step
