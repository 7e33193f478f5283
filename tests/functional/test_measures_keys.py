"""The follow-up of measures (F5) driven by keys, checked against the SQLite file.

The store's clock is FIXED_NOW (2009-10-08): measures due before it and not done are 逾期.
"""

from __future__ import annotations

import io
import threading
import time
from dataclasses import replace
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, Label, Select, Static

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.measures import MeasureQuery
from duibiao_tui.screens.dialogs import ConfirmDialog
from duibiao_tui.screens.enterprise_page import EnterprisePageScreen
from duibiao_tui.screens.enterprises import EnterpriseListScreen
from duibiao_tui.screens.measure_dialog import MeasureDialog
from duibiao_tui.screens.measures import MeasuresScreen, MeasureTable
from duibiao_tui.store.store import Store
from duibiao_tui.widgets.virtual_table import VirtualTable
from tests.functional.test_core_loop import burst
from tests.helpers import SIZE, type_text, wait_until

CHANGJIANG = "镇江市长江电器设备厂"  # 京口区
HUATONG = "丹阳市华通光学眼镜有限公司"  # 丹阳市
BAOHUA = "句容市宝华建材有限公司"  # 句容市
XINBA = "扬中市新坝电气股份有限公司"  # 扬中市

MEASURES = {
    # label: (enterprise, row)
    "cnc": (  # 2009-06-30: overdue
        CHANGJIANG,
        ItemInput(
            aspect="设备",
            indicator="关键工序数控化率",
            verdict="落后",
            measures="2010 年引进数控折弯机 2 台；\n建立设备点检制度",
            department="设备部",
            due_text="2009年6月",
        ),
    ),
    "inspection": (  # 2010-12-31: not yet due
        CHANGJIANG,
        ItemInput(
            aspect="检验把关",
            indicator="出厂检验合格率",
            verdict="持平",
            measures="增配专职检验员 2 名",
            department="质量部",
            due_text="2010年底",
        ),
    ),
    "coating": (  # 2009-09-30: overdue
        HUATONG,
        ItemInput(
            aspect="工艺",
            indicator="镀膜一次合格率",
            verdict="落后",
            measures="引进真空镀膜机",
            department="生产部",
            due_text="2009-09-30",
        ),
    ),
    "lens": (  # 2009-10-31: due this month, not overdue
        HUATONG,
        ItemInput(
            aspect="设备",
            indicator="自动磨边机配备率",
            verdict="落后",
            measures="购置自动磨边机 3 台",
            department="设备部",
            due_text="2009年10月",
        ),
    ),
    "system": (  # 2011-06-30
        BAOHUA,
        ItemInput(
            aspect="质量管理制度",
            indicator="质量成本核算",
            verdict="落后",
            measures="建立质量成本核算制度",
            department="质量部",
            due_text="2011年上半年",
        ),
    ),
    "feedback": (  # no date: 未定
        BAOHUA,
        ItemInput(
            aspect="可靠性",
            indicator="产品返修率",
            measures="建立售后质量信息反馈制度",
            department="质量部",
        ),
    ),
    "no_plan": (  # no measure at all: listed only by a drill-down with all_rows
        XINBA,
        ItemInput(aspect="设备", indicator="设备完好率", verdict="落后"),
    ),
}


def with_measures(store: Store, seeded: dict[str, str]) -> dict[str, str]:
    """Rows with measures due before and after FIXED_NOW; returns label → item id."""
    return {
        label: store.add_item(seeded[enterprise], item).id
        for label, (enterprise, item) in MEASURES.items()
    }


def state_of(store: Store, item_id: str) -> tuple[str, str | None, str]:
    row = store.conn.execute(
        "SELECT measure_state, done_date, done_note FROM benchmark_item WHERE id = ?", [item_id]
    ).fetchone()
    return (row[0], row[1], row[2])


async def open_measures(pilot: Pilot[Any]) -> MeasuresScreen:
    await pilot.pause()
    await pilot.press("f5")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, MeasuresScreen)
    return screen


def listed(screen: MeasuresScreen) -> list[str]:
    table = screen.query_one(MeasureTable)
    return [table._keys[i] for i in range(table.row_count)]


def detail_text(screen: MeasuresScreen) -> str:
    """The detail panel as the officer reads it."""
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(screen.query_one("#measure-detail", Static).content)
    return console.export_text()


def count_line(screen: MeasuresScreen) -> str:
    return str(screen.query_one("#measure-count", Label).render())


async def pick(pilot: Pilot[Any], moves: int) -> None:
    """On a focused Select: open its list, move ``moves`` options (up when negative), take it."""
    await pilot.press("enter")
    await pilot.pause()
    for _ in range(abs(moves)):
        await pilot.press("down" if moves > 0 else "up")
    await pilot.press("enter")
    await pilot.pause()


async def test_filter_by_district_and_overdue(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    ids = with_measures(store, seeded)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_measures(pilot)
        # by 完成时间, undated last; the row without any measure is not a measure
        assert listed(screen) == [
            ids[k] for k in ("cnc", "coating", "lens", "inspection", "system", "feedback")
        ]
        assert count_line(screen) == "共 6 条，逾期 2 条"
        table = screen.query_one(MeasureTable)
        assert table.get_row(ids["cnc"])[-2] == "逾期"  # type: ignore[index]
        assert table.get_row(ids["lens"])[-2] == "未开始"  # type: ignore[index]

        await pilot.press("f")  # the filter bar: 辖市区 first
        assert screen.focused is screen.query_one("#filter-district", Select)
        await pick(pilot, 1)  # 京口区
        assert screen.query_one("#filter-district", Select).value == seeded_district(
            store, "京口区"
        )
        assert listed(screen) == [ids["cnc"], ids["inspection"]]
        assert count_line(screen) == "共 2 条，逾期 1 条"

        await pilot.press("tab", "tab", "tab")  # 落实部门, 项目, 到期
        assert screen.focused is screen.query_one("#filter-due", Select)
        await pick(pilot, 2)  # 已逾期
        assert screen.query_one("#filter-due", Select).value == "已逾期"
        assert listed(screen) == [ids["cnc"]]

        await pilot.press("shift+tab", "shift+tab", "shift+tab")  # back to 辖市区
        await pick(pilot, 3)  # from 京口区 down to 丹阳市
        assert listed(screen) == [ids["coating"]]
        assert count_line(screen) == "共 1 条，逾期 1 条"

        await pilot.press("escape")  # out of the filters, onto the list
        assert screen.focused is table
        detail = detail_text(screen)
        assert "引进真空镀膜机" in detail


def seeded_district(store: Store, name: str) -> str:
    return next(d.id for d in store.districts() if d.name == name)


async def test_department_aspect_and_state_filters(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    ids = with_measures(store, seeded)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_measures(pilot)
        await pilot.press("f", "tab")  # 落实部门: 生产部, 设备部, 质量部
        await pick(pilot, 2)  # 设备部
        assert screen.query_one("#filter-department", Select).value == "设备部"
        assert listed(screen) == [ids["cnc"], ids["lens"]]
        await pilot.press("tab")  # 项目: the twelve aspects, then 其他
        await pick(pilot, 12)  # 质量管理制度
        assert screen.query_one("#filter-aspect", Select).value == "质量管理制度"
        assert listed(screen) == []
        await pick(pilot, -11)  # 设备
        assert listed(screen) == [ids["cnc"], ids["lens"]]
        await pilot.press("tab", "tab")  # 状态: 未开始, 进行中, 已完成, 逾期
        await pick(pilot, 4)  # 逾期
        assert listed(screen) == [ids["cnc"]]
        await pick(pilot, -3)  # 未开始 (not overdue)
        assert listed(screen) == [ids["lens"]]
        assert count_line(screen) == "共 1 条，逾期 0 条"
        await pick(pilot, -1)  # 全部状态
        await pilot.press("shift+tab")  # 到期: 本月到期
        await pick(pilot, 1)
        assert listed(screen) == [ids["lens"]]


async def test_mark_done_with_date_and_note(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    ids = with_measures(store, seeded)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_measures(pilot)
        table = screen.query_one(MeasureTable)
        await pilot.press("down")  # the second row: 镀膜一次合格率, overdue since 09-30
        assert table.cursor_key == ids["coating"]
        await pilot.press("d")
        dialog = app.screen
        assert isinstance(dialog, MeasureDialog)
        date_input = dialog.query_one("#f-done_date", Input)
        assert date_input.value == "2009-10-08"  # today by default
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "2009年10月5日")
        await pilot.press("tab")
        await type_text(pilot, "镀膜机已到货并投入使用")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert state_of(store, ids["coating"]) == ("已完成", "2009-10-05", "镀膜机已到货并投入使用")
        assert table.cursor_key == ids["coating"], "the cursor stays on the row"
        assert table.get_row(ids["coating"])[-2:] == ("已完成", "2009-10-05")  # type: ignore[index]
        assert count_line(screen) == "共 6 条，逾期 1 条"
        detail = detail_text(screen)
        assert "镀膜机已到货并投入使用" in detail

        # no longer overdue anywhere
        overdue = store.measures(MeasureQuery(due="已逾期"))
        assert [r.item_id for r in overdue] == [ids["cnc"]]

        # d on a done measure edits its date and note
        await pilot.press("d")
        dialog = app.screen
        assert isinstance(dialog, MeasureDialog)
        assert dialog.query_one("#f-done_date", Input).value == "2009-10-05"
        assert dialog.query_one("#f-done_note", Input).value == "镀膜机已到货并投入使用"
        dialog.query_one("#f-done_note", Input).focus()
        await pilot.press("end")
        await pilot.press("space")
        await type_text(pilot, "已验收")
        await pilot.press("enter")
        await pilot.pause()
        assert state_of(store, ids["coating"])[2] == "镀膜机已到货并投入使用 已验收"


async def test_future_or_unreadable_date_is_refused(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    ids = with_measures(store, seeded)
    async with app.run_test(size=SIZE) as pilot:
        await open_measures(pilot)
        await pilot.press("d")
        dialog = app.screen
        assert isinstance(dialog, MeasureDialog)
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "2009-10-09")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog, "the dialog stays open"
        error = dialog.query_one("#err-done_date", Label)
        assert error.has_class("-shown")
        assert "不能晚于今天（2009-10-08）" in str(error.render())
        assert state_of(store, ids["cnc"]) == ("未开始", None, "")

        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "上个月")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        assert "无法识别" in str(error.render())

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeasuresScreen)
        assert state_of(store, ids["cnc"]) == ("未开始", None, "")


async def test_in_progress_and_back(app: DuibiaoApp, store: Store, seeded: dict[str, str]) -> None:
    ids = with_measures(store, seeded)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_measures(pilot)
        table = screen.query_one(MeasureTable)
        await pilot.press("down", "down", "down")  # 出厂检验合格率, due 2010-12-31
        assert table.cursor_key == ids["inspection"]
        await pilot.press("p")
        await pilot.pause()
        assert state_of(store, ids["inspection"]) == ("进行中", None, "")
        assert table.get_row(ids["inspection"])[-2] == "进行中"  # type: ignore[index]
        assert table.cursor_key == ids["inspection"]

        await pilot.press("z")  # 进行中 → 未开始 needs no confirmation
        await pilot.pause()
        assert state_of(store, ids["inspection"]) == ("未开始", None, "")

        # a done measure: going back asks first, since it clears the done date
        await pilot.press("d")
        await pilot.press("ctrl+s")  # today
        await pilot.pause()
        assert state_of(store, ids["inspection"])[:2] == ("已完成", "2009-10-08")
        await pilot.press("z")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert state_of(store, ids["inspection"])[:2] == ("已完成", "2009-10-08")
        await pilot.press("z")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert state_of(store, ids["inspection"]) == ("未开始", None, "")
        assert table.cursor_key == ids["inspection"]

        # an overdue measure in progress still shows 逾期
        await pilot.press("home", "p")
        await pilot.pause()
        assert state_of(store, ids["cnc"])[0] == "进行中"
        assert table.get_row(ids["cnc"])[-2] == "逾期"  # type: ignore[index]


async def test_year_view_follows_filters(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    ids = with_measures(store, seeded)
    store.set_measure_state(ids["system"], _done("2009-09-01"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_measures(pilot)
        await pilot.press("y")
        await pilot.pause()
        years = screen.query_one("#year-table", VirtualTable)
        assert years.display and not screen.query_one(MeasureTable).display
        assert screen.focused is years
        # 年份, 未开始, 进行中, 已完成, 逾期, 合计
        cells = [tuple(years.get_row(k) or ())[:6] for k in years._keys]
        assert cells == [
            ("2009", "1", "0", "0", "2", "3"),
            ("2010", "1", "0", "0", "0", "1"),
            ("2011", "0", "0", "1", "0", "1"),
            ("未定", "1", "0", "0", "0", "1"),
            ("合计", "3", "0", "1", "2", "6"),
        ]
        assert count_line(screen) == "按年份　共 6 条，逾期 2 条"
        # the marking keys are off in the year view
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is screen

        # a filter narrows the counts
        await pilot.press("f")
        await pick(pilot, 1)  # 京口区
        cells = [tuple(years.get_row(k) or ())[:6] for k in years._keys]
        assert cells == [
            ("2009", "0", "0", "0", "1", "1"),
            ("2010", "1", "0", "0", "0", "1"),
            ("合计", "1", "0", "0", "1", "2"),
        ]
        await pick(pilot, -1)  # back to 全部辖市区
        assert len(years._keys) == 5
        await pilot.press("escape")
        assert screen.focused is years

        # Enter on a year lists that year's measures
        await pilot.press("down", "enter")  # 2010
        await pilot.pause()
        assert not screen.showing_years
        assert listed(screen) == [ids["inspection"]]
        assert "2010 年到期" in count_line(screen)
        await pilot.press("y")
        assert years.cursor_key == "2010", "the year view opens on the year listed"
        await pilot.press("down", "down", "enter")  # 未定
        await pilot.pause()
        assert listed(screen) == [ids["feedback"]]
        await pilot.press("escape")  # Esc clears the year
        await pilot.pause()
        assert len(listed(screen)) == 6
        assert app.screen is screen, "F5's own screen does not close on Esc"


def _done(day: str) -> Any:
    from datetime import date

    from duibiao_tui.domain.measures import validate_measure_update

    return validate_measure_update("已完成", day, "", today=date(2009, 10, 8))


async def test_enter_opens_the_enterprise(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    ids = with_measures(store, seeded)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_measures(pilot)
        await pilot.press("down")
        assert screen.query_one(MeasureTable).cursor_key == ids["coating"]
        await pilot.press("enter")
        await pilot.pause()
        page = app.screen
        assert isinstance(page, EnterprisePageScreen)
        assert page.enterprise_id == seeded[HUATONG]

        # a row added meanwhile (with a new department) is there on coming back with F5
        added = store.add_item(
            seeded[HUATONG],
            ItemInput(
                aspect="检验把关",
                indicator="进货检验",
                measures="加严进货检验",
                department="采购部",
                due_text="2009年8月",
            ),
        )
        await pilot.press("f5")
        await pilot.pause()
        assert app.screen is screen
        assert listed(screen)[1] == added.id  # due 2009-08-31, after 2009-06-30
        assert "采购部" in screen.departments
        assert count_line(screen) == "共 7 条，逾期 3 条"


async def test_drill_down_query_and_escape(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    ids = with_measures(store, seeded)
    danyang = seeded_district(store, "丹阳市")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, EnterpriseListScreen)
        app.push_screen(
            MeasuresScreen(MeasureQuery(district_id=danyang, due="已逾期"), "丹阳市 逾期")
        )
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeasuresScreen)
        assert listed(screen) == [ids["coating"]]
        assert "丹阳市 逾期" in str(screen.query_one("#measure-title", Label).render())
        assert screen.query_one("#filter-district", Select).value == danyang
        assert screen.query_one("#filter-due", Select).value == "已逾期"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is home

        # 设备 rows judged 落后, measure or not
        app.push_screen(
            MeasuresScreen(MeasureQuery(aspect="设备", verdict="落后", all_rows=True), "设备 落后")
        )
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeasuresScreen)
        assert set(listed(screen)) == {ids["cnc"], ids["lens"], ids["no_plan"]}
        # the year view follows the drill-down too
        await pilot.press("y")
        await pilot.pause()
        years = screen.query_one("#year-table", VirtualTable)
        # no_plan has no measure: nothing of it falls due (the view says it is left out)
        assert (years.get_row("total") or ())[5] == "2"
        assert "另有 1 行没有提升计划和措施" in detail_text(screen)
        await pilot.press("escape", "escape")  # out of the year view, then back
        await pilot.pause()
        assert app.screen is home


async def test_a_city_list_is_read_in_the_background(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large lists are read in a worker thread; marking a row then updates that row only."""
    from duibiao_tui.screens import measures

    monkeypatch.setattr(measures, "READ_IN_BACKGROUND", -1)
    ids = with_measures(store, seeded)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_measures(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert listed(screen) == [
            ids[k] for k in ("cnc", "coating", "lens", "inspection", "system", "feedback")
        ]
        table = screen.query_one(MeasureTable)
        table.move_cursor_to_key(ids["lens"])
        await pilot.press("p")
        await pilot.pause()
        assert state_of(store, ids["lens"])[0] == "进行中"
        assert table.get_row(ids["lens"])[-2] == "进行中"  # type: ignore[index]
        assert table.cursor_key == ids["lens"]


async def test_a_city_list_shows_its_first_page_while_the_rest_is_read(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first rows show before the whole list is read (issue 16: a province's list takes
    a minute); a measure marked on them meanwhile is not undone by the list read before."""
    from duibiao_tui.screens import measures

    monkeypatch.setattr(measures, "READ_IN_BACKGROUND", -1)
    monkeypatch.setattr(measures, "FIRST_PAGE", 3)
    release = threading.Event()
    whole_reads: list[str] = []

    def slow_whole(self: Store, query: MeasureQuery) -> Any:
        if threading.current_thread() is not threading.main_thread():
            whole_reads.append("read")
            rows = self._measures.measures(query)  # read before the mark below, shown after
            release.wait(10)
            return rows
        return self._measures.measures(query)

    monkeypatch.setattr(Store, "measures", slow_whole)
    ids = with_measures(store, seeded)
    order = [ids[k] for k in ("cnc", "coating", "lens", "inspection", "system", "feedback")]
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_measures(pilot)
        await wait_until(pilot, lambda: listed(screen) == order[:3], "the first page")
        assert count_line(screen) == "先显示前 3 条，正在读取其余措施…"
        table = screen.query_one(MeasureTable)
        table.focus()
        table.move_cursor_to_key(ids["lens"])
        await pilot.press("p")
        await pilot.pause()
        assert state_of(store, ids["lens"])[0] == "进行中"
        assert count_line(screen) == "先显示前 3 条，正在读取其余措施…", (
            "a page counted as the list"
        )
        release.set()
        await wait_until(pilot, lambda: listed(screen) == order, "the whole list")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(whole_reads) >= 2, "the list read before the mark was shown as it was"
        assert table.get_row(ids["lens"])[-2] == "进行中"  # type: ignore[index]
        assert table.cursor_key == ids["lens"]
        assert count_line(screen).startswith("共 6 条，逾期 2 条")


async def test_keys_typed_with_f5_wait_for_the_first_page(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``F5 ↓ ↓`` in one burst moves the cursor over the first page, not over the empty
    table it replaces (the ↓ were lost and the page came up on its first row)."""
    from duibiao_tui.screens import measures

    monkeypatch.setattr(measures, "READ_IN_BACKGROUND", -1)

    def slow_first(self: Store, query: MeasureQuery, limit: int) -> Any:
        if threading.current_thread() is not threading.main_thread():
            time.sleep(0.3)  # a province's first page, as the keys arrive
        return self._measures.first_measures(query, limit)

    monkeypatch.setattr(Store, "first_measures", slow_first)
    ids = with_measures(store, seeded)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await burst(pilot, "f5", "down", "down")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(MeasureTable)
        assert table.cursor_key == ids["lens"]


async def test_keys_typed_with_a_desk_key_land_after_its_focus(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    """``F5 f`` in one burst, back on a desk already open: the filters have the focus (the
    desk key's landing took it back to the list after ``f`` had moved it)."""
    with_measures(store, seeded)
    async with app.run_test(size=SIZE) as pilot:
        await open_measures(pilot)
        await pilot.press("f2")
        await pilot.pause()
        await burst(pilot, "f5", "f")
        await pilot.pause()
        focused = app.focused
        assert isinstance(app.screen, MeasuresScreen)
        assert focused is not None and focused.id == "filter-district"


async def test_rows_without_a_measure_are_pending_not_measures(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    """A row naming its department and a past date but no 提升计划和措施 was listed and
    counted as an overdue measure; it is 待补, said apart and listed on asking."""
    ids = with_measures(store, seeded)
    blank = store.add_item(
        seeded[CHANGJIANG],
        ItemInput(aspect="工艺", indicator="工艺纪律", department="技术部", due_text="2009年5月"),
    ).id
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_measures(pilot)
        assert blank not in listed(screen)
        assert count_line(screen).startswith("共 6 条，逾期 2 条；另有 1 行待补")
        state = screen.query_one("#filter-state", Select)
        state.value = "待补"
        await pilot.pause()
        assert listed(screen) == [blank]
        assert count_line(screen).startswith("待补 1 行")
        screen.query_one(MeasureTable).focus()
        await pilot.press("d")  # nothing to mark done: the measure is not written yet
        await pilot.pause()
        assert not isinstance(app.screen, MeasureDialog)
        assert state_of(store, blank)[0] == "未开始"
        assert ids  # the measures themselves are untouched


async def test_f5_opens_on_the_default_district_like_f3_and_f4(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    ids = with_measures(store, seeded)
    jingkou = seeded_district(store, "京口区")
    app.config = replace(app.config, default_district_id=jingkou)  # type: ignore[attr-defined]
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_measures(pilot)
        assert screen.query_one("#filter-district", Select).value == jingkou
        assert listed(screen) == [ids["cnc"], ids["inspection"]]


async def test_pending_rows_are_counted_with_a_list_read_in_the_background(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A city's 待补 count is read in the worker with the list, not on the screen's turn."""
    from duibiao_tui.screens import measures

    monkeypatch.setattr(measures, "READ_IN_BACKGROUND", -1)
    with_measures(store, seeded)
    store.add_item(
        seeded[CHANGJIANG], ItemInput(aspect="工艺", indicator="工艺纪律", department="技术部")
    )
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_measures(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert count_line(screen).startswith("共 6 条，逾期 2 条；另有 1 行待补")
