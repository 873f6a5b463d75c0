"""Org unit and people use cases."""

from __future__ import annotations

from org import repository
from org.model import OrgUnit, Person
from storage.db import Database


def list_units(db: Database) -> list[OrgUnit]:
    with db.cursor() as cur:
        return repository.list_units(cur)


def list_people(db: Database) -> list[Person]:
    with db.cursor() as cur:
        return repository.list_people(cur)
