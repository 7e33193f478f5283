"""The audit trail and the backups, as an officer sees them."""

from __future__ import annotations

from pathlib import Path

import pytest

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.domain.review import Receipt
from duibiao_tui.screens.backups import BackupsScreen
from duibiao_tui.screens.dialogs import ConfirmDialog
from duibiao_tui.screens.history import HistoryScreen
from duibiao_tui.store.backup import list_backups, take_backup
from duibiao_tui.store.store import Store
from duibiao_tui.widgets.virtual_table import VirtualTable
from tests.helpers import SIZE, wait_until

NAME = "镇江市长江电器设备厂"


def rows_of(app: DuibiaoApp) -> list[tuple[str, ...]]:
    table = app.screen.query_one(VirtualTable)
    return [tuple(table.get_row(k) or ()) for k in table._keys]  # type: ignore[attr-defined]


async def test_history_of_an_enterprise_and_of_a_row(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    from datetime import date

    eid = seeded[NAME]
    item = store.add_item(eid, ItemInput(aspect="设备", indicator="数控化率", remarks="甲"))
    store.update_item(item.id, ItemInput(aspect="设备", indicator="数控化率", remarks="乙"))
    store.change_status([eid], "已报送", receipt=Receipt(date(2009, 10, 8)))
    enterprise = store.get_enterprise(eid)
    data = enterprise.to_input()
    store.update_enterprise(eid, EnterpriseInput(**{**data.__dict__, "address": "京口路1号"}))
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(HistoryScreen(eid, title=NAME))
        await pilot.pause()
        changes = [r[3] for r in rows_of(app)]
        assert "修改 地址：（空） → 京口路1号" in changes
        assert "修改 备注：甲 → 乙" in changes
        assert any(c.startswith("新增") for c in changes)
        assert "新增 状态：（空） → 已报送" in changes
        assert all(r[1] == "王明" for r in rows_of(app))
        await pilot.press("escape")
        app.push_screen(HistoryScreen(eid, item_id=item.id, title="第1行"))
        await pilot.pause()
        whats = {r[2] for r in rows_of(app)}
        assert whats == {"对标项目·第1行 数控化率"}


async def test_backups_screen_takes_and_offers_restore(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], db_path: Path
) -> None:
    take_backup(db_path, "每日")
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(BackupsScreen())
        await pilot.pause()
        assert len(rows_of(app)) == 1 and rows_of(app)[0][1] == "每日"
        await pilot.press("b")
        await wait_until(pilot, lambda: len(rows_of(app)) == 2, "the new backup listed")
        assert len(list_backups(db_path)) == 2
        assert len(rows_of(app)) == 2
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
    assert app.return_value is not None and app.return_value.startswith("restore:")


async def test_the_app_opens_on_the_dashboard(store: Store, seeded: dict[str, str]) -> None:
    from duibiao_tui.app import make_app
    from duibiao_tui.config import Config
    from duibiao_tui.screens.dashboard import DashboardScreen

    app = make_app(store, config=Config(officer="王明"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("f3")
        await pilot.pause()
        assert app.current_mode == "enterprises"


async def test_history_opens_from_the_page_and_from_a_row(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    from tests.functional.test_item_editor_keys import open_page

    eid = seeded[NAME]
    store.add_item(eid, ItemInput(aspect="设备", indicator="数控化率"))
    second = store.add_item(eid, ItemInput(aspect="工艺", indicator="一次合格率"))
    store.update_item(second.id, ItemInput(aspect="工艺", indicator="一次交验合格率"))
    async with app.run_test(size=SIZE) as pilot:
        page = await open_page(pilot, eid)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert len(rows_of(app)) >= 4  # enterprise insert, two rows, one update
        await pilot.press("escape")
        await pilot.pause()
        page.query_one(VirtualTable).move_cursor_to_key(second.id)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert [r[3] for r in rows_of(app)][0] == "修改 指标内容：一次合格率 → 一次交验合格率"
        assert {r[2] for r in rows_of(app)} == {"对标项目·第2行 一次交验合格率"}


async def test_damage_found_after_first_paint_offers_the_newest_backup(
    store: Store, seeded: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """quick_check runs in a worker after the first paint; damage turns the app read-only
    and offers to restore (the app then exits with that request for run_app). Detecting
    real damage is tested on files in tests/unit/test_backup.py."""
    from duibiao_tui.app import make_app
    from duibiao_tui.config import Config
    from duibiao_tui.errors import CorruptDatabaseError

    def damaged(path: Path) -> None:
        raise CorruptDatabaseError(f"{path} 已损坏（database disk image is malformed）", path)

    monkeypatch.setattr("duibiao_tui.store.store.quick_check_file", damaged)
    app = make_app(store, config=Config(officer="王明"))
    app.check_on_start = True
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the damage dialog")
        assert isinstance(app.screen, ConfirmDialog)
        assert "已损坏" in app.screen.question
        assert store.read_only and "只读" in app.sub_title
        await pilot.press("y")
        await pilot.pause()
    assert app.return_value == "restore-latest"


async def test_damage_met_mid_session_stops_without_a_traceback(
    store: Store, seeded: dict[str, str]
) -> None:
    """SQLite meeting a damaged page in some handler: no traceback, no more writes, the app
    leaves with "damaged" (run_app then prints how to restore)."""
    import sqlite3

    from duibiao_tui.app import make_app
    from duibiao_tui.config import Config

    app = make_app(store, config=Config(officer="王明"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app._handle_exception(sqlite3.DatabaseError("database disk image is malformed"))
    assert app.return_value == "damaged" and store.read_only
