"""Org unit and people use cases."""

from __future__ import annotations

from auth.model import Permission, Principal
from auth.permissions import requires
from org import repository
from org.model import OrgUnit, Person
from storage.db import Database


@requires(Permission.ORG_READ)
def list_units(db: Database, actor: Principal) -> list[OrgUnit]:
    with db.cursor() as cur:
        return repository.list_units(cur)


@requires(Permission.ORG_READ)
def list_people(db: Database, actor: Principal) -> list[Person]:
    with db.cursor() as cur:
        return repository.list_people(cur)
