"""Deny by default: every service function states who may call it, and the check holds.

``EXPECTED`` below is the specification, written out by hand: which roles may call each
service function, or ``PUBLIC`` for the few that anyone may call. The tests find the service
modules on disk, so a new function (or module) without an entry here and without a
``@requires``/``@public`` decorator fails the suite.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any, Final

import pytest

from auth.model import Principal, Role
from auth.permissions import REGISTRY, has_permission
from core.errors import PermissionDenied

ROOT = Path(__file__).resolve().parents[2]

PUBLIC: Final = "public"
EVERYONE = frozenset(Role)
ADMIN = frozenset({Role.ADMIN})
ADMIN_AUDITOR = frozenset({Role.ADMIN, Role.AUDITOR})
ANSWERERS = frozenset({Role.ADMIN, Role.AUDITOR, Role.AUDITEE})
ADMIN_SUPERVISOR = frozenset({Role.ADMIN, Role.SUPERVISOR})
CONTRACTOR_READERS = frozenset({Role.ADMIN, Role.AUDITOR, Role.SUPERVISOR, Role.EXECUTIVE})
DASHBOARD_READERS = frozenset({Role.ADMIN, Role.AUDITOR, Role.EXECUTIVE})
REPORT_READERS = frozenset({Role.ADMIN, Role.AUDITOR, Role.SUPERVISOR, Role.EXECUTIVE})
RESPONDERS = frozenset({Role.ADMIN, Role.AUDITOR, Role.SUPERVISOR, Role.AUDITEE})

EXPECTED: dict[str, frozenset[Role] | str] = {
    # catalogues: everyone reads; only an admin imports
    "controls.service.validate_files": PUBLIC,
    "controls.service.import_catalogue": ADMIN,
    "controls.service.import_file": ADMIN,
    "controls.service.sync_library": ADMIN,
    "controls.service.list_catalogues": EVERYONE,
    "controls.service.latest_catalogues": EVERYONE,
    "controls.service.get_catalogue": EVERYONE,
    "controls.service.list_domains": EVERYONE,
    "controls.service.search_controls": EVERYONE,
    "controls.service.get_control": EVERYONE,
    # the organisation: everyone reads
    "org.service.list_units": EVERYONE,
    "org.service.list_people": EVERYONE,
    # demo data
    "demo.service.load_demo": ADMIN,
    "demo.service.load_scale": ADMIN,
    "demo.service.has_data": PUBLIC,
    "demo.service.is_demo": PUBLIC,
    # users: the auditor may see who has access; only an admin changes it
    "auth.service.list_users": ADMIN_AUDITOR,
    "auth.service.create_user": ADMIN,
    "auth.service.change_user": ADMIN,
    "auth.service.deactivate_user": ADMIN,
    "auth.service.reactivate_user": ADMIN,
    "auth.service.reset_password": ADMIN,
    "auth.service.sign_in": PUBLIC,
    "auth.service.resolve_session": PUBLIC,
    # single sign-on: maps the identity provider's e-mail to an active account, before any
    # Kansa session exists (added after the table was first written; public like resolve_session)
    "auth.service.resolve_sso_user": PUBLIC,
    "auth.service.sign_out": PUBLIC,
    # the audit trail: admin and auditor
    "auth.audit_service.list_entries": ADMIN_AUDITOR,
    "auth.audit_service.facets": ADMIN_AUDITOR,
    "auth.audit_service.export_csv": ADMIN_AUDITOR,
    "auth.audit_service.verify": ADMIN_AUDITOR,
    # self-inspection campaigns: everyone reads (auditees only their department's, checked
    # in the service); auditors plan, review and close; auditees answer for their own scope
    "assessments.service.create_assessment": ADMIN_AUDITOR,
    "assessments.service.list_assessments": EVERYONE,
    "assessments.service.get_assessment": EVERYONE,
    "assessments.service.list_responses": EVERYONE,
    "assessments.service.progress": EVERYONE,
    "assessments.service.save_answers": ANSWERERS,
    "assessments.service.save_answer": ANSWERERS,
    "assessments.service.import_answers": ANSWERERS,
    "assessments.service.submit_for_review": ADMIN_AUDITOR,
    "assessments.service.review_answer": ADMIN_AUDITOR,
    "assessments.service.close_assessment": ADMIN_AUDITOR,
    "assessments.service.score": EVERYONE,
    # evidence: whoever may answer adds it (auditees for their own scope); everyone reads;
    # admin and auditors verify the store
    "evidence.service.add_evidence": ANSWERERS,
    "evidence.service.list_evidence": EVERYONE,
    "evidence.service.verify_store": ADMIN_AUDITOR,
    "evidence.service.search_evidence": EVERYONE,
    "evidence.service.evidence_counts": EVERYONE,
    "evidence.service.unsupported_answers": EVERYONE,
    "evidence.service.get_evidence": EVERYONE,
    "evidence.service.read_evidence": EVERYONE,
    "evidence.service.unlink_evidence": ANSWERERS,
    "evidence.service.carry_forward": ANSWERERS,
    # a file nothing links to any more is deleted for good only by an administrator
    "evidence.service.list_unlinked": ADMIN,
    "evidence.service.purge_unlinked": ADMIN,
    # findings: auditors raise, verify, close, reopen; owners respond; everyone reads
    # (auditees their own department's and their own; checked in the service)
    "findings.service.raise_finding": ADMIN_AUDITOR,
    "findings.service.respond": RESPONDERS,
    "findings.service.verify": ADMIN_AUDITOR,
    "findings.service.close": ADMIN_AUDITOR,
    "findings.service.reopen": ADMIN_AUDITOR,
    "findings.service.link_evidence": ADMIN_AUDITOR,
    "findings.service.get_finding": EVERYONE,
    "findings.service.list_findings": EVERYONE,
    "findings.service.count_findings": EVERYONE,
    "findings.service.history": EVERYONE,
    "findings.service.list_evidence": EVERYONE,
    "findings.service.my_actions": RESPONDERS,
    "findings.service.open_grades": EVERYONE,
    "findings.service.follow_up": EVERYONE,
    # contractor supervision: supervisors (and admin) edit; auditors and executives read
    "contractors.service.register_contractor": ADMIN_SUPERVISOR,
    "contractors.service.update_contractor": ADMIN_SUPERVISOR,
    "contractors.service.list_contractors": CONTRACTOR_READERS,
    "contractors.service.get_contractor": CONTRACTOR_READERS,
    "contractors.service.recompute_tiers": ADMIN_SUPERVISOR,
    "contractors.service.add_certification": ADMIN_SUPERVISOR,
    "contractors.service.remove_certification": ADMIN_SUPERVISOR,
    "contractors.service.link_subcontractor": ADMIN_SUPERVISOR,
    "contractors.service.approve_subcontractor": ADMIN_SUPERVISOR,
    "contractors.service.unlink_subcontractor": ADMIN_SUPERVISOR,
    "contractors.service.supervisor_dashboard": CONTRACTOR_READERS,
    "contractors.review_service.start_review": ADMIN_SUPERVISOR,
    "contractors.review_service.list_reviews": CONTRACTOR_READERS,
    "contractors.review_service.get_review": CONTRACTOR_READERS,
    "contractors.review_service.list_review_answers": CONTRACTOR_READERS,
    "contractors.review_service.save_review_answers": ADMIN_SUPERVISOR,
    "contractors.review_service.complete_review": ADMIN_SUPERVISOR,
    "contractors.review_service.generate_questionnaire": ADMIN_SUPERVISOR,
    "contractors.review_service.import_questionnaire": ADMIN_SUPERVISOR,
    "contractors.country_service.list_countries": CONTRACTOR_READERS,
    "contractors.country_service.get_country": CONTRACTOR_READERS,
    "contractors.country_service.save_country": ADMIN_SUPERVISOR,
    "contractors.country_service.remove_country": ADMIN_SUPERVISOR,
    "contractors.country_service.seed_countries": ADMIN_SUPERVISOR,
    "contractors.country_service.list_data_locations": CONTRACTOR_READERS,
    "contractors.country_service.add_data_location": ADMIN_SUPERVISOR,
    "contractors.country_service.remove_data_location": ADMIN_SUPERVISOR,
    "contractors.country_service.where_data_sits": CONTRACTOR_READERS,
    "contractors.country_service.start_country_review": ADMIN_SUPERVISOR,
    # dashboards: the executives and internal audit; campaign progress for internal audit
    "dashboards.service.data_version": DASHBOARD_READERS,
    "dashboards.service.overview": DASHBOARD_READERS,
    "dashboards.service.trend": DASHBOARD_READERS,
    "dashboards.service.fiscal_years": DASHBOARD_READERS,
    "dashboards.service.progress": ADMIN_AUDITOR,
    # reports: internal audit, contractor supervision and the executives (not auditees)
    "reporting.service.audit_report_data": REPORT_READERS,
    "reporting.service.audit_report_pdf": REPORT_READERS,
    "reporting.service.portfolio_report_data": REPORT_READERS,
    "reporting.service.portfolio_report_pdf": REPORT_READERS,
    "reporting.service.announcement_data": REPORT_READERS,
    "reporting.service.announcement": REPORT_READERS,
    # interoperability: catalogues from other formats (validating is public like
    # validate_files; storing needs the admin), the Annex A view (whoever may read the
    # assessment), exports (report readers)
    "controls.import_service.read_catalogue": PUBLIC,
    "controls.import_service.import_any": ADMIN,
    "reporting.crosswalk_service.annex_a_view": EVERYONE,
    "reporting.crosswalk_service.annex_a_csv": EVERYONE,
    "reporting.export_service.export_assessment": REPORT_READERS,
    # operations: backups are the admin's; restore runs at the command line into an empty
    # folder (no users exist there yet); the doctor re-hashes evidence like verify_store;
    # the /healthz summary needs no sign-in and shows no names, paths or counts
    "maintenance.service.backup": ADMIN,
    "maintenance.service.backup_to_folder": ADMIN,
    "maintenance.service.restore": PUBLIC,
    "maintenance.service.doctor": ADMIN_AUDITOR,
    "maintenance.service.health": PUBLIC,
}


def service_modules() -> list[ModuleType]:
    """Every ``service.py`` / ``*_service.py`` in the project's packages, imported."""
    found = []
    for package in sorted(p for p in ROOT.iterdir() if (p / "__init__.py").is_file()):
        if package.name == "tests":
            continue
        for path in sorted(package.rglob("*.py")):
            if path.name == "service.py" or path.name.endswith("_service.py"):
                parts = path.relative_to(ROOT).with_suffix("").parts
                found.append(importlib.import_module(".".join(parts)))
    return found


def public_functions(module: ModuleType) -> dict[str, Callable[..., Any]]:
    """Functions defined in ``module`` (not imported into it) whose names do not start with _."""
    return {
        f"{module.__name__}.{name}": func
        for name, func in inspect.getmembers(module, inspect.isfunction)
        if not name.startswith("_") and func.__module__ == module.__name__
    }


MODULES = service_modules()
FUNCTIONS: dict[str, Callable[..., Any]] = {
    name: func for module in MODULES for name, func in public_functions(module).items()
}
PROTECTED = sorted(name for name, allowed in EXPECTED.items() if allowed != PUBLIC)


class DatabaseTouched(AssertionError):
    """Raised by ``Untouchable``: the function reached the database."""


class Untouchable:
    """Stands in for the database; any use of it fails the test."""

    def __getattr__(self, name: str) -> Any:
        raise DatabaseTouched(f"the database was used ({name}) before the permission check")


def principal(role: Role) -> Principal:
    return Principal(username=f"someone.{role.value}", role=role)


# --- (a) every service function is listed and decorated -----------------------------------------


def test_the_service_modules_are_found() -> None:
    names = {m.__name__ for m in MODULES}
    assert {"controls.service", "org.service", "demo.service", "auth.service"} <= names
    assert "auth.audit_service" in names
    assert len(FUNCTIONS) >= len(EXPECTED)


def test_every_service_function_is_in_the_table() -> None:
    unlisted = sorted(set(FUNCTIONS) - set(EXPECTED))
    assert unlisted == [], "add these to EXPECTED with the roles that may call them"


def test_the_table_names_no_function_that_does_not_exist() -> None:
    assert sorted(set(EXPECTED) - set(FUNCTIONS)) == []


def test_every_service_function_is_decorated() -> None:
    undecorated = sorted(set(FUNCTIONS) - set(REGISTRY))
    assert undecorated == [], "decorate these with @requires(...) or @public"


# --- (b) the permission table matches the specification ---------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_roles_allowed_match_the_specification(name: str) -> None:
    expected = EXPECTED[name]
    permission = REGISTRY.get(name, "missing")

    if not isinstance(expected, frozenset):
        assert permission is None, f"{name} is meant to be public"
        return
    assert permission is not None, f"{name} is public but only {sorted(expected)} may call it"
    assert permission != "missing", f"{name} is not decorated"
    allowed = {role for role in Role if has_permission(role, permission)}  # type: ignore[arg-type]
    assert allowed == expected
    # the registered permission is the one the function object really checks
    assert getattr(FUNCTIONS[name], "required_permission", None) == permission


def test_admin_holds_every_permission_and_no_role_is_missing() -> None:
    for name in PROTECTED:
        permission = REGISTRY[name]
        assert permission is not None
        assert has_permission(Role.ADMIN, permission)
        assert not has_permission(None, permission)


# --- (c) a denied caller is stopped before the database is touched ----------------------------


DENIED = [
    (name, role)
    for name in PROTECTED
    for role in Role
    if isinstance(EXPECTED[name], frozenset) and role not in EXPECTED[name]
]
ALLOWED = [
    (name, role)
    for name in PROTECTED
    for role in Role
    if isinstance(EXPECTED[name], frozenset) and role in EXPECTED[name]
]


@pytest.mark.parametrize(("name", "role"), DENIED, ids=[f"{n}-{r}" for n, r in DENIED])
def test_a_denied_role_is_refused_before_the_database(name: str, role: Role) -> None:
    with pytest.raises(PermissionDenied, match=role.value):
        FUNCTIONS[name](Untouchable(), principal(role))


@pytest.mark.parametrize(("name", "role"), ALLOWED, ids=[f"{n}-{r}" for n, r in ALLOWED])
def test_an_allowed_role_gets_past_the_check(name: str, role: Role) -> None:
    """Called without its other arguments, the function fails after the check, not in it."""
    with pytest.raises((DatabaseTouched, TypeError)):
        FUNCTIONS[name](Untouchable(), principal(role))


def test_representative_calls_with_real_arguments_are_refused() -> None:
    from auth import audit_service  # noqa: PLC0415 -- imported above by discovery already
    from auth import service as users  # noqa: PLC0415
    from controls import service as catalogues  # noqa: PLC0415
    from demo import service as demo  # noqa: PLC0415

    db: Any = Untouchable()
    auditor, supervisor = principal(Role.AUDITOR), principal(Role.SUPERVISOR)
    auditee, executive = principal(Role.AUDITEE), principal(Role.EXECUTIVE)

    with pytest.raises(PermissionDenied):
        catalogues.import_file(db, auditor, Path("catalogue.yaml"))
    with pytest.raises(PermissionDenied):
        catalogues.sync_library(db, actor=executive)
    with pytest.raises(PermissionDenied):
        demo.load_demo(db, auditor)
    with pytest.raises(PermissionDenied):
        users.create_user(
            db, auditor, username="new.admin", display_name="x", role=Role.ADMIN, password=None
        )
    with pytest.raises(PermissionDenied):
        users.change_user(db, auditor, username="a.miyoshi", expected_version=1, role="admin")
    with pytest.raises(PermissionDenied):
        users.list_users(db, supervisor)
    with pytest.raises(PermissionDenied):
        audit_service.verify(db, auditee)
    with pytest.raises(PermissionDenied):
        audit_service.export_csv(db, executive, [])


# --- (d) no principal, or something that is not one ----------------------------------------------


@pytest.mark.parametrize("name", PROTECTED)
def test_no_principal_is_denied(name: str) -> None:
    with pytest.raises(PermissionDenied, match="Sign in"):
        FUNCTIONS[name](Untouchable(), None)
    with pytest.raises(PermissionDenied, match="Sign in"):
        FUNCTIONS[name](Untouchable())  # the actor left out altogether


@pytest.mark.parametrize("name", PROTECTED)
def test_a_role_name_is_not_a_principal(name: str) -> None:
    with pytest.raises(TypeError, match="Principal"):
        FUNCTIONS[name](Untouchable(), "admin")
