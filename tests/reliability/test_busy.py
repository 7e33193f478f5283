"""A second window holding the write lock: the save waits, then says so; nothing is lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.widgets import Input

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.errors import BusyError
from duibiao_tui.screens.item_editor import ItemEditorScreen
from duibiao_tui.store.store import Store
from tests.functional.test_item_editor_keys import SIZE, TARGET, open_page, type_text


def hold_write_lock(db_path: Path) -> sqlite3.Connection:
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_busy_database_refuses_cleanly_then_works(
    store: Store, seeded: dict[str, str], db_path: Path
) -> None:
    eid = seeded[TARGET]
    store.conn.execute("PRAGMA busy_timeout = 200")
    other = hold_write_lock(db_path)
    with pytest.raises(BusyError, match="输入的内容仍在"):
        store.add_item(eid, ItemInput(aspect="设备", indicator="数控化率"))
    other.execute("ROLLBACK")
    other.close()
    assert not store.conn.in_transaction
    assert store.item_count(eid) == 0
    store.add_item(eid, ItemInput(aspect="设备", indicator="数控化率"))
    assert store.item_count(eid) == 1


async def test_editor_keeps_the_row_while_the_database_is_busy(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], db_path: Path
) -> None:
    eid = seeded[TARGET]
    store.conn.execute("PRAGMA busy_timeout = 200")
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, eid)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#f-aspect", Input).value = "设备"
        app.screen.query_one("#f-indicator", Input).focus()
        other = hold_write_lock(db_path)
        await type_text(pilot, "返修率")
        await pilot.pause(0.8)  # the draft timer fires while the lock is held: no crash
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ItemEditorScreen), "the editor stays open"
        assert app.screen.query_one("#f-indicator", Input).value == "返修率"
        assert store.item_count(eid) == 0
        other.execute("ROLLBACK")
        other.close()
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [i.indicator for i in store.items_for(eid)] == ["返修率"]
