"""User administration, sign-in and sessions."""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import asdict, dataclass

from itsdangerous import BadData, URLSafeTimedSerializer

from auth import repository
from auth.model import NewUser, Permission, Principal, Role, User
from auth.passwords import generate_password, hash_password, policy_problems, verify_password
from auth.permissions import public, requires
from core.errors import Conflict, Issue, KansaError, NotFound, ValidationFailed
from core.settings import Settings
from org import repository as org_repository
from storage.db import Cursor, Database

log = logging.getLogger("kansa.auth")

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,63}$")
ANONYMOUS = "anonymous"


class SignInRefused(KansaError):
    """Sign-in failed. The message never says whether the user or the password was wrong."""


@dataclass(frozen=True, slots=True)
class SessionGrant:
    token: str
    user: User
    max_age_seconds: int


def _public_view(user: User) -> dict[str, object]:
    """What the audit trail records of a user (never a password hash)."""
    view = asdict(user)
    view["role"] = user.role.value
    return view


def _issue(field: str, message: str) -> ValidationFailed:
    return ValidationFailed([Issue("user", 0, field, message)])


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="kansa.session")


# --- administration ------------------------------------------------------------------------


@requires(Permission.USER_READ)
def list_users(db: Database, actor: Principal) -> list[User]:
    with db.cursor() as cur:
        return repository.list_users(cur)


@requires(Permission.USER_ADMIN)
def create_user(
    db: Database,
    actor: Principal,
    *,
    username: str,
    display_name: str,
    role: Role | str,
    org_unit_code: str | None = None,
    password: str | None = None,
) -> NewUser:
    """Add a user; without ``password`` one is generated and returned to be shown once."""
    username = username.strip().lower()
    if not USERNAME.fullmatch(username):
        raise _issue(
            "username",
            "use 3-64 characters: lower-case letters, digits and . _ @ - "
            "(starting with a letter or digit)",
        )
    try:
        role = Role(role)
    except ValueError:
        raise _issue("role", f"unknown role {role!r}") from None
    display_name = display_name.strip()[:200] or username
    generated = password is None
    password = generate_password() if password is None else password
    problems = policy_problems(username, password)
    if problems:
        raise _issue("password", "; ".join(problems))
    hashed = hash_password(password)
    with db.transaction() as cur:
        if org_unit_code and org_unit_code not in {u.code for u in org_repository.list_units(cur)}:
            raise _issue("org_unit", f"unknown org unit {org_unit_code!r}")
        if repository.find_user(cur, username):
            raise Conflict(f"A user named {username} already exists.")
        user = repository.insert_user(
            cur,
            username=username,
            display_name=display_name,
            role=role,
            org_unit_code=org_unit_code or None,
            password_hash=hashed,
        )
        repository.append_audit(
            cur,
            actor=actor.username,
            action="user.create",
            entity="user",
            entity_id=user.id,
            after=_public_view(user),
        )
    return NewUser(user, password if generated else None)


def _load(cur: Cursor, username: str) -> User:
    user = repository.find_user(cur, username)
    if user is None:
        raise NotFound(f"No user named {username}.")
    return user


def _save(
    db: Database,
    actor: Principal,
    username: str,
    expected_version: int | None,
    action: str,
    *,
    end_sessions: bool = False,
    **changes: object,
) -> User:
    with db.transaction() as cur:
        before = _load(cur, username)
        version = before.version if expected_version is None else expected_version
        after = repository.update_user(cur, before.id, version, **changes)  # type: ignore[arg-type]
        if after is None:
            raise Conflict(
                f"{username} was changed by someone else meanwhile (now version {before.version}: "
                f"role {before.role.value}, unit {before.org_unit_code or '-'}, "
                f"{'active' if before.active else 'deactivated'}). Nothing was saved; reload "
                "and decide again."
            )
        if end_sessions:
            repository.end_user_sessions(cur, before.id)
        repository.append_audit(
            cur,
            actor=actor.username,
            action=action,
            entity="user",
            entity_id=before.id,
            before=_public_view(before),
            after=_public_view(after),
        )
    return after


@requires(Permission.USER_ADMIN)
def change_user(
    db: Database,
    actor: Principal,
    *,
    username: str,
    expected_version: int,
    role: Role | str | None = None,
    org_unit_code: str | None = None,
) -> User:
    """Set a user's role and/or org unit ('' clears the unit); refuses a stale edit."""
    try:
        new_role = None if role is None else Role(role)
    except ValueError:
        raise _issue("role", f"unknown role {role!r}") from None
    if org_unit_code:
        with db.cursor() as cur:
            if org_unit_code not in {u.code for u in org_repository.list_units(cur)}:
                raise _issue("org_unit", f"unknown org unit {org_unit_code!r}")
    if username == actor.username and new_role not in (None, Role.ADMIN):
        raise Conflict("You cannot take the admin role from yourself; ask another admin.")
    return _save(
        db,
        actor,
        username,
        expected_version,
        "user.change",
        role=new_role,
        org_unit_code=org_unit_code,
    )


@requires(Permission.USER_ADMIN)
def deactivate_user(
    db: Database, actor: Principal, *, username: str, expected_version: int | None = None
) -> User:
    """Stop a user signing in and end their sessions now; the account stays for the trail."""
    if username == actor.username:
        raise Conflict("You cannot deactivate your own account.")
    return _save(
        db, actor, username, expected_version, "user.deactivate", end_sessions=True, active=False
    )


@requires(Permission.USER_ADMIN)
def reactivate_user(
    db: Database, actor: Principal, *, username: str, expected_version: int | None = None
) -> User:
    return _save(db, actor, username, expected_version, "user.reactivate", active=True)


@requires(Permission.USER_ADMIN)
def reset_password(
    db: Database, actor: Principal, *, username: str, expected_version: int | None = None
) -> str:
    """Give a user a new generated password (returned to be shown once); ends their sessions."""
    password = generate_password()
    _save(
        db,
        actor,
        username,
        expected_version,
        "user.reset_password",
        end_sessions=True,
        password_hash=hash_password(password),
    )
    return password


# --- sign-in -------------------------------------------------------------------------------

REFUSED = "Sign-in failed: the username or password is not correct, or the account is not active."
LOCKED = "Too many failed sign-ins. Try again in {minutes} minutes."


@public
def sign_in(
    db: Database, settings: Settings, secret: str, *, username: str, password: str, client: str
) -> SessionGrant:
    """Check a password and open a session; every failure looks the same to the caller."""
    name = username.strip().lower()[:64]
    client = (client or "unknown")[:64]
    with db.cursor() as cur:
        user_failures, client_failures = repository.recent_failures(
            cur, name, client, settings.lockout_minutes
        )
        found = repository.password_hash(cur, name)
    if (
        user_failures >= settings.lockout_user_failures
        or client_failures >= settings.lockout_client_failures
    ):
        with db.transaction() as cur:
            repository.record_attempt(cur, name, client, success=False)
            repository.append_audit(
                cur,
                actor=ANONYMOUS,
                action="auth.sign_in_locked",
                entity="user",
                entity_id=name,
                after={"client": client},
            )
        log.warning("sign-in locked for %r from %s", name, client)
        raise SignInRefused(LOCKED.format(minutes=settings.lockout_minutes))
    # Hash outside any transaction: ~145 ms that must not hold the write lock.
    user, stored = found if found else (None, None)
    ok = verify_password(stored, password[:1024]) and user is not None and user.active
    session_id = secrets.token_urlsafe(24)
    with db.transaction() as cur:
        repository.record_attempt(cur, name, client, success=ok)
        if ok and user is not None:
            repository.insert_session(cur, session_id, user.id, settings.session_hours, client)
            repository.append_audit(
                cur,
                actor=user.username,
                action="auth.sign_in",
                entity="session",
                entity_id=user.id,
                after={"client": client},
            )
        else:
            repository.append_audit(
                cur,
                actor=ANONYMOUS,
                action="auth.sign_in_failed",
                entity="user",
                entity_id=name,
                after={"client": client},
            )
    if not ok or user is None:
        log.warning("failed sign-in for %r from %s", name, client)
        raise SignInRefused(REFUSED)
    token = _serializer(secret).dumps(session_id)
    return SessionGrant(token, user, int(settings.session_hours * 3600))


@public
def resolve_session(
    db: Database, settings: Settings, secret: str, token: str | None, *, client: str = ""
) -> Principal | None:
    """The signed-in principal of a session token, or None (logged when the token is bad)."""
    if not token:
        return None
    try:
        session_id = _serializer(secret).loads(token, max_age=int(settings.session_hours * 3600))
    except BadData as exc:
        reason = type(exc).__name__
        with db.transaction() as cur:
            repository.append_audit(
                cur,
                actor=ANONYMOUS,
                action="auth.session_rejected",
                entity="session",
                after={"reason": reason, "client": client[:64]},
            )
        log.warning("rejected session token (%s) from %s", reason, client)
        return None
    with db.cursor() as cur:
        user = repository.session_user(cur, str(session_id))
    if user is None:
        return None
    return Principal.of(user)


@public
def resolve_sso_user(db: Database, email: str | None) -> Principal | None:
    """The active Kansa user whose username is the identity provider's e-mail address.

    Single sign-on proves who someone is; Kansa still decides what they may do, so an e-mail
    that no administrator has added (or has deactivated) gets no access.
    """
    if not email:
        return None
    with db.cursor() as cur:
        user = repository.find_user(cur, email.strip().lower()[:64])
    if user is None or not user.active:
        return None
    return Principal.of(user)


@public
def sign_out(db: Database, settings: Settings, secret: str, token: str | None) -> None:
    """End the session behind ``token`` (a bad or unknown token changes nothing)."""
    if not token:
        return
    try:
        session_id = _serializer(secret).loads(token, max_age=int(settings.session_hours * 3600))
    except BadData:
        return
    with db.transaction() as cur:
        if repository.end_session(cur, str(session_id)):
            repository.append_audit(
                cur,
                actor="session",
                action="auth.sign_out",
                entity="session",
                entity_id=str(session_id)[:8],
            )
