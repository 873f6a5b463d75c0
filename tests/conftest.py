"""Shared fixtures: a migrated database with the shipped catalogues (and the demo company)."""

from __future__ import annotations

from pathlib import Path

import pytest

from controls.service import sync_library
from demo.service import load_demo
from storage.migrate import open_database

ROOT = Path(__file__).resolve().parent.parent


def prepare_data_dir(data_dir: Path) -> Path:
    """Create the database the way `kansa init` + `kansa demo` do; return its path."""
    db_path = data_dir / "kansa.duckdb"
    with open_database(db_path) as db:
        sync_library(db, actor="test")
        load_demo(db)
    return db_path


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding the shipped catalogues and the demo company (read-only use)."""
    data_dir = tmp_path_factory.mktemp("kansa-demo")
    prepare_data_dir(data_dir)
    return data_dir
