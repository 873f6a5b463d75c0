"""The reports' own words in Japanese and English (terms as in the glossary).

Kept here rather than in ``ui/i18n`` because ``reports/`` must not depend on the UI layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

_T: Final[Mapping[str, tuple[str, str]]] = {
    # -- shared ---------------------------------------------------------------------------
    "page": ("{page} / {total} ページ", "page {page} of {total}"),
    "contents": ("目次", "Contents"),
    "yes": ("はい", "Yes"),
    "no": ("いいえ", "No"),
    "none": ("なし", "None"),
    "key_mark": ("★ 重要管理策", "★ key control"),
    "report_id": ("報告書番号", "Report ID"),
    "organisation": ("組織", "Organisation"),
    "report_date": ("報告日", "Report date"),
    "confidentiality": ("機密区分", "Confidentiality"),
    "version": ("版", "Version"),
    "prepared_by": ("作成者", "Prepared by"),
    "scale_note": (
        "スコアは 0〜100、成熟度レベルは 0〜5。評価基準の詳細は「監査の方法」を参照。",
        "Scores run from 0 to 100 and maturity levels from 0 to 5; see Method for the formula.",
    ),
    # -- results and ratings ----------------------------------------------------------------
    "result.conformant": ("適合", "Conformant"),
    "result.partially_conformant": ("一部適合", "Partially conformant"),
    "result.nonconformant": ("不適合", "Nonconformant"),
    "result.not_assessed": ("未評価", "Not assessed"),
    "result.not_applicable": ("該当なし", "Not applicable"),
    "rating.red": ("赤", "Red"),
    "rating.amber": ("黄", "Amber"),
    "rating.green": ("緑", "Green"),
    "rating.none": ("評価対象外", "No score"),
    "grade.major": ("重大な不適合", "Major nonconformity"),
    "grade.minor": ("軽微な不適合", "Minor nonconformity"),
    "grade.observation": ("観察事項", "Observation"),
    "grade.ofi": ("改善の機会", "Opportunity for improvement"),
    "grade.good": ("良好事例", "Good practice"),
    "status.open": ("未対応", "Open"),
    "status.action_planned": ("是正計画済み", "Action planned"),
    "status.action_done": ("是正実施済み", "Action done"),
    "status.verified": ("有効性確認済み", "Verified"),
    "status.closed": ("完了", "Closed"),
    "overdue": ("期限超過", "Overdue"),
    "tier.high": ("高", "High"),
    "tier.medium": ("中", "Medium"),
    "tier.low": ("低", "Low"),
    # -- audit report: cover ----------------------------------------------------------------
    "audit.title": ("内部監査報告書", "Internal audit report"),
    "audit.title_contractor": ("委託先監査報告書", "Contractor review report"),
    "audit.subtitle": ("個人データの安全管理措置", "Security control measures for personal data"),
    "cover.assessment": ("監査名", "Audit"),
    "cover.scope": ("対象範囲", "Scope"),
    "cover.period": ("監査期間", "Audit period"),
    "cover.lead": ("監査責任者", "Lead auditor"),
    "cover.distribution": ("配付先", "Distribution"),
    "cover.criteria": ("監査基準", "Audit criteria"),
    "cover.catalogue": ("{name}（版 {version}）", "{name} (version {version})"),
    "cover.handling": (
        "本報告書は上記の配付先に限り配付する。複製・転送は監査責任者の了承を得ること。",
        "This report is for the distribution listed above only. Ask the lead auditor before "
        "copying or forwarding it.",
    ),
    "contractor.heading": ("委託先の登録情報", "Contractor register data"),
    "contractor.name": ("委託先", "Contractor"),
    "contractor.services": ("委託業務", "Services"),
    "contractor.data": ("取り扱う個人データ", "Personal data handled"),
    "contractor.countries": ("取扱い国", "Countries"),
    "contractor.certifications": ("認証", "Certifications"),
    "contractor.risk": ("リスク区分", "Risk tier"),
    "contractor.next_review": ("次回監査期限", "Next review due"),
    # -- audit report: sections -----------------------------------------------------------
    "sec.summary": ("エグゼクティブサマリー", "Executive summary"),
    "sec.scope": ("監査の目的・範囲・基準", "Objectives, scope and criteria"),
    "sec.team": ("監査チームと被監査部門", "Audit team and auditees"),
    "sec.method": ("監査の方法", "Method"),
    "sec.results": ("領域別の結果", "Results by domain"),
    "sec.findings": ("指摘事項", "Findings"),
    "sec.actions": ("過去の監査の是正処置", "Corrective actions from earlier audits"),
    "sec.evidence": ("証跡一覧", "Evidence index"),
    "sec.conclusion": ("結論", "Conclusion"),
    "sec.appendix": (
        "付録 管理策と参照規格の対応表",
        "Appendix: control-to-reference crosswalk",
    ),
    # -- executive summary ------------------------------------------------------------------
    "kpi.score": ("総合スコア", "Overall score"),
    "kpi.level": ("成熟度レベル", "Maturity level"),
    "kpi.coverage": ("回答率", "Coverage"),
    "kpi.findings": ("未完了の指摘", "Open findings"),
    "kpi.level_value": ("レベル {level}", "Level {level}"),
    "summary.ratings": ("領域別の評価", "Rating per domain"),
    "summary.charts": ("領域別スコア", "Domain scores"),
    "summary.top_findings": ("主な指摘事項", "Top findings"),
    "summary.no_findings": ("指摘事項はない。", "No findings were raised."),
    "summary.trend": (
        "前回（{previous}）の総合スコア {before} から {delta} ポイント変化した。",
        "The overall score changed by {delta} points from {before} at the previous audit "
        "({previous}).",
    ),
    "summary.no_trend": (
        "比較できる前回の監査はない。",
        "There is no earlier audit of this scope to compare with.",
    ),
    "summary.findings_count": (
        "指摘事項は合計 {total} 件（うち未完了 {open} 件、期限超過 {overdue} 件）。",
        "{total} findings in all ({open} still open, {overdue} overdue).",
    ),
    "summary.more_findings": (
        "ほか {count} 件は「指摘事項」の章を参照。",
        "{count} more in the Findings section.",
    ),
    "chart.current": ("今回", "This audit"),
    "chart.previous": ("前回", "Previous audit"),
    "chart.no_radar": (
        "レーダーチャートには 3 つ以上の採点された領域が必要なため、棒グラフのみを示す。",
        "A radar chart needs three or more scored domains; the bar chart shows the scores.",
    ),
    # -- scope and criteria -----------------------------------------------------------------
    "scope.objective": ("監査の目的", "Objective"),
    "scope.objective_text": (
        "個人データの安全管理措置が、社内規程及び下記の基準に適合して整備・運用されているかを"
        "確認し、改善すべき点を経営者に報告すること。",
        "To determine whether the security control measures for personal data are documented "
        "and operating in line with the internal rules and the criteria below, and to report "
        "what needs improving to top management.",
    ),
    "scope.scope": ("監査の範囲", "Scope"),
    "scope.criteria": ("監査基準", "Criteria"),
    "scope.catalogue": ("管理策カタログ", "Control catalogue"),
    "scope.catalogue_version": ("固定した版", "Pinned version"),
    "scope.guideline_items": (
        "対象とした通則編ガイドラインの項目",
        "General Rules guideline items covered",
    ),
    "scope.controls_counted": (
        "管理策 {total} 件（該当 {applicable} 件、該当なし {na} 件、"
        "うち重要管理策 {key_count} 件）",
        "{total} controls ({applicable} applicable, {na} not applicable; {key_count} key controls)",
    ),
    "scope.out": ("範囲外とした事項", "Out of scope"),
    "scope.out_item": ("事項", "Item"),
    "scope.out_reason": ("理由", "Reason"),
    "scope.none_out": ("範囲外とした事項はない。", "Nothing was left out of scope."),
    # -- team ---------------------------------------------------------------------------------
    "team.team": ("監査チーム", "Audit team"),
    "team.auditees": ("被監査部門・面談者", "Auditees"),
    "team.name": ("氏名", "Name"),
    "team.department": ("所属", "Department"),
    "team.role": ("役割", "Role"),
    "team.title": ("役職", "Title"),
    "team.lead": ("監査責任者", "Lead auditor"),
    "team.auditor": ("監査員", "Auditor"),
    "team.independence": ("独立性", "Independence"),
    "team.independent": (
        "監査チームのいずれの監査員も、自らが所属する部門を監査していないことを確認した。",
        "It was confirmed that no member of the audit team audited their own department.",
    ),
    "team.not_confirmed": (
        "監査員の独立性（自部門を監査していないこと）の確認は記録されていない。"
        "本報告書を確定する前に確認すること。",
        "The independence of the auditors (no one auditing their own department) has not "
        "been confirmed. Confirm it before this report is finalised.",
    ),
    "team.none": ("記録なし", "Not recorded"),
    # -- method -------------------------------------------------------------------------------
    "method.dates": ("実施日", "Fieldwork"),
    "method.interviews": ("面談", "Interviews"),
    "method.documents": ("文書確認", "Documents reviewed"),
    "method.sites": ("現地確認", "Site visits"),
    "method.sampling": ("サンプリング", "Sampling"),
    "method.count": ("{count} 件", "{count}"),
    "method.approach": (
        "監査員は、被監査部門の自己点検の回答を、面談、文書・記録の確認及び現地確認によって"
        "検証した。各管理策について、文書化（D）と実施（I）をそれぞれ 0〜5 で評価した。",
        "The auditors verified the auditees' self-inspection answers through interviews, "
        "review of documents and records, and site visits. Each control was rated 0-5 twice: "
        "how well it is documented (D) and how well it is implemented (I).",
    ),
    "method.formula": ("採点方法", "Scoring formula"),
    "method.formula_lines": (
        "0 なし、1 場当たり的、2 部分的、3 定められ概ね守られている、4 一貫して守られ確認されて"
        "いる、5 測定され改善されている。\n"
        "管理策のスコア = 10 ×（D + I）、0〜100。該当なしとした管理策（理由の記載が必要）は"
        "すべての分母から除く。未回答の管理策は 0 とし、回答率を下げる。\n"
        "領域スコア = 重み付き平均（重要管理策 ★ は重み 2、その他は 1）。総合スコア = 採点された"
        "領域スコアの単純平均（各領域を同じ重さで扱う）。\n"
        "管理策の結果は D と I の小さい方で決まる：3 以上は適合、1〜2 は一部適合、0 は不適合。\n"
        "領域の成熟度レベル = 該当する重要管理策の min(D, I) の最小値"
        "（重要管理策がなければ全管理策）。総合レベル = 領域レベルの最小値。\n"
        "評価：スコア 50 未満又は未完了の重大な不適合があれば赤、75 未満又は未完了の軽微な"
        "不適合があれば黄、それ以外は緑。",
        "Levels: 0 none, 1 ad hoc, 2 partly, 3 defined and mostly followed, 4 consistently "
        "followed and checked, 5 measured and improved.\n"
        "Control score = 10 × (D + I), 0-100. A control marked not applicable (a reason is "
        "required) leaves every denominator; an unanswered control counts as 0 and lowers "
        "coverage.\n"
        "Domain score = weighted mean (key controls ★ weigh 2, others 1). Overall score = plain "
        "mean of the scored domains, so every domain counts the same.\n"
        "Control result = the lower of D and I: 3 or more conformant, 1-2 partially "
        "conformant, 0 nonconformant.\n"
        "Domain maturity level = the lowest min(D, I) among its applicable key controls (among "
        "all its controls when it has no key control); overall level = the lowest domain level.\n"
        "Rating: red below 50 or with an open major nonconformity; amber below 75 or with an "
        "open minor nonconformity; otherwise green.",
    ),
    # -- results ------------------------------------------------------------------------------
    "results.overview": ("領域の一覧", "Domains at a glance"),
    "results.domain_line": (
        "スコア {score}・レベル {level}・回答率 {coverage}・評価 {rating}・前回比 {delta}",
        "Score {score} · level {level} · coverage {coverage} · rating {rating} · change {delta}",
    ),
    "results.no_controls": (
        "この領域に該当する管理策はない。",
        "No control of this domain applies.",
    ),
    "col.domain": ("領域", "Domain"),
    "col.score": ("スコア", "Score"),
    "col.level": ("レベル", "Level"),
    "col.coverage": ("回答率", "Coverage"),
    "col.rating": ("評価", "Rating"),
    "col.change": ("前回比", "Change"),
    "col.previous": ("前回", "Previous"),
    "col.id": ("ID", "ID"),
    "col.control": ("管理策", "Control"),
    "col.d": ("D", "D"),
    "col.i": ("I", "I"),
    "col.result": ("結果", "Result"),
    "col.evidence": ("証跡", "Evid."),
    "col.note": ("監査員のコメント", "Auditor's note"),
    "col.na": ("該当なし：{reason}", "N/A: {reason}"),
    "col.ref": ("番号", "Ref"),
    "col.grade": ("区分", "Grade"),
    "col.status": ("状況", "Status"),
    "col.owner": ("責任者", "Owner"),
    "col.due": ("期限", "Due"),
    "col.statement": ("指摘内容", "Statement"),
    "col.criterion": ("基準", "Criterion"),
    "col.evidence_seen": ("確認した証跡", "Evidence seen"),
    "col.action": ("是正処置", "Corrective action"),
    "col.source": ("指摘した監査", "Raised in"),
    "col.verification": ("有効性の確認", "Effectiveness verification"),
    "col.no": ("No.", "No."),
    "col.file": ("ファイル名", "File name"),
    "col.sha": ("SHA-256", "SHA-256"),
    "col.added_by": ("登録者", "Uploaded by"),
    "col.added_at": ("登録日時", "Uploaded at"),
    "col.valid_until": ("有効期限", "Valid until"),
    "col.controls": ("関連する管理策", "Linked controls"),
    "col.guideline": ("通則編ガイドライン", "APPI General Rules guideline"),
    "col.iso": ("ISO/IEC 27001:2022 附属書A", "ISO/IEC 27001:2022 Annex A"),
    "col.count": ("件数", "Count"),
    "col.total": ("合計", "Total"),
    "col.scope": ("対象範囲", "Scope"),
    "col.overall": ("総合", "Overall"),
    "col.assessment": ("監査", "Assessment"),
    "col.closed_on": ("完了日", "Closed on"),
    "col.contractor": ("委託先", "Contractor"),
    "col.risk": ("リスク区分", "Risk tier"),
    "col.last_review": ("前回監査", "Last review"),
    "col.days_overdue": ("超過日数", "Days overdue"),
    "col.key": ("重要", "Key"),
    # -- findings -------------------------------------------------------------------------------
    "findings.by_grade": ("区分別の件数", "Findings by grade"),
    "findings.none": ("この監査で指摘事項はない。", "No findings were raised in this audit."),
    "findings.open": ("未完了", "Open"),
    "actions.none": (
        "検証対象となる過去の監査の是正処置はない。",
        "There are no corrective actions from earlier audits to verify.",
    ),
    "evidence.count": (
        "証跡 {count} 件。SHA-256 は先頭 12 桁を示す（全桁は Kansa で確認できる）。",
        "{count} pieces of evidence. SHA-256 shows the first 12 digits (the full value is in "
        "Kansa).",
    ),
    "evidence.none": ("登録された証跡はない。", "No evidence was recorded."),
    # -- conclusion -----------------------------------------------------------------------------
    "conclusion.text": ("監査責任者の結論", "Conclusion of the lead auditor"),
    "conclusion.none": (
        "（結論は未記入。報告書を確定する前に記入すること。）",
        "(No conclusion has been written yet. Write it before the report is finalised.)",
    ),
    "conclusion.limitations": ("制約事項", "Limitations"),
    "conclusion.no_limitations": ("特記すべき制約はない。", "No limitations to report."),
    "conclusion.signoff": ("承認", "Sign-off"),
    "sign.role": ("役割", "Role"),
    "sign.name": ("氏名", "Name"),
    "sign.signature": ("署名", "Signature"),
    "sign.date": ("日付", "Date"),
    "sign.lead": ("監査責任者", "Lead auditor"),
    "sign.management": ("トップマネジメント（代表者）", "Top management"),
    "sign.pms": ("個人情報保護管理者", "Personal information protection manager"),
    # -- portfolio ------------------------------------------------------------------------------
    "portfolio.title": ("経営者向けポートフォリオ報告書", "Executive portfolio report"),
    "portfolio.subtitle": (
        "最新の監査結果の一覧（対象範囲 × 領域）",
        "Latest assessment of every scope (scope × domain)",
    ),
    "portfolio.sec.overview": ("概要", "Overview"),
    "portfolio.sec.heatmap": ("ヒートマップ：対象範囲 × 領域", "Heat map: scope × domain"),
    "portfolio.sec.worst": ("スコアの低い管理策", "Weakest controls"),
    "portfolio.sec.findings": ("未完了の指摘事項（経過日数別）", "Open findings by age"),
    "portfolio.sec.contractors": (
        "監査期限を過ぎた委託先",
        "Contractors overdue for review",
    ),
    "portfolio.scopes": (
        "対象範囲 {count} 件。総合スコアの平均 {mean}、最低 {low}（{low_scope}）。",
        "{count} scopes. Mean overall score {mean}; lowest {low} ({low_scope}).",
    ),
    "portfolio.no_scopes": (
        "完了した監査はまだない。",
        "No assessment has been closed yet.",
    ),
    "portfolio.legend": (
        "色と記号：赤 × 50 未満、黄 △ 75 未満、緑 ○ 75 以上、灰色 — 採点なし。",
        "Colour and mark: red × below 50, amber △ below 75, green ○ 75 or more, grey — no score.",
    ),
    "portfolio.no_worst": ("該当する管理策はない。", "No control to list."),
    "portfolio.no_findings": ("未完了の指摘事項はない。", "No finding is open."),
    "portfolio.no_contractors": (
        "監査期限を過ぎた委託先はない。",
        "No contractor is overdue for review.",
    ),
    "age.0": ("30 日以内", "0-30 days"),
    "age.1": ("31〜90 日", "31-90 days"),
    "age.2": ("91〜180 日", "91-180 days"),
    "age.3": ("181 日以上", "over 180 days"),
    "portfolio.overall_chart": ("対象範囲別の総合スコア", "Overall score by scope"),
    # -- announcement -------------------------------------------------------------------------
    "ann.title": (
        "個人データの安全管理のために講じた措置",
        "Security control measures taken for personal data",
    ),
    "ann.intro": (
        "{org}は、取り扱う個人データの漏えい、滅失又は毀損を防ぐため、次の安全管理措置を"
        "講じています。（個人情報の保護に関する法律第32条第1項に基づく公表事項）",
        "{org} takes the following security control measures to prevent the personal data it "
        "handles from being leaked, lost or damaged. (Published under Article 32, paragraph 1 "
        "of the Act on the Protection of Personal Information.)",
    ),
    "ann.draft_label": ("原案", "Draft"),
    "ann.as_of": ("{date}現在", "As of {date}"),
    "ann.basis": ("根拠とした点検：{basis}", "Based on: {basis}"),
    "ann.contact": ("お問い合わせ先：{contact}", "Contact: {contact}"),
    "ann.draft": (
        "公表前の原案です。法務部門の確認を経て公表してください。",
        "Draft for review by legal before publication.",
    ),
    "ann.review": (
        "要確認：最新の監査ではこの措置が十分に実施されていると確認できなかった（{controls}）。"
        "公表前に記載内容を確認すること。",
        "Review: the latest audit did not show this measure fully in place ({controls}). "
        "Check the wording before publishing.",
    ),
    "ann.not_covered": (
        "要確認：この措置に対応する管理策が最新の監査に含まれていない。記載内容の根拠を確認すること。",
        "Review: no control of the latest audit covers this measure. Check what the wording "
        "rests on.",
    ),
    "ann.basic_policy": ("基本方針の策定", "Basic policy"),
    "ann.internal_rules": (
        "個人データの取扱いに係る規律の整備",
        "Internal rules for handling personal data",
    ),
    "ann.organizational": ("組織的安全管理措置", "Organizational security control measures"),
    "ann.human": ("人的安全管理措置", "Human security control measures"),
    "ann.physical": ("物理的安全管理措置", "Physical security control measures"),
    "ann.technological": ("技術的安全管理措置", "Technological security control measures"),
    "ann.contractors": ("委託先の監督", "Supervision of contractors"),
    "ann.external": ("外的環境の把握", "Understanding the external environment"),
    "ann.organizational.1": ("組織体制の整備", "Organizational structure"),
    "ann.organizational.2": (
        "規律に従った運用",
        "Handling in line with the rules",
    ),
    "ann.organizational.3": (
        "取扱状況を確認する手段の整備",
        "Means to check how personal data is handled",
    ),
    "ann.organizational.4": (
        "漏えい等事案に対応する体制の整備",
        "Readiness to respond to leak incidents",
    ),
    "ann.organizational.5": (
        "取扱状況の把握及び安全管理措置の見直し",
        "Review of handling and of the measures",
    ),
    "ann.physical.1": ("個人データを取り扱う区域の管理", "Control of handling areas"),
    "ann.physical.2": (
        "機器及び電子媒体等の盗難等の防止",
        "Protection of equipment and media against theft and loss",
    ),
    "ann.physical.3": (
        "電子媒体等を持ち運ぶ場合の漏えい等の防止",
        "Protection of media and documents when carried",
    ),
    "ann.physical.4": (
        "個人データの削除及び機器、電子媒体等の廃棄",
        "Deletion of data and disposal of equipment and media",
    ),
    "ann.technological.1": ("アクセス制御", "Access control"),
    "ann.technological.2": ("アクセス者の識別と認証", "Identification and authentication"),
    "ann.technological.3": (
        "外部からの不正アクセス等の防止",
        "Protection against unauthorized access from outside",
    ),
    "ann.technological.4": (
        "情報システムの使用に伴う漏えい等の防止",
        "Prevention of leaks through the use of information systems",
    ),
    # Standard wording, used when the service gives no lines derived from controls.
    "ann.text.basic_policy": (
        "個人データを適正に取り扱うため、関係法令・ガイドラインの遵守、安全管理措置及び質問・"
        "苦情の受付窓口を定めた基本方針を策定し、公表しています。",
        "We have a published basic policy for handling personal data properly, covering "
        "compliance with laws and guidelines, our security measures, and where to send "
        "questions and complaints.",
    ),
    "ann.text.internal_rules": (
        "取得、利用、保存、提供、削除・廃棄の各段階について、取扱方法、責任者・担当者とその"
        "役割を定めた社内規程を整備しています。",
        "Our internal rules set out, for each stage from collection through use, storage and "
        "provision to deletion and disposal, how personal data is handled, who is responsible "
        "and what each role does.",
    ),
    "ann.text.organizational.1": (
        "個人データの取扱いに関する責任者を置き、取り扱う従業者とその範囲、法令や規程への"
        "違反又は漏えい等を知った場合の報告先を定めています。",
        "A person is responsible for the handling of personal data; we define which staff "
        "handle which data and to whom a breach of the rules or a leak must be reported.",
    ),
    "ann.text.organizational.2": (
        "社内規程に従って個人データを取り扱い、その状況をシステムログや記録で残しています。",
        "Personal data is handled according to the internal rules, and the handling is "
        "recorded in system logs and other records.",
    ),
    "ann.text.organizational.3": (
        "取り扱う個人データの項目、利用目的、責任部署、アクセスできる者などを台帳で管理しています。",
        "A register records the personal data we hold: its items, purpose, responsible "
        "department and who can access it.",
    ),
    "ann.text.organizational.4": (
        "漏えい等の事案が発生した場合に、事実関係の調査、影響の範囲の特定、再発防止策の検討、"
        "本人への通知及び個人情報保護委員会への報告を速やかに行う体制と手順を整えています。",
        "If a leak or similar incident occurs, we have people and procedures in place to "
        "establish the facts, determine its impact, prevent a recurrence, and promptly notify "
        "the individuals concerned and report to the Personal Information Protection "
        "Commission.",
    ),
    "ann.text.organizational.5": (
        "取扱状況を定期的に自己点検し、他部署又は外部の者による監査を行い、その結果に基づいて"
        "安全管理措置を見直しています。",
        "We inspect our own handling of personal data periodically, have it audited by "
        "another department or an outside party, and improve our measures on the results.",
    ),
    "ann.text.human": (
        "従業者に対し、個人データの適正な取扱いについて定期的に研修を行い、秘密保持に関する"
        "事項を就業規則等に定めています。",
        "Staff receive regular training on the proper handling of personal data, and "
        "confidentiality duties are part of the work rules.",
    ),
    "ann.text.physical.1": (
        "個人データを取り扱う区域では、入退室を管理し、権限のない者が個人データを見られない"
        "よう措置を講じています。",
        "In areas where personal data is handled, entry and exit are controlled and people "
        "without authority are kept from seeing the data.",
    ),
    "ann.text.physical.2": (
        "個人データを取り扱う機器、電子媒体及び書類の盗難や紛失を防ぐため、施錠保管などの"
        "措置を講じています。",
        "Equipment, electronic media and documents holding personal data are protected "
        "against theft and loss, for example by locked storage.",
    ),
    "ann.text.physical.3": (
        "個人データを含む電子媒体や書類を持ち運ぶ際は、暗号化やパスワードによる保護、封緘"
        "などにより、漏えいを防いでいます。",
        "When media or documents containing personal data are carried, they are protected by "
        "encryption, passwords or sealed containers so that the data cannot leak.",
    ),
    "ann.text.physical.4": (
        "個人データを削除し、又は機器・電子媒体等を廃棄する際は、復元できない方法で行い、"
        "その記録を残しています。",
        "Personal data is deleted, and equipment and media are disposed of, in ways that "
        "prevent recovery, and this is recorded.",
    ),
    "ann.text.technological.1": (
        "個人データを取り扱う情報システムと、そこで扱うデータの範囲を業務に必要な者に限定する"
        "アクセス制御を行っています。",
        "Access control limits the information systems that handle personal data, and the "
        "data within them, to the staff whose work needs them.",
    ),
    "ann.text.technological.2": (
        "情報システムの利用者を識別し、認証したうえで利用させています。",
        "Users of our information systems are identified and authenticated before they get access.",
    ),
    "ann.text.technological.3": (
        "外部からの不正アクセスや不正なソフトウェアから情報システムを保護する仕組みを導入し、"
        "適切に運用しています。",
        "We operate safeguards that protect our information systems from unauthorized access "
        "and malicious software from outside.",
    ),
    "ann.text.technological.4": (
        "情報システムの使用に伴う個人データの漏えい等を防ぐため、保存データや送信データの"
        "暗号化などの措置を講じています。",
        "To prevent leaks through the use of information systems, we take measures such as "
        "encrypting stored and transmitted personal data.",
    ),
    "ann.text.contractors": (
        "個人データの取扱いを委託する場合は、十分な安全管理措置を講じている委託先を選定し、"
        "安全管理に関する事項を盛り込んだ契約を締結したうえで、定期的な報告や監査によって"
        "取扱状況を確認しています。",
        "When we entrust the handling of personal data to a contractor, we choose one whose "
        "security measures are adequate, sign a contract that covers the safeguards, and "
        "check the handling through regular reports and audits.",
    ),
    "ann.text.external": (
        "外国において個人データを取り扱う場合は、その国の個人情報の保護に関する制度を把握した"
        "うえで安全管理措置を講じています。",
        "Where personal data is handled in a foreign country, we take our measures with an "
        "understanding of that country's personal-information protection regime.",
    ),
    "ann.countries": (
        "個人データを取り扱っている外国：{countries}",
        "Countries where personal data is handled: {countries}",
    ),
    "ann.no_countries": (
        "現在、外国において個人データを取り扱っていません。",
        "We do not currently handle personal data in any foreign country.",
    ),
    "list_sep": ("、", ", "),
}


def t(lang: str, key: str, **values: object) -> str:
    """The text of ``key`` in ``lang`` with ``{placeholders}`` filled in."""
    ja, en = _T[key]
    text = ja if lang == "ja" else en
    return text.format(**values) if values else text


def has(key: str) -> bool:
    return key in _T


def keys() -> tuple[str, ...]:
    return tuple(_T)
