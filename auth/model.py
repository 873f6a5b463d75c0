"""Roles, permissions, the acting principal, users and audit entries."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    AUDITOR = "auditor"  # internal audit
    SUPERVISOR = "supervisor"  # contractor supervision
    AUDITEE = "auditee"  # answers for their own department
    EXECUTIVE = "executive"  # read-only dashboards and reports


class Permission(StrEnum):
    CATALOGUE_READ = "catalogue.read"
    CATALOGUE_IMPORT = "catalogue.import"
    ORG_READ = "org.read"
    DEMO_LOAD = "demo.load"
    USER_READ = "user.read"
    USER_ADMIN = "user.admin"
    AUDIT_LOG_READ = "audit_log.read"
    AUDIT_LOG_VERIFY = "audit_log.verify"
    ASSESSMENT_READ = "assessment.read"
    ASSESSMENT_PLAN = "assessment.plan"
    ASSESSMENT_ANSWER = "assessment.answer"
    ASSESSMENT_REVIEW = "assessment.review"
    ASSESSMENT_CLOSE = "assessment.close"
    EVIDENCE_VERIFY = "evidence.verify"
    EVIDENCE_PURGE = "evidence.purge"
    FINDING_READ = "finding.read"
    FINDING_MANAGE = "finding.manage"  # raise, verify, close, reopen (internal audit)
    FINDING_RESPOND = "finding.respond"  # the owner's root cause and actions
    CONTRACTOR_READ = "contractor.read"  # register, reviews, countries, dashboard
    CONTRACTOR_EDIT = "contractor.edit"  # contractor supervision: register, review, countries
    REPORT_READ = "report.read"  # audit, portfolio and contractor reports; the Art. 32 text
    SYSTEM_BACKUP = "system.backup"  # download a backup of the database (admin only)
    DASHBOARD_READ = "dashboard.read"  # the executive overview and trends


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is acting: a signed-in user, or the operator at the command line."""

    username: str
    role: Role
    org_unit_code: str | None = None
    user_id: str | None = None
    display_name: str = ""

    @classmethod
    def of(cls, user: User) -> Principal:
        """The principal acting as ``user``."""
        return cls(
            username=user.username,
            role=user.role,
            org_unit_code=user.org_unit_code,
            user_id=user.id,
            display_name=user.display_name,
        )

    @classmethod
    def cli(cls, os_user: str) -> Principal:
        """The operator running ``kansa``: whoever can open the database file administers it."""
        return cls(username=f"cli:{os_user}", role=Role.ADMIN, display_name=f"cli:{os_user}")


@dataclass(frozen=True, slots=True)
class User:
    id: str
    username: str
    display_name: str
    role: Role
    org_unit_code: str | None
    active: bool
    version: int
    created_at: str
    sso_only: bool = False


@dataclass(frozen=True, slots=True)
class NewUser:
    """A created user and, when Kansa generated it, the password to hand over once."""

    user: User
    password: str | None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: str | None
    before: str | None
    after: str | None
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class VerifyResult:
    entries: int
    first_broken_seq: int | None

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None
