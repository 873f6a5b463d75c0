"""Evidence files for the demo company: rules, rosters, certificates and photos, all invented.

Each department's two most recent self-inspections get a handful of documents linked to the
controls they prove. A few have a valid-until date that has passed or is close, so the
Evidence page has something to flag and "carry forward" something to re-check.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from auth import repository as auth_repository
from auth.model import Principal
from evidence import repository
from evidence.store import EvidenceStore
from storage.db import Cursor

FONT = "HeiseiKakuGo-W5"  # a standard Japanese CID font: no font file needed to write it


@dataclass(frozen=True, slots=True)
class DemoDocument:
    control_id: str
    filename: str
    title: str
    lines: tuple[str, ...]
    description: str
    valid_until: str | None = None
    kind: str = "pdf"  # pdf | csv | png


DOCUMENTS = (
    DemoDocument(
        "POL-01",
        "個人情報保護方針_第3版.pdf",
        "個人情報保護方針（第3版）",
        ("株式会社椿屋データサービス", "代表取締役承認 2024年4月1日", "社内外に公表済み"),
        "取締役会で承認された基本方針。ウェブサイト掲載版と同一。",
    ),
    DemoDocument(
        "POL-02",
        "個人データ取扱規程_2025改訂.pdf",
        "個人データ取扱規程（2025年改訂）",
        ("取得・利用・保存・提供・削除・廃棄の各段階の手順", "改訂履歴: 2025年10月1日"),
        "取扱いの各段階の手順を定めた社内規程。",
    ),
    DemoDocument(
        "ORG-03",
        "個人情報管理台帳_抜粋.csv",
        "",
        (),
        "部門の個人情報管理台帳（抜粋）。",
        kind="csv",
    ),
    DemoDocument(
        "HUM-01",
        "個人情報保護研修_受講記録.csv",
        "",
        (),
        "年次研修の受講者名簿と理解度テストの結果。",
        valid_until="2026-12-15",
        kind="csv",
    ),
    DemoDocument(
        "PHY-01",
        "施錠キャビネット_写真.png",
        "",
        (),
        "書類保管キャビネットの施錠状態（執務室B）。",
        kind="png",
    ),
    DemoDocument(
        "PHY-04",
        "廃棄証明書_2026年9月.pdf",
        "溶解処理証明書",
        ("処理日: 2026年9月18日", "処理量: 機密文書 12箱", "処理業者: 架空リサイクル株式会社"),
        "機密文書の溶解処理の証明書。",
        valid_until="2026-09-30",
    ),
    DemoDocument(
        "TEC-01",
        "アクセス権棚卸_2026上期.pdf",
        "アクセス権棚卸結果（2026年度上期）",
        ("対象システム: 顧客管理、コールセンター基盤", "不要権限: 3件削除済み"),
        "半期ごとのアクセス権見直しの結果と是正記録。",
        valid_until="2027-03-31",
    ),
)
# The departments and how many of the documents each has (weaker ones have fewer).
COVERAGE = {"CSC": 5, "SLS": 3, "HRD": 7, "ITS": 7, "PAY": 4, "GAD": 5}


def _pdf(doc: DemoDocument) -> bytes:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, invariant=True)  # same bytes every time
    page.setTitle(doc.title)
    page.setFont(FONT, 18)
    page.drawString(60, 770, doc.title)
    page.setFont(FONT, 11)
    for i, line in enumerate(doc.lines):
        page.drawString(60, 730 - 20 * i, line)
    page.drawString(60, 80, "デモ用の架空の文書です。")
    page.save()
    return out.getvalue()


def _csv(doc: DemoDocument) -> bytes:
    if doc.control_id == "HUM-01":
        rows = ["社員番号,氏名,受講日,理解度テスト"] + [
            f"E{1000 + i},受講者{i:02d},2025-12-{1 + i % 20:02d},{70 + i % 30}" for i in range(24)
        ]
    else:
        rows = ["台帳番号,個人情報の項目,利用目的,保管場所,保存期間"] + [
            f"L-{i:03d},氏名・電話番号,問合せ対応,顧客管理システム,5年" for i in range(1, 13)
        ]
    return ("\n".join(rows) + "\n").encode("utf-8-sig")


def _png(width: int = 160, height: int = 120) -> bytes:
    """A small drawing of a locked cabinet (a stand-in photo), written as plain PNG chunks."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    def pixel(x: int, y: int) -> bytes:
        if 120 <= x < 132 and 50 <= y < 64:
            return b"\xd8\xb0\x30"  # the lock
        if 30 <= x < 130 and 10 <= y < 112:
            return b"\x70\x78\x84" if y % 34 else b"\x40\x44\x4c"  # cabinet and drawers
        return b"\xdc\xde\xe2"  # wall

    raw = b"".join(b"\x00" + b"".join(pixel(x, y) for x in range(width)) for y in range(height))
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x02\x00\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def content(doc: DemoDocument) -> bytes:
    if doc.kind == "csv":
        return _csv(doc)
    if doc.kind == "png":
        return _png()
    return _pdf(doc)


def load_evidence(
    cur: Cursor, actor: Principal, store: EvidenceStore, latest: dict[str, list[str]]
) -> int:
    """Store the demo documents and link them; ``latest``: scope -> its assessment ids, newest
    first. Returns the number of links made."""
    uploader = {u.org_unit_code: u.username for u in auth_repository.list_users(cur)}
    made = 0
    for scope, ids in latest.items():
        for doc in DOCUMENTS[: COVERAGE.get(scope, 0)]:
            stored = store.ingest(io.BytesIO(content(doc)), doc.filename)
            repository.upsert_file(cur, stored, actor.username)
            for assessment_id in ids[:2]:
                link = repository.insert_link(
                    cur,
                    sha256=stored.sha256,
                    assessment_id=assessment_id,
                    control_id=doc.control_id,
                    filename=doc.filename,
                    description=doc.description,
                    valid_until=doc.valid_until,
                    actor=uploader.get(scope, actor.username),
                )
                if link is None:
                    continue
                made += 1
                auth_repository.append_audit(
                    cur,
                    actor=actor.username,
                    action="evidence.add",
                    entity="evidence",
                    entity_id=link,
                    after={
                        "sha256": stored.sha256,
                        "assessment_id": assessment_id,
                        "control_id": doc.control_id,
                        "filename": doc.filename,
                        "size": stored.size,
                        "demo": True,
                    },
                )
    return made
