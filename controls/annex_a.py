"""ISO/IEC 27001:2022 Annex A: the 93 controls by id, with short names for orientation.

The names are the short control titles (English, and the Japanese of JIS Q 27001:2023) so a
reader of the crosswalk knows which control an id is; the standard's text is not reproduced.
"""

from __future__ import annotations

from controls.references import ISO27001_2022_IDS, sort_key

THEMES: dict[str, tuple[str, str]] = {
    "5": ("Organizational controls", "組織的管理策"),
    "6": ("People controls", "人的管理策"),
    "7": ("Physical controls", "物理的管理策"),
    "8": ("Technological controls", "技術的管理策"),
}

_NAMES: dict[str, tuple[str, str]] = {
    "5.1": ("Policies for information security", "情報セキュリティのための方針群"),
    "5.2": ("Information security roles and responsibilities", "情報セキュリティの役割及び責任"),
    "5.3": ("Segregation of duties", "職務の分離"),
    "5.4": ("Management responsibilities", "経営陣の責任"),
    "5.5": ("Contact with authorities", "関係当局との連絡"),
    "5.6": ("Contact with special interest groups", "専門組織との連絡"),
    "5.7": ("Threat intelligence", "脅威インテリジェンス"),
    "5.8": (
        "Information security in project management",
        "プロジェクトマネジメントにおける情報セキュリティ",
    ),
    "5.9": (
        "Inventory of information and other associated assets",
        "情報及びその他の関連資産の目録",
    ),
    "5.10": (
        "Acceptable use of information and other associated assets",
        "情報及びその他の関連資産の許容される利用",
    ),
    "5.11": ("Return of assets", "資産の返却"),
    "5.12": ("Classification of information", "情報の分類"),
    "5.13": ("Labelling of information", "情報のラベル付け"),
    "5.14": ("Information transfer", "情報転送"),
    "5.15": ("Access control", "アクセス制御"),
    "5.16": ("Identity management", "識別情報の管理"),
    "5.17": ("Authentication information", "認証情報"),
    "5.18": ("Access rights", "アクセス権"),
    "5.19": (
        "Information security in supplier relationships",
        "供給者関係における情報セキュリティ",
    ),
    "5.20": (
        "Addressing information security within supplier agreements",
        "供給者との合意における情報セキュリティの取扱い",
    ),
    "5.21": (
        "Managing information security in the ICT supply chain",
        "ICTサプライチェーンにおける情報セキュリティの管理",
    ),
    "5.22": (
        "Monitoring, review and change management of supplier services",
        "供給者のサービス提供の監視、レビュー及び変更管理",
    ),
    "5.23": (
        "Information security for use of cloud services",
        "クラウドサービスの利用における情報セキュリティ",
    ),
    "5.24": (
        "Information security incident management planning and preparation",
        "情報セキュリティインシデント管理の計画策定及び準備",
    ),
    "5.25": (
        "Assessment and decision on information security events",
        "情報セキュリティ事象の評価及び決定",
    ),
    "5.26": ("Response to information security incidents", "情報セキュリティインシデントへの対応"),
    "5.27": (
        "Learning from information security incidents",
        "情報セキュリティインシデントからの学習",
    ),
    "5.28": ("Collection of evidence", "証拠の収集"),
    "5.29": ("Information security during disruption", "事業の中断・阻害時の情報セキュリティ"),
    "5.30": ("ICT readiness for business continuity", "事業継続のためのICTの備え"),
    "5.31": (
        "Legal, statutory, regulatory and contractual requirements",
        "法令、規制及び契約上の要求事項",
    ),
    "5.32": ("Intellectual property rights", "知的財産権"),
    "5.33": ("Protection of records", "記録の保護"),
    "5.34": ("Privacy and protection of PII", "プライバシー及びPIIの保護"),
    "5.35": ("Independent review of information security", "情報セキュリティの独立したレビュー"),
    "5.36": (
        "Compliance with policies, rules and standards for information security",
        "情報セキュリティのための方針群、規則及び標準の順守",
    ),
    "5.37": ("Documented operating procedures", "操作手順書"),
    "6.1": ("Screening", "選考"),
    "6.2": ("Terms and conditions of employment", "雇用条件"),
    "6.3": (
        "Information security awareness, education and training",
        "情報セキュリティの意識向上、教育及び訓練",
    ),
    "6.4": ("Disciplinary process", "懲戒手続"),
    "6.5": (
        "Responsibilities after termination or change of employment",
        "雇用の終了又は変更後の責任",
    ),
    "6.6": ("Confidentiality or non-disclosure agreements", "秘密保持契約又は守秘義務契約"),
    "6.7": ("Remote working", "リモートワーク"),
    "6.8": ("Information security event reporting", "情報セキュリティ事象の報告"),
    "7.1": ("Physical security perimeters", "物理的セキュリティ境界"),
    "7.2": ("Physical entry", "物理的入退"),
    "7.3": ("Securing offices, rooms and facilities", "オフィス、部屋及び施設のセキュリティ"),
    "7.4": ("Physical security monitoring", "物理的セキュリティの監視"),
    "7.5": (
        "Protecting against physical and environmental threats",
        "物理的及び環境的脅威からの保護",
    ),
    "7.6": ("Working in secure areas", "セキュリティを保つべき領域での作業"),
    "7.7": ("Clear desk and clear screen", "クリアデスク・クリアスクリーン"),
    "7.8": ("Equipment siting and protection", "装置の設置及び保護"),
    "7.9": ("Security of assets off-premises", "構外にある資産のセキュリティ"),
    "7.10": ("Storage media", "記憶媒体"),
    "7.11": ("Supporting utilities", "サポートユーティリティ"),
    "7.12": ("Cabling security", "ケーブル配線のセキュリティ"),
    "7.13": ("Equipment maintenance", "装置の保守"),
    "7.14": ("Secure disposal or re-use of equipment", "装置のセキュリティを保った処分又は再利用"),
    "8.1": ("User endpoint devices", "利用者エンドポイント機器"),
    "8.2": ("Privileged access rights", "特権的アクセス権"),
    "8.3": ("Information access restriction", "情報へのアクセス制限"),
    "8.4": ("Access to source code", "ソースコードへのアクセス"),
    "8.5": ("Secure authentication", "セキュリティを保った認証"),
    "8.6": ("Capacity management", "容量・能力の管理"),
    "8.7": ("Protection against malware", "マルウェアに対する保護"),
    "8.8": ("Management of technical vulnerabilities", "技術的ぜい弱性の管理"),
    "8.9": ("Configuration management", "構成管理"),
    "8.10": ("Information deletion", "情報の削除"),
    "8.11": ("Data masking", "データマスキング"),
    "8.12": ("Data leakage prevention", "データ漏えいの防止"),
    "8.13": ("Information backup", "情報のバックアップ"),
    "8.14": ("Redundancy of information processing facilities", "情報処理施設の冗長性"),
    "8.15": ("Logging", "ログ取得"),
    "8.16": ("Monitoring activities", "監視活動"),
    "8.17": ("Clock synchronization", "クロックの同期"),
    "8.18": ("Use of privileged utility programs", "特権的なユーティリティプログラムの使用"),
    "8.19": (
        "Installation of software on operational systems",
        "運用システムへのソフトウェアの導入",
    ),
    "8.20": ("Networks security", "ネットワークセキュリティ"),
    "8.21": ("Security of network services", "ネットワークサービスのセキュリティ"),
    "8.22": ("Segregation of networks", "ネットワークの分離"),
    "8.23": ("Web filtering", "ウェブ・フィルタリング"),
    "8.24": ("Use of cryptography", "暗号の使用"),
    "8.25": ("Secure development life cycle", "セキュリティに配慮した開発のライフサイクル"),
    "8.26": ("Application security requirements", "アプリケーションのセキュリティの要求事項"),
    "8.27": (
        "Secure system architecture and engineering principles",
        "セキュリティに配慮したシステムアーキテクチャ及びシステム構築の原則",
    ),
    "8.28": ("Secure coding", "セキュリティに配慮したコーディング"),
    "8.29": (
        "Security testing in development and acceptance",
        "開発及び受入れにおけるセキュリティテスト",
    ),
    "8.30": ("Outsourced development", "外部委託による開発"),
    "8.31": (
        "Separation of development, test and production environments",
        "開発環境、テスト環境及び本番環境の分離",
    ),
    "8.32": ("Change management", "変更管理"),
    "8.33": ("Test information", "テスト用情報"),
    "8.34": (
        "Protection of information systems during audit testing",
        "監査におけるテスト中の情報システムの保護",
    ),
}

assert set(_NAMES) == ISO27001_2022_IDS  # noqa: S101 -- the table covers Annex A exactly

ANNEX_A_IDS: tuple[str, ...] = tuple(sorted(ISO27001_2022_IDS, key=sort_key))


def name(annex_id: str, lang: str) -> str:
    """The short name of an Annex A control in ``lang`` (ja or en)."""
    en, ja = _NAMES[annex_id]
    return ja if lang == "ja" else en


def theme_of(annex_id: str) -> str:
    return annex_id.split(".", 1)[0]
