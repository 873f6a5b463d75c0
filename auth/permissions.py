"""The one table of who may do what, and the checks every service and page makes.

Deny by default: a role has exactly the permissions listed here. Every public service
function is decorated with the permission it needs (``@requires``) or is explicitly
``@public``; ``REGISTRY`` records them so a test can prove none was forgotten.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from typing import ParamSpec, TypeVar

from auth.model import Permission, Principal, Role
from core.errors import Conflict, PermissionDenied

P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.AUDITOR: frozenset(
        {
            P.CATALOGUE_READ,
            P.ORG_READ,
            P.USER_READ,
            P.AUDIT_LOG_READ,
            P.AUDIT_LOG_VERIFY,
            P.ASSESSMENT_READ,
            P.ASSESSMENT_PLAN,
            P.ASSESSMENT_ANSWER,
            P.ASSESSMENT_REVIEW,
            P.ASSESSMENT_CLOSE,
            P.EVIDENCE_VERIFY,
            P.FINDING_READ,
            P.FINDING_MANAGE,
            P.FINDING_RESPOND,
            P.CONTRACTOR_READ,
            P.REPORT_READ,
            P.DASHBOARD_READ,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            P.CATALOGUE_READ,
            P.ORG_READ,
            P.ASSESSMENT_READ,
            P.FINDING_READ,
            P.FINDING_RESPOND,
            P.CONTRACTOR_READ,
            P.CONTRACTOR_EDIT,
            P.REPORT_READ,
        }
    ),
    # Auditees answer for their own department only: the assessment service checks the scope.
    # They respond to findings they own (the findings service checks the owner).
    Role.AUDITEE: frozenset(
        {
            P.CATALOGUE_READ,
            P.ORG_READ,
            P.ASSESSMENT_READ,
            P.ASSESSMENT_ANSWER,
            P.FINDING_READ,
            P.FINDING_RESPOND,
        }
    ),
    Role.EXECUTIVE: frozenset(
        {
            P.CATALOGUE_READ,
            P.ORG_READ,
            P.ASSESSMENT_READ,
            P.FINDING_READ,
            P.CONTRACTOR_READ,
            P.REPORT_READ,
            P.DASHBOARD_READ,
        }
    ),
}

# qualified function name -> the permission it needs (None: callable without signing in)
REGISTRY: dict[str, Permission | None] = {}

Params = ParamSpec("Params")
Result = TypeVar("Result")


def has_permission(role: Role | None, permission: Permission) -> bool:
    return role is not None and permission in ROLE_PERMISSIONS.get(role, frozenset())


def check(actor: Principal | None, permission: Permission) -> Principal:
    """Return ``actor`` if it holds ``permission``; otherwise raise ``PermissionDenied``."""
    if actor is None:
        raise PermissionDenied("Sign in first.")
    if not has_permission(actor.role, permission):
        raise PermissionDenied(
            f"Your role ({actor.role.value}) is not permitted to do this ({permission.value})."
        )
    return actor


def _name(func: Callable[..., object]) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def requires(
    permission: Permission,
) -> Callable[[Callable[Params, Result]], Callable[Params, Result]]:
    """Decorate a service function whose ``actor`` argument must hold ``permission``."""

    def decorate(func: Callable[Params, Result]) -> Callable[Params, Result]:
        signature = inspect.signature(func)
        if "actor" not in signature.parameters:
            raise TypeError(f"{_name(func)} needs an 'actor' parameter to check {permission}")

        @functools.wraps(func)
        def wrapper(*args: Params.args, **kwargs: Params.kwargs) -> Result:
            bound = signature.bind_partial(*args, **kwargs)
            actor = bound.arguments.get("actor")
            if actor is not None and not isinstance(actor, Principal):
                raise TypeError(f"{_name(func)}: actor must be a Principal")
            check(actor, permission)
            return func(*args, **kwargs)

        REGISTRY[_name(func)] = permission
        wrapper.required_permission = permission  # type: ignore[attr-defined]
        return wrapper

    return decorate


def public(func: Callable[Params, Result]) -> Callable[Params, Result]:
    """Mark a service function that anyone may call, signed in or not (an explicit choice)."""
    REGISTRY[_name(func)] = None
    return func


def assert_independent(auditor: Principal, scope_units: Iterable[str]) -> None:
    """Refuse to let an auditor audit their own department (PrivacyMark independence)."""
    own = auditor.org_unit_code
    if own is not None and own in set(scope_units):
        raise Conflict(
            f"{auditor.display_name or auditor.username} belongs to {own}, which is in the scope "
            "of this audit. An auditor may not audit their own department: choose another "
            "auditor or take the department out of this auditor's part of the scope."
        )
