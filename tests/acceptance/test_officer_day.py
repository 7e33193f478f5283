"""An officer's day, start to end, in one terminal session (and a second one after a break).

Register an enterprise, find it, fill its 情况表 at the site in bursts (Ctrl+N after each
row), correct a row, duplicate one, move it, delete and undo, quit with half a row typed and
pick it up again, register the hand-in, export the form. The database is checked after
every step: what was typed is where it belongs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .database import enterprise, enterprise_id, live_items, read_one, read_rows, read_value
from .officer import (
    EDIT_ROW_TITLE,
    LIST_TITLE,
    NEW_ENTERPRISE_TITLE,
    NEW_ROW_TITLE,
    PAGE_HEADER,
    click_field,
    open_list,
    search,
    wait_focus,
)
from .terminal import Launch, Terminal

NAME = "镇江市测试电器有限公司"
SEARCH = "csdq"
"""Pinyin initials of 测试电器."""
CODE = "91321100MA1ABCDE1U"
BENCHMARK = "镇江标杆厂"
BENCHMARK_ADDRESS = "镇江市丹徒区谷阳路1号"
ROWS = 10


def _indicators(db: Path, eid: str) -> list[str]:
    return [row["indicator"] for row in live_items(db, eid)]


def _find_and_open(t: Terminal) -> None:
    open_list(t)
    search(t, SEARCH, NAME)
    t.wait_for("显示 1 家")
    t.send("enter")
    t.wait_for(PAGE_HEADER)
    t.wait_idle()


@pytest.mark.slow
@pytest.mark.budget(120)
def test_an_officers_day(launch: Launch, db: Path, tmp_path: Path) -> None:
    t = launch()

    # -- register the enterprise ----------------------------------------------------------
    open_list(t)
    t.send("ctrl+n")
    t.wait_for(NEW_ENTERPRISE_TITLE)
    wait_focus(t, "名称")
    t.send(NAME, "tab", CODE, "ctrl+s")
    t.wait_gone(NEW_ENTERPRISE_TITLE, timeout=30)
    t.wait_for(LIST_TITLE)
    t.wait_idle()
    registered = enterprise(db, NAME)
    assert registered is not None and registered["uscc"] == CODE, (
        f"registered: {registered and {k: registered[k] for k in ('name', 'uscc')}}, "
        f"newest: {read_one(db, 'SELECT name, uscc FROM enterprise ORDER BY created_at DESC')}"
        f"{t.describe()}"
    )
    eid = registered["id"]

    # -- find it and open its page --------------------------------------------------------
    t.send("escape")
    t.wait_for("显示 61 家")
    t.wait_idle()
    search(t, SEARCH, NAME)
    t.send("enter")
    t.wait_for(PAGE_HEADER)
    t.wait_for("对标项目 0 行")
    t.wait_idle()

    # -- ten rows, one burst each, Ctrl+N saving and starting the next --------------------
    t.send("n")
    t.wait_for(NEW_ROW_TITLE)
    wait_focus(t, "标杆企业")
    t.send(
        BENCHMARK,
        "tab",
        BENCHMARK_ADDRESS,
        "tab",
        "tab",
        "sb",
        "tab",
        "指标01",
        "tab",
        "水平01",
        "tab",
        "结果01",
        "ctrl+n",
    )
    t.wait_for("已连续保存 1 行")
    for n in range(2, ROWS + 1):
        t.send(f"指标{n:02}", "tab", f"水平{n:02}", "tab", f"结果{n:02}", "ctrl+n")
        t.wait_for(f"已连续保存 {n} 行")
    t.wait_idle()
    t.send("escape")  # the empty next row: nothing typed, so it just closes
    t.wait_gone(NEW_ROW_TITLE)
    t.wait_for(f"对标项目 {ROWS} 行")
    t.wait_idle()
    rows = live_items(db, eid)
    assert [r["seq"] for r in rows] == list(range(1, ROWS + 1)), f"rows: {rows}{t.describe()}"
    assert [(r["indicator"], r["benchmark_level"], r["result_text"]) for r in rows] == [
        (f"指标{n:02}", f"水平{n:02}", f"结果{n:02}") for n in range(1, ROWS + 1)
    ], t.describe()
    assert {r["aspect"] for r in rows} == {"设备"}, rows
    library = read_rows(db, "SELECT * FROM benchmark_enterprise WHERE name = ?", BENCHMARK)
    assert len(library) == 1 and library[0]["address"] == BENCHMARK_ADDRESS, library
    assert {r["benchmark_id"] for r in rows} == {library[0]["id"]}, rows
    benchmark_id = library[0]["id"]

    # -- correct row 3 ----------------------------------------------------------------------
    t.send(*["up"] * (ROWS - 3))  # the cursor is on the last row saved
    t.wait_for("设备　指标03")
    t.wait_idle()
    t.send("e")
    t.wait_for(EDIT_ROW_TITLE)
    t.wait_idle()
    click_field(t, "指标内容")
    t.send("end", "（修订）", "ctrl+s")
    t.wait_gone(EDIT_ROW_TITLE)
    t.wait_for(PAGE_HEADER)
    t.wait_idle()
    third = live_items(db, eid)[2]
    assert (third["seq"], third["indicator"], third["benchmark_id"]) == (
        3,
        "指标03（修订）",
        benchmark_id,
    ), f"row 3: {third}{t.describe()}"

    # -- duplicate it: the copy goes right below ----------------------------------------------
    t.send("c")
    t.wait_for(f"对标项目 {ROWS + 1} 行")
    t.wait_idle()
    indicators = _indicators(db, eid)
    assert indicators[2:5] == ["指标03（修订）", "指标03（修订）", "指标04"], (
        f"{indicators}{t.describe()}"
    )
    copy_id = live_items(db, eid)[3]["id"]

    # -- move the copy down one: 序号 renumbers ----------------------------------------------
    t.send("ctrl+down")
    t.wait_idle(0.8)
    moved = {r["id"]: r["seq"] for r in live_items(db, eid)}
    assert moved.get(copy_id) == 5, f"copy at {moved.get(copy_id)}{t.describe()}"
    assert _indicators(db, eid)[2:5] == ["指标03（修订）", "指标04", "指标03（修订）"], (
        f"{_indicators(db, eid)}{t.describe()}"
    )
    assert sorted(moved.values()) == list(range(1, ROWS + 2)), moved

    # -- delete it, then undo ------------------------------------------------------------------
    t.send("delete")
    t.wait_for(f"对标项目 {ROWS} 行")
    t.wait_idle()
    assert copy_id not in {r["id"] for r in live_items(db, eid)}, t.describe()
    t.send("u")
    t.wait_for(f"对标项目 {ROWS + 1} 行")
    t.wait_idle()
    assert copy_id in {r["id"] for r in live_items(db, eid)}, t.describe()

    # -- half a row typed, then the officer quits ------------------------------------------------
    t.send("n")
    t.wait_for(NEW_ROW_TITLE)
    wait_focus(t, "标杆企业")
    t.send("半成品标杆厂")
    t.wait_for("半成品标杆厂")
    t.wait_idle(1.0)  # the draft is written half a second after the last key
    assert t.quit() == 0, t.describe()
    drafts = read_value(db, "SELECT count(*) FROM item_draft WHERE enterprise_id = ?", eid)
    assert drafts == 1, f"drafts: {drafts}{t.describe()}"

    # -- back again: the page offers the draft; finish the row --------------------------------
    t = launch()
    _find_and_open(t)
    t.wait_for("草稿")
    t.wait_idle()
    t.send("enter")  # 继续编辑
    t.wait_for(NEW_ROW_TITLE)
    t.wait_idle()
    assert t.field("标杆企业") == "半成品标杆厂", t.describe()
    click_field(t, "项目")
    t.send("gy", "tab", "指标11", "ctrl+s")
    t.wait_gone(NEW_ROW_TITLE)
    t.wait_for(f"对标项目 {ROWS + 2} 行")
    t.wait_idle()
    last = live_items(db, eid)[-1]
    assert (last["seq"], last["aspect"], last["indicator"]) == (ROWS + 2, "工艺", "指标11"), (
        f"last row: {last}{t.describe()}"
    )
    assert read_value(db, "SELECT count(*) FROM item_draft WHERE enterprise_id = ?", eid) == 0

    # -- the form is handed in: 登记报送 ----------------------------------------------------------
    t.send("s")
    t.wait_for("登记报送")
    t.wait_idle()
    t.send("ctrl+s")
    t.wait_for("报送状态：已报送")
    t.wait_idle()
    submission = read_one(db, "SELECT * FROM submission WHERE enterprise_id = ?", eid)
    assert submission is not None and submission["status"] == "已报送", (
        f"submission: {submission}{t.describe()}"
    )
    assert submission["received_date"], submission

    # -- export its 情况表 ---------------------------------------------------------------------
    rows_before = live_items(db, eid)
    t.send("f6")
    t.wait_for("将写入")
    t.wait_idle()
    t.send("ctrl+s")
    exported = tmp_path / "exports" / f"情况表-{NAME}.xlsx"
    t.wait_until(exported.exists, f"{exported} written", timeout=45)
    t.wait_idle()
    from openpyxl import load_workbook  # an app dependency: the venv has it

    sheet = load_workbook(exported, read_only=True).worksheets[0]
    cells = {str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None}
    assert {"指标01", "指标03（修订）", "指标11"} <= cells, sorted(cells)[:40]
    assert any(NAME in cell for cell in cells), sorted(cells)[:40]
    assert live_items(db, eid) == rows_before  # exporting changes nothing
    assert enterprise_id(db, NAME) == eid
    t.send("escape")
    t.wait_idle()
    assert t.quit() == 0, t.describe()
