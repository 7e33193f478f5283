"""A second window holding the write lock: the save waits, then says so; nothing is lost.

The waits are checked as SQLite applies them (``PRAGMA busy_timeout`` of the connection in
force), never by the clock: 5 s for every store and the command line, UI_BUSY_WAIT_S for a
save from the screen, which then retries by timer so the screen keeps answering keys.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.widgets import Input

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.errors import BusyError
from duibiao_tui.screens import base
from duibiao_tui.screens.enterprise_form import EnterpriseFormScreen
from duibiao_tui.screens.item_editor import ItemEditorScreen
from duibiao_tui.store.sqlite_files import open_read_only
from duibiao_tui.store.store import BUSY_TIMEOUT_S, Store
from tests.functional.test_item_editor_keys import TARGET, open_page
from tests.helpers import SIZE, type_text, wait_until


def hold_write_lock(db_path: Path) -> sqlite3.Connection:
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_busy_database_refuses_cleanly_then_works(
    store: Store, seeded: dict[str, str], db_path: Path
) -> None:
    """Every store waits 5 s for another writer (the wait SQLite itself applies, read from
    the connection), then refuses in words that say how long it waited."""
    eid = seeded[TARGET]
    reader = open_read_only(db_path)
    for conn in (store.conn, reader):
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_S * 1000
    reader.close()
    store.busy_timeout = 0.2  # the same path, quicker
    other = hold_write_lock(db_path)
    with pytest.raises(BusyError, match="已等待 0.2 秒.*输入的内容仍在"):
        store.add_item(eid, ItemInput(aspect="设备", indicator="数控化率"))
    other.execute("ROLLBACK")
    other.close()
    assert not store.conn.in_transaction
    assert store.item_count(eid) == 0
    store.add_item(eid, ItemInput(aspect="设备", indicator="数控化率"))
    assert store.item_count(eid) == 1


def _said(app: DuibiaoApp) -> list[str]:
    return [f"{n.title}：{n.message}" for n in app._notifications]


def _retries_ran_out(said: str) -> bool:
    """The save's last word, not the draft's (which also says the typing is still there)."""
    return "输入的内容仍在" in said and "草稿" not in said


async def test_a_retry_and_a_ctrl_s_in_one_turn_save_the_row_once(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    """A retry timer's save goes through and the officer's Ctrl+S comes before the editor
    has closed: one row, not two (seen in CI: the busy test's row stored twice). Both
    saves are run in one turn here, which is what that timing amounts to."""
    eid = seeded[TARGET]
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, eid)
        await pilot.press("n")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ItemEditorScreen)
        editor.query_one("#f-aspect", Input).value = "设备"
        editor.query_one("#f-indicator", Input).value = "返修率"
        editor.action_save()  # the retry
        editor.action_save()  # the key
        await pilot.pause()
        await pilot.press("f3")
        await wait_until(pilot, lambda: bool(app.screen.query("KeyFooter")), "the list")
        await pilot.press("ctrl+n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EnterpriseFormScreen)
        form.query_one("#f-name", Input).value = "镇江市一次机械有限公司"
        form.action_save()
        form.action_save()
        await pilot.pause()
    assert [i.indicator for i in store.items_for(eid)] == ["返修率"]
    named = "SELECT count(*) FROM enterprise WHERE name = '镇江市一次机械有限公司'"
    assert store.conn.execute(named).fetchone()[0] == 1


async def test_editor_answers_while_the_database_is_busy_and_keeps_the_row(
    app: DuibiaoApp,
    store: Store,
    seeded: dict[str, str],
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A save from the screen waits UI_BUSY_WAIT_S (in force on the app's connection), then
    says 数据库忙 and retries by timer: keys work between tries; after the last try it says
    the typing is still there, and it is; once the file is free the save goes through."""
    monkeypatch.setattr(base, "BUSY_RETRIES", 2)
    monkeypatch.setattr(base, "BUSY_RETRY_S", 0.2)
    eid = seeded[TARGET]
    async with app.run_test(size=SIZE) as pilot:
        assert app.store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == (
            base.UI_BUSY_WAIT_S * 1000
        )
        assert base.UI_BUSY_WAIT_S <= 0.5  # a save never holds the screen longer
        await open_page(pilot, eid)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#f-aspect", Input).value = "设备"
        app.screen.query_one("#f-indicator", Input).focus()
        other = hold_write_lock(db_path)
        await type_text(pilot, "返修")
        editor = app.screen
        assert isinstance(editor, ItemEditorScreen)
        # the draft timer fires while the lock is held: no crash, the draft kept in memory
        await wait_until(pilot, lambda: editor.draft_unsaved, "the draft to meet the lock")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ItemEditorScreen), "the editor stays open"
        assert any("数据库忙" in said and "自动重试" in said for said in _said(app))
        await type_text(pilot, "率")  # the screen answers keys while the lock is held
        assert app.screen.query_one("#f-indicator", Input).value == "返修率"
        await wait_until(  # the retries run out while the other program still writes
            pilot, lambda: any(_retries_ran_out(said) for said in _said(app)), "retries run out"
        )
        assert isinstance(app.screen, ItemEditorScreen)
        assert app.screen.query_one("#f-indicator", Input).value == "返修率"
        assert store.item_count(eid) == 0
        other.execute("ROLLBACK")
        other.close()
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [i.indicator for i in store.items_for(eid)] == ["返修率"]
