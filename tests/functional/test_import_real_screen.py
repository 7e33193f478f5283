"""F7 from an enterprise's page imports a table without 对标单位 into that enterprise, and
the preview lists every 提示 (项目 mappings, 同上, free-text dates) after the problems;
``import form --enterprise`` does the same from the shell."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from textual.pilot import Pilot
from textual.widgets import Input, Label

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.cli.imports import form_command
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.screens.dialogs import ConfirmDialog
from duibiao_tui.screens.enterprise_page import EnterprisePageScreen
from duibiao_tui.screens.import_screen import ImportScreen
from duibiao_tui.store.store import Store
from duibiao_tui.widgets.virtual_table import VirtualTable
from tests.helpers import settle

REAL = Path(__file__).parents[1] / "fixtures" / "forms" / "real"


def rows_only(path: Path) -> Path:
    """A table of rows and nothing to say whose it is."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["序号", "标杆企业", "项目", "指标内容", "完成时间"])
    ws.append([1, "甲公司", "质量管理", "体系认证", "长期"])
    ws.append([2, "甲公司", "设备", "数控化率", "2010年底"])
    wb.save(path)
    return path


@pytest.fixture
def owner(store: Store, districts: dict[str, str]) -> str:
    return store.add_enterprise(
        EnterpriseInput(name="镇江市长江电器设备厂", district_id=districts["京口区"])
    ).id


async def preview_in_f7(app: DuibiaoApp, pilot: Pilot[Any], path: str) -> ImportScreen:
    """F7 from the desk, ``path`` typed, Enter: the preview shown."""
    await pilot.pause()
    app.action_import_file()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ImportScreen)
    field = screen.query_one("#import-path", Input)
    field.value = path
    field.focus()
    await pilot.press("enter")
    await settle(pilot)
    return screen


async def test_f7_from_an_enterprise_page_imports_into_it(
    app: DuibiaoApp, store: Store, owner: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = rows_only(tmp_path / "rows.xlsx")
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        app.push_screen(EnterprisePageScreen(owner))
        await pilot.pause()
        app.action_import_file()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ImportScreen) and screen.enterprise_id == owner
        field = screen.query_one("#import-path", Input)
        field.value = str(path)
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        summary = str(screen.query_one("#import-summary", Label).content)
        assert "没有对标单位的表导入到「镇江市长江电器设备厂」" in summary
        assert "对标行：新增 2 行" in summary and "提示 " in summary
        table = screen.query_one("#import-problems", VirtualTable)
        shown = [str(p) for p in screen.problems]
        assert any("项目「质量管理」按「质量管理制度」导入" in s for s in shown)
        assert any("完成时间「长期」不是日期" in s for s in shown)
        assert table.row_count == len(shown)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
    items = store.items_for(owner)
    assert [(i.seq, i.aspect, i.due_text, i.due_date) for i in items] == [
        (1, "质量管理制度", "长期", None),
        (2, "设备", "2010年底", "2010-12-31"),
    ]


def test_cli_enterprise_option(store: Store, owner: str, db_path: Path, tmp_path: Path) -> None:
    store.close()
    path = rows_only(tmp_path / "rows.xlsx")
    refused = CliRunner().invoke(form_command, [str(path), "--db", str(db_path)])
    assert refused.exit_code == 1
    assert "不知道这张表是哪家企业的" in refused.stderr
    done = CliRunner().invoke(
        form_command, [str(path), "--enterprise", "长江电器", "--db", str(db_path)]
    )
    assert done.exit_code == 0, done.output
    assert "对标行新增 2 行" in done.stdout
    assert (
        "提示：rows.xlsx 工作表「Sheet1」 没有对标单位，按指定的企业「镇江市长江电器设备厂」导入"
        in done.stderr
    )


def test_cli_enterprise_option_refuses_a_form_of_another(
    store: Store, owner: str, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the error workbook goes to exports/ here
    store.close()
    form = tmp_path / "real_form.xlsx"
    shutil.copy(REAL / "real_form.xlsx", form)
    wb = openpyxl.load_workbook(form)
    wb.active["A2"] = "对标单位：镇江市另一家工厂"
    wb.save(form)
    result = CliRunner().invoke(
        form_command, [str(form), "--enterprise", "镇江市长江电器设备厂", "--db", str(db_path)]
    )
    assert result.exit_code == 1
    assert (
        "real_form.xlsx 工作表「情况表」 第2行 对标单位 (A2): 表头写的是「镇江市另一家工厂」，"
        "不是指定的企业「镇江市长江电器设备厂」"
    ) in result.stderr.splitlines()
    valid = CliRunner().invoke(
        form_command,
        [str(form), "--enterprise", "镇江市长江电器设备厂", "--valid-only", "--db", str(db_path)],
    )
    assert valid.exit_code == 0, valid.output
    assert "企业新增 0 家" in valid.stdout and "对标行新增 0 行" in valid.stdout  # none of it


async def test_the_row_editor_keeps_free_text_due_as_written(
    app: DuibiaoApp, store: Store, owner: str
) -> None:
    from duibiao_tui.screens.item_editor import ItemEditorScreen

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(EnterprisePageScreen(owner))
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ItemEditorScreen)
        editor.query_one("#f-aspect", Input).value = "工艺"
        editor.query_one("#f-indicator", Input).value = "工艺纪律执行率"
        editor.query_one("#f-due_text", Input).value = "长期"
        await pilot.pause()
        assert str(editor.query_one("#hint-due_text", Label).content) == "→ 未定（按原文保存）"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
    (item,) = store.items_for(owner)
    assert (item.due_text, item.due_date) == ("长期", None)


async def test_f7_preview_says_the_filled_on_date(
    app: DuibiaoApp, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(REAL / "real_form.xlsx", tmp_path / "real_form.xlsx")
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await preview_in_f7(app, pilot, "real_form.xlsx")
        assert screen.enterprise_id is None
        summary = str(screen.query_one("#import-summary", Label).content)
        assert "填报日期（随报送记录保存）：镇江市长江电器设备厂：2009年10月15日" in summary
        assert "提示 8 条" in summary


async def test_f7_lists_every_note_of_a_district_list(
    app: DuibiaoApp, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 提示 the CLI prints for a list are all in F7 too: the column not imported, the
    look-alike, the formula, the hidden and 合计 rows, and each row's own warnings."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(REAL / "real_list.xlsx", tmp_path / "real_list.xlsx")
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await preview_in_f7(app, pilot, "real_list.xlsx")
        summary = str(screen.query_one("#import-summary", Label).content)
        assert "新增 3 家" in summary and "提示 8 条" in summary
        table = screen.query_one("#import-problems", VirtualTable)
        assert table.row_count == len(screen.problems) == 8
        shown = [str(p) for p in screen.problems]
        for said in (
            "未识别的列（不导入）：辖区代号",
            "列「辖区代号」看起来是「辖市区」",
            "单元格 B7 是公式",
            "第6行是隐藏行，未导入",
            "第7行是合计行，未导入",
            "第3行：主体标识码（第 9–17 位）校验位不符",
        ):
            assert any(said in s for s in shown), said


async def test_f7_lists_what_each_update_changes(
    app: DuibiaoApp, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The form imported once, then sent back with a row inserted above another changed
    one: F7 says which rows change and how (the columns, 序号 included), as the CLI does."""
    from duibiao_tui.excel.form_import import apply_form_import, plan_form_import

    monkeypatch.chdir(tmp_path)
    path = tmp_path / "real_form.xlsx"
    shutil.copy(REAL / "real_form.xlsx", path)
    apply_form_import(store, plan_form_import(store, path))
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.cell(row=8, column=1).value = 6  # the last row: 序号 5 → 6
    ws.cell(row=8, column=8).value = "按季度复核，改"  # and its plan
    wb.save(path)
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await preview_in_f7(app, pilot, "real_form.xlsx")
        summary = str(screen.query_one("#import-summary", Label).content)
        assert "更新 1 处（改动的列，列在最后）" in summary
        assert screen.problems[-1] == "工作表「情况表」 第8行：提升计划和措施、序号"
        table = screen.query_one("#import-problems", VirtualTable)
        assert table.row_count == len(screen.problems)
