"""Interoperability and operations: import, OSCAL export, backup and restore; print figures.

Run: .venv/bin/python benchmarks/bench_interop.py [--responses N] [--files N] [--seed S]

Measured:
- import_ciso_s / import_oscal_s: validating a generated 1,000-requirement CISO Assistant
  library (with Japanese translations) and a 1,000-control OSCAL catalog into the Kansa
  catalogue model, mapping report included (best of 3; nothing stored);
- oscal_export_s: ``kansa export ID --format oscal`` for one 150-control assessment through
  the export service (its data gathered from the services, then the JSON), best of 3;
- backup: a database of N responses (synthetic, set up by SQL as in bench_scoring.py) plus
  F small evidence files (1-16 KB, random bytes), backed up with ``--with-evidence`` into one
  .tar (snapshot by ATTACH + COPY FROM DATABASE, row counts checked, every evidence file hashed
  on the way, one fsync), both ways: online (the server's page: COPY FROM DATABASE on a worker
  thread while evidence goes into the tar) and exclusive (the command line with the server
  stopped: CHECKPOINT, then the file archived as it is). Against them: a plain copy of the
  same bytes (the database file and every evidence file copied with shutil.copyfile into a
  fresh folder, then one sync). Three rounds, alternating, from a warm page cache; the best of
  each is reported as MB/s of input bytes (database file + evidence bytes);
- restore_s: restoring that .tar into an empty folder with every check (SHA-256 of the
  database and of every evidence file, row counts);
- the round trip: the portfolio scores of every assessment (SQL, domain and overall rows)
  compared between the original and the restored database, and ``kansa score ID --json``
  compared for a sample of 25 assessments (running the command for all of them would take
  minutes).
The last line is JSON: {"import_ciso_s", "import_oscal_s", "oscal_export_s", "responses",
"evidence_files", "data_mb", "backup_mb_s", "backup_cli_mb_s", "copy_mb_s", "backup_vs_copy",
"backup_cli_vs_copy", "restore_s", "scores_identical"}.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scoring import load_data  # type: ignore[import-not-found]

from assessments.score_queries import portfolio_scores
from auth.model import Principal
from cli import main as kansa
from controls.import_service import read_catalogue
from reporting.export_service import export_assessment
from storage.backup import restore_backup, write_backup
from storage.db import Database
from storage.migrate import open_database

OPERATOR = Principal.cli("bench")


def best(func: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def ciso_library(requirements: int) -> str:
    lines = [
        "urn: urn:example:risk:library:bench",
        "locale: en",
        "ref_id: BENCH",
        "name: Benchmark framework",
        "version: 1",
        "translations:",
        "  ja:",
        "    name: ベンチマーク用フレームワーク",
        "objects:",
        "  framework:",
        "    urn: urn:example:risk:framework:bench",
        "    ref_id: BENCH",
        "    name: Benchmark framework",
        "    min_score: 0",
        "    max_score: 100",
        "    requirement_nodes:",
    ]
    per = requirements // 10
    n = 0
    for d in range(10):
        lines += [
            f"    - urn: urn:example:risk:req_node:bench:d{d}",
            "      assessable: false",
            "      depth: 1",
            f"      ref_id: D{d}",
            f"      name: Area {d}",
            "      translations:",
            "        ja:",
            f"          name: 分野 {d}",
        ]
        for _ in range(per):
            n += 1
            lines += [
                f"    - urn: urn:example:risk:req_node:bench:r{n}",
                "      assessable: true",
                "      depth: 2",
                f"      parent_urn: urn:example:risk:req_node:bench:d{d}",
                f"      ref_id: D{d}.{n}",
                f"      name: Requirement {n} on handling personal data",
                f"      description: The organisation defines measure {n}, keeps records and",
                "        reviews them at least once a year.",
                "      annotation: Write a procedure; keep a log.",
                "      typical_evidence: Procedure document",
                "      implementation_groups: [BASIC]",
                "      translations:",
                "        ja:",
                f"          name: 個人データの取扱いに関する要求事項 {n}",
                f"          description: 組織は措置 {n} を定めて記録を残し、年1回以上見直す。",
            ]
    return "\n".join(lines) + "\n"


def oscal_catalog(controls: int) -> str:
    groups = []
    n = 0
    for g in range(20):
        items = []
        for _ in range(controls // 20):
            n += 1
            items.append(
                {
                    "id": f"g{g}-{n}",
                    "title": f"Control {n}",
                    "params": [{"id": f"g{g}-{n}_prm_1", "label": "organization-defined roles"}],
                    "props": [{"name": "label", "value": f"G{g}-{n}"}],
                    "parts": [
                        {
                            "id": f"g{g}-{n}_smt",
                            "name": "statement",
                            "prose": f"Assign measure {n} to "
                            f"{{{{ insert: param, g{g}-{n}_prm_1 }}}}.",
                        },
                        {"id": f"g{g}-{n}_gdn", "name": "guidance", "prose": "Keep records."},
                    ],
                }
            )
        groups.append({"id": f"g{g}", "title": f"Family {g}", "controls": items})
    doc = {
        "catalog": {
            "uuid": "3f2a6c1e-8d4b-4e7a-9c1f-5b2d7e9a0c41",
            "metadata": {"title": "Bench catalog", "version": "1", "oscal-version": "1.1.3"},
            "groups": groups,
        }
    }
    return json.dumps(doc, indent=1)


def add_evidence(db: Database, root: Path, files: int, seed: int) -> int:
    """Write ``files`` small files into the store layout and record them; total bytes."""
    import hashlib  # noqa: PLC0415

    rng = random.Random(seed)
    shas, sizes = [], []
    for _ in range(files):
        data = rng.randbytes(rng.randint(1024, 16 * 1024))
        sha = hashlib.sha256(data).hexdigest()
        folder = root / sha[:2]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / sha).write_bytes(data)
        shas.append(sha)
        sizes.append(len(data))
    with db.transaction() as cur:
        cur.register("_files", pa.table({"sha256": shas, "size": np.array(sizes, dtype=np.int64)}))
        cur.execute(
            "INSERT INTO evidence_files (sha256, size, media_type, stored_by) "
            "SELECT sha256, size, 'text/plain', 'bench' FROM _files"
        )
        cur.unregister("_files")
    os.sync()
    return sum(sizes)


def plain_copy(db_file: Path, evidence: Path, target: Path) -> None:
    target.mkdir()
    shutil.copyfile(db_file, target / db_file.name)
    for folder in sorted(evidence.iterdir()):
        out = target / "evidence" / folder.name
        out.mkdir(parents=True)
        for f in folder.iterdir():
            shutil.copyfile(f, out / f.name)
    os.sync()


def score_json(data_dir: Path, assessment_id: str) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = kansa(["--data-dir", str(data_dir), "score", assessment_id, "--json"])
    assert code == 0
    return buffer.getvalue()


def same_rows(a: list[Any], b: list[Any]) -> bool:
    """Portfolio rows equal, floats to 1e-9: DuckDB sums doubles in parallel, so even the same
    database gives results that differ in the last bits from one run to the next."""
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        for p, q in zip(x, y, strict=True):
            if isinstance(p, float) and isinstance(q, float):
                if abs(p - q) > 1e-9:
                    return False
            elif p != q:
                return False
    return True


def main() -> None:  # noqa: PLR0915 -- one script, read top to bottom
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261)
    args = parser.parse_args()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average {load}")

    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        # --- imports ------------------------------------------------------------------------
        ciso = tmp / "ciso.yaml"
        ciso.write_text(ciso_library(1_000), encoding="utf-8")
        oscal = tmp / "oscal.json"
        oscal.write_text(oscal_catalog(1_000), encoding="utf-8")
        ciso_s, read = best(lambda: read_catalogue(ciso))
        assert len(read.loaded.catalogue.controls()) == 1_000
        oscal_s, read = best(lambda: read_catalogue(oscal))
        assert len(read.loaded.catalogue.controls()) == 1_000
        print(
            f"import CISO Assistant library, 1,000 requirements ({ciso.stat().st_size // 1024} KB)"
            f": {ciso_s * 1000:.0f} ms (best of 3)"
        )
        print(
            f"import OSCAL catalog, 1,000 controls ({oscal.stat().st_size // 1024} KB)"
            f": {oscal_s * 1000:.0f} ms (best of 3)"
        )

        # --- the data -----------------------------------------------------------------------
        source = tmp / "source"
        start = time.perf_counter()
        with open_database(source / "kansa.duckdb") as db:
            count, _ = load_data(db, tmp, args.responses, args.seed)
            evidence_bytes = add_evidence(db, source / "evidence", args.files, args.seed)
            with db.cursor() as cur:
                cur.execute("CHECKPOINT")
                ids = [
                    r[0]
                    for r in cur.execute(
                        "SELECT CAST(id AS VARCHAR) FROM assessments ORDER BY id"
                    ).fetchall()
                ]
                responses = cur.execute("SELECT count(*) FROM responses").fetchall()[0][0]
            export_s, document = best(
                lambda: export_assessment(db, OPERATOR, ids[0], "oscal", lang="en")
            )
        setup_s = time.perf_counter() - start
        db_file = source / "kansa.duckdb"
        data_bytes = db_file.stat().st_size + evidence_bytes
        data_mb = data_bytes / 1_048_576
        print(
            f"data: {responses:,} responses in {count:,} assessments, database file "
            f"{db_file.stat().st_size / 1_048_576:.1f} MB; {args.files:,} evidence files "
            f"{evidence_bytes / 1_048_576:.1f} MB; {data_mb:.1f} MB in all "
            f"(set up in {setup_s:.1f} s)"
        )
        print(
            f"OSCAL export of one 150-control assessment ({len(document) // 1024} KB JSON)"
            f": {export_s * 1000:.0f} ms (best of 3, data gathering included)"
        )

        # --- backup against a plain copy ------------------------------------------------------
        # Both ways a backup is made: the server's (online: snapshot by COPY FROM DATABASE on
        # a worker thread while the evidence goes into the tar) and the command line's with the
        # server stopped (exclusive: the checkpointed file archived as it is).
        times: dict[str, list[float]] = {"copy": [], "online": [], "exclusive": []}
        archive = tmp / "backup.tar"
        result = None
        for round_ in range(3):
            target = tmp / f"copy{round_}"
            start = time.perf_counter()
            plain_copy(db_file, source / "evidence", target)
            times["copy"].append(time.perf_counter() - start)
            shutil.rmtree(target)
            for way in ("online", "exclusive"):
                archive.unlink(missing_ok=True)
                with Database(db_file) as db:
                    start = time.perf_counter()
                    result = write_backup(
                        db,
                        source / "evidence",
                        archive,
                        with_evidence=True,
                        exclusive=way == "exclusive",
                    )
                    times[way].append(time.perf_counter() - start)
                assert not result.missing
                assert not result.corrupt
        assert result is not None
        best_s = {way: min(runs) for way, runs in times.items()}
        mb_s = {way: data_mb / t for way, t in best_s.items()}
        for way, label in (
            ("online", "backup --with-evidence, online (server page)"),
            ("exclusive", "backup --with-evidence, command line (server stopped)"),
            ("copy", "plain copy of the same files + sync"),
        ):
            runs = ", ".join(f"{t:.2f}" for t in times[way])
            print(f"{label}: {best_s[way]:.2f} s = {mb_s[way]:.0f} MB/s (runs {runs} s)")
        print(f".tar {result.size / 1_048_576:.1f} MB")
        ratio = mb_s["online"] / mb_s["copy"]
        cli_ratio = mb_s["exclusive"] / mb_s["copy"]
        print(
            f"backup / plain copy: online {ratio:.0%}, command line {cli_ratio:.0%} "
            "(target >= 50 %)"
        )

        # --- restore and the round trip ---------------------------------------------------------
        restored = tmp / "restored"
        start = time.perf_counter()
        restore_backup(archive, restored)
        restore_s = time.perf_counter() - start
        print(f"restore + verify (row counts, every SHA-256): {restore_s:.2f} s")
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"load average now {load} (the disk is shared: copies vary run to run)")
        with Database(db_file) as a, a.cursor() as cur:
            before = portfolio_scores(cur)
        with Database(restored / "kansa.duckdb") as b, b.cursor() as cur:
            after = portfolio_scores(cur)
        sample = random.Random(args.seed).sample(ids, min(25, len(ids)))
        same_cli = all(score_json(source, i) == score_json(restored, i) for i in sample)
        same_portfolio = same_rows(before, after)
        identical = same_portfolio and same_cli
        print(
            f"round trip: portfolio scores of all {count:,} assessments "
            f"{'equal (1e-9)' if same_portfolio else 'DIFFER'}; `kansa score --json` of "
            f"{len(sample)} sampled assessments {'identical' if same_cli else 'DIFFER'}"
        )
        targets = [
            ("CISO import of 1,000 requirements < 1 s", ciso_s < 1),
            ("OSCAL export of a 150-control assessment < 1 s", export_s < 1),
            ("backup >= 50 % of a plain copy (both ways)", min(ratio, cli_ratio) >= 0.5),
            ("restore round trip identical", identical),
        ]
        for label, met in targets:
            print(f"target {label}: {'met' if met else 'MISSED'}")
        print(
            json.dumps(
                {
                    "import_ciso_s": round(ciso_s, 3),
                    "import_oscal_s": round(oscal_s, 3),
                    "oscal_export_s": round(export_s, 3),
                    "responses": responses,
                    "evidence_files": args.files,
                    "data_mb": round(data_mb, 1),
                    "backup_mb_s": round(mb_s["online"], 1),
                    "backup_cli_mb_s": round(mb_s["exclusive"], 1),
                    "copy_mb_s": round(mb_s["copy"], 1),
                    "backup_vs_copy": round(ratio, 3),
                    "backup_cli_vs_copy": round(cli_ratio, 3),
                    "restore_s": round(restore_s, 2),
                    "scores_identical": identical,
                }
            )
        )


if __name__ == "__main__":
    main()
