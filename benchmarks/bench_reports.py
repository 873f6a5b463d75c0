"""Build the audit report PDF at 150 controls / 200 findings / 3,000 evidence rows; print figures.

Run: .venv/bin/python benchmarks/bench_reports.py [--repeat N] [--lang ja|en]

Data: the fictional company of tests/fixtures/pdf/sample_data.py at full size (7 domains,
150 controls with auditor notes, 200 findings, 6 earlier corrective actions, 3,000 evidence
files), built in memory (no database). Measured, best of N, wall clock and CPU:
- report_ms: ``build_audit_report`` (cover, contents, charts, every section, escaping,
  page X of Y, outline) for one language;
- baseline_ms: plain ReportLab rendering the same tables (results per domain, findings,
  corrective actions, evidence index, crosswalk) with ``platypus.Table`` and plain-string
  cells: no charts, contents, escaping, wrapping or running header/footer, one pass (the
  floor); the same stream setting (no ASCII85) as the report;
- paragraph_ms (printed only): the same tables with a ``Paragraph`` in every cell, the usual
  ReportLab way to wrap cell text;
- engine_ms (printed only): the same tables drawn by the report's own table flowable
  (``reports.pdf.table.DataTable``) in a plain document: what the extras (cover, contents,
  charts, escaping, header/footer, outline) cost on top of the same table engine;
- peak_rss_mb: peak resident memory of this process (ru_maxrss) after the report runs (data
  and imports included, before any baseline runs).
The last line is JSON: {"controls": 150, "findings": 200, "evidence": 3000, "pages": N,
"report_ms": ..., "baseline_ms": ..., "peak_rss_mb": ...}
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from reports.pdf.audit_report import build_audit_report
from reports.pdf.fonts import register_fonts
from reports.pdf.model import AuditReportData
from reports.pdf.table import Column, DataTable
from tests.fixtures.pdf.sample_data import sample_audit

CONTROLS = 150
FINDINGS = 200
EVIDENCE = 3000


def best(func: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Best wall and CPU milliseconds of ``repeat`` runs, and the last result."""
    walls: list[float] = []
    cpus: list[float] = []
    result: Any = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = func()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return min(walls), min(cpus), result


def _tables(data: AuditReportData) -> list[list[list[str]]]:
    """The report's tables as rows of strings (header first)."""
    controls = [["ID", "Control", "D", "I", "Result", "Score", "Evid.", "Note"]]
    controls += [
        [
            c.control_id,
            c.title if isinstance(c.title, str) else c.title.en,
            str(c.documented),
            str(c.implemented),
            c.result,
            str(c.score),
            str(c.evidence_count),
            c.note or "",
        ]
        for c in data.controls
    ]
    findings = [["Ref", "Grade", "Status", "Statement", "Criterion", "Evidence", "Owner", "Due"]]
    findings += [
        [
            f.ref,
            f.grade,
            f.status,
            f.statement,
            f.criterion if isinstance(f.criterion, str) else f.criterion.en,
            f.evidence_seen,
            f.owner if isinstance(f.owner, str) else f.owner.en,
            str(f.due_date),
        ]
        for f in data.findings
    ]
    actions = [["Ref", "Grade", "Action", "Status", "Verification"]]
    actions += [
        [a.ref, a.grade, a.action, a.status, a.verification] for a in data.corrective_actions
    ]
    evidence = [["No.", "File", "SHA-256", "By", "At", "Valid until", "Controls"]]
    evidence += [
        [
            str(n),
            e.filename,
            e.sha256[:12],
            e.added_by if isinstance(e.added_by, str) else e.added_by.en,
            str(e.added_at)[:16],
            str(e.valid_until or ""),
            ", ".join(e.controls),
        ]
        for n, e in enumerate(data.evidence, 1)
    ]
    crosswalk = [["ID", "Control", "Guideline", "ISO"]]
    crosswalk += [
        [
            c.control_id,
            c.title if isinstance(c.title, str) else c.title.en,
            ", ".join(c.guideline_refs),
            ", ".join(c.iso_refs),
        ]
        for c in data.controls
    ]
    return [controls, findings, actions, evidence, crosswalk]


def baseline(data: AuditReportData, font: str, paragraphs: bool) -> bytes:
    """Stock ReportLab: the same tables, one pass, no charts/contents/escaping/footer."""
    output = io.BytesIO()
    doc = SimpleDocTemplate(
        output, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, initialFontName=font
    )
    style = ParagraphStyle("cell", fontName=font, fontSize=7.5, leading=9.6, wordWrap="CJK")
    width = A4[0] - 32 * mm
    story = []
    for rows in _tables(data):
        cells: list[list[Any]] = (
            [[Paragraph(v, style) for v in row] for row in rows] if paragraphs else rows
        )
        columns = len(rows[0])
        table = Table(cells, colWidths=[width / columns] * columns, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), font, 7.5),
                    ("GRID", (0, 0), (-1, -1), 0.4, "#A9B1BC"),
                    ("BACKGROUND", (0, 0), (-1, 0), "#E4E9F0"),
                ]
            )
        )
        story.append(table)
    doc.build(story)
    return output.getvalue()


def engine_floor(data: AuditReportData, font: str) -> bytes:
    """The same tables with the report's table flowable, nothing else."""
    output = io.BytesIO()
    doc = SimpleDocTemplate(
        output, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, initialFontName=font
    )
    story = []
    for rows in _tables(data):
        columns = [Column(title, 1.0) for title in rows[0]]
        story.append(DataTable(columns, rows[1:], font=font, size=7.5))
    doc.build(story)
    return output.getvalue()


def pdf_pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(
            ["pdfinfo", handle.name], capture_output=True, text=True, check=True
        ).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lang", choices=("ja", "en"), default="ja")
    args = parser.parse_args()

    fonts = register_fonts()
    rl_config.useA85 = 0  # the report's stream setting, for the baseline too
    data = sample_audit(controls=CONTROLS, findings=FINDINGS, evidence=EVIDENCE)
    build_audit_report(sample_audit(), args.lang)  # warm up: font files, imports

    report_wall, report_cpu, pdf = best(lambda: build_audit_report(data, args.lang), args.repeat)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    engine_wall, engine_cpu, engine_pdf = best(lambda: engine_floor(data, fonts.sans), args.repeat)
    base_wall, base_cpu, base_pdf = best(lambda: baseline(data, fonts.sans, False), args.repeat)
    para_wall, para_cpu, para_pdf = best(
        lambda: baseline(data, fonts.sans, True), max(1, args.repeat // 2)
    )
    pages = pdf_pages(pdf)
    all_runs_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the end")
    print(
        f"data: {len(data.controls)} controls, {len(data.findings)} findings, "
        f"{len(data.evidence)} evidence rows, {len(data.corrective_actions)} earlier actions"
    )
    print(
        f"report ({args.lang}):   {report_wall:8.0f} ms wall {report_cpu:8.0f} ms CPU  "
        f"{pages} pages, {len(pdf) / 1024:.0f} KiB"
    )
    print(
        f"baseline (strings): {base_wall:8.0f} ms wall {base_cpu:8.0f} ms CPU  "
        f"{pdf_pages(base_pdf)} pages, {len(base_pdf) / 1024:.0f} KiB (text overflows its cells)"
    )
    print(
        f"Paragraph cells:    {para_wall:8.0f} ms wall {para_cpu:8.0f} ms CPU  "
        f"{pdf_pages(para_pdf)} pages, {len(para_pdf) / 1024:.0f} KiB"
    )
    print(
        f"same table engine:  {engine_wall:8.0f} ms wall {engine_cpu:8.0f} ms CPU  "
        f"{pdf_pages(engine_pdf)} pages, {len(engine_pdf) / 1024:.0f} KiB"
    )
    print(
        f"report / baseline:  {report_wall / base_wall:.2f} (wall), "
        f"{report_cpu / base_cpu:.2f} (CPU)"
    )
    print(
        f"report / same engine: {report_wall / engine_wall:.2f} (wall), "
        f"{report_cpu / engine_cpu:.2f} (CPU)"
    )
    print(
        f"peak RSS: {peak_rss_mb:.0f} MB after the report runs, {all_runs_rss_mb:.0f} MB after all"
    )
    print(
        json.dumps(
            {
                "controls": CONTROLS,
                "findings": FINDINGS,
                "evidence": EVIDENCE,
                "pages": pages,
                "report_ms": round(report_wall),
                "baseline_ms": round(base_wall),
                "peak_rss_mb": round(peak_rss_mb),
            }
        )
    )


if __name__ == "__main__":
    main()
