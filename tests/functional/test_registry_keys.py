"""The registry driven by key presses, as an officer would, checking what is stored."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList
from textual.widgets import Input, Label

from duibiao_tui.app import DuibiaoApp, make_app
from duibiao_tui.config import Config, load_config
from duibiao_tui.domain.models import EnterpriseQuery
from duibiao_tui.screens.dashboard import DashboardScreen
from duibiao_tui.screens.dialogs import ConfirmDialog, HelpDialog
from duibiao_tui.screens.enterprise_form import EnterpriseFormScreen
from duibiao_tui.screens.enterprise_page import EnterprisePageScreen
from duibiao_tui.screens.enterprises import EnterpriseListScreen
from duibiao_tui.screens.settings import SettingsDialog
from duibiao_tui.store.store import Store
from duibiao_tui.widgets.virtual_table import VirtualTable
from tests.helpers import SIZE, type_text, wait_until


def listed(app: DuibiaoApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, EnterpriseListScreen)
    return [row.name for row in screen.rows]


async def test_add_enterprise_fix_bad_credit_code_and_save(app: DuibiaoApp, store: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, EnterpriseFormScreen)
        await type_text(pilot, "镇江市金山化工有限公司")
        await pilot.press("tab")
        await type_text(pilot, "91110000600037341N")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EnterpriseFormScreen), "a bad code must not save"
        error = app.screen.query_one("#err-credit_code", Label)
        assert "校验位应为 L" in str(error.render())
        assert store.count_enterprises() == 0
        code = app.screen.query_one("#f-credit_code", Input)
        code.focus()
        await pilot.press("backspace")
        await pilot.press("L")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EnterpriseListScreen)
        assert listed(app) == ["镇江市金山化工有限公司"]
    enterprise = store.get_enterprise(store.search_enterprises(EnterpriseQuery())[0].id)
    assert enterprise.uscc == "91110000600037341L"
    assert enterprise.created_by == "王明"


async def test_edit_changes_the_stored_row(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(VirtualTable)
        assert table.move_cursor_to_key(seeded["句容市宝华建材有限公司"])
        await pilot.press("ctrl+e")
        assert isinstance(app.screen, EnterpriseFormScreen)
        app.screen.query_one("#f-address", Input).focus()
        await type_text(pilot, "句容市宝华镇")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EnterpriseListScreen)
    assert store.get_enterprise(seeded["句容市宝华建材有限公司"]).address == "句容市宝华镇"


async def test_escape_with_unsaved_changes_asks_first(app: DuibiaoApp, store: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+n")
        await type_text(pilot, "未保存企业")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert isinstance(app.screen, EnterpriseFormScreen)
        assert app.screen.query_one("#f-name", Input).value == "未保存企业"
        await pilot.press("escape")
        await pilot.press("y")
        assert isinstance(app.screen, EnterpriseListScreen)
    assert store.count_enterprises() == 0


async def test_delete_asks_then_undo_restores(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    target = seeded["扬中市新坝电气股份有限公司"]
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one(VirtualTable).move_cursor_to_key(target)
        await pilot.press("ctrl+d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert "扬中市新坝电气股份有限公司" not in listed(app)
        assert store.get_enterprise(target).deleted_at is not None
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "扬中市新坝电气股份有限公司" in listed(app)
    assert store.get_enterprise(target).deleted_at is None


async def test_removed_list_restores_with_enter(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    target = seeded["句容市宝华建材有限公司"]
    store.remove_enterprise(target)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        assert listed(app) == ["句容市宝华建材有限公司"]
        await pilot.press("enter")
        await pilot.pause()
        assert listed(app) == []
        await pilot.press("ctrl+r")
        assert "句容市宝华建材有限公司" in listed(app)
    assert store.get_enterprise(target).deleted_at is None


async def test_typing_searches_by_polyphonic_pinyin_initials(
    app: DuibiaoApp, seeded: dict[str, str]
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        assert len(listed(app)) == len(seeded)
        await type_text(pilot, "cjdq")  # the search box has the focus: just type
        await pilot.pause()
        assert app.screen.query_one("#search", Input).value == "cjdq"
        assert listed(app) == ["镇江市长江电器设备厂"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EnterprisePageScreen)
        assert app.screen.enterprise_id == seeded["镇江市长江电器设备厂"]
        await pilot.press("escape")  # back to the list, search still there
        assert listed(app) == ["镇江市长江电器设备厂"]
        await pilot.press("escape")  # clears the search
        assert len(listed(app)) == len(seeded)
        app.screen.query_one(VirtualTable).focus()
        await pilot.press("down")
        await type_text(pilot, "grs")  # letters typed on the table go to the search too
        assert app.screen.query_one("#search", Input).value == "grs"  # 句 read gou
        await pilot.pause()
        assert listed(app) == ["句容市宝华建材有限公司"]


async def test_palette_jumps_to_enterprise_by_pinyin(
    app: DuibiaoApp, seeded: dict[str, str]
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await type_text(pilot, "hscy")
        listed = app.screen.query_one(CommandList)
        await wait_until(
            pilot,
            lambda: listed.option_count and "恒顺" in str(listed.get_option_at_index(0).prompt),
            "恒顺 first in the palette",
        )
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EnterprisePageScreen)
        assert app.screen.enterprise_id == seeded["江苏恒顺醋业股份有限公司"]


async def test_help_lists_the_screen_keys(app: DuibiaoApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpDialog)
        keys = str(app.screen.query_one("#help-keys").render())
        assert "新增" in keys and "撤销" in keys and "已删除" in keys
        await pilot.press("escape")
        assert isinstance(app.screen, EnterpriseListScreen)


async def test_first_run_asks_for_the_officer_and_saves_it(store: Store, tmp_path: Path) -> None:
    config_file = tmp_path / "cfg" / "config.json"
    app = make_app(store, config=Config(), config_file=config_file)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SettingsDialog)
        await pilot.press("enter")  # empty name is refused
        assert isinstance(app.screen, SettingsDialog)
        await type_text(pilot, "李华")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)  # the home screen, after the question
        assert "李华" in app.sub_title
    assert load_config(config_file).officer == "李华"
    assert store.officer == "李华"


async def test_usable_at_80x24(app: DuibiaoApp, seeded: dict[str, str]) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one(VirtualTable)
        assert table.size.height >= 10
        assert "main_products" not in [c.key for c in table.columns]
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, EnterpriseFormScreen)


async def test_usable_at_200x60(app: DuibiaoApp, seeded: dict[str, str]) -> None:
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(VirtualTable)
        assert "main_products" in [c.key for c in table.columns]
        assert table.size.width >= 190 and table.size.height >= 45
        line = table.render_line(1).text
        assert "丹阳市华通光学眼镜有限公司" in line and "树脂镜片" in line


async def test_title_bar_shows_officer_and_file_even_with_brackets(store: Store) -> None:
    app = make_app(store, config=Config(officer="王明"), db_label="/data/[2009]/丹阳.db")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        from duibiao_tui.widgets.title_bar import TitleBar

        text = str(app.screen.query_one(TitleBar).render())
        assert text == "质量标杆对比 — 王明 · /data/[2009]/丹阳.db"
