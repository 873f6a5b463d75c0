"""`kansa`: the administration command line.

Exit codes: 0 success; 1 a user error, reported as one line per problem on stderr; 2 a usage
error (from argparse).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from controls import service as catalogues
from core.errors import KansaError, ValidationFailed
from core.settings import Settings, load_settings
from demo import service as demo
from storage.db import Database
from storage.migrate import open_database


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def _settings(args: argparse.Namespace) -> Settings:
    if args.data_dir:
        return Settings(data_dir=Path(args.data_dir).expanduser().resolve())
    return load_settings()


def _open(args: argparse.Namespace) -> Database:
    return open_database(_settings(args).db_path)


def cmd_init(args: argparse.Namespace) -> int:
    with _open(args) as db:
        results = catalogues.sync_library(db, actor=_actor())
        print(f"Database ready: {_settings(args).db_path}")
        for r in results:
            print(f"  {r.status.value:9} {r.urn} {r.version} ({r.control_count} controls)")
        if args.demo and not demo.has_data(db):
            summary = demo.load_demo(db)
            print(f"Demo company loaded: {summary.org_units} org units, {summary.people} people.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    with _open(args) as db:
        if args.if_empty and demo.has_data(db):
            print("The database already holds data; demo data not loaded.")
            return 0
        summary = demo.load_demo(db)
    print(f"Demo company loaded: {summary.org_units} org units, {summary.people} people.")
    return 0


def cmd_catalogue_validate(args: argparse.Namespace) -> int:
    loaded = catalogues.validate_files(Path(f) for f in args.files)
    for item in loaded:
        count = sum(1 for _, c in item.catalogue.controls() if c.assessable)
        print(
            f"{item.source_file}: valid ({item.catalogue.urn} {item.catalogue.version}, "
            f"{count} controls)"
        )
    return 0


def cmd_catalogue_import(args: argparse.Namespace) -> int:
    with _open(args) as db:
        result = catalogues.import_file(db, Path(args.file), actor=_actor())
    print(f"{result.status.value}: {result.urn} {result.version} ({result.control_count} controls)")
    return 0


def cmd_catalogue_list(args: argparse.Namespace) -> int:
    with _open(args) as db:
        items = catalogues.list_catalogues(db)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "urn": c.urn,
                        "version": c.version,
                        "name": c.name_en,
                        "control_count": c.control_count,
                        "sha256": c.sha256,
                    }
                    for c in items
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for c in items:
        print(f"{c.urn}  {c.version}  {c.control_count:4d} controls  {c.sha256[:12]}  {c.name_en}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kansa", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir", help="data folder (default: $KANSA_DATA_DIR or ./data)", default=None
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init", help="create or migrate the database and sync shipped catalogues")
    p.add_argument(
        "--demo", action="store_true", help="also load the demo company into an empty database"
    )
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="load the demo company (departments and people)")
    p.add_argument("--if-empty", action="store_true", help="skip quietly if data exists")
    p.set_defaults(func=cmd_demo)

    cat = sub.add_parser("catalogue", help="validate, import and list control catalogues")
    cat_sub = cat.add_subparsers(dest="catalogue_command", required=True, metavar="ACTION")
    p = cat_sub.add_parser("validate", help="check catalogue files; one line per problem")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_catalogue_validate)
    p = cat_sub.add_parser("import", help="validate and store a catalogue file")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_catalogue_import)
    p = cat_sub.add_parser("list", help="list stored catalogues")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_catalogue_list)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except ValidationFailed as exc:
        for issue in exc.issues:
            print(issue, file=sys.stderr)
        return 1
    except KansaError as exc:
        print(f"kansa: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
