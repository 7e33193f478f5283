"""Domain and storage code never import the UI: the execution core works without Textual."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[2] / "duibiao_tui"
CORE = [
    *sorted((PACKAGE / "domain").glob("*.py")),
    *sorted((PACKAGE / "store").glob("*.py")),
    *sorted((PACKAGE / "demo").glob("*.py")),
    PACKAGE / "errors.py",
    PACKAGE / "config.py",
    PACKAGE / "paths.py",
]
FORBIDDEN = ("textual", "duibiao_tui.screens", "duibiao_tui.widgets", "duibiao_tui.app")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_core_module_does_not_import_the_ui(path: Path) -> None:
    bad = sorted(
        m for m in imported_modules(path) if any(m == f or m.startswith(f + ".") for f in FORBIDDEN)
    )
    assert bad == [], f"{path.name} imports {bad}"
