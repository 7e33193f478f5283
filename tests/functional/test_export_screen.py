"""The export screen driven by keys: choose what, export in a worker with a progress bar,
confirm before overwriting, the path shown after."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, ProgressBar, RadioSet, Select, Static

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.excel.export_jobs import CSV, FORM_ONE, SUMMARY, ExportJob, job_targets, run_export
from duibiao_tui.screens.dialogs import ConfirmDialog
from duibiao_tui.screens.export_screen import ExportScreen
from duibiao_tui.store.store import Store
from tests.functional.test_measures_keys import CHANGJIANG
from tests.functional.test_review_keys import shown, type_text
from tests.helpers import SIZE
from tests.unit.test_excel_summary import SHEETS, with_review


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def reviewed(store: Store, seeded: dict[str, str]) -> dict[str, str]:
    return with_review(store, seeded)


async def open_export(pilot: Pilot[Any], screen: ExportScreen | None = None) -> ExportScreen:
    await pilot.pause()
    pilot.app.push_screen(screen or ExportScreen())
    await pilot.pause()
    opened = pilot.app.screen
    assert isinstance(opened, ExportScreen)
    return opened


async def finished(pilot: Pilot[Any], screen: ExportScreen) -> None:
    """Wait for the export worker and the message it posts at the end."""
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not screen.running:
            return
    raise AssertionError("the export did not finish")


def notifications(app: DuibiaoApp) -> list[str]:
    return [f"{n.title} {n.message}" for n in app._notifications]


async def test_export_summary_by_keys(
    app: DuibiaoApp, reviewed: dict[str, str], in_tmp: Path
) -> None:
    target = in_tmp / "exports" / "汇总-全市.xlsx"
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        assert screen.kind == SUMMARY
        assert isinstance(screen.focused, RadioSet)
        assert shown(screen.query_one("#export-target", Static)).strip() == str(target)
        await pilot.press("ctrl+s")
        await finished(pilot, screen)
        assert target.exists()
        assert openpyxl.load_workbook(target).sheetnames == SHEETS
        result = shown(screen.query_one("#export-result", Static))
        assert "已导出汇总：企业 7 家" in result and str(target) in result
        assert any(str(target) in n for n in notifications(app))
        bar = screen.query_one("#export-progress", ProgressBar)
        assert bar.display and bar.percentage == 1
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)


async def test_choose_csv_and_a_district_by_keys(
    app: DuibiaoApp, reviewed: dict[str, str], in_tmp: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        await pilot.press("down", "down", "enter")  # 汇总 → 公开版 → CSV
        assert screen.kind == CSV
        await pilot.press("tab")  # the district filter
        assert screen.focused is screen.query_one("#export-district", Select)
        await pilot.press("enter", "down", "enter")  # the first district: 京口区
        await pilot.pause()
        assert screen.job().district_id == screen.store.districts()[0].id
        assert "企业名单-京口区.csv" in shown(screen.query_one("#export-target", Static))
        await pilot.press("ctrl+s")
        await finished(pilot, screen)
        path = in_tmp / "exports" / "企业名单-京口区.csv"
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        assert {row[1] for row in rows[1:]} == {"京口区"} and len(rows) == 3


async def test_overwrite_is_confirmed(
    app: DuibiaoApp, reviewed: dict[str, str], in_tmp: Path
) -> None:
    target = in_tmp / "exports" / "汇总-全市.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"officer's own file")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        await pilot.press("ctrl+s")
        await finished(pilot, screen)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert str(target) in dialog.question and "覆盖" in dialog.question
        await pilot.press("n")  # Esc/n keeps the file
        await pilot.pause()
        assert app.screen is screen
        assert target.read_bytes() == b"officer's own file"
        assert any("原文件未改动" in n for n in notifications(app))

        await pilot.press("ctrl+s")
        await finished(pilot, screen)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        await finished(pilot, screen)
        assert app.screen is screen
        assert openpyxl.load_workbook(target).sheetnames == SHEETS


async def test_preset_enterprise_exports_its_form(
    app: DuibiaoApp, reviewed: dict[str, str], in_tmp: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot, ExportScreen(enterprise_id=reviewed[CHANGJIANG]))
        assert screen.kind == FORM_ONE
        assert screen.query_one("#export-district", Select).disabled
        await pilot.press("ctrl+s")
        await finished(pilot, screen)
        path = in_tmp / "exports" / f"情况表-{CHANGJIANG}.xlsx"
        assert openpyxl.load_workbook(path).sheetnames == [CHANGJIANG]
        assert "已导出情况表：1 家企业，共 2 行" in shown(
            screen.query_one("#export-result", Static)
        )


async def test_district_forms_need_a_district(
    app: DuibiaoApp, reviewed: dict[str, str], in_tmp: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        await pilot.press("up", "up", "enter")  # 汇总 → 全部企业 → 一个辖市区
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = screen.query_one("#export-filter-error", Static)
        assert error.has_class("-shown") and "请选择辖市区" in shown(error)
        assert screen.focused is screen.query_one("#export-district", Select)
        assert not screen.running
        assert not (in_tmp / "exports").exists()


async def test_folder_is_editable(app: DuibiaoApp, reviewed: dict[str, str], in_tmp: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot, ExportScreen(status="已通过"))
        folder = screen.query_one("#export-folder", Input)
        assert folder.value == str(in_tmp / "exports")
        folder.focus()
        await pilot.press("ctrl+u")  # clear the line
        await type_text(pilot, "简报")
        assert shown(screen.query_one("#export-target", Static)).strip() == str(
            in_tmp / "简报" / "汇总-已通过.xlsx"
        )
        await pilot.press("ctrl+s")  # works while typing in the folder
        await finished(pilot, screen)
        workbook = openpyxl.load_workbook(in_tmp / "简报" / "汇总-已通过.xlsx")
        assert workbook["企业名单"].max_row == 2


def test_jobs_without_textual(store: Store, reviewed: dict[str, str], tmp_path: Path) -> None:
    job = ExportJob(kind="public", folder=tmp_path)
    assert job_targets(store, job) == (tmp_path / "公开版-全市.xlsx",)
    outcome = run_export(store, job)
    assert outcome.paths == (tmp_path / "公开版-全市.xlsx",)
    assert outcome.words.startswith("公开版：企业 7 家")
    forms = run_export(store, ExportJob(kind="form-all", folder=tmp_path, status="已通过"))
    sheets = openpyxl.load_workbook(forms.paths[0]).sheetnames
    assert forms.paths[0].name == "情况表-全部企业-已通过.xlsx"
    assert sheets == ["丹阳市华通光学眼镜有限公司"]
