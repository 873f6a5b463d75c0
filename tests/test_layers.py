"""The import rules of the architecture, checked on every module's imports (ast).

pages, app.py, ui  ->  services  ->  repositories  ->  storage
- only storage/ and */repository.py import duckdb;
- only app.py, server.py, pages/ and ui/ import streamlit;
- pages import no repository and no storage (they call services);
- model.py / schema.py import nothing from the project but other models (and core);
- reports/ never touches the database.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = {
    p.name
    for p in ROOT.iterdir()
    if p.is_dir() and (p / "__init__.py").exists() and p.name != "tests"
}
UI_LAYER = ("app.py", "server.py", "pages/", "ui/")


def _modules() -> list[Path]:
    skip = {".venv", "tests", "benchmarks", "data", "build"}
    return sorted(p for p in ROOT.rglob("*.py") if not (set(p.relative_to(ROOT).parts) & skip))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _rel(path: Path, root: Path = ROOT) -> str:
    return path.relative_to(root).as_posix()


def _violations(path: Path, root: Path = ROOT) -> list[str]:
    rel = _rel(path, root)
    imports = _imports(path)
    tops = {name.split(".")[0] for name in imports}
    found: list[str] = []
    in_ui = rel.startswith(UI_LAYER)
    if "duckdb" in tops and not (rel.startswith("storage/") or rel.endswith("/repository.py")):
        found.append("imports duckdb outside storage/ and repository modules")
    if "streamlit" in tops and not in_ui:
        found.append("imports streamlit outside app.py, server.py, pages/ and ui/")
    if in_ui:
        bad = sorted(
            n for n in imports if n.endswith(".repository") or n.split(".")[0] == "storage"
        )
        if bad and rel != "ui/db.py":  # ui/db.py opens the process-wide connection
            found.append(f"UI code imports data access directly: {bad}")
    if rel.endswith(("/model.py", "/schema.py")):
        project = {n for n in imports if n.split(".")[0] in PROJECT_PACKAGES}
        bad = sorted(
            n
            for n in project
            if not (n.endswith((".model", ".schema", ".references")) or n.startswith("core."))
        )
        if bad:
            found.append(f"model imports beyond models: {bad}")
    if rel.startswith("reports/"):
        bad = sorted(
            n
            for n in imports
            if n.split(".")[0] in {"duckdb", "storage"} or n.endswith(".repository")
        )
        if bad:
            found.append(f"reports query the database: {bad}")
    if rel.endswith("/repository.py"):
        bad = sorted(
            n for n in imports if n.endswith(".service") or n.split(".")[0] in {"ui", "pages"}
        )
        if bad:
            found.append(f"repository imports upward: {bad}")
    return found


@pytest.mark.parametrize("path", _modules(), ids=_rel)
def test_module_respects_layers(path: Path) -> None:
    assert _violations(path) == []


def test_checker_catches_a_forbidden_edge(tmp_path: Path) -> None:
    """The rules above really fire (a checker that cannot fail proves nothing)."""
    (tmp_path / "pages").mkdir()
    page = tmp_path / "pages" / "bad.py"
    page.write_text("import duckdb\nfrom controls.repository import search_controls\n")
    problems = _violations(page, tmp_path)
    assert any("duckdb" in p for p in problems)
    assert any("data access" in p for p in problems)


def test_every_package_is_seen() -> None:
    assert {"controls", "storage", "core", "org", "demo", "reports", "ui"} <= PROJECT_PACKAGES
    assert any(_rel(p) == "pages/catalogue.py" for p in _modules())
