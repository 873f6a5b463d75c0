"""The demo company, 株式会社椿屋データサービス (Tsubakiya Data Services Co., Ltd.).

Fictional: a mid-sized Japanese firm that runs customer-support and payroll outsourcing, holds
customer and employee personal data, and uses contractors and a cloud region abroad.
"""

from __future__ import annotations

from org.model import OrgUnit, Person, UnitKind

COMPANY_EN = "Tsubakiya Data Services Co., Ltd. (demo)"
COMPANY_JA = "株式会社椿屋データサービス（デモ）"
DOMAIN = "tsubakiya.example"

D, S, Y = UnitKind.DEPARTMENT, UnitKind.SITE, UnitKind.SYSTEM

UNITS: list[OrgUnit] = [
    OrgUnit("MGT", D, "Management Planning Department", "経営企画部"),
    OrgUnit("IAD", D, "Internal Audit Office", "内部監査室"),
    OrgUnit("PRV", D, "Privacy Office", "個人情報保護推進室"),
    OrgUnit("HRD", D, "Human Resources Department", "人事部"),
    OrgUnit("GAD", D, "General Affairs Department", "総務部"),
    OrgUnit("ITS", D, "Information Systems Department", "情報システム部"),
    OrgUnit("SLS", D, "Sales Department", "営業部"),
    OrgUnit("CSC", D, "Customer Support Centre", "カスタマーサポートセンター"),
    OrgUnit("PAY", D, "Payroll Outsourcing Department", "給与計算受託部"),
    OrgUnit("HQ", S, "Head office (Tokyo)", "本社（東京）"),
    OrgUnit("SND", S, "Sendai Support Site", "仙台サポート拠点", "CSC"),
    OrgUnit("CRM", Y, "Customer management system", "顧客管理システム", "ITS"),
    OrgUnit("HRS", Y, "HR and payroll system", "人事給与システム", "ITS"),
]


def _p(ja: str, en: str, user: str, unit: str, title_en: str, title_ja: str) -> Person:
    return Person(ja, en, f"{user}@{DOMAIN}", unit, title_en, title_ja)


PEOPLE: list[Person] = [
    _p("椿 一郎", "Ichiro Tsubaki", "i.tsubaki", "MGT", "President", "代表取締役社長"),
    _p("青柳 真理子", "Mariko Aoyagi", "m.aoyagi", "MGT", "Executive Officer", "執行役員"),
    _p("北村 誠", "Makoto Kitamura", "m.kitamura", "IAD", "Head of Internal Audit", "内部監査室長"),
    _p("三好 彩", "Aya Miyoshi", "a.miyoshi", "IAD", "Internal Auditor", "内部監査員"),
    _p("長谷部 航", "Wataru Hasebe", "w.hasebe", "IAD", "Internal Auditor", "内部監査員"),
    _p("森田 玲奈", "Reina Morita", "r.morita", "PRV", "Privacy Officer", "個人情報保護管理者"),
    _p(
        "杉本 大輔",
        "Daisuke Sugimoto",
        "d.sugimoto",
        "PRV",
        "Contractor Supervisor",
        "委託先管理担当",
    ),
    _p("原田 恵", "Megumi Harada", "m.harada", "HRD", "HR Manager", "人事部長"),
    _p("小野寺 拓海", "Takumi Onodera", "t.onodera", "GAD", "General Affairs Manager", "総務部長"),
    _p("藤井 翔太", "Shota Fujii", "s.fujii", "ITS", "IT Manager", "情報システム部長"),
    _p("今井 結衣", "Yui Imai", "y.imai", "ITS", "Systems Administrator", "システム管理者"),
    _p("松岡 健", "Ken Matsuoka", "k.matsuoka", "SLS", "Sales Manager", "営業部長"),
    _p("岡本 さくら", "Sakura Okamoto", "s.okamoto", "CSC", "Support Centre Manager", "センター長"),
    _p(
        "千葉 悠人",
        "Yuto Chiba",
        "y.chiba",
        "CSC",
        "Team Leader (Sendai)",
        "チームリーダー（仙台）",
    ),
    _p(
        "村上 直子",
        "Naoko Murakami",
        "n.murakami",
        "PAY",
        "Payroll Services Manager",
        "給与計算受託部長",
    ),
]

# One sign-in account per role, for demo people whose work fits the role.
DEMO_USERS: list[tuple[str, str, str]] = [
    # (username, role, email local part of the person)
    ("y.imai", "admin", "y.imai"),
    ("a.miyoshi", "auditor", "a.miyoshi"),
    ("d.sugimoto", "supervisor", "d.sugimoto"),
    ("s.okamoto", "auditee", "s.okamoto"),
    ("m.aoyagi", "executive", "m.aoyagi"),
]
