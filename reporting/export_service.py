"""Exports of one assessment for other tools: Excel, CSV and OSCAL assessment results."""

from __future__ import annotations

from datetime import UTC, datetime

from auth.model import Permission, Principal
from auth.permissions import requires
from core.errors import Issue, ValidationFailed
from reporting.service import audit_report_data
from storage.db import Database

EXPORT_FORMATS: tuple[str, ...] = ("xlsx", "csv", "oscal")
MEDIA_TYPES: dict[str, str] = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "oscal": "application/json",
}


@requires(Permission.REPORT_READ)
def export_assessment(
    db: Database,
    actor: Principal,
    assessment_id: str,
    fmt: str,
    *,
    lang: str = "en",
    now: datetime | None = None,
) -> bytes:
    """The assessment as ``xlsx``, ``csv`` or ``oscal`` (assessment-results JSON) bytes."""
    if fmt not in EXPORT_FORMATS:
        raise ValidationFailed(
            [Issue("export", 0, "format", f"unknown format {fmt!r}: {', '.join(EXPORT_FORMATS)}")]
        )
    moment = now or datetime.now(UTC)
    data = audit_report_data(db, actor, assessment_id, today=moment.date())
    if fmt == "oscal":
        from reports.oscal_export import assessment_results_json  # noqa: PLC0415

        return assessment_results_json(data, key=assessment_id, now=moment, lang=lang)
    from reports.assessment_export import assessment_csv, assessment_xlsx  # noqa: PLC0415

    return assessment_xlsx(data, lang) if fmt == "xlsx" else assessment_csv(data, lang)
