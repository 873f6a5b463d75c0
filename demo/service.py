"""Load the demo company: org units, people, and one sign-in account per role."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from assessments import repository as assessment_repository
from auth import repository as auth_repository
from auth.model import Permission, Principal, Role
from auth.passwords import generate_password, hash_password
from auth.permissions import public, requires
from core.errors import Conflict
from demo import scale
from demo.assessments import load_history
from demo.company import DEMO_USERS, DOMAIN, PEOPLE, UNITS
from demo.contractors import load_contractors
from demo.evidence import load_evidence
from demo.findings import load_findings
from evidence.store import EvidenceStore
from org import repository
from storage.db import Database

DEMO_NAME = "company"


@dataclass(frozen=True, slots=True)
class DemoSummary:
    org_units: int
    people: int
    users: list[tuple[str, str]]  # (username, role)
    password: str  # generated for this load; shown once in the terminal
    assessments: int = 0


@requires(Permission.DEMO_LOAD)
def load_demo(
    db: Database,
    actor: Principal,
    store: EvidenceStore | None = None,
    *,
    with_findings: bool = True,
    with_contractors: bool = True,
) -> DemoSummary:
    """Load the demo company once; a second call is refused, leaving the data as it is.

    With ``store``, the demo evidence files are stored there and linked too;
    ``with_findings=False`` / ``with_contractors=False`` leave out the demo findings or
    contractors (for tests that count their own)."""
    password = generate_password()
    hashed = hash_password(password)  # one hash for all demo accounts: the same password
    people = {p.email: p for p in PEOPLE}
    with db.transaction() as cur:
        if repository.demo_loaded(cur, DEMO_NAME):
            raise Conflict("The demo company is already loaded; nothing was changed.")
        if repository.count_units(cur):
            raise Conflict(
                "This database already holds org units of its own; the demo company is only "
                "loaded into an empty database. Nothing was changed."
            )
        repository.insert_units(cur, UNITS)
        repository.insert_people(cur, PEOPLE)
        for unit in UNITS:
            auth_repository.append_audit(
                cur,
                actor=actor.username,
                action="org_unit.create",
                entity="org_unit",
                entity_id=unit.code,
                after={**asdict(unit), "kind": unit.kind.value},
            )
        for person in PEOPLE:
            auth_repository.append_audit(
                cur,
                actor=actor.username,
                action="person.create",
                entity="person",
                entity_id=person.email,
                after=asdict(person),
            )
        for username, role, local in DEMO_USERS:
            person = people[f"{local}@{DOMAIN}"]
            user = auth_repository.insert_user(
                cur,
                username=username,
                display_name=person.name_ja,
                role=Role(role),
                org_unit_code=person.org_unit_code,
                password_hash=hashed,
            )
            auth_repository.append_audit(
                cur,
                actor=actor.username,
                action="user.create",
                entity="user",
                entity_id=user.id,
                after={"username": username, "role": role, "demo": True},
            )
        assessments = load_history(cur, actor)
        if with_findings:
            load_findings(cur, actor)
        if with_contractors:
            load_contractors(cur, actor)
        if store is not None:
            latest: dict[str, list[str]] = {}
            for a in assessment_repository.list_assessments(cur):  # newest first
                latest.setdefault(a.scope_unit, []).append(a.id)
            load_evidence(cur, actor, store, latest)
        repository.mark_demo_loaded(cur, DEMO_NAME)
    return DemoSummary(
        len(UNITS), len(PEOPLE), [(u, r) for u, r, _ in DEMO_USERS], password, assessments
    )


@requires(Permission.DEMO_LOAD)
def load_scale(db: Database, actor: Principal, responses: int) -> dict[str, int]:
    """Add a large fictional company (branches, six years of closed self-inspections, about
    ``responses`` answers, findings) for trying Kansa at scale; returns the counts."""
    if not 1 <= responses <= 50_000_000:
        raise Conflict("Give a number of answers from 1 to 50,000,000.")
    with db.transaction() as cur:
        return scale.load_scale(cur, actor, responses)


@public
def has_data(db: Database) -> bool:
    """True when the database holds any org data (demo or real)."""
    with db.cursor() as cur:
        return repository.count_units(cur) > 0


@public
def is_demo(db: Database) -> bool:
    """True when the demo company was loaded (the UI then says the data is fictional)."""
    with db.cursor() as cur:
        return repository.demo_loaded(cur, DEMO_NAME)
