"""Users, passwords, sign-in, sessions and throttling, against a real DuckDB file.

Every test works on its own copy of a database holding the demo company: its org units and
one account per role, all with the same generated password. Throttling is tested by counts
(Settings), never by waiting.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from auth import audit_service, service
from auth.model import AuditEntry, Principal, Role, User
from auth.passwords import hash_password, policy_problems, verify_password
from auth.secret import load_or_create_secret
from auth.service import SessionGrant, SignInRefused
from core.errors import Conflict, NotFound, ValidationFailed
from core.settings import Settings
from storage.db import Database
from storage.migrate import open_database
from tests.conftest import OPERATOR
from tests.unit.conftest import Company

CLIENT = "192.0.2.10"
OTHER_CLIENT = "198.51.100.20"
NEW_PASSWORD = "plenty long passphrase 7"
WRONG_PASSWORD = "not-the-password-at-all"
LOCK_MESSAGE = "Too many failed sign-ins"
TABLES = ("users", "sessions", "login_attempts", "audit_log")


@dataclass
class Site:
    """The database, settings and signing key a running Kansa would use, plus the demo accounts."""

    db: Database
    settings: Settings
    secret: str
    password: str  # of every demo account
    users: dict[str, str]  # role -> username

    def sign_in(
        self,
        username: str,
        password: str | None = None,
        *,
        client: str = CLIENT,
        settings: Settings | None = None,
    ) -> SessionGrant:
        return service.sign_in(
            self.db,
            settings or self.settings,
            self.secret,
            username=username,
            password=self.password if password is None else password,
            client=client,
        )

    def refused(
        self,
        username: str,
        password: str,
        *,
        client: str = CLIENT,
        settings: Settings | None = None,
    ) -> str:
        """Sign in expecting a refusal; return the message the person would see."""
        with pytest.raises(SignInRefused) as caught:
            self.sign_in(username, password, client=client, settings=settings)
        return str(caught.value)

    def resolve(self, token: str | None, *, secret: str | None = None) -> Principal | None:
        return service.resolve_session(
            self.db, self.settings, secret or self.secret, token, client=CLIENT
        )

    def user(self, username: str) -> User:
        (found,) = [u for u in service.list_users(self.db, OPERATOR) if u.username == username]
        return found

    def entries(self, action: str) -> list[AuditEntry]:
        """Audit entries of one action, oldest first."""
        found = audit_service.list_entries(self.db, OPERATOR, limit=100_000)
        return [e for e in reversed(found) if e.action == action]

    def attempts(self) -> list[tuple[str, str, bool]]:
        with self.db.cursor() as cur:
            rows = cur.execute(
                'SELECT username, client, success FROM login_attempts ORDER BY "at"'
            ).fetchall()
        return [(str(u), str(c), bool(s)) for u, c, s in rows]

    def counts(self) -> dict[str, int]:
        with self.db.cursor() as cur:
            return {
                t: int(cur.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0])  # noqa: S608
                for t in TABLES
            }

    def stored_text(self) -> str:
        """Everything the auth tables hold, as one text to search."""
        with self.db.cursor() as cur:
            dumps = [
                cur.execute(f"SELECT CAST(COLUMNS(*) AS VARCHAR) FROM {t}").fetchall()  # noqa: S608
                for t in TABLES
            ]
        return repr(dumps)


@pytest.fixture
def site(company: Company) -> Iterator[Site]:
    settings = Settings(data_dir=company.data_dir)
    secret = load_or_create_secret(settings.secret_path)
    db = open_database(settings.db_path)
    yield Site(db, settings, secret, company.password, company.users)
    db.close()


def after(entry: AuditEntry) -> dict[str, object]:
    assert entry.after is not None
    value = json.loads(entry.after)
    assert isinstance(value, dict)
    return value


# --- passwords --------------------------------------------------------------------------------


def test_a_password_needs_twelve_characters() -> None:
    (problem,) = policy_problems("k.sato", "x" * 11)
    assert "12 characters" in problem
    assert policy_problems("k.sato", "x" * 12) == []


@pytest.mark.parametrize(
    "password", ["kenji.tanaka", "Kenji.Tanaka", "KENJI.TANAKA", " kenji.tanaka "]
)
def test_a_password_may_not_be_the_username_in_any_case(password: str) -> None:
    (problem,) = policy_problems("kenji.tanaka", password)
    assert "username" in problem


def test_a_password_may_contain_the_username() -> None:
    assert policy_problems("kenji.tanaka", "kenji.tanaka-2026") == []


def test_passwords_are_hashed_with_argon2id() -> None:
    stored = hash_password(NEW_PASSWORD)

    assert stored.startswith("$argon2id$")
    assert NEW_PASSWORD not in stored
    assert verify_password(stored, NEW_PASSWORD)
    assert not verify_password(stored, NEW_PASSWORD + "!")
    assert not verify_password(None, NEW_PASSWORD)  # no such user: a dummy hash, never True
    assert not verify_password("not an argon2 hash", NEW_PASSWORD)


# --- creating users ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "problem"),
    [("short pw", "12 characters"), ("K.Sato.Admin", "username")],
    ids=["too-short", "the-username"],
)
def test_create_user_refuses_a_weak_password_and_writes_nothing(
    site: Site, password: str, problem: str
) -> None:
    before = site.counts()

    with pytest.raises(ValidationFailed) as caught:
        service.create_user(
            site.db,
            OPERATOR,
            username="k.sato.admin",
            display_name="Sato",
            role=Role.ADMIN,
            password=password,
        )

    (issue,) = caught.value.issues
    assert issue.field == "password"
    assert problem in issue.message
    assert site.counts() == before


def test_a_generated_password_is_returned_once_and_never_stored(site: Site) -> None:
    created = service.create_user(
        site.db,
        OPERATOR,
        username="k.sato",
        display_name="佐藤 健",
        role=Role.AUDITOR,
        org_unit_code="IAD",
    )

    assert created.password is not None
    assert policy_problems("k.sato", created.password) == []
    assert created.user == site.user("k.sato")
    assert (created.user.role, created.user.org_unit_code, created.user.active) == (
        Role.AUDITOR,
        "IAD",
        True,
    )
    assert site.sign_in("k.sato", created.password).user.id == created.user.id
    assert created.password not in site.stored_text()
    (entry,) = [e for e in site.entries("user.create") if e.entity_id == created.user.id]
    assert entry.actor == OPERATOR.username
    assert after(entry)["username"] == "k.sato"
    assert "argon2" not in (entry.after or "")


def test_a_given_password_is_not_returned(site: Site) -> None:
    created = service.create_user(
        site.db,
        OPERATOR,
        username="k.sato",
        display_name="",
        role="executive",
        password=NEW_PASSWORD,
    )

    assert created.password is None
    assert created.user.display_name == "k.sato"  # an empty display name falls back
    assert created.user.role is Role.EXECUTIVE
    assert NEW_PASSWORD not in site.stored_text()


@pytest.mark.parametrize(
    "username",
    [
        "x'; DROP TABLE users;--",
        "<script>",
        "<script>alert(1)</script>",
        "ab",
        "two words",
        "-dash-first",
        "佐藤",
        "a" * 65,
    ],
)
def test_create_user_refuses_a_bad_username_and_writes_nothing(site: Site, username: str) -> None:
    before = site.counts()

    with pytest.raises(ValidationFailed) as caught:
        service.create_user(
            site.db,
            OPERATOR,
            username=username,
            display_name="x",
            role=Role.AUDITEE,
            password=NEW_PASSWORD,
        )

    assert [i.field for i in caught.value.issues] == ["username"]
    assert site.counts() == before
    assert site.user(site.users["admin"]).active  # the users table is still there


@pytest.mark.parametrize(
    ("change", "field"),
    [({"role": "root"}, "role"), ({"role": Role.AUDITEE, "org_unit_code": "NOPE"}, "org_unit")],
    ids=["unknown-role", "unknown-unit"],
)
def test_create_user_refuses_an_unknown_role_or_unit(
    site: Site, change: dict[str, str], field: str
) -> None:
    before = site.counts()
    arguments: dict[str, str] = {"role": Role.AUDITEE, **change}

    with pytest.raises(ValidationFailed) as caught:
        service.create_user(
            site.db,
            OPERATOR,
            username="k.sato",
            display_name="x",
            password=NEW_PASSWORD,
            **arguments,
        )

    assert [i.field for i in caught.value.issues] == [field]
    assert site.counts() == before


@pytest.mark.parametrize("spelling", ["{}", " {upper} "])
def test_a_duplicate_username_is_a_conflict(site: Site, spelling: str) -> None:
    auditor = site.users["auditor"]
    original = site.user(auditor)
    before = site.counts()

    with pytest.raises(Conflict, match=re.escape(auditor)):
        service.create_user(
            site.db,
            OPERATOR,
            username=spelling.format(auditor, upper=auditor.upper()),
            display_name="x",
            role=Role.ADMIN,
            password=NEW_PASSWORD,
        )

    assert site.counts() == before
    assert site.user(auditor) == original


# --- signing in -------------------------------------------------------------------------------


def test_sign_in_opens_a_session_for_the_right_person(site: Site) -> None:
    auditor = site.users["auditor"]
    account = site.user(auditor)

    grant = site.sign_in(f"  {auditor.upper()} ")

    assert grant.user == account
    assert grant.max_age_seconds == 8 * 3600
    assert site.resolve(grant.token) == Principal(
        username=auditor,
        role=Role.AUDITOR,
        org_unit_code=account.org_unit_code,
        user_id=account.id,
        display_name=account.display_name,
    )
    (entry,) = site.entries("auth.sign_in")
    assert (entry.actor, entry.entity_id, after(entry)) == (auditor, account.id, {"client": CLIENT})
    assert site.attempts() == [(auditor, CLIENT, True)]
    assert site.counts()["sessions"] == 1


def test_each_sign_in_is_its_own_session(site: Site) -> None:
    auditor = site.users["auditor"]
    first = site.sign_in(auditor)
    second = site.sign_in(auditor)

    service.sign_out(site.db, site.settings, site.secret, first.token)

    assert first.token != second.token
    assert site.resolve(first.token) is None
    principal = site.resolve(second.token)
    assert principal is not None
    assert principal.username == auditor
    (entry,) = site.entries("auth.sign_out")
    # signing out again, or with no or a foreign token, changes nothing
    service.sign_out(site.db, site.settings, site.secret, first.token)
    service.sign_out(site.db, site.settings, site.secret, None)
    service.sign_out(site.db, site.settings, site.secret, "not-a-token")
    assert site.entries("auth.sign_out") == [entry]
    assert site.resolve(second.token) == principal


def test_every_refusal_looks_the_same_and_is_recorded(site: Site) -> None:
    """A wrong password, an unknown name and a deactivated account are indistinguishable.

    The unknown name is checked against a dummy hash too. Without timing assertions, this pins
    what can be compared exactly: the message shown and what the trail records.
    """
    auditor, supervisor = site.users["auditor"], site.users["supervisor"]
    service.deactivate_user(site.db, OPERATOR, username=supervisor)
    tried = [
        (auditor, WRONG_PASSWORD),  # wrong password
        ("nobody.here", site.password),  # unknown user
        (supervisor, site.password),  # deactivated user, right password
    ]

    messages = [site.refused(username, password) for username, password in tried]

    assert messages == [service.REFUSED] * 3
    assert not any(username in service.REFUSED for username, _ in tried)
    entries = site.entries("auth.sign_in_failed")
    assert [e.entity_id for e in entries] == [username for username, _ in tried]
    assert {(e.actor, e.entity, e.before, e.after) for e in entries} == {
        ("anonymous", "user", None, json.dumps({"client": CLIENT}, separators=(",", ":")))
    }
    assert site.attempts() == [(username, CLIENT, False) for username, _ in tried]
    assert site.counts()["sessions"] == 0
    assert site.entries("auth.sign_in") == []
    # no password, right or wrong, is kept in clear
    assert WRONG_PASSWORD not in site.stored_text()
    assert site.password not in site.stored_text()


# --- session tokens ---------------------------------------------------------------------------


def signed_in(site: Site, role: str = "auditor") -> SessionGrant:
    """A fresh session, checked to be good before a test spoils it."""
    grant = site.sign_in(site.users[role])
    assert site.resolve(grant.token) is not None
    return grant


def rejection_reasons(site: Site) -> list[object]:
    return [after(e)["reason"] for e in site.entries("auth.session_rejected")]


def test_no_token_is_no_session(site: Site) -> None:
    before = site.counts()

    assert site.resolve(None) is None
    assert site.resolve("") is None

    assert site.counts() == before


def test_a_token_signed_with_another_secret_is_rejected(site: Site) -> None:
    grant = signed_in(site)

    assert site.resolve(grant.token, secret=secrets.token_hex(32)) is None

    (entry,) = site.entries("auth.session_rejected")
    assert entry.actor == "anonymous"
    assert after(entry)["client"] == CLIENT
    assert after(entry)["reason"] in {"BadSignature", "BadTimeSignature"}  # itsdangerous names


def flip(text: str, index: int) -> str:
    """``text`` with the character at ``index`` replaced by another base64url character."""
    return text[:index] + ("A" if text[index] != "A" else "B") + text[index + 1 :]


TAMPERED: dict[str, Callable[[str], str]] = {
    "payload": lambda token: flip(token, 0),
    "timestamp": lambda token: flip(token, token.index(".") + 1),
    "signature": lambda token: flip(token, token.rindex(".") + 1),
    "unsigned": lambda token: token.rsplit(".", 1)[0],
    "garbage": lambda token: "not-a-token",
}


def test_a_tampered_token_is_rejected_and_recorded(site: Site) -> None:
    grant = signed_in(site)

    for case, tamper in TAMPERED.items():
        bad = tamper(grant.token)
        assert bad != grant.token
        assert site.resolve(bad) is None, case

    assert len(rejection_reasons(site)) == len(TAMPERED)
    assert site.resolve(grant.token) is not None  # the real token still works


class _Signed9HoursAgo(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - 9 * 3600


def test_a_token_older_than_the_session_lifetime_is_rejected(site: Site) -> None:
    """Re-sign a live session's id with a timestamp 9 hours old (the lifetime is 8)."""
    grant = signed_in(site)
    salt = "kansa.session"
    session_id = URLSafeTimedSerializer(site.secret, salt).loads(grant.token)
    fresh = URLSafeTimedSerializer(site.secret, salt).dumps(session_id)
    old = URLSafeTimedSerializer(site.secret, salt, signer=_Signed9HoursAgo).dumps(session_id)
    assert site.resolve(fresh) is not None  # the re-signing is right: only the age differs

    assert site.resolve(old) is None

    assert rejection_reasons(site) == ["SignatureExpired"]


def test_an_expired_session_is_rejected_even_with_a_valid_signature(site: Site) -> None:
    """The session row's own expiry is enforced, whatever the cookie's signature says."""
    short = replace(site.settings, session_hours=1e-9)  # expires as soon as it is made
    grant = site.sign_in(site.users["auditor"], settings=short)

    assert grant.max_age_seconds == 0
    assert site.resolve(grant.token) is None  # resolved with the normal 8-hour max age
    assert rejection_reasons(site) == []


def test_a_token_of_a_deactivated_user_is_rejected_even_after_reactivation(site: Site) -> None:
    grant = signed_in(site)
    auditor = site.users["auditor"]

    service.deactivate_user(site.db, OPERATOR, username=auditor)
    assert site.resolve(grant.token) is None

    service.reactivate_user(site.db, OPERATOR, username=auditor)
    assert site.resolve(grant.token) is None  # the session was ended, not just hidden
    assert site.resolve(site.sign_in(auditor).token) is not None


def test_a_password_reset_ends_sessions_and_the_old_password(site: Site) -> None:
    grant = signed_in(site)
    auditor = site.users["auditor"]

    new_password = service.reset_password(site.db, OPERATOR, username=auditor)

    assert site.resolve(grant.token) is None
    assert site.refused(auditor, site.password) == service.REFUSED
    assert site.sign_in(auditor, new_password).user.username == auditor
    assert new_password not in site.stored_text()
    (entry,) = site.entries("user.reset_password")
    assert "argon2" not in (entry.before or "") + (entry.after or "")


def test_single_sign_on_maps_an_email_to_an_active_account(site: Site) -> None:
    email = "k.sato@tsubakiya.example"
    created = service.create_user(
        site.db, OPERATOR, username=email, display_name="佐藤 健", role=Role.AUDITEE
    )

    found = service.resolve_sso_user(site.db, " K.Sato@Tsubakiya.example ")

    assert found is not None
    assert (found.username, found.role, found.user_id) == (email, Role.AUDITEE, created.user.id)
    assert service.resolve_sso_user(site.db, "someone@tsubakiya.example") is None
    assert service.resolve_sso_user(site.db, None) is None
    assert service.resolve_sso_user(site.db, "") is None
    service.deactivate_user(site.db, OPERATOR, username=email)
    assert service.resolve_sso_user(site.db, email) is None


# --- throttling -------------------------------------------------------------------------------


def test_five_failures_lock_the_username_even_for_the_right_password(site: Site) -> None:
    auditor = site.users["auditor"]
    for _ in range(5):
        assert site.refused(auditor, WRONG_PASSWORD) == service.REFUSED

    sixth = site.refused(auditor, site.password)

    assert LOCK_MESSAGE in sixth
    assert sixth != service.REFUSED
    assert LOCK_MESSAGE in site.refused(auditor, site.password, client=OTHER_CLIENT)
    (first_lock, _) = site.entries("auth.sign_in_locked")
    assert (first_lock.entity_id, after(first_lock)) == (auditor, {"client": CLIENT})
    assert site.counts()["sessions"] == 0
    # another person at the same address is not locked out with them
    assert site.sign_in(site.users["supervisor"]).user.role is Role.SUPERVISOR


def test_the_lock_starts_at_the_limit_not_before(site: Site) -> None:
    settings = replace(site.settings, lockout_user_failures=2)
    auditor = site.users["auditor"]

    site.refused(auditor, WRONG_PASSWORD, settings=settings)
    assert site.sign_in(auditor, settings=settings).user.username == auditor  # 1 < 2
    site.refused(auditor, WRONG_PASSWORD, settings=settings)

    assert LOCK_MESSAGE in site.refused(auditor, site.password, settings=settings)


def test_an_unknown_name_is_locked_with_the_same_message(site: Site) -> None:
    """The lock does not reveal which names exist either."""
    settings = replace(site.settings, lockout_user_failures=1)
    site.refused(site.users["auditor"], WRONG_PASSWORD, settings=settings)
    site.refused("nobody.here", WRONG_PASSWORD, settings=settings)

    known = site.refused(site.users["auditor"], site.password, settings=settings)
    unknown = site.refused("nobody.here", site.password, settings=settings)

    assert LOCK_MESSAGE in known
    assert known == unknown


def test_failures_across_usernames_lock_the_client(site: Site) -> None:
    settings = replace(site.settings, lockout_client_failures=3)
    for n in range(3):
        message = site.refused(f"guess{n}", WRONG_PASSWORD, settings=settings)
        assert message == service.REFUSED  # no single name reached its own limit

    locked = site.refused(site.users["auditor"], site.password, settings=settings)

    assert LOCK_MESSAGE in locked
    other = site.sign_in(site.users["supervisor"], client=OTHER_CLIENT, settings=settings)
    assert other.user.role is Role.SUPERVISOR
    # the lock was on the address, not on the person who tried from it
    assert site.sign_in(site.users["auditor"], client=OTHER_CLIENT, settings=settings)


# --- changing users ---------------------------------------------------------------------------


def test_change_user_sets_role_and_unit_and_records_both_states(site: Site) -> None:
    auditor = site.users["auditor"]
    old = site.user(auditor)

    new = service.change_user(
        site.db,
        OPERATOR,
        username=auditor,
        expected_version=old.version,
        role=Role.SUPERVISOR,
        org_unit_code="PRV",
    )

    assert (new.role, new.org_unit_code, new.version) == (Role.SUPERVISOR, "PRV", old.version + 1)
    assert site.user(auditor) == new
    (entry,) = site.entries("user.change")
    assert entry.before is not None
    assert json.loads(entry.before)["role"] == "auditor"
    assert (after(entry)["role"], after(entry)["org_unit_code"]) == ("supervisor", "PRV")
    cleared = service.change_user(
        site.db, OPERATOR, username=auditor, expected_version=new.version, org_unit_code=""
    )
    assert (cleared.role, cleared.org_unit_code) == (Role.SUPERVISOR, None)


def test_a_role_change_applies_to_a_running_session_at_once(site: Site) -> None:
    grant = signed_in(site, "auditor")
    auditor = site.users["auditor"]

    service.change_user(
        site.db,
        OPERATOR,
        username=auditor,
        expected_version=site.user(auditor).version,
        role=Role.EXECUTIVE,
    )

    principal = site.resolve(grant.token)
    assert principal is not None
    assert principal.role is Role.EXECUTIVE


def test_a_stale_edit_is_refused_showing_the_current_state(site: Site) -> None:
    auditor = site.users["auditor"]
    seen = site.user(auditor)  # two admins open the same user
    theirs = service.change_user(
        site.db, OPERATOR, username=auditor, expected_version=seen.version, role=Role.SUPERVISOR
    )
    before = site.counts()

    with pytest.raises(Conflict) as caught:
        service.change_user(
            site.db, OPERATOR, username=auditor, expected_version=seen.version, role=Role.EXECUTIVE
        )

    message = str(caught.value)
    assert f"version {theirs.version}" in message
    assert "role supervisor" in message
    assert f"unit {theirs.org_unit_code}" in message
    assert "active" in message
    assert site.user(auditor) == theirs
    assert site.counts() == before


def test_a_stale_deactivation_is_refused(site: Site) -> None:
    auditor = site.users["auditor"]
    seen = site.user(auditor)
    service.change_user(
        site.db, OPERATOR, username=auditor, expected_version=seen.version, org_unit_code="MGT"
    )

    with pytest.raises(Conflict):
        service.deactivate_user(site.db, OPERATOR, username=auditor, expected_version=seen.version)

    assert site.user(auditor).active


def test_change_user_refuses_an_unknown_role(site: Site) -> None:
    """Like create_user: a ValidationFailed the UI and CLI can show, not a bare ValueError."""
    auditor = site.users["auditor"]
    seen = site.user(auditor)

    with pytest.raises(ValidationFailed):
        service.change_user(
            site.db, OPERATOR, username=auditor, expected_version=seen.version, role="root"
        )

    assert site.user(auditor) == seen


def test_change_user_refuses_an_unknown_unit(site: Site) -> None:
    auditor = site.users["auditor"]
    seen = site.user(auditor)

    with pytest.raises(ValidationFailed) as caught:
        service.change_user(
            site.db, OPERATOR, username=auditor, expected_version=seen.version, org_unit_code="NOPE"
        )

    assert [i.field for i in caught.value.issues] == ["org_unit"]
    assert site.user(auditor) == seen


def test_changing_an_unknown_user_is_not_found(site: Site) -> None:
    with pytest.raises(NotFound):
        service.deactivate_user(site.db, OPERATOR, username="nobody.here")


def test_deactivation_ends_every_session_of_that_user(site: Site) -> None:
    first = signed_in(site, "auditor")
    second = signed_in(site, "auditor")
    bystander = signed_in(site, "supervisor")

    service.deactivate_user(site.db, OPERATOR, username=site.users["auditor"])

    assert site.resolve(first.token) is None
    assert site.resolve(second.token) is None
    assert site.resolve(bystander.token) is not None
    with site.db.cursor() as cur:
        open_sessions = cur.execute(
            "SELECT count(*) FROM sessions WHERE ended_at IS NULL AND user_id = CAST(? AS UUID)",
            [first.user.id],
        ).fetchall()
    assert open_sessions == [(0,)]
    (entry,) = site.entries("user.deactivate")
    assert entry.before is not None
    assert (json.loads(entry.before)["active"], after(entry)["active"]) == (True, False)


def test_an_admin_cannot_deactivate_or_demote_themselves(site: Site) -> None:
    admin = site.users["admin"]
    me = site.resolve(site.sign_in(admin).token)
    assert me is not None
    assert me.role is Role.ADMIN
    before = site.user(admin)

    with pytest.raises(Conflict, match="your own account"):
        service.deactivate_user(site.db, me, username=admin)
    with pytest.raises(Conflict, match="admin role from yourself"):
        service.change_user(
            site.db, me, username=admin, expected_version=before.version, role=Role.AUDITOR
        )

    assert site.user(admin) == before
    assert site.resolve(site.sign_in(admin).token) == me
    # the same admin may deactivate someone else
    assert not service.deactivate_user(site.db, me, username=site.users["auditor"]).active
