"""The core loop as a lagging laptop delivers it: keys in bursts, checked in the database.

``burst`` queues every key on the App at once, the way the terminal driver does when keys
arrive faster than the app handles them; ``pilot.press`` waits after each key and so never
saw keys typed after Tab landing in the field being left.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Input

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.screens.dialogs import ConfirmDialog
from duibiao_tui.screens.enterprise_form import EnterpriseFormScreen
from duibiao_tui.screens.enterprise_page import EnterprisePageScreen
from duibiao_tui.screens.enterprises import EnterpriseListScreen
from duibiao_tui.screens.item_editor import ItemEditorScreen
from duibiao_tui.store.store import Store
from duibiao_tui.widgets.virtual_table import VirtualTable
from tests.helpers import SIZE, settle, wait_until

TARGET = "镇江市长江电器设备厂"
NAMED_KEYS = {"tab", "shift+tab", "enter", "escape", "down", "up", "end", "backspace"}


async def burst(pilot: Pilot[Any], *keys: str) -> None:
    """Queue every key at once (text is split into characters), then let the app settle."""
    app = pilot.app
    for key in keys:
        chunks = [key] if key in NAMED_KEYS or key.startswith(("ctrl+", "f")) else list(key)
        for chunk in chunks:
            if len(chunk) == 1:
                app.post_message(events.Key(_character_to_key(chunk), chunk))
            else:
                app.post_message(events.Key(chunk, None))
    await settle(pilot)


async def on_list(pilot: Pilot[Any]) -> EnterpriseListScreen:
    await wait_until(pilot, lambda: pilot.app.screen.query("KeyFooter"), "the list's footer")
    screen = pilot.app.screen
    assert isinstance(screen, EnterpriseListScreen)
    return screen


async def new_enterprise_form(pilot: Pilot[Any]) -> None:
    """F3's list, Ctrl+N: the enterprise form (or the offer of its draft) is on top."""
    await on_list(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)


async def open_page(pilot: Pilot[Any], enterprise_id: str) -> EnterprisePageScreen:
    screen = await on_list(pilot)
    assert screen.query_one(VirtualTable).move_cursor_to_key(enterprise_id)
    await pilot.press("enter")
    await settle(pilot)
    page = pilot.app.screen
    assert isinstance(page, EnterprisePageScreen)
    return page


def field(app: DuibiaoApp, widget_id: str) -> str:
    return app.screen.query_one(f"#{widget_id}", Input).value


def row_of(db_path: Path, item_id: str) -> tuple[Any, ...]:
    conn = sqlite3.connect(db_path)
    try:
        return tuple(
            conn.execute("SELECT * FROM benchmark_item WHERE id = ?", [item_id]).fetchone()
        )
    finally:
        conn.close()


def audit_rows(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return int(conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])
    finally:
        conn.close()


# -- 1. the list's arrow keys ------------------------------------------------------------------


async def test_arrow_keys_on_the_list_move_its_cursor(
    app: DuibiaoApp, seeded: dict[str, str]
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_list(pilot)
        table = screen.query_one(VirtualTable)
        first = table.cursor_row
        await burst(pilot, "down", "down", "down", "up")
        assert table.cursor_row == first + 2
        await burst(pilot, "pagedown", "pageup", "down")
        assert app.is_running and isinstance(app.screen, EnterpriseListScreen)


# -- 3. typeahead after Tab ---------------------------------------------------------------------


async def test_keys_typed_after_tab_land_in_the_next_field_of_the_enterprise_form(
    app: DuibiaoApp, seeded: dict[str, str]
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await new_enterprise_form(pilot)
        assert isinstance(app.screen, EnterpriseFormScreen)
        await burst(pilot, "测试企业甲", "tab", "91321100MA1AB", "shift+tab", "厂")
        assert field(app, "f-name") == "测试企业甲厂"
        assert field(app, "f-credit_code") == "91321100MA1AB"


async def test_keys_typed_after_tab_land_in_the_next_field_of_the_row_editor(
    app: DuibiaoApp, seeded: dict[str, str]
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, seeded[TARGET])
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ItemEditorScreen)
        await burst(pilot, "a1", "tab", "b1", "tab", "tab", "sb", "tab", "合格率")
        assert field(app, "f-benchmark_text") == "a1"
        assert field(app, "f-benchmark_address") == "b1"
        assert field(app, "f-aspect") == "设备"  # sb → 设备 when leaving the field
        assert field(app, "f-indicator") == "合格率"


async def test_a_date_typed_fast_over_the_old_one_reads_as_typed(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    item = store.add_item(
        seeded[TARGET], ItemInput(aspect="设备", indicator="数控化率", due_text="2010-06-30")
    )
    async with app.run_test(size=SIZE) as pilot:
        page = await open_page(pilot, seeded[TARGET])
        page.query_one(VirtualTable).move_cursor_to_key(item.id)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#f-remarks", Input).focus()
        await burst(pilot, "shift+tab", "end", *["backspace"] * 10, "2009-10-15")
        assert field(app, "f-due_text") == "2009-10-15"


# -- 2. opening and saving unchanged changes nothing ------------------------------------------------


async def test_saving_a_library_linked_row_unchanged_keeps_its_benchmark(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], db_path: Path
) -> None:
    library = store.add_benchmark("上海电气集团股份有限公司", address="上海")
    item = store.add_item(
        seeded[TARGET],
        ItemInput(benchmark_id=library.id, aspect="设备", indicator="数控化率"),
    )
    before, audited = row_of(db_path, item.id), audit_rows(db_path)
    async with app.run_test(size=SIZE) as pilot:
        page = await open_page(pilot, seeded[TARGET])
        page.query_one(VirtualTable).move_cursor_to_key(item.id)
        await pilot.press("e")
        await settle(pilot)
        assert field(app, "f-benchmark_text") == "上海电气集团股份有限公司"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EnterprisePageScreen)
    assert row_of(db_path, item.id) == before
    assert audit_rows(db_path) == audited


async def test_a_row_edit_changes_only_the_field_that_was_typed(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], db_path: Path
) -> None:
    library = store.add_benchmark("安徽海螺水泥股份有限公司")
    item = store.add_item(
        seeded[TARGET],
        ItemInput(
            benchmark_id=library.id, aspect="设备", indicator="数控化率", due_text="2010年底"
        ),
    )
    before = row_of(db_path, item.id)
    async with app.run_test(size=SIZE) as pilot:
        page = await open_page(pilot, seeded[TARGET])
        page.query_one(VirtualTable).move_cursor_to_key(item.id)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#f-remarks", Input).focus()
        await burst(pilot, "见附件", "ctrl+s")
    after = row_of(db_path, item.id)
    columns = [d[1] for d in sqlite3.connect(db_path).execute("PRAGMA table_info(benchmark_item)")]
    changed = {c for c, old, new in zip(columns, before, after, strict=True) if old != new}
    assert changed == {"remarks", "updated_at", "version"} or changed == {"remarks", "version"}


# -- 4. desk keys -------------------------------------------------------------------------------


async def test_a_desk_key_lands_on_the_desk_not_on_a_page_left_open(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    store.add_item(seeded[TARGET], ItemInput(aspect="设备", indicator="数控化率"))
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, seeded[TARGET])
        await burst(pilot, "f4")
        await burst(pilot, "f3")
        screen = app.screen
        assert isinstance(screen, EnterpriseListScreen)
        assert app.focused is screen.query_one("#search")
        await burst(pilot, "dy")
        assert field(app, "search") == "dy"
    assert len(store.items_for(seeded[TARGET])) == 1


async def test_no_letter_on_the_page_removes_anything(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    """Search text typed on the page by mistake (d, x, y … were once commands) removes
    nothing: rows go with Delete (announced undo), the enterprise with Ctrl+D (asked)."""
    eid = seeded[TARGET]
    store.add_item(eid, ItemInput(aspect="设备", indicator="数控化率"))
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, eid)
        await burst(pilot, "dxyjrxydy")
        while not isinstance(app.screen, EnterprisePageScreen):
            await burst(pilot, "escape")
    assert len(store.items_for(eid)) == 1
    assert any(r.id == eid for r in store.first_enterprises(50))


# -- 5/6. drafts of every form, undo ------------------------------------------------------------


async def test_quitting_from_the_enterprise_form_keeps_the_typing_and_offers_it_back(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], db_path: Path, config: Any
) -> None:
    from duibiao_tui.app import make_app

    async with app.run_test(size=SIZE) as pilot:
        await new_enterprise_form(pilot)
        await burst(pilot, "镇江新企业", "tab", "913211")
        await burst(pilot, "ctrl+q")
    assert store.form_drafts.get("enterprise", "new:") is not None

    again = make_app(store, config=config, db_label="测试.db", start_mode="enterprises")
    async with again.run_test(size=SIZE) as pilot:
        await new_enterprise_form(pilot)
        assert isinstance(again.screen, ConfirmDialog)
        await burst(pilot, "escape")  # "later": a stray Esc must not throw the draft away
        assert isinstance(again.screen, EnterpriseFormScreen)
        assert field(again, "f-name") == ""
        await burst(pilot, "escape")
    assert store.form_drafts.get("enterprise", "new:") is not None

    third = make_app(store, config=config, db_label="测试.db", start_mode="enterprises")
    async with third.run_test(size=SIZE) as pilot:
        await new_enterprise_form(pilot)
        await burst(pilot, "enter")  # 继续编辑
        assert field(third, "f-name") == "镇江新企业"
        assert field(third, "f-credit_code") == "913211"
        # one stray key does not wipe the resumed text, and Ctrl+Z takes back what it did
        await burst(pilot, "x")
        assert field(third, "f-name") == "镇江新企业x"
        await burst(pilot, "ctrl+z")
        assert field(third, "f-name") == "镇江新企业"


async def test_leaving_a_dialog_with_esc_keeps_its_typing(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    from duibiao_tui.screens.status_dialog import FlagDialog

    item = store.add_item(seeded[TARGET], ItemInput(aspect="设备", indicator="数控化率"))
    async with app.run_test(size=SIZE) as pilot:
        page = await open_page(pilot, seeded[TARGET])
        page.query_one(VirtualTable).move_cursor_to_key(item.id)
        await burst(pilot, "!")
        assert isinstance(app.screen, FlagDialog)
        await burst(pilot, "数据与附件不符")
        await burst(pilot, "escape")
        assert isinstance(app.screen, EnterprisePageScreen)
    draft = store.form_drafts.get("flag", item.id)
    assert draft is not None and "数据与附件不符" in draft.values.values()


async def test_u_takes_back_an_edit_a_copy_and_a_move(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    eid = seeded[TARGET]
    first = store.add_item(eid, ItemInput(aspect="设备", indicator="甲"))
    store.add_item(eid, ItemInput(aspect="工艺", indicator="乙"))

    def order() -> list[str]:
        return [i.indicator for i in store.items_for(eid)]

    async with app.run_test(size=SIZE) as pilot:
        page = await open_page(pilot, eid)
        page.query_one(VirtualTable).move_cursor_to_key(first.id)
        await burst(pilot, "c")
        assert order() == ["甲", "甲", "乙"]
        await burst(pilot, "u")
        assert order() == ["甲", "乙"]
        page.query_one(VirtualTable).move_cursor_to_key(first.id)
        await burst(pilot, "ctrl+down")
        assert order() == ["乙", "甲"]
        await burst(pilot, "u")
        assert order() == ["甲", "乙"]
        page.query_one(VirtualTable).move_cursor_to_key(first.id)
        await burst(pilot, "e")
        app.screen.query_one("#f-indicator", Input).focus()
        await burst(pilot, "丙", "ctrl+s")
        assert order() == ["甲丙", "乙"]
        await burst(pilot, "u")
        assert order() == ["甲", "乙"]


# -- 7. benchmark completion ------------------------------------------------------------------


async def test_benchmark_completion_finds_fragments_and_pinyin(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], db_path: Path
) -> None:
    shanghai = store.add_benchmark("上海电气集团股份有限公司", address="上海")
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, seeded[TARGET])
        await pilot.press("n")
        await settle(pilot)
        await burst(pilot, "shdq")
        await burst(pilot, "down", "enter")
        assert field(app, "f-benchmark_text") == "上海电气集团股份有限公司"
        assert field(app, "f-benchmark_address") == "上海"
        # a new name: the library entry's address does not stay behind
        app.screen.query_one("#f-benchmark_text", Input).value = "西门子（中国）有限公司"
        await settle(pilot)
        assert field(app, "f-benchmark_address") == ""
        app.screen.query_one("#f-benchmark_text", Input).value = "上海电气集团股份有限公司"
        await settle(pilot)
        await burst(pilot, "tab", "tab", "tab", "设备", "tab", "数控化率", "ctrl+s")
    (item,) = store.items_for(seeded[TARGET])
    assert item.benchmark_id == shanghai.id


# -- 8. feedback ---------------------------------------------------------------------------------


async def test_a_corrected_credit_code_loses_its_error(
    app: DuibiaoApp, seeded: dict[str, str]
) -> None:
    from textual.widgets import Label

    async with app.run_test(size=SIZE) as pilot:
        await new_enterprise_form(pilot)
        await burst(pilot, "测试企业乙", "tab", "913211000000000001", "ctrl+s")
        error = app.screen.query_one("#err-credit_code", Label)
        assert "校验位" in str(error.render())
        await burst(pilot, "backspace")
        assert str(error.render()).strip() == ""


def test_a_receipt_day_without_its_year_is_read() -> None:
    from datetime import date

    from duibiao_tui.domain.review import parse_receipt_date

    today = date(2009, 10, 25)
    assert parse_receipt_date("10月22日", today) == date(2009, 10, 22)
    assert parse_receipt_date("12月1日", today) == date(2008, 12, 1)
    assert parse_receipt_date("2009-10-18", today) == date(2009, 10, 18)


# -- 9/10. a full disk and a busy file while typing ---------------------------------------------


@pytest.mark.usefixtures("no_draft_delay")
async def test_a_full_database_while_typing_keeps_the_row_and_the_app(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    eid = seeded[TARGET]
    long_text = "数控化率提升计划" * 400  # overflow pages: the draft needs room the file lacks
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, eid)
        await pilot.press("n")
        await settle(pilot)
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")
        app.screen.query_one("#f-aspect", Input).value = "设备"
        app.screen.query_one("#f-remarks", Input).value = long_text
        editor = app.screen
        assert isinstance(editor, ItemEditorScreen)
        await wait_until(pilot, lambda: editor.draft_unsaved, "the draft to meet SQLITE_FULL")
        editor.query_one("#f-indicator", Input).value = "数控化率"
        await burst(pilot, "ctrl+s")
        assert app.screen is editor  # not saved, not closed, nothing lost
        assert field(app, "f-remarks") == long_text
        assert store.items_for(eid) == []
        assert "磁盘已满" in " ".join(str(n.title) for n in app._notifications)
        editor.query_one("#f-remarks", Input).value = "见附件"  # within 备注's limit
        store.conn.execute(f"PRAGMA max_page_count = {pages + 10_000}")
        await burst(pilot, "ctrl+s")
        assert isinstance(app.screen, EnterprisePageScreen)
        assert app.is_running
    (item,) = store.items_for(eid)
    assert item.remarks == "见附件"


async def test_a_busy_file_does_not_freeze_the_save_and_it_goes_through_later(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], db_path: Path
) -> None:
    eid = seeded[TARGET]
    other = sqlite3.connect(db_path, isolation_level=None)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, eid)
        await pilot.press("n")
        await settle(pilot)
        assert store.busy_timeout <= 1  # the screen's writes wait briefly, then retry
        await burst(pilot, "tab", "tab", "tab", "设备", "tab", "数控化率")
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        await burst(pilot, "ctrl+s")
        assert isinstance(app.screen, ItemEditorScreen)
        assert store.items_for(eid) == []
        await burst(pilot, "escape")  # the screen still answers keys while it waits …
        if isinstance(app.screen, ConfirmDialog):
            await burst(pilot, "n")  # … and the officer stays on the row
        other.execute("ROLLBACK")
        await wait_until(pilot, lambda: store.items_for(eid), "the row written after the retry")
    other.close()
    (item,) = store.items_for(eid)
    assert item.indicator == "数控化率"
