"""The internal audit report (and contractor review report) as PDF, in Japanese or English.

Sections in the order of ``shared/domain/audit-report.md``: cover, contents, executive
summary, objectives/scope/criteria, team and auditees, method, results by domain, findings,
earlier corrective actions, evidence index, conclusion and sign-off, crosswalk appendix.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import NextPageTemplate, PageBreak, Paragraph, Spacer

from reports.pdf import audit_sections
from reports.pdf.charts import Series, bar_chart, radar_chart, traffic_lights
from reports.pdf.doc import ALERT, CONTENT_WIDTH, DocMeta, Progress, render, table_of_contents
from reports.pdf.fonts import register_fonts
from reports.pdf.labels import t
from reports.pdf.model import SETTLED_STATUSES, AuditReportData, Lang, pick
from reports.pdf.parts import Story, boxes, joined, natural_key, side_by_side
from reports.pdf.table import Cell, CellValue, Column
from reports.pdf.text import (
    DASH,
    escape,
    fmt_date,
    fmt_delta,
    fmt_long_date,
    fmt_percent,
    fmt_score,
)

TOP_FINDINGS = 8
SUMMARY_STATEMENT_CHARS = 220


def _check_lang(lang: str) -> Lang:
    if lang not in ("ja", "en"):
        raise ValueError(f"lang must be 'ja' or 'en', not {lang!r}")
    return "ja" if lang == "ja" else "en"


def build_audit_report(data: AuditReportData, lang: str, progress: Progress | None = None) -> bytes:
    """The audit report as PDF bytes; ``progress`` is called with 0..1 while pages are laid out."""
    language = _check_lang(lang)
    fonts = register_fonts()
    story = Story.start(language, fonts)
    _cover(story, data)
    story.add(NextPageTemplate("body"))
    story.add(PageBreak())
    contents_at = len(story.flow)
    _summary(story, data)
    _scope(story, data)
    _team(story, data)
    _method(story, data)
    audit_sections.results(story, data)
    audit_sections.findings(story, data)
    audit_sections.corrective_actions(story, data)
    audit_sections.evidence(story, data)
    audit_sections.conclusion(story, data)
    audit_sections.appendix(story, data)
    contents = [Paragraph(escape(t(language, "contents")), story.styles.h1)]
    contents.extend(table_of_contents(story.toc, story.styles))
    story.flow[contents_at:contents_at] = contents
    title_key = "audit.title_contractor" if data.contractor is not None else "audit.title"
    title = t(language, title_key)
    organisation = pick(data.organisation, language)
    meta = DocMeta(
        title=f"{title} {data.title}",
        subject=t(language, "audit.subtitle"),
        author=organisation,
        lang="ja-JP" if language == "ja" else "en",
        report_id=data.report_id,
        confidentiality=pick(data.confidentiality, language),
        header_left=f"{organisation} · {title} · {data.title}",
        page_label=lambda page, total: t(language, "page", page=page, total=total),
    )
    return render(story.flow, meta, fonts, story.toc, progress)


def _period(data: AuditReportData) -> str:
    return f"{fmt_date(data.period_start)} – {fmt_date(data.period_end)}"


def _cover(story: Story, data: AuditReportData) -> None:
    lang = story.lang
    styles = story.styles
    contractor = data.contractor is not None
    story.add(Spacer(1, 18 * mm))
    story.add(Paragraph(escape(story.pick(data.organisation)), styles.subtitle))
    story.space(4)
    title = t(lang, "audit.title_contractor" if contractor else "audit.title")
    story.add(Paragraph(escape(title), styles.title))
    story.add(Paragraph(escape(t(lang, "audit.subtitle")), styles.subtitle))
    story.space(4)
    story.add(Paragraph(escape(data.title), styles.subtitle))
    story.add(Spacer(1, 12 * mm))
    catalogue = t(
        lang,
        "cover.catalogue",
        name=story.pick(data.catalogue_name),
        version=data.catalogue_version,
    )
    story.key_values(
        [
            (t(lang, "report_id"), data.report_id),
            (t(lang, "cover.scope"), story.pick(data.scope)),
            (t(lang, "cover.period"), _period(data)),
            (t(lang, "report_date"), fmt_long_date(data.report_date, lang)),
            (t(lang, "version"), data.version),
            (t(lang, "cover.lead"), story.pick(data.lead_auditor)),
            (t(lang, "cover.criteria"), catalogue),
            (
                t(lang, "cover.distribution"),
                "\n".join(story.pick(d) for d in data.distribution) or DASH,
            ),
            (t(lang, "confidentiality"), Cell(story.pick(data.confidentiality), color=ALERT)),
        ],
        size=9.5,
    )
    if data.contractor is not None:
        profile = data.contractor
        story.space(10)
        story.add(Paragraph(escape(t(lang, "contractor.heading")), styles.h3))
        tier = profile.risk_tier
        story.key_values(
            [
                (t(lang, "contractor.name"), story.pick(profile.name)),
                (
                    t(lang, "contractor.services"),
                    joined([story.pick(s) for s in profile.services], lang),
                ),
                (
                    t(lang, "contractor.data"),
                    joined([story.pick(s) for s in profile.data_handled], lang),
                ),
                (
                    t(lang, "contractor.countries"),
                    joined([story.pick(s) for s in profile.countries], lang),
                ),
                (t(lang, "contractor.certifications"), joined(list(profile.certifications), lang)),
                (
                    t(lang, "contractor.risk"),
                    t(lang, f"tier.{tier}") if tier in ("high", "medium", "low") else tier,
                ),
                (t(lang, "contractor.next_review"), fmt_date(profile.next_review_due)),
            ],
            size=9,
        )
    story.space(10)
    story.note(t(lang, "cover.handling"))


def _summary(story: Story, data: AuditReportData) -> None:
    lang = story.lang
    score = data.score
    open_findings = [f for f in data.findings if f.status not in SETTLED_STATUSES]
    story.section(t(lang, "sec.summary"), "summary", new_page=True)
    level = (
        DASH
        if score.overall_level is None
        else t(lang, "kpi.level_value", level=score.overall_level)
    )
    story.add(
        boxes(
            [
                (fmt_score(score.overall_score), t(lang, "kpi.score")),
                (level, t(lang, "kpi.level")),
                (fmt_percent(score.overall_coverage), t(lang, "kpi.coverage")),
                (str(len(open_findings)), t(lang, "kpi.findings")),
            ],
            story.styles,
            story.font,
        )
    )
    story.space(6)
    if data.previous_label is not None and data.previous_overall is not None:
        delta = None if score.overall_score is None else score.overall_score - data.previous_overall
        story.para(
            t(
                lang,
                "summary.trend",
                previous=story.pick(data.previous_label),
                before=fmt_score(data.previous_overall),
                delta=fmt_delta(delta),
            )
        )
    else:
        story.para(t(lang, "summary.no_trend"))
    story.note(t(lang, "scale_note"))

    story.heading3(t(lang, "summary.ratings"))
    ratings = [
        (d.domain_id, score.domains[d.domain_id].rating if d.domain_id in score.domains else None)
        for d in data.domains
    ]
    story.add(traffic_lights(ratings, lang, story.font, CONTENT_WIDTH))
    story.space(4)

    story.heading3(t(lang, "summary.charts"))
    ids = [d.domain_id for d in data.domains]
    current = Series(
        t(lang, "chart.current"),
        [score.domains[i].score if i in score.domains else None for i in ids],
    )
    previous = None
    if data.previous_label is not None and data.previous_domain_scores:
        previous = Series(
            t(lang, "chart.previous"), [data.previous_domain_scores.get(i) for i in ids]
        )
    bars = bar_chart(ids, current, previous, story.font, width=CONTENT_WIDTH * 0.5)
    scored = [v for v in current.values if v is not None]
    if len(ids) >= 3 and len(scored) >= 3:
        radar = radar_chart(ids, current, previous, story.font, size=CONTENT_WIDTH * 0.46)
        story.add(side_by_side(radar, bars, story.font))
    else:
        story.note(t(lang, "chart.no_radar"))
        story.add(bars)
    story.space(6)

    story.heading3(t(lang, "summary.top_findings"))
    overdue = sum(1 for f in open_findings if f.overdue)
    story.para(
        t(
            lang,
            "summary.findings_count",
            total=len(data.findings),
            open=len(open_findings),
            overdue=overdue,
        )
    )
    if not data.findings:
        return
    ordered = audit_sections.ordered_findings(data.findings)
    top = ordered[:TOP_FINDINGS]
    rows: list[list[CellValue]] = []
    for finding in top:
        statement = finding.statement
        if len(statement) > SUMMARY_STATEMENT_CHARS:
            statement = statement[:SUMMARY_STATEMENT_CHARS] + "…"
        rows.append(
            [
                finding.ref,
                audit_sections.grade_cell(finding.grade, lang),
                finding.control_id,
                statement,
                t(lang, f"status.{finding.status}"),
            ]
        )
    story.table(
        [
            Column(t(lang, "col.ref"), 0.12),
            Column(t(lang, "col.grade"), 0.16),
            Column(t(lang, "col.id"), 0.08),
            Column(t(lang, "col.statement"), 0.50),
            Column(t(lang, "col.status"), 0.14),
        ],
        rows,
    )
    if len(ordered) > TOP_FINDINGS:
        story.note(t(lang, "summary.more_findings", count=len(ordered) - TOP_FINDINGS))


def _scope(story: Story, data: AuditReportData) -> None:
    lang = story.lang
    story.section(t(lang, "sec.scope"), "scope", new_page=True)
    story.heading3(t(lang, "scope.objective"))
    story.paras(data.objective or t(lang, "scope.objective_text"))
    story.heading3(t(lang, "scope.scope"))
    story.key_values(
        [
            (t(lang, "cover.scope"), story.pick(data.scope)),
            (t(lang, "cover.assessment"), data.title),
            (t(lang, "cover.period"), _period(data)),
        ]
    )
    story.space(6)
    story.heading3(t(lang, "scope.criteria"))
    applicable = [c for c in data.controls if c.result != "not_applicable"]
    refs = sorted({r for c in applicable for r in c.guideline_refs}, key=natural_key)
    story.key_values(
        [
            (t(lang, "scope.catalogue"), story.pick(data.catalogue_name)),
            (t(lang, "scope.catalogue_version"), data.catalogue_version),
            ("URN", data.catalogue_urn or DASH),
            (t(lang, "scope.guideline_items"), joined(refs, lang) or DASH),
            (
                t(lang, "col.control"),
                t(
                    lang,
                    "scope.controls_counted",
                    total=len(data.controls),
                    applicable=len(applicable),
                    na=len(data.controls) - len(applicable),
                    key_count=sum(1 for c in data.controls if c.is_key),
                ),
            ),
        ]
    )
    story.space(6)
    story.heading3(t(lang, "scope.out"))
    rows: list[list[str | Cell]] = [[story.pick(o.item), o.reason] for o in data.out_of_scope]
    rows.extend(
        [f"{c.control_id} {story.pick(c.title)}", c.na_reason or DASH]
        for c in data.controls
        if c.result == "not_applicable"
    )
    if rows:
        story.table(
            [Column(t(lang, "scope.out_item"), 0.45), Column(t(lang, "scope.out_reason"), 0.55)],
            rows,
        )
    else:
        story.para(t(lang, "scope.none_out"))


def _team(story: Story, data: AuditReportData) -> None:
    lang = story.lang
    story.section(t(lang, "sec.team"), "team", room=220)
    story.heading3(t(lang, "team.team"))
    team_rows = [
        [
            story.pick(m.name),
            story.pick(m.department),
            t(lang, "team.lead") if m.lead else t(lang, "team.auditor"),
        ]
        for m in data.team
    ]
    if team_rows:
        story.table(
            [
                Column(t(lang, "team.name"), 0.3),
                Column(t(lang, "team.department"), 0.45),
                Column(t(lang, "team.role"), 0.25),
            ],
            team_rows,
            size=8.5,
        )
    else:
        story.para(t(lang, "team.none"))
    story.heading3(t(lang, "team.auditees"))
    auditee_rows = [
        [story.pick(a.name), story.pick(a.department), story.pick(a.title)] for a in data.auditees
    ]
    if auditee_rows:
        story.table(
            [
                Column(t(lang, "team.name"), 0.3),
                Column(t(lang, "team.department"), 0.45),
                Column(t(lang, "team.title"), 0.25),
            ],
            auditee_rows,
            size=8.5,
        )
    else:
        story.para(t(lang, "team.none"))
    story.heading3(t(lang, "team.independence"))
    if data.independence_confirmed:
        story.para(t(lang, "team.independent"))
    else:
        story.key_values(
            [("!", Cell(t(lang, "team.not_confirmed"), color=ALERT))], label_share=0.05
        )


def _method(story: Story, data: AuditReportData) -> None:
    lang = story.lang
    method = data.method
    story.section(t(lang, "sec.method"), "method", room=320)
    story.para(t(lang, "method.approach"))
    story.key_values(
        [
            (
                t(lang, "method.dates"),
                f"{fmt_date(method.fieldwork_start)} – {fmt_date(method.fieldwork_end)}",
            ),
            (t(lang, "method.interviews"), t(lang, "method.count", count=method.interviews)),
            (t(lang, "method.documents"), t(lang, "method.count", count=method.documents_reviewed)),
            (
                t(lang, "method.sites"),
                joined([story.pick(s) for s in method.site_visits], lang) or DASH,
            ),
            (t(lang, "method.sampling"), method.sampling or DASH),
        ]
    )
    story.space(6)
    story.heading3(t(lang, "method.formula"))
    bullet = ParagraphStyle(
        "bullet",
        parent=story.styles.small,
        leftIndent=10,
        bulletIndent=0,
        bulletFontName=story.font,
    )
    for line in t(lang, "method.formula_lines").split("\n"):
        story.add(Paragraph(escape(line), bullet, bulletText="•"))
