"""Validate and import a generated catalogue of 1,000 controls; print the figures.

Run: .venv/bin/python benchmarks/bench_catalogue.py [--controls N] [--repeat R]
The last line is JSON: {"controls": N, "validate_ms": ..., "import_ms": ...} (best of R runs).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auth.model import Principal
from controls.loader import load_catalogue
from controls.service import import_catalogue
from demo.synthetic import catalogue_yaml
from storage.migrate import open_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--controls", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.yaml"
        path.write_text(catalogue_yaml(args.controls), encoding="utf-8")
        size_kb = path.stat().st_size / 1024
        validate_ms: list[float] = []
        import_ms: list[float] = []
        for i in range(args.repeat):
            start = time.perf_counter()
            loaded = load_catalogue(path)
            validate_ms.append((time.perf_counter() - start) * 1000)
            with open_database(Path(tmp) / f"bench{i}.duckdb") as db:
                start = time.perf_counter()
                import_catalogue(db, Principal.cli("bench"), loaded)
                import_ms.append((time.perf_counter() - start) * 1000)
        print(f"file: {size_kb:.0f} KB, runs: {args.repeat}")
        print(f"validate ms: {', '.join(f'{v:.1f}' for v in validate_ms)}")
        print(f"import ms:   {', '.join(f'{v:.1f}' for v in import_ms)}")
        print(
            json.dumps(
                {
                    "controls": args.controls,
                    "validate_ms": round(min(validate_ms), 1),
                    "import_ms": round(min(import_ms), 1),
                }
            )
        )


if __name__ == "__main__":
    main()
