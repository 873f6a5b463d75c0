"""Load the demo company."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import Conflict
from demo.company import PEOPLE, UNITS
from org import repository
from storage.db import Database

DEMO_NAME = "company"


@dataclass(frozen=True, slots=True)
class DemoSummary:
    org_units: int
    people: int


def load_demo(db: Database) -> DemoSummary:
    """Load the demo company once; a second call is refused, leaving the data as it is."""
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
        repository.mark_demo_loaded(cur, DEMO_NAME)
    return DemoSummary(len(UNITS), len(PEOPLE))


def has_data(db: Database) -> bool:
    """True when the database holds any org data (demo or real)."""
    with db.cursor() as cur:
        return repository.count_units(cur) > 0


def is_demo(db: Database) -> bool:
    """True when the demo company was loaded (the UI then says the data is fictional)."""
    with db.cursor() as cur:
        return repository.demo_loaded(cur, DEMO_NAME)
