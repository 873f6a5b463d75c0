"""The long sections of the audit report: results, findings, actions, evidence, sign-off."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.platypus import Table, TableStyle

from reports.pdf.charts import rating_fill, rating_word
from reports.pdf.doc import CONTENT_WIDTH, para
from reports.pdf.labels import t
from reports.pdf.model import (
    GRADES,
    SETTLED_STATUSES,
    AuditReportData,
    ControlLine,
    DateLike,
    FindingLine,
)
from reports.pdf.parts import GRADE_FILL, RESULT_FILL, Story
from reports.pdf.table import Cell, CellValue, Column
from reports.pdf.text import (
    DASH,
    fmt_date,
    fmt_datetime,
    fmt_delta,
    fmt_int,
    fmt_percent,
    fmt_score,
    short_hash,
)

OVERDUE = colors.HexColor("#B3261E")


def ordered_findings(findings: Sequence[FindingLine]) -> list[FindingLine]:
    """Gravest first (major ... good practice), then by reference."""
    return sorted(findings, key=lambda f: (GRADES.index(f.grade), f.ref))


def grade_cell(grade: str, lang: str) -> Cell:
    return Cell(t(lang, f"grade.{grade}"), fill=GRADE_FILL.get(grade))


def _due_cell(due: DateLike, overdue: bool, lang: str) -> CellValue:
    text = fmt_date(due)
    if overdue:
        return Cell(f"{text}\n{t(lang, 'overdue')}", color=OVERDUE, emphasis=True)
    return text


def results(story: Story, data: AuditReportData) -> None:
    lang = story.lang
    score = data.score
    story.section(t(lang, "sec.results"), "results", new_page=True)
    story.heading3(t(lang, "results.overview"))
    rows: list[list[CellValue]] = []
    for domain in data.domains:
        figures = score.domains.get(domain.domain_id)
        previous = data.previous_domain_scores.get(domain.domain_id)
        current = None if figures is None else figures.score
        delta = None if current is None or previous is None else current - previous
        rating = None if figures is None else figures.rating
        rows.append(
            [
                f"{domain.domain_id} {story.pick(domain.name)}",
                fmt_score(current),
                DASH if figures is None or figures.level is None else str(figures.level),
                fmt_percent(None if figures is None else figures.coverage),
                Cell(rating_word(rating, lang), fill=rating_fill(rating)),
                fmt_delta(delta),
            ]
        )
    story.table(
        [
            Column(t(lang, "col.domain"), 0.42),
            Column(t(lang, "col.score"), 0.1, "right"),
            Column(t(lang, "col.level"), 0.1, "center"),
            Column(t(lang, "col.coverage"), 0.12, "right"),
            Column(t(lang, "col.rating"), 0.14),
            Column(t(lang, "col.change"), 0.12, "right"),
        ],
        rows,
        size=8.5,
    )
    by_domain: dict[str, list[ControlLine]] = {}
    for control in data.controls:
        by_domain.setdefault(control.domain_id, []).append(control)
    for domain in data.domains:
        figures = score.domains.get(domain.domain_id)
        story.subsection(
            f"{domain.domain_id} {story.pick(domain.name)}", f"domain-{domain.domain_id}"
        )
        previous = data.previous_domain_scores.get(domain.domain_id)
        current = None if figures is None else figures.score
        story.para(
            t(
                lang,
                "results.domain_line",
                score=fmt_score(current),
                level=DASH if figures is None or figures.level is None else figures.level,
                coverage=fmt_percent(None if figures is None else figures.coverage),
                rating=rating_word(None if figures is None else figures.rating, lang),
                delta=fmt_delta(
                    None if current is None or previous is None else current - previous
                ),
            )
        )
        controls = by_domain.get(domain.domain_id, [])
        if not controls:
            story.para(t(lang, "results.no_controls"))
            continue
        story.table(_control_columns(lang), [_control_row(c, story) for c in controls])


def _control_columns(lang: str) -> list[Column]:
    return [
        Column(t(lang, "col.id"), 0.1),
        Column(t(lang, "col.control"), 0.26),
        Column(t(lang, "col.d"), 0.035, "center"),
        Column(t(lang, "col.i"), 0.035, "center"),
        Column(t(lang, "col.result"), 0.135),
        Column(t(lang, "col.score"), 0.065, "right"),
        Column(t(lang, "col.evidence"), 0.06, "right"),
        Column(t(lang, "col.note"), 0.31),
    ]


def _control_row(control: ControlLine, story: Story) -> list[CellValue]:
    lang = story.lang
    note = control.note or ""
    if control.na_reason:
        na = t(lang, "col.na", reason=control.na_reason)
        note = f"{na}\n{note}" if note else na
    return [
        f"{control.control_id}{' ★' if control.is_key else ''}",
        story.pick(control.title),
        DASH if control.documented is None else str(control.documented),
        DASH if control.implemented is None else str(control.implemented),
        Cell(t(lang, f"result.{control.result}"), fill=RESULT_FILL.get(control.result)),
        fmt_score(control.score),
        fmt_int(control.evidence_count),
        note,
    ]


def findings(story: Story, data: AuditReportData) -> None:
    lang = story.lang
    story.section(t(lang, "sec.findings"), "findings", new_page=True)
    if not data.findings:
        story.para(t(lang, "findings.none"))
        return
    story.heading3(t(lang, "findings.by_grade"))
    rows: list[list[CellValue]] = []
    for grade in GRADES:
        of_grade = [f for f in data.findings if f.grade == grade]
        still_open = [f for f in of_grade if f.status not in SETTLED_STATUSES]
        rows.append(
            [
                grade_cell(grade, lang),
                str(len(of_grade)),
                str(len(still_open)),
                str(sum(1 for f in still_open if f.overdue)),
            ]
        )
    story.table(
        [
            Column(t(lang, "col.grade"), 0.4),
            Column(t(lang, "col.total"), 0.2, "right"),
            Column(t(lang, "findings.open"), 0.2, "right"),
            Column(t(lang, "overdue"), 0.2, "right"),
        ],
        rows,
        size=8.5,
    )
    for finding in ordered_findings(data.findings):
        story.heading3(
            f"{finding.ref} · {t(lang, f'grade.{finding.grade}')} · "
            f"{t(lang, f'status.{finding.status}')}"
        )
        story.key_values(
            [
                (t(lang, "col.grade"), grade_cell(finding.grade, lang)),
                (t(lang, "col.statement"), finding.statement),
                (t(lang, "col.criterion"), story.pick(finding.criterion)),
                (t(lang, "col.evidence_seen"), finding.evidence_seen or DASH),
                (t(lang, "col.owner"), story.pick(finding.owner) or DASH),
                (t(lang, "col.due"), _due_cell(finding.due_date, finding.overdue, lang)),
                (t(lang, "col.status"), t(lang, f"status.{finding.status}")),
            ],
            label_share=0.2,
            size=8,
            keep_together_below=220,
        )
        story.space(4)


def corrective_actions(story: Story, data: AuditReportData) -> None:
    lang = story.lang
    story.section(t(lang, "sec.actions"), "actions")
    if not data.corrective_actions:
        story.para(t(lang, "actions.none"))
        return
    rows: list[list[CellValue]] = []
    for action in data.corrective_actions:
        verification = action.verification or DASH
        if action.verified_on:
            verification = f"{fmt_date(action.verified_on)}\n{verification}"
        rows.append(
            [
                action.ref,
                grade_cell(action.grade, lang),
                story.pick(action.source),
                action.action or DASH,
                story.pick(action.owner) or DASH,
                _due_cell(action.due_date, action.overdue, lang),
                t(lang, f"status.{action.status}"),
                verification,
            ]
        )
    story.table(
        [
            Column(t(lang, "col.ref"), 0.1),
            Column(t(lang, "col.grade"), 0.13),
            Column(t(lang, "col.source"), 0.11),
            Column(t(lang, "col.action"), 0.2),
            Column(t(lang, "col.owner"), 0.1),
            Column(t(lang, "col.due"), 0.1),
            Column(t(lang, "col.status"), 0.08),
            Column(t(lang, "col.verification"), 0.18),
        ],
        rows,
        size=7,
    )


def evidence(story: Story, data: AuditReportData) -> None:
    lang = story.lang
    story.section(t(lang, "sec.evidence"), "evidence", new_page=True)
    if not data.evidence:
        story.para(t(lang, "evidence.none"))
        return
    story.note(t(lang, "evidence.count", count=f"{len(data.evidence):,}"))
    rows: list[list[CellValue]] = [
        [
            str(number),
            item.filename,
            short_hash(item.sha256),
            story.pick(item.added_by),
            fmt_datetime(item.added_at),
            fmt_date(item.valid_until),
            ", ".join(item.controls),
        ]
        for number, item in enumerate(data.evidence, start=1)
    ]
    story.table(
        [
            Column(t(lang, "col.no"), 0.055, "right"),
            Column(t(lang, "col.file"), 0.3),
            Column(t(lang, "col.sha"), 0.125),
            Column(t(lang, "col.added_by"), 0.12),
            Column(t(lang, "col.added_at"), 0.15),
            Column(t(lang, "col.valid_until"), 0.1),
            Column(t(lang, "col.controls"), 0.15),
        ],
        rows,
        size=7,
    )


def conclusion(story: Story, data: AuditReportData) -> None:
    lang = story.lang
    story.section(t(lang, "sec.conclusion"), "conclusion", new_page=True)
    story.heading3(t(lang, "conclusion.text"))
    if data.conclusion.strip():
        story.paras(data.conclusion)
    else:
        story.note(t(lang, "conclusion.none"))
    story.heading3(t(lang, "conclusion.limitations"))
    story.paras(data.limitations or t(lang, "conclusion.no_limitations"))
    story.heading3(t(lang, "conclusion.signoff"))
    story.add(_signoff(story, data))


def _signoff(story: Story, data: AuditReportData) -> Table:
    lang = story.lang
    styles = story.styles
    header = [
        para(t(lang, key), styles.small)
        for key in ("sign.role", "sign.name", "sign.signature", "sign.date")
    ]
    rows = [header]
    for role, name in (
        ("sign.lead", story.pick(data.lead_auditor)),
        ("sign.pms", ""),
        ("sign.management", ""),
    ):
        rows.append([para(t(lang, role), styles.small), para(name, styles.small), "", ""])
    widths = [0.3, 0.25, 0.27, 0.18]
    table = Table(
        rows, colWidths=[CONTENT_WIDTH * w for w in widths], rowHeights=[None, 34, 34, 34]
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#A9B1BC")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E4E9F0")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONT", (0, 0), (-1, -1), story.font),
            ]
        )
    )
    return table


def appendix(story: Story, data: AuditReportData) -> None:
    lang = story.lang
    story.section(t(lang, "sec.appendix"), "appendix", new_page=True)
    rows: list[list[CellValue]] = [
        [
            f"{c.control_id}{' ★' if c.is_key else ''}",
            story.pick(c.title),
            ", ".join(c.guideline_refs) or DASH,
            ", ".join(f"A.{r}" for r in c.iso_refs) or DASH,
        ]
        for c in data.controls
    ]
    story.table(
        [
            Column(t(lang, "col.id"), 0.1),
            Column(t(lang, "col.control"), 0.46),
            Column(t(lang, "col.guideline"), 0.2),
            Column(t(lang, "col.iso"), 0.24),
        ],
        rows,
    )
