"""PrivacyMark independence: an auditor may not audit their own department."""

from __future__ import annotations

import pytest

from auth.model import Principal, Role
from auth.permissions import assert_independent
from core.errors import Conflict

AUDITOR = Principal("a.miyoshi", Role.AUDITOR, org_unit_code="IAD", display_name="三好 彩")


def test_auditor_may_audit_other_departments() -> None:
    assert_independent(AUDITOR, ["CSC", "SLS"])


def test_auditor_may_not_audit_own_department() -> None:
    with pytest.raises(Conflict, match=r"三好 彩 belongs to IAD.*may not audit their own"):
        assert_independent(AUDITOR, ["CSC", "IAD"])


def test_auditor_without_department_is_independent_of_any_scope() -> None:
    assert_independent(Principal("ext.auditor", Role.AUDITOR), ["IAD", "CSC"])
