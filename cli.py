"""`kansa`: the administration command line.

Exit codes: 0 success; 1 a user error, reported as one line per problem on stderr; 2 a usage
error (from argparse).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from assessments import service as assessments
from auth import audit_service as audit
from auth import service as users
from auth.model import Principal, Role
from auth.secret import load_or_create_secret
from contractors import review_service
from contractors import service as contractors
from controls import service as catalogues
from core.errors import KansaError, ValidationFailed
from core.settings import Settings, load_settings
from demo import service as demo
from demo.service import DemoSummary
from evidence import service as evidence
from evidence.store import EvidenceStore
from findings import service as findings
from findings.model import Finding, FindingFilter, Grade, age_days, is_overdue
from reporting import service as reporting
from reports.findings_export import findings_csv, findings_xlsx
from storage.db import Database
from storage.migrate import open_database


def _actor() -> Principal:
    """CLI commands act as ``cli:<OS user>`` in the audit trail."""
    try:
        return Principal.cli(getpass.getuser())
    except (KeyError, OSError):
        return Principal.cli("unknown")


def _settings(args: argparse.Namespace) -> Settings:
    if args.data_dir:
        return Settings(data_dir=Path(args.data_dir).expanduser().resolve())
    return load_settings()


def _open(args: argparse.Namespace) -> Database:
    return open_database(_settings(args).db_path)


def _print_demo(summary: DemoSummary) -> None:
    print(
        f"Demo company loaded: {summary.org_units} org units, {summary.people} people, "
        f"{summary.assessments} self-inspections over three years."
    )
    print("Demo sign-in accounts (fictional people), all with the password below:")
    for username, role in summary.users:
        print(f"  {username:12} {role}")
    print(f"  password: {summary.password}")
    print("  (shown only now; `kansa user reset-password NAME` makes a new one)")


def cmd_init(args: argparse.Namespace) -> int:
    settings = _settings(args)
    load_or_create_secret(settings.secret_path)
    with _open(args) as db:
        results = catalogues.sync_library(db, _actor())
        print(f"Database ready: {settings.db_path}")
        for r in results:
            print(f"  {r.status.value:9} {r.urn} {r.version} ({r.control_count} controls)")
        if args.demo and not demo.has_data(db):
            _print_demo(demo.load_demo(db, _actor(), EvidenceStore.from_settings(settings)))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    with _open(args) as db:
        if args.scale:
            if not demo.has_data(db):
                _print_demo(
                    demo.load_demo(db, _actor(), EvidenceStore.from_settings(_settings(args)))
                )
            counts = demo.load_scale(db, _actor(), args.scale)
            print(
                f"added {counts['units']} branches, {counts['assessments']} closed "
                f"self-inspections, {counts['responses']} answers, {counts['findings']} findings"
            )
            return 0
        if args.if_empty and demo.has_data(db):
            print("The database already holds data; demo data not loaded.")
            return 0
        summary = demo.load_demo(db, _actor(), EvidenceStore.from_settings(_settings(args)))
    _print_demo(summary)
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
    from controls import import_service  # noqa: PLC0415 -- the importers load only when used

    path = Path(args.file)
    read = import_service.read_catalogue(path, args.format)  # validate before opening the db
    with _open(args) as db:
        result = catalogues.import_catalogue(db, _actor(), read.loaded)
    print(f"{result.status.value}: {result.urn} {result.version} ({result.control_count} controls)")
    if read.report is not None:
        print(f"mapping from {read.report.source_format}:")
        for line in read.report.lines():
            print(f"  {line}")
    return 0


def cmd_catalogue_list(args: argparse.Namespace) -> int:
    with _open(args) as db:
        items = catalogues.list_catalogues(db, _actor())
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


def cmd_user_add(args: argparse.Namespace) -> int:
    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    with _open(args) as db:
        created = users.create_user(
            db,
            _actor(),
            username=args.name,
            display_name=args.display_name or args.name,
            role=args.role,
            org_unit_code=args.unit,
            password=password,
        )
    print(f"Added {created.user.username} ({created.user.role.value}).")
    if created.password:
        print(f"Password (shown only now): {created.password}")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    with _open(args) as db:
        rows = users.list_users(db, _actor())
    for u in rows:
        state = "active" if u.active else "deactivated"
        print(
            f"{u.username:20} {u.role.value:10} {u.org_unit_code or '-':6} {state:11} "
            f"{u.display_name}"
        )
    return 0


def cmd_user_deactivate(args: argparse.Namespace) -> int:
    with _open(args) as db:
        user = users.deactivate_user(db, _actor(), username=args.name)
    print(f"Deactivated {user.username}; their sessions have ended.")
    return 0


def cmd_user_reset_password(args: argparse.Namespace) -> int:
    with _open(args) as db:
        password = users.reset_password(db, _actor(), username=args.name)
    print(f"New password for {args.name} (shown only now): {password}")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    with _open(args) as db:
        result = audit.verify(db, _actor())
    if result.ok:
        print(f"audit log intact: {result.entries} entries checked")
        return 0
    print(
        f"kansa: audit log broken at seq {result.first_broken_seq} "
        f"({result.entries} entries checked)",
        file=sys.stderr,
    )
    return 1


def cmd_assessment_create(args: argparse.Namespace) -> int:
    with _open(args) as db:
        created = assessments.create_assessment(
            db,
            _actor(),
            title=args.title,
            catalogue_urn=args.catalogue,
            scope_unit=args.scope,
            period_start=args.start,
            period_end=args.end,
            create_unit=True,
        )
    print(created.id)
    return 0


def cmd_assessment_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"kansa: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 1
    with _open(args) as db:
        count = assessments.import_answers(db, _actor(), args.id, path.name, data)
    print(f"imported {count} answers into {args.id}")
    return 0


def cmd_assessment_list(args: argparse.Namespace) -> int:
    with _open(args) as db:
        items = assessments.list_assessments(db, _actor())
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": a.id,
                        "title": a.title,
                        "scope": a.scope_unit,
                        "status": a.status.value,
                        "catalogue_urn": a.catalogue_urn,
                        "catalogue_version": a.catalogue_version,
                        "period_start": a.period_start,
                        "period_end": a.period_end,
                    }
                    for a in items
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for a in items:
        print(f"{a.id}  {a.status.value:11} {a.scope_unit:6} {a.period_start or '-':10} {a.title}")
    return 0


def cmd_assessment_close(args: argparse.Namespace) -> int:
    with _open(args) as db:
        closed = assessments.close_assessment(db, _actor(), args.id)
    print(f"closed {closed.id} ({closed.title})")
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    with _open(args) as db:
        view = assessments.score(db, _actor(), args.id)
    result = view.score.to_json_dict()
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    overall = result["overall"]
    print(
        f"overall: score {overall['score']}, level {overall['level']}, "
        f"coverage {overall['coverage']:.0%}"
    )
    for domain, d in result["domains"].items():
        print(f"  {domain:6} score {d['score']}, level {d['level']}, rating {d['rating']}")
    return 0


def cmd_evidence_add(args: argparse.Namespace) -> int:
    path = Path(args.file)
    settings = _settings(args)
    try:
        stream = path.open("rb")
    except OSError as exc:
        print(f"kansa: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 1
    with stream, _open(args) as db:
        item = evidence.add_evidence(
            db,
            _actor(),
            EvidenceStore.from_settings(settings),
            assessment_id=args.assessment_id,
            control_id=args.control_id,
            filename=path.name,
            stream=stream,
            description=args.description,
            valid_until=args.valid_until,
        )
    print(item.sha256)
    return 0


def cmd_evidence_list(args: argparse.Namespace) -> int:
    with _open(args) as db:
        items = evidence.list_evidence(db, _actor(), args.assessment_id)
    if args.json:
        rows = [
            {
                "sha256": i.sha256,
                "control_id": i.control_id,
                "filename": i.filename,
                "size": i.size,
                "media_type": i.media_type,
                "valid_until": i.valid_until,
                "added_by": i.added_by,
                "added_at": i.added_at,
            }
            for i in items
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for i in items:
        print(f"{i.control_id:8} {i.sha256[:12]} {i.size:>10} {i.filename}")
    return 0


def cmd_evidence_verify(args: argparse.Namespace) -> int:
    settings = _settings(args)
    with _open(args) as db:
        report = evidence.verify_store(db, _actor(), EvidenceStore.from_settings(settings))
    if report.ok:
        print(f"evidence intact: {report.checked} files checked")
        return 0
    for kind, names in (
        ("missing", report.missing),
        ("corrupt", report.corrupt),
        ("orphaned", report.orphaned),
    ):
        for name in names:
            print(f"{kind}: {name}", file=sys.stderr)
    print(
        f"kansa: evidence store has {len(report.missing)} missing, {len(report.corrupt)} "
        f"corrupt and {len(report.orphaned)} orphaned files ({report.checked} checked)",
        file=sys.stderr,
    )
    return 1


def cmd_finding_add(args: argparse.Namespace) -> int:
    with _open(args) as db:
        created = findings.raise_finding(
            db,
            _actor(),
            assessment_id=args.assessment_id,
            control_id=args.control_id,
            grade=args.grade,
            statement=args.statement,
            owner=args.owner,
            due_date=args.due,
        )
    print(created.id)
    return 0


def _finding_json(f: Finding, today: date) -> dict[str, object]:
    return {
        "id": f.id,
        "ref": f.ref,
        "assessment_id": f.assessment_id,
        "assessment_title": f.assessment_title,
        "control_id": f.control_id,
        "grade": f.grade.value,
        "status": f.status.value,
        "statement": f.statement,
        "criterion": f.criterion_en,
        "org_unit_code": f.org_unit_code,
        "owner": f.owner,
        "due_date": f.due_date.isoformat(),
        "overdue": is_overdue(f, today),
        "age_days": age_days(f, today),
        "raised_by": f.raised_by,
        "raised_at": f.raised_at,
        "closed_at": f.closed_at,
        "version": f.version,
    }


def cmd_finding_list(args: argparse.Namespace) -> int:
    today = date.today()
    with _open(args) as db:
        items = findings.list_findings(db, _actor(), FindingFilter(open_only=args.open), today)
    if args.json:
        print(json.dumps([_finding_json(f, today) for f in items], ensure_ascii=False, indent=2))
        return 0
    if not items:
        print("no findings")
        return 0
    print(f"{'REF':12} {'GRADE':11} {'STATUS':14} {'CONTROL':8} {'OWNER':16} DUE")
    for f in items:
        mark = "  OVERDUE" if is_overdue(f, today) else ""
        print(
            f"{f.ref:12} {f.grade.value:11} {f.status.value:14} {f.control_id:8} "
            f"{f.owner:16} {f.due_date.isoformat()}{mark}"
        )
    return 0


def cmd_export_findings(args: argparse.Namespace) -> int:
    today = date.today()
    with _open(args) as db:
        items = findings.list_findings(db, _actor(), FindingFilter(), today)
    build = findings_csv if args.format == "csv" else findings_xlsx
    data = build(items, today, lang=args.lang)
    out = Path(args.out)
    try:
        out.write_bytes(data)
    except OSError as exc:
        print(f"kansa: cannot write {out}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {len(items)} findings to {out}")
    return 0


def _write(out: Path, data: bytes) -> bool:
    try:
        out.write_bytes(data)
    except OSError as exc:
        print(f"kansa: cannot write {out}: {exc.strerror}", file=sys.stderr)
        return False
    return True


def cmd_report(args: argparse.Namespace) -> int:
    if args.portfolio == bool(args.assessment_id):
        print("kansa report: give an ASSESSMENT_ID or --portfolio (one of them)", file=sys.stderr)
        return 2
    with _open(args) as db:
        if args.portfolio:
            data = reporting.portfolio_report_pdf(db, _actor(), args.lang)
        else:
            data = reporting.audit_report_pdf(db, _actor(), args.assessment_id, args.lang)
    out = Path(args.out)
    if not _write(out, data):
        return 1
    print(f"wrote {out} ({len(data) // 1024} KB)")
    return 0


def cmd_announcement(args: argparse.Namespace) -> int:
    with _open(args) as db:
        data = reporting.announcement(db, _actor(), args.lang, args.format)
    out = Path(args.out)
    if not _write(out, data):
        return 1
    print(f"wrote {out}")
    return 0


def cmd_contractor_list(args: argparse.Namespace) -> int:
    today = date.today()
    with _open(args) as db:
        items = contractors.list_contractors(db, _actor(), today=today)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": c.id,
                        "code": c.code,
                        "name": c.name,
                        "name_en": c.name_en,
                        "tier": c.tier.value,
                        "owner": c.owner,
                        "next_review_due": c.next_review_due.isoformat(),
                        "overdue": c.overdue,
                        "last_review_on": c.last_review_on.isoformat()
                        if c.last_review_on
                        else None,
                        "missing_clauses": [m.value for m in c.missing_clauses],
                        "abroad": c.abroad,
                        "special_care": c.special_care,
                    }
                    for c in items
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    if not items:
        print("no contractors")
    for c in items:
        late = "  OVERDUE" if c.overdue else ""
        print(f"{c.code:9} {c.tier.value:6} {c.next_review_due.isoformat()}  {c.name}{late}")
    return 0


def cmd_contractor_questionnaire(args: argparse.Namespace) -> int:
    with _open(args) as db:
        data = review_service.generate_questionnaire(
            db, _actor(), args.contractor_id, lang=args.lang
        )
    out = Path(args.out)
    if not _write(out, data):
        return 1
    print(f"wrote {out}")
    return 0


def cmd_contractor_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"kansa: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 1
    with _open(args) as db:
        done = review_service.import_questionnaire(
            db, _actor(), args.contractor_id, path.name, data, replace=args.replace
        )
    print(done.assessment_id)
    return 0


def _contractor_commands(sub: Sub) -> None:
    con = sub.add_parser("contractor", help="contractors entrusted with personal data")
    con_sub = con.add_subparsers(dest="contractor_command", required=True, metavar="ACTION")
    p = con_sub.add_parser("list", help="the contractor register with tier and next review due")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_contractor_list)
    p = con_sub.add_parser("questionnaire", help="the review questionnaire as an Excel workbook")
    p.add_argument("contractor_id", metavar="CONTRACTOR_ID")
    p.add_argument("--out", required=True, metavar="F.xlsx")
    p.add_argument("--lang", default="ja", choices=["ja", "en"])
    p.set_defaults(func=cmd_contractor_questionnaire)
    p = con_sub.add_parser(
        "import-questionnaire", help="import a filled questionnaire; prints the review's id"
    )
    p.add_argument("contractor_id", metavar="CONTRACTOR_ID")
    p.add_argument("file", metavar="F.xlsx")
    p.add_argument(
        "--replace", action="store_true", help="overwrite answers already in the open review"
    )
    p.set_defaults(func=cmd_contractor_import)


def _report_commands(sub: Sub) -> None:
    p = sub.add_parser("report", help="an assessment's audit report, or the portfolio, as PDF")
    p.add_argument("assessment_id", metavar="ASSESSMENT_ID", nargs="?")
    p.add_argument("--portfolio", action="store_true", help="every department's latest audit")
    p.add_argument("--lang", required=True, choices=["ja", "en"])
    p.add_argument("--out", required=True, metavar="F.pdf")
    p.set_defaults(func=cmd_report)
    p = sub.add_parser(
        "announcement", help="the public announcement of security control measures (Art. 32)"
    )
    p.add_argument("--lang", required=True, choices=["ja", "en"])
    p.add_argument("--format", required=True, choices=["pdf", "md"])
    p.add_argument("--out", required=True, metavar="F")
    p.set_defaults(func=cmd_announcement)


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
    p.add_argument(
        "--scale",
        type=int,
        metavar="N",
        help="also add a large fictional company with about N answers (for trying at scale)",
    )
    p.set_defaults(func=cmd_demo)

    _catalogue_commands(sub)
    _user_commands(sub)
    _report_commands(sub)
    _contractor_commands(sub)
    _assessment_commands(sub)
    _audit_commands(sub)
    _evidence_commands(sub)
    _finding_commands(sub)
    _operations_commands(sub)
    return parser


if TYPE_CHECKING:
    Sub = argparse._SubParsersAction[argparse.ArgumentParser]


def _catalogue_commands(sub: Sub) -> None:
    cat = sub.add_parser("catalogue", help="validate, import and list control catalogues")
    cat_sub = cat.add_subparsers(dest="catalogue_command", required=True, metavar="ACTION")
    p = cat_sub.add_parser("validate", help="check catalogue files; one line per problem")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_catalogue_validate)
    p = cat_sub.add_parser(
        "import",
        help="validate and store a catalogue: Kansa YAML, CISO Assistant library or OSCAL catalog",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--format",
        choices=["kansa", "ciso", "oscal"],
        default=None,
        help="the file's format (default: told from its content)",
    )
    p.set_defaults(func=cmd_catalogue_import)
    p = cat_sub.add_parser("list", help="list stored catalogues")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_catalogue_list)


def _user_commands(sub: Sub) -> None:
    usr = sub.add_parser("user", help="add, list and deactivate users")
    usr_sub = usr.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    p = usr_sub.add_parser("add", help="add a user (password generated unless --password-stdin)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--unit", default=None, help="org unit code (department)")
    p.add_argument("--display-name", default=None)
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.set_defaults(func=cmd_user_add)
    p = usr_sub.add_parser("list", help="list users")
    p.set_defaults(func=cmd_user_list)
    p = usr_sub.add_parser("deactivate", help="stop a user signing in; ends their sessions")
    p.add_argument("name", metavar="NAME")
    p.set_defaults(func=cmd_user_deactivate)
    p = usr_sub.add_parser("reset-password", help="give a user a new generated password")
    p.add_argument("name", metavar="NAME")
    p.set_defaults(func=cmd_user_reset_password)


def _assessment_commands(sub: Sub) -> None:
    asm = sub.add_parser("assessment", help="self-inspection campaigns")
    asm_sub = asm.add_subparsers(dest="assessment_command", required=True, metavar="ACTION")
    p = asm_sub.add_parser("create", help="plan a campaign; prints the new id")
    p.add_argument("--catalogue", required=True, metavar="URN")
    p.add_argument("--title", required=True)
    p.add_argument("--scope", required=True, metavar="UNIT", help="org unit (created if new)")
    p.add_argument("--start", default=None, help="period start YYYY-MM-DD")
    p.add_argument("--end", default=None, help="period end YYYY-MM-DD")
    p.set_defaults(func=cmd_assessment_create)
    p = asm_sub.add_parser("import", help="import answers from CSV or XLSX")
    p.add_argument("id", metavar="ID")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_assessment_import)
    p = asm_sub.add_parser("list", help="list assessments")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_assessment_list)
    p = asm_sub.add_parser("close", help="close an assessment (read-only from then on)")
    p.add_argument("id", metavar="ID")
    p.set_defaults(func=cmd_assessment_close)

    p = sub.add_parser("score", help="scores of an assessment")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_score)


def _evidence_commands(sub: Sub) -> None:
    ev = sub.add_parser("evidence", help="evidence files linked to controls")
    ev_sub = ev.add_subparsers(dest="evidence_command", required=True, metavar="ACTION")
    p = ev_sub.add_parser("add", help="store a file and link it; prints its SHA-256")
    p.add_argument("assessment_id", metavar="ASSESSMENT_ID")
    p.add_argument("control_id", metavar="CONTROL_ID")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--valid-until", default=None, metavar="YYYY-MM-DD")
    p.add_argument("--description", default=None)
    p.set_defaults(func=cmd_evidence_add)
    p = ev_sub.add_parser("list", help="evidence of an assessment")
    p.add_argument("assessment_id", metavar="ASSESSMENT_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_evidence_list)
    p = ev_sub.add_parser("verify", help="re-hash every file; exit 1 listing problems")
    p.set_defaults(func=cmd_evidence_verify)


def _finding_commands(sub: Sub) -> None:
    fnd = sub.add_parser("finding", help="audit findings and corrective actions")
    fnd_sub = fnd.add_subparsers(dest="finding_command", required=True, metavar="ACTION")
    p = fnd_sub.add_parser(
        "add",
        help="raise a finding on a control; prints its id (`finding list` shows its number "
        "F-YYYY-NNNN)",
        description="Raise a finding on a control of an assessment. Prints the new finding's "
        "id alone; its human number (ref, e.g. F-2026-0001) is shown by `kansa finding list`.",
    )
    p.add_argument("assessment_id", metavar="ASSESSMENT_ID")
    p.add_argument("control_id", metavar="CONTROL_ID")
    p.add_argument("--grade", required=True, choices=[g.value for g in Grade])
    p.add_argument("--statement", required=True, metavar="T", help="what the auditor found")
    p.add_argument("--owner", required=True, metavar="USER", help="user who owns the action")
    p.add_argument("--due", required=True, metavar="YYYY-MM-DD", help="due date (not past)")
    p.set_defaults(func=cmd_finding_add)
    p = fnd_sub.add_parser("list", help="the findings register, newest first")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--open", action="store_true", help="only findings not yet verified or closed")
    p.set_defaults(func=cmd_finding_list)

    p = sub.add_parser("export-findings", help="write the whole findings register to a file")
    p.add_argument("--format", required=True, choices=["csv", "xlsx"])
    p.add_argument("--out", required=True, metavar="F")
    p.add_argument(
        "--lang", default="en", choices=["en", "ja"], help="language of the headings and labels"
    )
    p.set_defaults(func=cmd_export_findings)


def _audit_commands(sub: Sub) -> None:
    aud = sub.add_parser("audit-log", help="the tamper-evident audit trail")
    aud_sub = aud.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    p = aud_sub.add_parser("verify", help="recompute the hash chain; exit 1 at the first break")
    p.set_defaults(func=cmd_audit_verify)


# --- exports and operations ---------------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> int:
    from reporting import export_service  # noqa: PLC0415 -- openpyxl only when exporting

    with _open(args) as db:
        data = export_service.export_assessment(db, _actor(), args.id, args.format, lang=args.lang)
    out = Path(args.out)
    if not _write(out, data):
        return 1
    print(f"wrote {out} ({len(data):,} bytes, {args.format})")
    return 0


def _open_existing(args: argparse.Namespace, what: str) -> Database | None:
    """The database without migrating it; None (after saying why) when it cannot be opened."""
    from core.errors import StorageError  # noqa: PLC0415

    path = _settings(args).db_path
    if not path.exists():
        print(f"kansa: no database at {path} (run `kansa init` first)", file=sys.stderr)
        return None
    try:
        return Database(path)
    except StorageError as exc:
        if "in use" in str(exc):
            print(
                f"kansa: the Kansa server holds {path} (DuckDB lets one process open it), so "
                f"{what} cannot run from here. Download a backup from the Backup page "
                "(Administration, as an admin) instead, or stop the server and run it again.",
                file=sys.stderr,
            )
            return None
        raise


def cmd_backup(args: argparse.Namespace) -> int:
    from maintenance import service as maintenance  # noqa: PLC0415

    db = _open_existing(args, "`kansa backup`")
    if db is None:
        return 1
    with db:
        result = maintenance.backup(
            db,
            _actor(),
            _settings(args),
            Path(args.out),
            with_evidence=args.with_evidence,
            exclusive=True,  # this process holds the only connection: no server runs
        )
    rows = sum(result.tables.values())
    kept = "included" if result.with_evidence else "listed in the manifest (not included)"
    print(
        f"wrote {result.path} ({result.size / 1_048_576:.1f} MB in {result.seconds:.1f} s): "
        f"database {result.database_bytes / 1_048_576:.1f} MB, {len(result.tables)} tables, "
        f"{rows:,} rows; {result.evidence_files:,} evidence files "
        f"({result.evidence_bytes / 1_048_576:.1f} MB) {kept}"
    )
    for sha in result.missing:
        print(f"warning: evidence file missing from the store: {sha}", file=sys.stderr)
    for sha in result.corrupt:
        print(f"warning: evidence file does not match its SHA-256: {sha}", file=sys.stderr)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from maintenance import service as maintenance  # noqa: PLC0415

    target = Path(args.target_dir).expanduser()
    result = maintenance.restore(
        Path(args.file),
        target,
        evidence_from=Path(args.evidence_from).expanduser() if args.evidence_from else None,
    )
    rows = sum(result.tables.values())
    print(
        f"restored the backup of {result.created_at} into {result.data_dir}: "
        f"{len(result.tables)} tables, {rows:,} rows (counts verified)"
    )
    if result.evidence_restored:
        print(
            f"evidence: {result.evidence_files:,} files, "
            f"{result.evidence_bytes / 1_048_576:.1f} MB, every SHA-256 verified"
        )
    else:
        print(
            f"evidence: not in this backup; copy the {result.evidence_files:,} files into "
            f"{result.data_dir / 'evidence'} (or restore again with --evidence-from DIR), "
            "then run `kansa evidence verify`"
        )
    for sha in result.skipped_corrupt:
        print(f"warning: evidence file was already damaged at backup time: {sha}", file=sys.stderr)
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from maintenance import service as maintenance  # noqa: PLC0415

    checks = maintenance.doctor(_settings(args), _actor())
    for check in checks:
        print(f"{'ok  ' if check.ok else 'FAIL'}  {check.name:10} {check.detail}")
    return 0 if all(c.ok for c in checks) else 1


def _operations_commands(sub: Sub) -> None:
    p = sub.add_parser(
        "export", help="an assessment as Excel, CSV or OSCAL assessment-results JSON"
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("--format", required=True, choices=["xlsx", "csv", "oscal"])
    p.add_argument("--out", required=True, metavar="F")
    p.add_argument("--lang", default="en", choices=["en", "ja"], help="language of the texts")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser(
        "backup",
        help="a consistent copy of the database and a manifest of evidence files (one .tar)",
        description="Write a backup: a consistent copy of the database and a manifest of "
        "every evidence file with its SHA-256, in one .tar file. While the server runs, use its "
        "Backup page instead (DuckDB lets one process open the database).",
    )
    p.add_argument("--out", required=True, metavar="F.tar")
    p.add_argument(
        "--with-evidence", action="store_true", help="also put every evidence file in the .tar"
    )
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser(
        "restore", help="restore a backup into a new or empty data folder, verifying it"
    )
    p.add_argument("file", metavar="F.tar")
    p.add_argument("--data-dir", dest="target_dir", required=True, metavar="D")
    p.add_argument(
        "--evidence-from",
        default=None,
        metavar="DIR",
        help="for a backup without evidence: the evidence folder to copy the files from",
    )
    p.set_defaults(func=cmd_restore)
    p = sub.add_parser(
        "doctor", help="check database, migrations, evidence store and PDF font; exit 1 on a fault"
    )
    p.set_defaults(func=cmd_doctor)


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
    except BrokenPipeError:
        # The reader stopped early (e.g. `| head`): not an error worth a traceback. Point
        # stdout at devnull so the interpreter's final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
