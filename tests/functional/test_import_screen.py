"""The import screen driven by keys on a real SQLite file: pick a file, read the preview,
import everything or only the valid rows, and refuse bad files without changing anything."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, Label, OptionList, Select

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.screens.dialogs import ConfirmDialog, HelpDialog
from duibiao_tui.screens.import_screen import ImportScreen, folder_files
from duibiao_tui.store.backup import list_backups
from duibiao_tui.store.store import Store
from duibiao_tui.widgets.virtual_table import VirtualTable
from tests.helpers import settle

FORMS = Path(__file__).parents[1] / "fixtures" / "forms"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The officer's working folder with a few received files."""
    work = tmp_path / "收到的表"
    work.mkdir()
    for name in ("handmade.xlsx", "duplicates.xlsx", "not_a_spreadsheet.xlsx"):
        shutil.copy(FORMS / name, work / name)
    workbook = openpyxl.Workbook()
    workbook.active.append(["企业名称", "辖市区", "主导产品"])
    workbook.active.append(["镇江市新华机械厂", "京口区", "减速机"])
    workbook.active.append(["丹阳市天工刀具厂", "丹阳", "刀具"])
    workbook.save(work / "名单.xlsx")
    (work / "说明.txt").write_text("not listed", encoding="utf-8")
    received = ["handmade.xlsx", "duplicates.xlsx", "not_a_spreadsheet.xlsx", "名单.xlsx"]
    for n, name in enumerate(received):  # a fixed order, newest last (the list shows it first)
        os.utime(work / name, (1_254_960_000 + n * 60, 1_254_960_000 + n * 60))
    monkeypatch.chdir(work)
    return work


def checksum(store: Store) -> str:
    return hashlib.sha256("\n".join(store.conn.iterdump()).encode()).hexdigest()


async def open_import(pilot: Pilot[Any]) -> ImportScreen:
    await pilot.pause()
    pilot.app.push_screen(ImportScreen())
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ImportScreen)
    return screen


def text(screen: ImportScreen, widget_id: str) -> str:
    return str(screen.query_one(f"#{widget_id}", Label).content)


async def type_path(pilot: Pilot[Any], path: str) -> None:
    field = pilot.app.screen.query_one("#import-path", Input)
    field.value = path
    field.focus()
    await pilot.press("enter")
    await settle(pilot)


def test_folder_files_lists_spreadsheets_newest_first(folder: Path) -> None:
    names = folder_files(folder)
    assert set(names) == {"handmade.xlsx", "duplicates.xlsx", "not_a_spreadsheet.xlsx", "名单.xlsx"}
    assert names[0] == "名单.xlsx"  # written last


async def test_preview_then_import_a_form(app: DuibiaoApp, store: Store, folder: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_import(pilot)
        listed = screen.query_one("#import-files", OptionList)
        assert listed.option_count == 4
        before = checksum(store)
        await type_path(pilot, "handmade.xlsx")
        assert screen.query_one("#import-kind", Select).value == "form"  # guessed
        assert screen.query_one("#import-mode", Select).value == "update"
        summary = text(screen, "import-summary")
        assert "handmade.xlsx（情况表，导入到 2009年质量标杆对比活动）" in summary
        assert "企业：新增 1 家" in summary and "对标行：新增 4 行" in summary
        assert checksum(store) == before  # the preview writes nothing
        assert not screen.query_one("#import-all-button", Button).disabled
        assert screen.query_one("#import-valid-button", Button).disabled

        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "将新增企业 1 家、新增对标行 4 行" in dialog.question
        assert "备份" in dialog.question
        await pilot.press("y")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert "已导入 handmade.xlsx" in text(screen, "import-summary")
        assert store.count_enterprises() == 1
        assert store.conn.execute("SELECT count(*) FROM benchmark_item").fetchone()[0] == 4
        assert any(n.title == "导入完成" for n in pilot.app._notifications)
        assert store.path is not None
        assert [b.reason for b in list_backups(store.path)] == ["导入前"]
        assert screen.query_one("#import-all-button", Button).disabled  # not twice

        # The same file again: nothing to write.
        await type_path(pilot, "handmade.xlsx")
        assert "无变化 4 行" in text(screen, "import-summary")
        assert "没有需要写入的" in text(screen, "import-summary")


async def test_refusals_are_listed_and_valid_rows_can_be_imported(
    app: DuibiaoApp, store: Store, folder: Path
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_import(pilot)
        screen.query_one("#import-path", Input).focus()
        await pilot.press("down")  # to the folder's files
        files = screen.query_one("#import-files", OptionList)
        assert screen.focused is files
        position = folder_files(folder).index("duplicates.xlsx")
        files.highlighted = position
        await pilot.press("enter")
        await settle(pilot)
        assert screen.query_one("#import-path", Input).value == "duplicates.xlsx"
        table = screen.query_one("#import-problems", VirtualTable)
        assert table.row_count == 3
        assert table.get_row("0") == ("情况表", "6", "A6", "序号", "序号 2 与第5行重复")
        assert tuple(table.get_row("2") or ())[:4] == ("又一份", "2", "A2", "对标单位")
        detail = text(screen, "import-detail")
        assert detail == "工作表「情况表」 第6行 序号 (A6): 序号 2 与第5行重复"
        assert screen.query_one("#import-all-button", Button).disabled
        assert "有问题 3 行" in text(screen, "import-summary")

        before = checksum(store)
        await pilot.press("ctrl+s")  # not offered while anything is refused
        await pilot.pause()
        assert pilot.app.screen is screen and checksum(store) == before

        await pilot.press("ctrl+o")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert (
            "有问题的 3 处不导入，另存为 exports/ 中的「duplicates-错误.xlsx」" in dialog.question
        )
        await pilot.press("y")
        await settle(pilot)
        error_file = folder / "exports" / "duplicates-错误.xlsx"  # not beside the input
        assert error_file.exists()
        assert f"有问题的行已另存：{error_file}" in text(screen, "import-result")
        assert store.conn.execute("SELECT count(*) FROM benchmark_item").fetchone()[0] == 2
        assert table.row_count == 3  # the refusals stay in view to fix the file
        names = [str(o.prompt) for o in files.options]
        assert "exports/duplicates-错误.xlsx" == names[-1]  # listed again, error workbooks last


async def test_an_enterprise_list_is_recognised_and_the_kind_can_be_changed(
    app: DuibiaoApp, store: Store, folder: Path
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_import(pilot)
        await type_path(pilot, str(folder / "名单.xlsx"))
        assert screen.query_one("#import-kind", Select).value == "enterprises"
        assert screen.query_one("#import-mode", Select).value == "skip"
        assert "新增 2 家" in text(screen, "import-summary")

        screen.query_one("#import-kind", Select).value = "form"  # the officer says: a form
        await pilot.pause()
        await settle(pilot)
        assert "缺少必需的列" in text(screen, "import-summary")
        assert "「项目」" in text(screen, "import-summary")
        assert screen.query_one("#import-all-button", Button).disabled

        screen.query_one("#import-kind", Select).value = "enterprises"
        await pilot.pause()
        await settle(pilot)
        await pilot.press("ctrl+s", "y")
        await settle(pilot)
        assert store.count_enterprises() == 2


async def test_a_file_that_is_not_a_spreadsheet_changes_nothing(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], folder: Path
) -> None:
    before = checksum(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(pilot)
        await type_path(pilot, "'not_a_spreadsheet.xlsx'")  # pasted with quotes
        summary = text(screen, "import-summary")
        assert summary.startswith("无法读取文件：not_a_spreadsheet.xlsx：这是 PDF 文件")
        assert screen.query_one("#import-summary", Label).has_class("-error")
        assert screen.query_one("#import-all-button", Button).disabled
        await type_path(pilot, "nowhere.xlsx")
        assert "文件不存在" in text(screen, "import-summary")
        await type_path(pilot, "")
        assert any("请先输入" in n.message for n in pilot.app._notifications)
    assert checksum(store) == before


async def test_help_and_leaving(app: DuibiaoApp, store: Store, folder: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_import(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ImportScreen)


async def test_a_read_only_database_previews_but_does_not_import(
    app: DuibiaoApp, store: Store, folder: Path
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_import(pilot)
        await type_path(pilot, "handmade.xlsx")
        store.read_only = True  # as after a failed file check
        before = checksum(store)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert any(n.title == "只读" for n in pilot.app._notifications)
        assert checksum(store) == before
