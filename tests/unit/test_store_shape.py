"""The store's shape stays as issue 15 left it: small classes over one session, all state
set in ``__init__``, and SQL only behind the store (read by the source, like a linter)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from duibiao_tui.store.session import Session
from duibiao_tui.store.store import Store

PACKAGE = Path(__file__).resolve().parents[2] / "duibiao_tui"
STORE = PACKAGE / "store"


def _classes(folder: Path) -> list[tuple[Path, ast.ClassDef]]:
    return [
        (path, node)
        for path in sorted(folder.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
    ]


def test_no_store_class_has_more_than_two_bases() -> None:
    wide = [f"{path.name}:{node.name}" for path, node in _classes(STORE) if len(node.bases) > 2]
    assert wide == []


def test_no_state_appears_late_through_getattr() -> None:
    """``getattr(self, "x", None)`` is state no ``__init__`` declared."""
    late = re.compile(r"getattr\(\s*self\s*,")
    found = [
        f"{path.name}:{n}"
        for path in sorted(STORE.glob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if late.search(line)
    ]
    assert found == []


def _attributes_set(method: ast.FunctionDef) -> set[str]:
    return {
        node.attr
        for node in ast.walk(method)
        if isinstance(node, ast.Attribute)
        and isinstance(node.ctx, ast.Store)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    }


def test_session_sets_every_attribute_it_uses_in_init() -> None:
    tree = ast.parse((STORE / "session.py").read_text(encoding="utf-8"))
    (session,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Session"]
    methods = [n for n in session.body if isinstance(n, ast.FunctionDef)]
    (init,) = [m for m in methods if m.name == "__init__"]
    declared = _attributes_set(init)
    properties = {m.name for m in methods if m.name != "__init__"}
    used = {
        node.attr
        for method in methods
        for node in ast.walk(method)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    }
    assert used - declared - properties == set()
    fresh = Session.__new__(Session)
    Session.__init__(fresh, Store.memory().conn, officer="", clock=lambda: "")
    assert declared <= set(vars(fresh))


def _dataclass_fields(node: ast.ClassDef) -> set[str]:
    """A dataclass's annotated fields: its generated ``__init__`` sets every one."""
    decorated = any("dataclass" in ast.unparse(decorator) for decorator in node.decorator_list)
    return {
        statement.target.id
        for statement in node.body
        if decorated
        and isinstance(statement, ast.AnnAssign)
        and isinstance(statement.target, ast.Name)
    }


def test_store_classes_declare_their_state_in_init() -> None:
    """Every attribute a class of the store assigns is first set in its ``__init__`` (its
    own, or a dataclass's fields; properties' setters aside): nothing is added to an object
    after it is built."""
    late: list[str] = []
    for path, node in _classes(STORE):
        methods = [m for m in node.body if isinstance(m, ast.FunctionDef)]
        init = [m for m in methods if m.name == "__init__"]
        declared = _attributes_set(init[0]) if init else set()
        declared |= _dataclass_fields(node)
        properties = {m.name for m in methods}
        for method in methods:
            late += [
                f"{path.name}:{node.name}.{method.name}:{attribute}"
                for attribute in _attributes_set(method) - declared - properties
            ]
    assert late == []


def test_excel_and_screens_run_no_sql() -> None:
    """SQL lives only behind the store: the workbooks and the screens call its methods."""
    sql = re.compile(r"\bconn\s*\.\s*execute|\.execute(many)?\(|\.conn\b")
    found = [
        f"{path.relative_to(PACKAGE)}:{n}"
        for folder in ("excel", "screens")
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if sql.search(line)
    ]
    assert found == []


def test_the_front_keeps_its_names() -> None:
    """Screens, the CLI and the tests call these on ``Store``; each reaches a repository."""
    store = Store.memory()
    for name in ("add_enterprise", "search_enterprises", "benchmarks", "add_item", "review_rows"):
        assert callable(getattr(store, name)), name
    store.officer = "王芳"
    assert store.session.officer == "王芳"
    assert not store.read_only and store.path is None


def test_a_dataclass_attribute_set_late_is_still_found() -> None:
    """The dataclass allowance covers declared fields only."""
    (node,) = ast.parse(
        "@dataclass\nclass A:\n    x: int\n    def f(self):\n        self.x = 1\n        self.y = 2\n"
    ).body
    (method,) = [m for m in node.body if isinstance(m, ast.FunctionDef)]
    assert _attributes_set(method) - _dataclass_fields(node) == {"y"}
