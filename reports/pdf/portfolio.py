"""The executive portfolio report: the latest assessment of every scope on a few pages."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import NextPageTemplate, Paragraph, Spacer

from reports.pdf.charts import (
    RATING_MARK,
    Series,
    bar_chart,
    column_chart,
    rating_fill,
    score_band,
)
from reports.pdf.doc import CONTENT_WIDTH, DocMeta, Progress, render, table_of_contents
from reports.pdf.fonts import register_fonts
from reports.pdf.labels import t
from reports.pdf.model import GRADES, Lang, OpenFinding, PortfolioReportData, pick
from reports.pdf.parts import GRADE_COLOUR, RESULT_FILL, Story, joined
from reports.pdf.table import Cell, CellValue, Column
from reports.pdf.text import DASH, escape, fmt_date, fmt_long_date, fmt_score

AGE_BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 30), (31, 90), (91, 180), (181, None))


def age_bucket(days: int) -> int:
    """Index of the age bucket of a finding open for ``days`` days."""
    for index, (low, high) in enumerate(AGE_BUCKETS):
        if days >= low and (high is None or days <= high):
            return index
    return 0


def build_portfolio_report(
    data: PortfolioReportData, lang: str, progress: Progress | None = None
) -> bytes:
    """The executive portfolio report as PDF bytes."""
    if lang not in ("ja", "en"):
        raise ValueError(f"lang must be 'ja' or 'en', not {lang!r}")
    language: Lang = "ja" if lang == "ja" else "en"
    fonts = register_fonts()
    story = Story.start(language, fonts)
    _title(story, data)
    story.add(NextPageTemplate("body"))
    contents_at = len(story.flow)
    _overview(story, data)
    _heatmap(story, data)
    _worst(story, data)
    _findings(story, data)
    _contractors(story, data)
    contents = [Spacer(1, 6 * mm), Paragraph(escape(t(language, "contents")), story.styles.h2)]
    contents.extend(table_of_contents(story.toc, story.styles))
    contents.append(Spacer(1, 6 * mm))
    story.flow[contents_at:contents_at] = contents
    title = t(language, "portfolio.title")
    organisation = pick(data.organisation, language)
    meta = DocMeta(
        title=title,
        subject=t(language, "portfolio.subtitle"),
        author=organisation,
        lang="ja-JP" if language == "ja" else "en",
        report_id=data.report_id,
        confidentiality=pick(data.confidentiality, language),
        header_left=f"{organisation} · {title}",
        page_label=lambda page, total: t(language, "page", page=page, total=total),
    )
    return render(story.flow, meta, fonts, story.toc, progress)


def _title(story: Story, data: PortfolioReportData) -> None:
    lang = story.lang
    styles = story.styles
    story.add(Spacer(1, 6 * mm))
    story.add(Paragraph(escape(story.pick(data.organisation)), styles.subtitle))
    story.add(Paragraph(escape(t(lang, "portfolio.title")), styles.title))
    story.add(Paragraph(escape(t(lang, "portfolio.subtitle")), styles.subtitle))
    story.space(10)
    story.key_values(
        [
            (t(lang, "report_id"), data.report_id),
            (t(lang, "report_date"), fmt_long_date(data.report_date, lang)),
            (t(lang, "scope.catalogue"), story.pick(data.catalogue_name)),
            (t(lang, "prepared_by"), story.pick(data.prepared_by) or DASH),
            (t(lang, "confidentiality"), story.pick(data.confidentiality)),
        ],
        size=9,
    )


def _overview(story: Story, data: PortfolioReportData) -> None:
    lang = story.lang
    story.section(t(lang, "portfolio.sec.overview"), "overview")
    scored = [s for s in data.scopes if s.overall_score is not None]
    if not scored:
        story.para(t(lang, "portfolio.no_scopes"))
        return
    lowest = min(scored, key=lambda s: s.overall_score or 0.0)
    mean = sum(s.overall_score or 0.0 for s in scored) / len(scored)
    story.para(
        t(
            lang,
            "portfolio.scopes",
            count=len(data.scopes),
            mean=fmt_score(mean),
            low=fmt_score(lowest.overall_score),
            low_scope=story.pick(lowest.scope),
        )
    )
    story.heading3(t(lang, "portfolio.overall_chart"))
    labels = [story.pick(s.scope) for s in data.scopes]
    current = Series(t(lang, "chart.current"), [s.overall_score for s in data.scopes])
    previous = None
    if any(s.previous_overall is not None for s in data.scopes):
        previous = Series(t(lang, "chart.previous"), [s.previous_overall for s in data.scopes])
    story.add(bar_chart(labels, current, previous, story.font, width=CONTENT_WIDTH * 0.8))
    story.space(6)
    rows: list[list[CellValue]] = [
        [
            story.pick(s.scope),
            s.assessment_title,
            fmt_date(s.closed_on),
            fmt_score(s.overall_score),
            DASH if s.overall_level is None else str(s.overall_level),
        ]
        for s in data.scopes
    ]
    story.table(
        [
            Column(t(lang, "col.scope"), 0.24),
            Column(t(lang, "col.assessment"), 0.42),
            Column(t(lang, "col.closed_on"), 0.14),
            Column(t(lang, "col.overall"), 0.1, "right"),
            Column(t(lang, "col.level"), 0.1, "center"),
        ],
        rows,
        size=8,
    )


def _heatmap(story: Story, data: PortfolioReportData) -> None:
    lang = story.lang
    story.section(t(lang, "portfolio.sec.heatmap"), "heatmap")
    ids = [d.domain_id for d in data.domains]
    scope_share = 0.22
    overall_share = 0.1
    domain_share = (1 - scope_share - overall_share) / max(len(ids), 1)
    columns = [
        Column(t(lang, "col.scope"), scope_share),
        Column(t(lang, "col.overall"), overall_share, "center"),
    ]
    columns.extend(Column(domain_id, domain_share, "center") for domain_id in ids)
    rows: list[list[CellValue]] = []
    for scope in data.scopes:
        overall_band = score_band(scope.overall_score)
        row: list[CellValue] = [
            story.pick(scope.scope),
            Cell(_heat_text(scope.overall_score, overall_band), fill=rating_fill(overall_band)),
        ]
        for domain_id in ids:
            value = scope.domain_scores.get(domain_id)
            band = scope.domain_ratings.get(domain_id) or score_band(value)
            row.append(Cell(_heat_text(value, band), fill=rating_fill(band)))
        rows.append(row)
    story.table(columns, rows, size=8)
    story.note(t(lang, "portfolio.legend"))
    story.note(joined([f"{d.domain_id}: {story.pick(d.name)}" for d in data.domains], lang))


def _heat_text(score: float | None, band: str | None) -> str:
    if score is None:
        return DASH
    return f"{RATING_MARK.get(band or '', DASH)} {fmt_score(score)}"


def _worst(story: Story, data: PortfolioReportData) -> None:
    lang = story.lang
    story.section(t(lang, "portfolio.sec.worst"), "worst")
    if not data.worst_controls:
        story.para(t(lang, "portfolio.no_worst"))
        return
    rows: list[list[CellValue]] = [
        [
            story.pick(w.scope),
            f"{w.control_id}{' ★' if w.is_key else ''}",
            story.pick(w.title),
            fmt_score(w.score),
            Cell(t(lang, f"result.{w.result}"), fill=RESULT_FILL.get(w.result)),
        ]
        for w in data.worst_controls
    ]
    story.table(
        [
            Column(t(lang, "col.scope"), 0.2),
            Column(t(lang, "col.id"), 0.1),
            Column(t(lang, "col.control"), 0.42),
            Column(t(lang, "col.score"), 0.1, "right"),
            Column(t(lang, "col.result"), 0.18),
        ],
        rows,
        size=8,
    )


def bucket_counts(findings: Sequence[OpenFinding]) -> dict[str, list[int]]:
    """grade -> number of open findings per age bucket."""
    counts = {grade: [0] * len(AGE_BUCKETS) for grade in GRADES}
    for finding in findings:
        counts[finding.grade][age_bucket(finding.age_days)] += 1
    return counts


def _findings(story: Story, data: PortfolioReportData) -> None:
    lang = story.lang
    story.section(t(lang, "portfolio.sec.findings"), "findings")
    if not data.open_findings:
        story.para(t(lang, "portfolio.no_findings"))
        return
    counts = bucket_counts(data.open_findings)
    buckets = [t(lang, f"age.{i}") for i in range(len(AGE_BUCKETS))]
    columns = [Column(t(lang, "col.grade"), 0.28)]
    columns.extend(Column(name, 0.13, "right") for name in buckets)
    columns.append(Column(t(lang, "col.total"), 0.1, "right"))
    columns.append(Column(t(lang, "overdue"), 0.1, "right"))
    rows: list[list[CellValue]] = []
    for grade in GRADES:
        per_bucket = counts[grade]
        if not any(per_bucket):
            continue
        overdue = sum(1 for f in data.open_findings if f.grade == grade and f.overdue)
        rows.append(
            [
                t(lang, f"grade.{grade}"),
                *[str(n) for n in per_bucket],
                str(sum(per_bucket)),
                str(overdue),
            ]
        )
    totals = [sum(counts[g][i] for g in GRADES) for i in range(len(AGE_BUCKETS))]
    rows.append(
        [
            Cell(t(lang, "col.total"), emphasis=True),
            *[Cell(str(n), emphasis=True) for n in totals],
            Cell(str(sum(totals)), emphasis=True),
            Cell(str(sum(1 for f in data.open_findings if f.overdue)), emphasis=True),
        ]
    )
    story.table(columns, rows, size=8)
    stacks = [
        (t(lang, f"grade.{grade}"), counts[grade], GRADE_COLOUR[grade])
        for grade in GRADES
        if any(counts[grade])
    ]
    story.add(column_chart(buckets, stacks, story.font, width=CONTENT_WIDTH * 0.75))


def _contractors(story: Story, data: PortfolioReportData) -> None:
    lang = story.lang
    story.section(t(lang, "portfolio.sec.contractors"), "contractors")
    if not data.contractors_overdue:
        story.para(t(lang, "portfolio.no_contractors"))
        return
    rows: list[list[CellValue]] = [
        [
            story.pick(c.name),
            t(lang, f"tier.{c.risk_tier}")
            if c.risk_tier in ("high", "medium", "low")
            else c.risk_tier,
            fmt_date(c.last_review),
            fmt_date(c.next_review_due),
            str(c.days_overdue),
        ]
        for c in sorted(data.contractors_overdue, key=lambda c: -c.days_overdue)
    ]
    story.table(
        [
            Column(t(lang, "col.contractor"), 0.4),
            Column(t(lang, "col.risk"), 0.12, "center"),
            Column(t(lang, "col.last_review"), 0.16),
            Column(t(lang, "col.due"), 0.16),
            Column(t(lang, "col.days_overdue"), 0.16, "right"),
        ],
        rows,
        size=8.5,
    )
