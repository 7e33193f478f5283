"""Invariants of the two forms, on the demo database, driven through the running app.

* Saving an untouched enterprise form (Ctrl+S) changes nothing: for every demo enterprise
  the row is identical in every column, the audit log gets no row, and nothing at all is
  written (``sqlite3.Connection.total_changes`` does not move).
* Saving an untouched row editor changes nothing: the same for every row of several demo
  enterprises, chosen to include rows linked to the benchmark library with no text of
  their own, free-text benchmarks, rows without a benchmark, flagged and done rows, a
  「其他」 row and rows whose 完成时间 was kept only as a date (as an import leaves them).
* Editing one text field of the row editor changes only that column (plus updated_at,
  updated_by and version), with one audit row for it (Hypothesis: field and text drawn).

The demo database is generated once per test worker and copied for each test (and for
each Hypothesis example). Every problem found is listed before a test fails, not just
the first.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Label

from duibiao_tui.app import DuibiaoApp, make_app
from duibiao_tui.config import Config
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.reference import OTHER_ASPECT
from duibiao_tui.domain.text import clean
from duibiao_tui.screens.enterprise_form import EnterpriseFormScreen
from duibiao_tui.screens.item_editor import ROWS, ItemEditorScreen
from duibiao_tui.store.store import Store
from tests.conftest import fixed_clock
from tests.functional.monkey_keys import build_demo, copy_db, quick_idle
from tests.helpers import SIZE

pytestmark = pytest.mark.usefixtures("quick_idle")
_ = quick_idle  # a fixture, used through pytestmark
ENTERPRISE_PARTS = 3
"""The demo's enterprises are split over this many tests, so that xdist shares them out."""
ITEM_ENTERPRISES = 5
SMALL_DEMO = 12
"""Enterprises of the demo file the Hypothesis examples copy."""
STAMPS = {"updated_at", "updated_by", "version"}

# -- the demo database -----------------------------------------------------------------

ROW_FEATURES: dict[str, str] = {
    "linked to the library, no text of its own": "benchmark_id IS NOT NULL AND benchmark_text = ''",
    "free-text benchmark": "benchmark_id IS NULL AND benchmark_text != ''",
    "no benchmark": "benchmark_id IS NULL AND benchmark_text = ''",
    "no verdict": "verdict IS NULL",
    "no 完成时间": "due_date IS NULL",
    "multi-line measures": "instr(measures, char(10)) > 0",
    "flagged": "flagged = 1",
    "measure done": "measure_state = '已完成'",
    "remarks": "remarks != ''",
}
"""Kinds of demo rows the row-editor invariant must meet at least once."""


class Demo:
    """A prepared demo file and what the tests need to know about it (a plain class: its
    repr stays one line in Hypothesis' report)."""

    def __init__(
        self,
        path: Path,
        enterprise_ids: tuple[str, ...],
        item_enterprises: tuple[str, ...],
        items: tuple[tuple[str, str], ...],
    ) -> None:
        self.path = path
        self.enterprise_ids = enterprise_ids
        """Every live enterprise, in the generator's order."""
        self.item_enterprises = item_enterprises
        """Enterprises whose every row goes through the editor."""
        self.items = items
        """(enterprise id, item id) of every live row of the active campaign."""

    def __repr__(self) -> str:
        return f"Demo({self.path.name}: {len(self.enterprise_ids)} enterprises, {len(self.items)} rows)"


def choose_item_enterprises(conn: sqlite3.Connection, count: int) -> list[str]:
    """The smallest forms that between them hold every kind of row in ROW_FEATURES, then
    the smallest others up to ``count``."""
    sizes = conn.execute(
        "SELECT i.enterprise_id, count(*) FROM benchmark_item i JOIN enterprise e "
        "ON e.id = i.enterprise_id WHERE i.deleted_at IS NULL AND e.deleted_at IS NULL "
        "GROUP BY i.enterprise_id ORDER BY count(*), min(e.rowid)"
    ).fetchall()
    by_size = [enterprise_id for enterprise_id, _ in sizes]
    chosen: list[str] = []
    for condition in ROW_FEATURES.values():
        having = {
            r[0]
            for r in conn.execute(
                f"SELECT enterprise_id FROM benchmark_item WHERE deleted_at IS NULL AND {condition}"
            )
        }
        if having & set(chosen):
            continue
        first = next((e for e in by_size if e in having), None)
        if first is not None:
            chosen.append(first)
    chosen += [e for e in by_size if e not in chosen][: max(0, count - len(chosen))]
    return chosen


def prepare(path: Path, item_enterprises: int) -> Demo:
    """Pick the enterprises for the row invariant and give them the rows the demo does not
    make: 完成时间 kept only as a date (every third dated row, as an import of a date cell
    leaves it), one row of 项目 「其他」 and, if none is among them, one row without a
    benchmark (both saved through the store, as the editor would)."""
    store = Store.open(path, officer="演示数据", clock=fixed_clock)
    try:
        conn = store.conn
        chosen = choose_item_enterprises(conn, item_enterprises)
        with store.write():
            for enterprise_id in chosen:
                dated = [
                    r[0]
                    for r in conn.execute(
                        "SELECT id FROM benchmark_item WHERE enterprise_id = ? AND "
                        "deleted_at IS NULL AND due_date IS NOT NULL ORDER BY seq",
                        [enterprise_id],
                    )
                ]
                conn.executemany(
                    "UPDATE benchmark_item SET due_text = '' WHERE id = ?",
                    [(item_id,) for item_id in dated[::3]],
                )
        if chosen:
            other = store.items_for(chosen[0])[-1]
            values = other.to_input()
            values.aspect, values.aspect_other = OTHER_ASPECT, "售后服务体系"
            store.update_item(other.id, values)
        if (
            len(chosen) > 1
            and not conn.execute(
                f"SELECT 1 FROM benchmark_item WHERE deleted_at IS NULL AND enterprise_id IN "
                f"({', '.join('?' * len(chosen))}) AND {ROW_FEATURES['no benchmark']}",
                chosen,
            ).fetchone()
        ):
            # The demo (on the fixed clock) writes none: a row whose benchmark the officer
            # cleared, saved through the store.
            blank = store.items_for(chosen[1])[0]
            store.update_item(
                blank.id,
                dataclasses.replace(blank.to_input(), benchmark_id=None, benchmark_text=""),
            )
        enterprises = tuple(
            r[0]
            for r in conn.execute(
                "SELECT id FROM enterprise WHERE deleted_at IS NULL ORDER BY rowid"
            )
        )
        items = tuple(
            (r[0], r[1])
            for r in conn.execute(
                "SELECT enterprise_id, id FROM benchmark_item WHERE deleted_at IS NULL "
                "ORDER BY enterprise_id, seq"
            )
        )
    finally:
        store.close()
    return Demo(path, enterprises, tuple(chosen), items)


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    path = build_demo(tmp_path_factory.mktemp("invariants-demo") / "demo.db")
    return prepare(path, ITEM_ENTERPRISES)


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    path = tmp_path_factory.mktemp("invariants-small") / "demo.db"
    return prepare(build_demo(path, enterprises=SMALL_DEMO), 2)


@pytest.fixture
def demo_store(demo: Demo, tmp_path: Path) -> Iterator[Store]:
    store = Store.open(copy_db(demo.path, tmp_path / "demo.db"), officer="王明", clock=fixed_clock)
    yield store
    store.close()


def new_app(store: Store, config_dir: Path) -> DuibiaoApp:
    return make_app(
        store,
        config=Config(officer="王明"),
        config_file=config_dir / "config.json",
        db_label="演示.db",
    )


# -- reading the database --------------------------------------------------------------


def row_of(store: Store, table: str, row_id: str) -> dict[str, Any]:
    cursor = store.conn.execute(f"SELECT * FROM {table} WHERE id = ?", [row_id])
    names = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    assert row is not None, f"{table} {row_id} is gone"
    return dict(zip(names, row, strict=True))


def last_audit(store: Store) -> int:
    return store.conn.execute("SELECT ifnull(max(rowid), 0) FROM audit_log").fetchone()[0]


def audit_since(store: Store, rowid: int) -> list[tuple[str, str, str, str | None]]:
    """(table, row id, action, field) of the audit rows written after ``rowid``."""
    return [
        tuple(r)  # type: ignore[misc]
        for r in store.conn.execute(
            "SELECT table_name, row_id, action, field FROM audit_log WHERE rowid > ? ORDER BY rowid",
            [rowid],
        )
    ]


def differences(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {k: (before[k], after[k]) for k in before if before[k] != after[k]}


class Watch:
    """What one save did to the database: the row, the audit log, every write."""

    def __init__(self, store: Store, table: str, row_id: str) -> None:
        self.store, self.table, self.row_id = store, table, row_id
        self.before = row_of(store, table, row_id)
        self.audit = last_audit(store)
        self.changes = store.conn.total_changes

    def row_problems(self, allowed: frozenset[str] = frozenset()) -> list[str]:
        """Columns of the row that changed, besides ``allowed`` ones."""
        changed = differences(self.before, row_of(self.store, self.table, self.row_id))
        unexpected = {k: v for k, v in changed.items() if k not in allowed}
        if not unexpected:
            return []
        return [
            "columns changed: "
            + "; ".join(f"{k}: {old!r} → {new!r}" for k, (old, new) in unexpected.items())
        ]

    def untouched_problems(self) -> list[str]:
        """Anything at all the save changed: the row, the audit log, any other row."""
        found = self.row_problems()
        audit = audit_since(self.store, self.audit)
        if audit:
            found.append(f"{len(audit)} audit rows: {audit}")
        written = self.store.conn.total_changes - self.changes
        if written:
            found.append(f"{written} rows written in the database")
        return found


# -- driving the app -------------------------------------------------------------------


def shown_errors(screen: Screen[Any]) -> list[str]:
    return [str(label.render()) for label in screen.query(".field-error.-shown").results(Label)]


async def back_to(pilot: Pilot[Any], base: Screen[Any]) -> None:
    """Close whatever a refused save left open (the form, a dialog) without saving."""
    app = pilot.app
    while app.screen is not base and len(app.screen_stack) > 1:
        await app.pop_screen()
    await pilot.pause()


async def save_untouched(pilot: Pilot[Any], base: Screen[Any], form: Screen[Any]) -> list[str]:
    """Open ``form`` on top of ``base``, press Ctrl+S at once; what went wrong, if anything."""
    app = pilot.app
    dismissed: list[object] = []
    await app.push_screen(form, dismissed.append)
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()
    if app.screen is base and dismissed:
        return []
    found = [f"the save did not close the form (now on {type(app.screen).__name__})"]
    if app.screen is form:
        found += [f"error shown: {e}" for e in shown_errors(form)]
    return found


# -- 1. the enterprise form ------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "part", range(ENTERPRISE_PARTS), ids=lambda p: f"part{p + 1}of{ENTERPRISE_PARTS}"
)
async def test_saving_an_untouched_enterprise_form_changes_nothing(
    demo: Demo, demo_store: Store, tmp_path: Path, part: int
) -> None:
    store = demo_store
    enterprise_ids = demo.enterprise_ids[part::ENTERPRISE_PARTS]
    assert len(demo.enterprise_ids) >= 60 and enterprise_ids
    problems: list[str] = []
    app = new_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        base: Screen[Any] = Screen()
        await app.push_screen(base)
        for enterprise_id in enterprise_ids:
            enterprise = store.get_enterprise(enterprise_id)
            watch = Watch(store, "enterprise", enterprise_id)
            found = await save_untouched(pilot, base, EnterpriseFormScreen(enterprise))
            found += watch.untouched_problems()
            if found:
                problems.append(
                    f"{enterprise.name} ({enterprise_id}):\n    " + "\n    ".join(found)
                )
            await back_to(pilot, base)
    assert not problems, (
        f"{len(problems)} of {len(enterprise_ids)} enterprises changed by saving an untouched "
        "form:\n" + "\n".join(problems)
    )


# -- 2. the row editor, untouched -------------------------------------------------------


def open_editor(store: Store, enterprise_id: str, item_id: str) -> ItemEditorScreen:
    """The editor as the page opens it (EnterprisePageScreen.action_edit_item)."""
    item = store.get_item(item_id)
    return ItemEditorScreen(enterprise_id, item_id=item.id, values=item.to_input())


def describe(store: Store, item_id: str) -> str:
    row = row_of(store, "benchmark_item", item_id)
    kinds = [
        name
        for name, condition in ROW_FEATURES.items()
        if store.conn.execute(
            f"SELECT 1 FROM benchmark_item WHERE id = ? AND {condition}", [item_id]
        ).fetchone()
    ]
    if row["due_date"] and not row["due_text"]:
        kinds.append("完成时间 only as a date")
    if row["aspect"] == OTHER_ASPECT:
        kinds.append("其他")
    return f"序号 {row['seq']} {row['aspect']}/{row['indicator']} [{', '.join(kinds)}]"


@pytest.mark.slow
@pytest.mark.parametrize("which", range(ITEM_ENTERPRISES), ids=lambda w: f"enterprise{w + 1}")
async def test_saving_an_untouched_row_changes_nothing(
    demo: Demo, demo_store: Store, tmp_path: Path, which: int
) -> None:
    store = demo_store
    assert len(demo.item_enterprises) == ITEM_ENTERPRISES
    enterprise_id = demo.item_enterprises[which]
    item_ids = [item.id for item in store.items_for(enterprise_id)]
    assert item_ids
    problems: list[str] = []
    app = new_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        base: Screen[Any] = Screen()
        await app.push_screen(base)
        for item_id in item_ids:
            label = describe(store, item_id)
            watch = Watch(store, "benchmark_item", item_id)
            found = await save_untouched(pilot, base, open_editor(store, enterprise_id, item_id))
            found += watch.untouched_problems()
            if found:
                problems.append(f"{label} ({item_id}):\n    " + "\n    ".join(found))
            await back_to(pilot, base)
    name = store.get_enterprise(enterprise_id).name
    assert not problems, (
        f"{name}: {len(problems)} of {len(item_ids)} rows changed by saving an untouched "
        "row editor:\n" + "\n".join(problems)
    )


def test_the_chosen_rows_cover_every_kind(demo: Demo) -> None:
    """The row invariant meets every kind of row (else the demo generator changed)."""
    store = Store.open(demo.path, officer="王明", clock=fixed_clock)
    try:
        ids = ", ".join("?" * len(demo.item_enterprises))
        conditions = {
            **ROW_FEATURES,
            "完成时间 only as a date": "due_date IS NOT NULL AND due_text = ''",
            "其他": f"aspect = '{OTHER_ASPECT}'",
        }
        missing = [
            name
            for name, condition in conditions.items()
            if not store.conn.execute(
                f"SELECT 1 FROM benchmark_item WHERE deleted_at IS NULL AND {condition} "
                f"AND enterprise_id IN ({ids})",
                demo.item_enterprises,
            ).fetchone()
        ]
    finally:
        store.close()
    assert not missing


# -- 3. the row editor, one field edited --------------------------------------------------

EDITED_FIELDS = ("indicator", "benchmark_level", "result_text", "department", "remarks")
"""Text inputs of the editor (``#f-<column>``) that are stored as they are typed."""

TEXT = st.text(
    st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),  # CJK
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),  # printable ASCII
    ),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip())


def test_the_edited_fields_are_text_inputs_of_the_editor() -> None:
    inputs = {key for key, _, kind in ROWS if kind == "input"}
    assert set(EDITED_FIELDS) <= inputs
    assert set(EDITED_FIELDS) <= {f for f in ItemInput.__dataclass_fields__}


async def edit_one_field(
    store: Store, config_dir: Path, enterprise_id: str, item_id: str, field: str, text: str
) -> list[str]:
    """Open the row, replace ``field`` by typing ``text`` key by key, Ctrl+S."""
    watch = Watch(store, "benchmark_item", item_id)
    expected = clean(text)
    app = new_app(store, config_dir)
    async with app.run_test(size=SIZE) as pilot:
        base = app.screen
        dismissed: list[object] = []
        await app.push_screen(open_editor(store, enterprise_id, item_id), dismissed.append)
        await pilot.pause()
        widget = app.screen.query_one(f"#f-{field}", Input)
        widget.focus()
        widget.value = ""
        await pilot.pause()
        await pilot.press(*text)
        typed = widget.value
        await pilot.press("ctrl+s")
        await pilot.pause()
        found = []
        if typed != text:
            found.append(f"typed {text!r}, the field shows {typed!r}")
        if app.screen is not base or not dismissed:
            found.append(f"the save did not close the editor: {shown_errors(app.screen)}")
    after = row_of(store, "benchmark_item", item_id)
    if after[field] != expected:
        found.append(f"{field} is {after[field]!r}, expected {expected!r}")
    found += watch.row_problems(frozenset({field, *STAMPS}))
    changed = expected != watch.before[field]
    audit = [
        (row_id, name)
        for table, row_id, _, name in audit_since(store, watch.audit)
        if table == "benchmark_item"
    ]
    if audit != ([(item_id, field)] if changed else []):
        found.append(f"audit rows of benchmark_item: {audit}")
    return found


@pytest.mark.slow
@settings(
    max_examples=12,
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # no shrinking: a pilot run is slow
    suppress_health_check=(HealthCheck.function_scoped_fixture, HealthCheck.too_slow),
)
@given(data=st.data(), field=st.sampled_from(EDITED_FIELDS), text=TEXT)
def test_editing_one_field_changes_only_that_column(
    small_demo: Demo, data: st.DataObject, field: str, text: str
) -> None:
    row = data.draw(st.integers(0, len(small_demo.items) - 1), label="row of the small demo")
    enterprise_id, item_id = small_demo.items[row]
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(
            copy_db(small_demo.path, Path(folder) / "demo.db"), officer="王明", clock=fixed_clock
        )
        try:
            label = describe(store, item_id)
            found = asyncio.run(
                edit_one_field(store, Path(folder), enterprise_id, item_id, field, text)
            )
        finally:
            store.close()
    assert not found, f"{label}: editing {field} to {text!r}:\n" + "\n".join(found)
