"""The pages of Kansa and the permission each needs: the sidebar shows a user only theirs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from auth.model import Permission


@dataclass(frozen=True, slots=True)
class PageSpec:
    path: str  # relative to the project root
    title_key: str
    icon: str
    permission: Permission
    group_key: str
    default: bool = False

    @property
    def url_path(self) -> str:
        return Path(self.path).stem


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "pages/home.py",
        "nav.home",
        ":material/home:",
        Permission.CATALOGUE_READ,
        "nav.group.overview",
        default=True,
    ),
    PageSpec(
        "pages/overview.py",
        "nav.overview",
        ":material/dashboard:",
        Permission.DASHBOARD_READ,
        "nav.group.dashboards",
    ),
    PageSpec(
        "pages/trend.py",
        "nav.trend",
        ":material/trending_up:",
        Permission.DASHBOARD_READ,
        "nav.group.dashboards",
    ),
    PageSpec(
        "pages/progress.py",
        "nav.progress",
        ":material/pending_actions:",
        Permission.ASSESSMENT_PLAN,
        "nav.group.dashboards",
    ),
    PageSpec(
        "pages/catalogue.py",
        "nav.catalogue",
        ":material/menu_book:",
        Permission.CATALOGUE_READ,
        "nav.group.library",
    ),
    PageSpec(
        "pages/assessments.py",
        "nav.assessments",
        ":material/fact_check:",
        Permission.ASSESSMENT_READ,
        "nav.group.inspection",
    ),
    # Everyone who may read an assessment may look at its answers; editing is checked inside.
    PageSpec(
        "pages/workspace.py",
        "nav.workspace",
        ":material/edit_note:",
        Permission.ASSESSMENT_READ,
        "nav.group.inspection",
    ),
    PageSpec(
        "pages/review.py",
        "nav.review",
        ":material/rule:",
        Permission.ASSESSMENT_REVIEW,
        "nav.group.inspection",
    ),
    PageSpec(
        "pages/scores.py",
        "nav.scores",
        ":material/monitoring:",
        Permission.ASSESSMENT_READ,
        "nav.group.inspection",
    ),
    PageSpec(
        "pages/evidence.py",
        "nav.evidence",
        ":material/attach_file:",
        Permission.ASSESSMENT_READ,
        "nav.group.inspection",
    ),
    PageSpec(
        "pages/findings.py",
        "nav.findings",
        ":material/flag:",
        Permission.FINDING_READ,
        "nav.group.inspection",
    ),
    PageSpec(
        "pages/my_actions.py",
        "nav.my_actions",
        ":material/assignment_turned_in:",
        Permission.FINDING_RESPOND,
        "nav.group.inspection",
    ),
    PageSpec(
        "pages/reports.py",
        "nav.reports",
        ":material/picture_as_pdf:",
        Permission.REPORT_READ,
        "nav.group.inspection",
    ),
    PageSpec(
        "pages/crosswalk.py",
        "nav.crosswalk",
        ":material/compare_arrows:",
        Permission.ASSESSMENT_READ,
        "nav.group.inspection",
    ),
    PageSpec(
        "pages/contractors.py",
        "nav.contractors",
        ":material/handshake:",
        Permission.CONTRACTOR_READ,
        "nav.group.contractors",
    ),
    PageSpec(
        "pages/countries.py",
        "nav.countries",
        ":material/public:",
        Permission.CONTRACTOR_READ,
        "nav.group.contractors",
    ),
    PageSpec(
        "pages/users.py", "nav.users", ":material/group:", Permission.USER_ADMIN, "nav.group.admin"
    ),
    PageSpec(
        "pages/audit_trail.py",
        "nav.audit_trail",
        ":material/receipt_long:",
        Permission.AUDIT_LOG_READ,
        "nav.group.admin",
    ),
    PageSpec(
        "pages/backup.py",
        "nav.backup",
        ":material/backup:",
        Permission.SYSTEM_BACKUP,
        "nav.group.admin",
    ),
)
