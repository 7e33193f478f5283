"""docs/keys.md says the keys each screen has: every key in its tables is bound there, and
every key a screen binds is in its table (or the app's).

keys.md holds one table per screen (``| key | what it does |``), each under a line
``Bound in `ScreenClass` …`` naming, in backticks, the classes whose ``BINDINGS`` hold the
table's keys: the screen first, then widgets of it (its table, its text fields). The classes
are found by name among the app, ``duibiao_tui.screens.*``, ``duibiao_tui.widgets.*`` and
``textual.widgets``, so nothing here depends on where the command line or the store live.
The app's bindings (the first table, ``Bound in `DuibiaoApp```) work on every screen.

Keys are read from the backticked words of a row's first cell as an officer reads them
(``Ctrl+S``, ``Enter``, ``F1``, ``↑ ↓ PgUp PgDn``, ``Ctrl+↑``, ``/``, ``!``) and compared with
Textual's names (``ctrl+s``, ``enter``, ``f1``, ``up``, ``ctrl+up``, ``slash``,
``exclamation_mark``). A first cell without backticks must say ``type`` (the list's search).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

KEYS_MD = Path(__file__).resolve().parents[2] / "docs" / "keys.md"

NAMED = {
    "esc": "escape",
    "escape": "escape",
    "enter": "enter",
    "return": "enter",
    "tab": "tab",
    "space": "space",
    "delete": "delete",
    "del": "delete",
    "backspace": "backspace",
    "insert": "insert",
    "home": "home",
    "end": "end",
    "pgup": "pageup",
    "pageup": "pageup",
    "pgdn": "pagedown",
    "pagedown": "pagedown",
    "up": "up",
    "down": "down",
    "left": "left",
    "right": "right",
    "↑": "up",
    "↓": "down",
    "←": "left",
    "→": "right",
    "/": "slash",
    "?": "question_mark",
    "!": "exclamation_mark",
}
MODIFIERS = {"ctrl": "ctrl", "shift": "shift", "alt": "alt", "super": "super"}
_BOUND_IN = re.compile(r"^Bound in .*`")
_TICKED = re.compile(r"`([^`]+)`")


def normalise(written: str) -> str:
    """``Ctrl+S`` → ``ctrl+s``, ``Esc`` → ``escape``, ``Ctrl+↑`` → ``ctrl+up``, ``F1`` → ``f1``,
    ``a`` → ``a``; a name this does not know fails the test (the doc must stay regular)."""
    *mods, key = written.split("+") if written != "+" else [written]
    out = []
    for mod in mods:
        assert mod.lower() in MODIFIERS, f"unknown modifier {mod!r} in {written!r}"
        out.append(MODIFIERS[mod.lower()])
    lower = key.lower()
    if lower in NAMED:
        name = NAMED[lower]
    elif re.fullmatch(r"f([1-9]|1[0-2])", lower):
        name = lower
    elif len(key) == 1 and key.isascii() and key.isalnum():
        name = lower if mods else key
    else:
        raise AssertionError(f"unknown key name {key!r} in {written!r}")
    return "+".join([*out, name])


@dataclass
class KeyTable:
    heading: str
    classes: list[str]
    keys: list[tuple[str, str]]  # (as written in the doc, normalised)
    line: int


def key_tables(text: str) -> list[KeyTable]:
    """Every ``| key | …`` table with the ``Bound in`` line above it and its heading."""
    lines = text.splitlines()
    tables: list[KeyTable] = []
    heading = ""
    bound_in: list[str] | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            heading, bound_in = line.lstrip("#").strip(), None
        elif _BOUND_IN.match(line):
            bound_in = _TICKED.findall(line)
        elif line.startswith("|"):
            start = i
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(lines[i])
                i += 1
            cells = [c.strip() for c in rows[0].strip("|").split("|")]
            if cells[0] != "key":
                continue
            assert bound_in, f"keys.md line {start + 1}: no 'Bound in `Class`' line above the table"
            keys = []
            for row in rows[2:]:
                first = row.strip("|").split("|")[0].strip()
                ticked = _TICKED.findall(first)
                if not ticked:
                    assert first == "type", f"keys.md line {start + 1}: no key in {first!r}"
                    continue
                for token in ticked:
                    for word in token.split():
                        keys.append((word, normalise(word)))
            tables.append(KeyTable(heading, bound_in, keys, start + 1))
            bound_in = None
            continue
        i += 1
    return tables


def _classes_by_name() -> dict[str, type]:
    """Our app, screens and widgets by class name (ours first), then Textual's widgets."""
    import textual.widgets

    import duibiao_tui.screens
    import duibiao_tui.widgets

    modules = [importlib.import_module("duibiao_tui.app")]
    for package in (duibiao_tui.screens, duibiao_tui.widgets):
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            modules.append(importlib.import_module(info.name))
    found: dict[str, type] = {}
    for module in modules:
        for name, value in vars(module).items():
            if inspect.isclass(value) and value.__module__ == module.__name__:
                found.setdefault(name, value)
    for name in vars(textual.widgets)["__all__"]:  # its widgets load lazily, by name
        found.setdefault(name, getattr(textual.widgets, name))
    return found


def binding_keys(cls: type, *, ours_only: bool = False) -> set[str]:
    """The keys of every ``BINDINGS`` in the class's MRO (Textual merges them the same way);
    with ``ours_only``, only those declared by duibiao_tui's own classes."""
    keys: set[str] = set()
    for klass in cls.__mro__:
        if ours_only and not klass.__module__.startswith("duibiao_tui."):
            continue
        for binding in vars(klass).get("BINDINGS", ()):
            key = binding.key if hasattr(binding, "key") else binding[0]
            keys.update(part.strip() for part in key.split(","))
    return keys


@pytest.fixture(scope="module")
def tables() -> list[KeyTable]:
    return key_tables(KEYS_MD.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def classes() -> dict[str, type]:
    return _classes_by_name()


def test_keys_md_has_a_table_per_screen(tables: list[KeyTable], classes: dict[str, type]) -> None:
    from textual.app import App
    from textual.screen import Screen

    screens = [t.classes[0] for t in tables]
    assert screens[0] == "DuibiaoApp"
    for name in (
        "DashboardScreen",
        "EnterpriseListScreen",
        "ReviewDeskScreen",
        "MeasuresScreen",
        "EnterprisePageScreen",
        "EnterpriseFormScreen",
        "ItemEditorScreen",
        "ExportScreen",
        "ImportScreen",
        "MergeScreen",
    ):
        assert name in screens, f"docs/keys.md has no table bound in {name}"
    for table in tables:
        for name in table.classes:
            assert name in classes, f"keys.md line {table.line}: no class {name}"
        first = classes[table.classes[0]]
        assert issubclass(first, (Screen, App)), f"{table.classes[0]} is not a screen"
        assert table.keys, f"keys.md line {table.line}: a table without keys"


def unbound(tables: list[KeyTable], classes: dict[str, type]) -> list[str]:
    """Each documented key that none of its table's classes (nor the app) binds."""
    app_keys = binding_keys(classes["DuibiaoApp"])
    missing = []
    for table in tables:
        bound = set(app_keys)
        for name in table.classes:
            bound |= binding_keys(classes[name])
        for written, key in table.keys:
            if key not in bound:
                missing.append(
                    f"{table.heading} (line {table.line}): `{written}` ({key}) "
                    f"is bound in none of {', '.join(table.classes)}"
                )
    return missing


def test_every_documented_key_is_bound(tables: list[KeyTable], classes: dict[str, type]) -> None:
    assert unbound(tables, classes) == []


def test_every_key_a_screen_binds_is_documented(
    tables: list[KeyTable], classes: dict[str, type]
) -> None:
    app_documented = {key for _, key in tables[0].keys}
    undocumented = []
    for table in tables:
        documented = app_documented | {key for _, key in table.keys}
        screen = table.classes[0]
        for key in sorted(binding_keys(classes[screen], ours_only=True) - documented):
            undocumented.append(
                f"{screen}: `{key}` is bound but not in its table ({table.heading})"
            )
    assert undocumented == []


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Ctrl+S", "ctrl+s"),
        ("ctrl+s", "ctrl+s"),
        ("Enter", "enter"),
        ("Esc", "escape"),
        ("F1", "f1"),
        ("↑", "up"),
        ("PgDn", "pagedown"),
        ("Ctrl+↓", "ctrl+down"),
        ("Shift+Tab", "shift+tab"),
        ("/", "slash"),
        ("!", "exclamation_mark"),
        ("?", "question_mark"),
        ("Space", "space"),
        ("a", "a"),
    ],
)
def test_key_names_are_read_as_an_officer_writes_them(written: str, key: str) -> None:
    assert normalise(written) == key


def test_a_key_bound_nowhere_is_caught(classes: dict[str, type]) -> None:
    """The check fails on a key no class binds: the list's sort keys edited in a copy."""
    text = KEYS_MD.read_text(encoding="utf-8")
    assert "| `Ctrl+T` / `Ctrl+O` |" in text
    edited = text.replace("| `Ctrl+T` / `Ctrl+O` |", "| `Ctrl+G` / `Ctrl+O` |")
    missing = unbound(key_tables(edited), classes)
    assert len(missing) == 1
    assert "`Ctrl+G` (ctrl+g) is bound in none of EnterpriseListScreen" in missing[0]
