"""Who sees which page: every (role x page) pair, signed-out visitors, forged sessions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from storage.migrate import open_shared
from tests.conftest import ROOT, DemoData
from ui.i18n import strings
from ui.navigation import PAGES

ROLES = ("admin", "auditor", "supervisor", "auditee", "executive")
# The spec: which roles may open which page. A page missing here fails the test below.
EXPECTED: dict[str, set[str]] = {
    "pages/home.py": set(ROLES),
    "pages/catalogue.py": set(ROLES),
    "pages/users.py": {"admin"},
    "pages/audit_trail.py": {"admin", "auditor"},
    "pages/assessments.py": set(ROLES),
    "pages/workspace.py": set(ROLES),
    "pages/review.py": {"admin", "auditor"},
    "pages/scores.py": set(ROLES),
    "pages/evidence.py": set(ROLES),
    "pages/findings.py": set(ROLES),
    "pages/my_actions.py": {"admin", "auditor", "supervisor", "auditee"},
    "pages/reports.py": {"admin", "auditor", "supervisor", "executive"},
    "pages/crosswalk.py": set(ROLES),
    "pages/backup.py": {"admin"},
    "pages/contractors.py": {"admin", "auditor", "supervisor", "executive"},
    "pages/countries.py": {"admin", "auditor", "supervisor", "executive"},
    "pages/overview.py": {"admin", "auditor", "executive"},
    "pages/trend.py": {"admin", "auditor", "executive"},
    "pages/progress.py": {"admin", "auditor"},
}


def test_every_page_file_is_registered_and_specified() -> None:
    files = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert files == {spec.path for spec in PAGES}
    assert files == set(EXPECTED)


def _not_permitted(at: AppTest) -> bool:
    marker = strings("en")["auth.not_permitted"].split(":")[0]
    return any(marker in e.value for e in at.error)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_role_page_access(make_app: Callable[..., AppTest], role: str, page: str) -> None:
    at = make_app("en", role)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    allowed = role in EXPECTED[page]
    assert _not_permitted(at) is (not allowed), f"{role} on {page}"
    if allowed:
        assert at.title, "an allowed page renders its title"


def _signed_out(at: AppTest) -> bool:
    link = strings("en")["auth.sign_in"]
    return any("/auth/login" in m.value and link in m.value for m in at.markdown)


# AppTest's switch_page runs the page file itself (not through app.py), so these tests also
# prove each page's own check: a page opened without app.py still refuses a visitor.


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_signed_out_visitor_sees_only_the_sign_in_prompt(
    make_app: Callable[..., AppTest], page: str
) -> None:
    at = make_app("en", role=None)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception
    assert _signed_out(at)
    assert len(at.dataframe) == 0
    assert [t.value for t in at.title] in ([], [strings("en")["app.title"]])
    assert not at.button  # nothing to act on


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "",
        "eyJhbGciOiJIUzI1NiJ9.e30.forged",
        "InNpZCI.ZzZzZw.AAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ],
)
def test_forged_session_is_refused_and_logged(
    make_app: Callable[..., AppTest], demo_data: DemoData, token: str
) -> None:
    with open_shared(demo_data.db_path).cursor() as cur:
        before = cur.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'auth.session_rejected'"
        ).fetchall()[0][0]
    at = make_app("en", token=token)
    at.run()
    assert not at.exception
    assert _signed_out(at)
    with open_shared(demo_data.db_path).cursor() as cur:
        after = cur.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'auth.session_rejected'"
        ).fetchall()[0][0]
    assert after == before + (1 if token else 0)


def test_signed_in_user_is_named_in_the_sidebar(make_app: Callable[..., AppTest]) -> None:
    at = make_app("ja", "executive")
    at.run()
    role = strings("ja")["role.executive"]
    assert any(role in c.value for c in at.sidebar.caption)
