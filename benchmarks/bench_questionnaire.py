"""Questionnaire round trip for a contractor review of 100 questions: Kansa generates the
workbook, a contractor fills every answer cell with openpyxl, Kansa validates every cell and
imports the answers. Generate and import are the server's share (the round trip measured);
filling is the contractor's and is reported apart.

The 100 questions are a generated version of the contractor-review catalogue (60 maturity,
15 yes/no, 10 date, 15 text), stored as its newest version.

Run: .venv/bin/python benchmarks/bench_questionnaire.py [--questions N] [--runs R]
Last line JSON: {"questions": N, "round_trip_ms": ..., "generate_ms": ..., "import_ms": ...}
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import load_workbook

from auth.model import Principal
from contractors import review_service, service
from contractors.model import Clauses, ContractorDraft
from contractors.questionnaire import MATURITY_CHOICES, SHEET_QUESTIONS, TYPE_LABELS, YES_CHOICE
from controls.service import import_file, sync_library
from demo.service import load_demo
from storage.migrate import open_database

OPERATOR = Principal.cli("bench")
TODAY = date(2026, 11, 25)
KINDS = ["maturity"] * 12 + ["yes_no"] * 3 + ["date"] * 2 + ["text"] * 3


def catalogue_file(folder: Path, questions: int) -> Path:
    """A contractor-review catalogue version with ``questions`` questions in 10 domains."""
    per_domain = -(-questions // 10)
    domains = []
    for d in range(10):
        controls = []
        for k in range(per_domain):
            n = d * per_domain + k
            if n >= questions:
                break
            controls.append(
                {
                    "id": f"CR-B{d:02d}-{k:02d}",
                    "title": {
                        "en": f"Question {n + 1}: is measure {n + 1} in place for our work?",
                        "ja": f"設問{n + 1}: 当社の委託業務について措置{n + 1}を講じていますか。",
                    },
                    "requirement": {"en": f"Measure {n + 1} is in place.", "ja": f"措置{n + 1}"},
                    "guidance": {"en": ["Keep a record."], "ja": ["記録を残す。"]},
                    "answer_type": KINDS[n % len(KINDS)],
                    "evidence_hints": {
                        "en": ["A written procedure", "Records of the last year"],
                        "ja": ["手順書", "直近1年間の記録"],
                    },
                }
            )
        domains.append(
            {
                "id": f"B{d:02d}",
                "name": {"en": f"Area {d + 1}", "ja": f"領域{d + 1}"},
                "controls": controls,
            }
        )
    path = folder / "contractor-review-bench.yaml"
    document = {
        "urn": "urn:kansa:catalogue:contractor-review",
        "version": "9999.1",
        "name": {"en": "Contractor review (benchmark)", "ja": "委託先点検票（計測用）"},
        "domains": domains,
    }
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def fill(data: bytes) -> bytes:
    """Answer every question the way a contractor does in Excel."""
    by_label = {label: kind for kind, label in TYPE_LABELS.items()}
    wb: Any = load_workbook(io.BytesIO(data))
    for row in wb[SHEET_QUESTIONS].iter_rows(min_row=2):
        kind = by_label[row[3].value]
        row[4].value = {
            "maturity": MATURITY_CHOICES[3],
            "yes_no": YES_CHOICE,
            "date": datetime(2027, 3, 31),
            "text": "東京都内の自社データセンターで保管しています。",
        }[kind]
        row[5].value = "確認済み"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    gen, fills, imports = [], [], []
    with tempfile.TemporaryDirectory() as tmp, open_database(Path(tmp) / "k.duckdb") as db:
        sync_library(db, OPERATOR)
        load_demo(db, OPERATOR)
        import_file(db, OPERATOR, catalogue_file(Path(tmp), args.questions))
        for run in range(args.runs):
            draft = ContractorDraft(
                name=f"計測用委託先 {run + 1}",
                services="bench",
                approx_individuals=10_000,
                special_care=False,
                contract_start=date(2025, 4, 1),
                owner="d.sugimoto",
                clauses=Clauses.complete(),
            )
            c = service.register_contractor(db, OPERATOR, draft, today=TODAY)
            start = time.perf_counter()
            data = review_service.generate_questionnaire(db, OPERATOR, c.id, today=TODAY)
            gen.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            filled = fill(data)
            fills.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            result = review_service.import_questionnaire(
                db, OPERATOR, c.id, "filled.xlsx", filled, today=TODAY
            )
            imports.append((time.perf_counter() - start) * 1000)
            assert result.answered == args.questions, result
    trips = sorted(g + i for g, i in zip(gen, imports, strict=True))
    print(
        f"questions: {args.questions}; workbook {len(data) // 1024} KiB issued, "
        f"{len(filled) // 1024} KiB returned; {args.runs} runs"
    )
    print(
        f"ms median: generate {statistics.median(gen):.0f}, contractor fills (openpyxl) "
        f"{statistics.median(fills):.0f}, validate + import {statistics.median(imports):.0f}; "
        f"round trip {statistics.median(trips):.0f} (max {trips[-1]:.0f})"
    )
    print(
        json.dumps(
            {
                "questions": args.questions,
                "round_trip_ms": round(statistics.median(trips), 1),
                "round_trip_ms_max": round(trips[-1], 1),
                "generate_ms": round(statistics.median(gen), 1),
                "import_ms": round(statistics.median(imports), 1),
                "contractor_fill_ms": round(statistics.median(fills), 1),
            }
        )
    )


if __name__ == "__main__":
    main()
