"""The Annex A view of an assessment: assess once against the APPI catalogue, report as
ISO/IEC 27001:2022 Annex A coverage."""

from __future__ import annotations

from assessments import service as assessments
from assessments.scoring import Result
from auth.model import Permission, Principal
from auth.permissions import requires
from controls import service as catalogues
from reporting.crosswalk import AnnexACoverage, MappedControl, annex_a_coverage
from reports.crosswalk_export import coverage_csv
from storage.db import Database


@requires(Permission.ASSESSMENT_READ)
def annex_a_view(db: Database, actor: Principal, assessment_id: str) -> AnnexACoverage:
    """Which Annex A controls the assessment addresses, by which controls, at what score."""
    a = assessments.get_assessment(db, actor, assessment_id)  # auditees: their own scope only
    scored = assessments.score(db, actor, a.id).score.controls
    mapped = []
    for row in catalogues.search_controls(db, actor, a.catalogue_id):
        refs = row.refs_of("iso27001_2022")
        if not refs:
            continue
        s = scored.get(row.control_id)
        mapped.append(
            MappedControl(
                control_id=row.control_id,
                title_en=row.title_en,
                title_ja=row.title_ja,
                is_key=row.is_key,
                annex_a=refs,
                # A control the score leaves out (not a maturity question) counts as unanswered.
                score=s.score if s else 0.0,
                result=s.result.value if s else Result.NOT_ASSESSED.value,
            )
        )
    return annex_a_coverage(
        assessment_id=a.id,
        assessment_title=a.title,
        scope_unit=a.scope_unit,
        catalogue_urn=a.catalogue_urn,
        catalogue_version=a.catalogue_version,
        controls=mapped,
    )


@requires(Permission.ASSESSMENT_READ)
def annex_a_csv(db: Database, actor: Principal, assessment_id: str, lang: str) -> bytes:
    """The Annex A view as CSV (UTF-8 with BOM, formula-guarded): one row per Annex A control."""
    return coverage_csv(annex_a_view(db, actor, assessment_id), lang)
