"""The 情况表 editor driven by the keyboard alone, checking what is stored."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.screens.dialogs import ConfirmDialog
from duibiao_tui.screens.enterprise_page import EnterprisePageScreen
from duibiao_tui.screens.item_editor import ItemEditorScreen
from duibiao_tui.store.store import Store
from duibiao_tui.widgets.virtual_table import VirtualTable
from tests.helpers import SIZE, type_text, wait_until

TARGET = "镇江市长江电器设备厂"


async def open_page(pilot: Pilot[Any], enterprise_id: str) -> EnterprisePageScreen:
    app = pilot.app
    await pilot.pause()
    app.screen.query_one(VirtualTable).move_cursor_to_key(enterprise_id)
    await pilot.press("enter")
    await pilot.pause()
    pages = [s for s in app.screen_stack if isinstance(s, EnterprisePageScreen)]
    assert pages, "Enter opens the enterprise's page"
    return pages[-1]


async def fill_row(
    pilot: Pilot[Any],
    *,
    indicator: str,
    due: str,
    level: str = "99%",
    result: str = "低 1 个百分点",
    measures: str = "引进设备",
    verdict_keys: tuple[str, ...] = ("l", "h"),
) -> None:
    """From the 指标内容 field to 备注, Tab by Tab, as an officer types a row."""
    screen = pilot.app.screen
    assert screen.focused is screen.query_one("#f-indicator")
    await type_text(pilot, indicator)
    await pilot.press("tab")
    await type_text(pilot, level)
    await pilot.press("tab")
    await type_text(pilot, result)
    await pilot.press("tab")  # 结论: open the list, type the initials, pick
    await pilot.press("enter", *verdict_keys, "enter")
    await pilot.press("tab")
    await type_text(pilot, measures)
    await pilot.press("tab")
    await pilot.press("tab")  # 落实部门 keeps its value from the last row
    await type_text(pilot, due)
    await pilot.pause()


@pytest.mark.slow
async def test_ten_rows_by_keyboard_alone(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    enterprise_id = seeded[TARGET]
    dates = [
        ("2010-06-30", "2010-06-30"),
        ("2010/6/30", "2010-06-30"),
        ("2010.6.30", "2010-06-30"),
        ("2010年6月30日", "2010-06-30"),
        ("2010年6月", "2010-06-30"),
        ("2011年2月", "2011-02-28"),
        ("2010年底", "2010-12-31"),
        ("2012年", "2012-12-31"),
        ("2013-3-31", "2013-03-31"),
    ]
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, enterprise_id)
        await pilot.press("n")
        assert isinstance(app.screen, ItemEditorScreen)
        await type_text(pilot, "西门子电气有限公司")  # new: joins the library on save
        await pilot.press("tab")
        await type_text(pilot, "北京")
        await pilot.press("tab", "tab")  # past 类别
        await type_text(pilot, "sb")  # pinyin initials of 设备
        await pilot.press("tab")
        assert app.screen.query_one("#f-aspect", Input).value == "设备"
        first = dates[0]
        await fill_row(pilot, indicator="数控化率", due=first[0])
        app.screen.query_one("#f-department", Input).value = "设备部"
        await pilot.press("ctrl+n")  # save and next: same benchmark and aspect
        await pilot.pause()
        for number, (typed, _) in enumerate(dates[1:], start=2):
            assert app.screen.query_one("#f-aspect", Input).value == "设备"
            await fill_row(pilot, indicator=f"指标{number}", due=typed)
            await pilot.press("ctrl+n")
            await pilot.pause()
        # the tenth row: a different aspect by pinyin, the benchmark by completion
        editor = app.screen
        editor.query_one("#f-benchmark_text", Input).focus()
        await pilot.press("ctrl+a", "ctrl+k")  # home, delete to the end
        await type_text(pilot, "西门")
        await pilot.press("down", "enter")  # pick the library entry from the drop-down
        assert editor.query_one("#f-benchmark_text", Input).value == "西门子电气有限公司"
        editor.query_one("#f-aspect", Input).focus()
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "jljc")  # 计量检测手段
        await pilot.press("tab")
        await fill_row(
            pilot, indicator="检测设备配备率", due="2014年上半年", verdict_keys=("c", "p")
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EnterprisePageScreen)
        assert len(app.screen.items) == 10
    items = store.items_for(enterprise_id)
    assert [i.seq for i in items] == list(range(1, 11))
    assert [i.due_date for i in items[:9]] == [iso for _, iso in dates]
    assert items[9].due_date == "2014-06-30"
    assert [i.aspect for i in items] == ["设备"] * 9 + ["计量检测手段"]
    assert {i.benchmark_id for i in items} == {items[0].benchmark_id}
    assert items[0].benchmark_id is not None
    library = store.benchmarks()
    assert [(b.name, b.address) for b in library] == [("西门子电气有限公司", "北京")]
    assert [i.verdict for i in items] == ["落后"] * 9 + ["持平"]
    assert all(i.department == "设备部" for i in items)
    assert store.drafts_for(enterprise_id) == []


async def add_rows(store: Store, enterprise_id: str, n: int) -> list[str]:
    from duibiao_tui.domain.item_rules import ItemInput

    return [
        store.add_item(enterprise_id, ItemInput(aspect="工艺", indicator=f"指标{i}")).id
        for i in range(1, n + 1)
    ]


async def test_reorder_renumbers_and_delete_undo(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    enterprise_id = seeded[TARGET]
    ids = await add_rows(store, enterprise_id, 4)
    async with app.run_test(size=SIZE) as pilot:
        page = await open_page(pilot, enterprise_id)
        table = page.query_one(VirtualTable)
        assert table.move_cursor_to_key(ids[0])
        await pilot.press("ctrl+down", "ctrl+down")
        await pilot.pause()
        assert [i.indicator for i in store.items_for(enterprise_id)] == [
            "指标2",
            "指标3",
            "指标1",
            "指标4",
        ]
        assert table.cursor_key == ids[0]
        await pilot.press("ctrl+up")
        await pilot.pause()
        order = [i.indicator for i in store.items_for(enterprise_id)]
        assert order == ["指标2", "指标1", "指标3", "指标4"]
        await pilot.press("delete")
        await pilot.pause()
        remaining = store.items_for(enterprise_id)
        assert [i.indicator for i in remaining] == ["指标2", "指标3", "指标4"]
        assert [i.seq for i in remaining] == [1, 2, 3]
        await pilot.press("u")
        await pilot.pause()
        restored = store.items_for(enterprise_id)
        assert [i.indicator for i in restored] == order
        assert [i.seq for i in restored] == [1, 2, 3, 4]
        await pilot.press("c")  # duplicate goes right below
        await pilot.pause()
        assert [i.indicator for i in store.items_for(enterprise_id)][:3] == [
            "指标2",
            "指标1",
            "指标1",
        ]


@pytest.mark.usefixtures("no_draft_delay")
async def test_a_row_left_unsaved_is_offered_back(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    enterprise_id = seeded[TARGET]
    other = seeded["句容市宝华建材有限公司"]
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, enterprise_id)
        await pilot.press("n")
        app.screen.query_one("#f-indicator", Input).focus()
        await type_text(pilot, "产品一次交验合格率")
        await wait_until(pilot, lambda: store.drafts_for(enterprise_id), "the draft")
        assert len(store.drafts_for(enterprise_id)) == 1
        app.open_enterprise(other)  # switch enterprise from the palette
        await pilot.pause()
        assert isinstance(app.screen, EnterprisePageScreen)
        assert app.screen.enterprise_id == other
        await pilot.press("escape")
        await open_page(pilot, enterprise_id)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog), "the draft must be offered"
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ItemEditorScreen)
        assert app.screen.query_one("#f-indicator", Input).value == "产品一次交验合格率"
        app.screen.query_one("#f-aspect", Input).value = "检验把关"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [i.indicator for i in store.items_for(enterprise_id)] == ["产品一次交验合格率"]
    assert store.drafts_for(enterprise_id) == []


async def test_quitting_mid_row_keeps_a_draft(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    enterprise_id = seeded[TARGET]
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, enterprise_id)
        await pilot.press("n")
        app.screen.query_one("#f-indicator", Input).focus()
        await type_text(pilot, "返修率")
        await pilot.press("ctrl+q")  # before the draft timer fires
        await pilot.pause()
    drafts = store.drafts_for(enterprise_id)
    assert [d.values.indicator for d in drafts] == ["返修率"]


async def test_bad_date_is_refused_with_an_example(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    enterprise_id = seeded[TARGET]
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, enterprise_id)
        await pilot.press("n")
        editor = app.screen
        editor.query_one("#f-aspect", Input).value = "工艺"
        editor.query_one("#f-indicator", Input).value = "工艺纪律执行率"
        editor.query_one("#f-due_text", Input).value = "2010年2月30日"  # cannot exist
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ItemEditorScreen)
        error = str(editor.query_one("#err-due_text").render())
        assert "2010-06-30" in error
    assert store.items_for(enterprise_id) == []
