"""Every screen reads right at 80x24 and 120x40: footers fit with the screen's own keys
first, the page gives its rows the room, dialogs are not cut off, state reads without
colour, and notifications hide nothing the officer is reading."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.containers import Vertical
from textual.pilot import Pilot
from textual.screen import ModalScreen, Screen
from textual.widgets import Label

import duibiao_tui.screens as screens_package
from duibiao_tui.app import DuibiaoApp
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.screens.base import DuibiaoScreen
from duibiao_tui.screens.conflict_dialog import ConflictDialog
from duibiao_tui.screens.drafts import DraftKeeping
from duibiao_tui.screens.enterprise_page import EnterprisePageScreen
from duibiao_tui.store.store import Store
from duibiao_tui.widgets.key_footer import HELP_ACTION, KeyFooter
from duibiao_tui.widgets.title_bar import title_line
from duibiao_tui.widgets.toggles import Checkbox, RadioButton
from duibiao_tui.widgets.virtual_table import VirtualTable
from tests.functional.screen_text import screen_text
from tests.functional.screen_tour import TOUR, to_list
from tests.functional.test_item_editor_keys import TARGET, open_page
from tests.helpers import SIZE, SMALL_SIZE, screen_ready, type_text, wait_until

SIZES = [SMALL_SIZE, SIZE]
FIRST_LISTED = "丹阳市华通光学眼镜有限公司"
"""First in the list's pinyin order: the tour's Enter opens it."""


def full_screens() -> set[str]:
    """Every full screen class the app defines (dialogs float over a screen's footer)."""
    found = set()
    for module_info in pkgutil.iter_modules(screens_package.__path__):
        module = importlib.import_module(f"duibiao_tui.screens.{module_info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                cls.__module__ == module.__name__
                and issubclass(cls, Screen)
                and not issubclass(cls, ModalScreen)
                and cls not in (DuibiaoScreen, DraftKeeping)
            ):
                found.add(name)
    return found


def test_tour_covers_every_screen() -> None:
    assert full_screens() == set(TOUR), "add the new screen to tests/functional/screen_tour.py"


@pytest.fixture
def many_rows(store: Store, seeded: dict[str, str]) -> str:
    """TARGET, and the list's first enterprise (the tour's page), with twenty rows each: the
    page has more rows than a small terminal shows."""
    for n in range(40):
        store.add_item(
            seeded[TARGET if n % 2 else FIRST_LISTED],
            ItemInput(
                aspect="设备",
                indicator=f"指标{n}",
                benchmark_text="上海电气集团股份有限公司",
                measures=f"措施{n}",
                due_text="2010-12-31",
            ),
        )
    return seeded[TARGET]


async def check_footer(pilot: Pilot[Any], name: str) -> None:
    app = pilot.app
    width = app.size.width
    footer = app.screen.query_one(KeyFooter)
    items = footer.shown_items()
    bottom = screen_text(app).splitlines()[app.size.height - 1]
    assert cell_len(bottom.rstrip()) <= width, (name, bottom)
    assert items and items[-1].desk and items[-1].action == HELP_ACTION, (name, items)
    assert all(f"{i.key} {i.label}" in bottom for i in items), (name, bottom)
    nodes = {app.get_key_display(a.binding): a.node for a in app.screen.active_bindings.values()}
    desk = [n for n, i in enumerate(items) if nodes[i.key] is app]
    own = [n for n, i in enumerate(items) if nodes[i.key] is not app]
    assert not own or not desk or max(own) < min(desk), (name, items)


@pytest.mark.parametrize("name", sorted(TOUR))
async def test_footer_fits_with_the_screens_keys_first(
    app: DuibiaoApp, many_rows: str, name: str
) -> None:
    async with app.run_test(size=SIZES[0]) as pilot:
        await to_list(pilot)
        await TOUR[name](pilot)
        assert type(app.screen).__name__ == name
        for size in SIZES:
            await pilot.resize_terminal(*size)
            await screen_ready(pilot)
            await check_footer(pilot, f"{name} at {size}")


async def test_page_gives_its_rows_the_room_at_80x24(app: DuibiaoApp, many_rows: str) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_page(pilot, many_rows)
        table = page.query_one("#item-table", VirtualTable)
        assert table.size.height - 1 >= 10  # rows below the column heading; it was three
        keys = [c.key for c in table.columns]
        for needed in ("benchmark", "measures", "due"):
            assert needed in keys
        lines = screen_text(app).splitlines()
        assert "测试.db" in lines[0]  # the title bar keeps the database file
        assert TARGET in lines[1]  # the header folded into one line
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert page.query_one("#page-header").display
        assert len(table.columns) == 11


def test_title_keeps_the_file_when_the_path_is_long() -> None:
    line = title_line(
        "质量标杆对比", "【只读】王明 · /home/officer/文档/2009年/丹徒区/duibiao.db", 40
    )
    assert line.startswith("【只读】王明 · …") and line.endswith("丹徒区/duibiao.db")
    assert cell_len(line) <= 40
    assert title_line("质量标杆对比", "王明 · /a.db", 80) == "质量标杆对比 — 王明 · /a.db"


@pytest.mark.parametrize("size", SIZES)
async def test_conflict_dialog_is_whole_and_reads_without_colour(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], db_path: Path, size: tuple[int, int]
) -> None:
    eid = seeded[TARGET]
    item = store.add_item(eid, ItemInput(aspect="设备", indicator="数控化率", remarks="原备注"))
    async with app.run_test(size=size) as pilot:
        await open_page(pilot, eid)
        await pilot.press("e")
        await pilot.pause()
        other = Store.open(db_path, officer="李华")
        other.update_item(item.id, ItemInput(**{**vars(item.to_input()), "remarks": "李华的"}))
        other.close()
        app.screen.query_one("#f-remarks").focus()
        await type_text(pilot, "我的")
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        box = dialog.query_one(".dialog", Vertical)
        hint = dialog.query_one(".dialog-hint", Label)
        needed = -(-cell_len(str(hint.render())) // max(hint.content_size.width, 1))
        assert hint.content_size.height >= needed  # wrapped, not cut off at the edge
        assert box.region.contains_region(hint.region)
        assert box.region.right <= size[0]
        mine, theirs = dialog.query(RadioButton)
        assert str(mine.render()).startswith("▐●▌") and str(theirs.render()).startswith("▐ ▌")
        await pilot.press("down", "space")
        assert str(mine.render()).startswith("▐ ▌") and str(theirs.render()).startswith("▐●▌")


async def test_checkbox_shows_its_mark_only_when_ticked(
    app: DuibiaoApp, seeded: dict[str, str]
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await to_list(pilot)
        brand = app.screen.query_one("#filter-brand", Checkbox)
        assert str(brand.render()).startswith("▐ ▌")
        brand.value = True
        await pilot.pause()
        assert str(brand.render()).startswith("▐X▌")


@pytest.mark.parametrize("size", SIZES)
async def test_notifications_hide_nothing_being_read(
    app: DuibiaoApp, many_rows: str, size: tuple[int, int]
) -> None:
    async with app.run_test(size=size, notifications=True) as pilot:
        page = await open_page(pilot, many_rows)
        assert isinstance(page, EnterprisePageScreen)
        await pilot.press("c")  # copies the row: 已复制…，按 u 撤销
        await wait_until(pilot, lambda: app.screen.query("Toast"), "the toast")
        toasts = list(app.screen.query("Toast"))
        assert toasts
        detail = page.query_one("#item-detail").region
        table = page.query_one("#item-table", VirtualTable)
        cursor_line = table.region.y + 1 + table.cursor_row - int(table.scroll_y)
        for toast in toasts:
            assert not toast.region.overlaps(detail)
            assert not toast.region.y <= cursor_line < toast.region.bottom


READING = {
    "EnterprisePageScreen": "#item-detail",
    "MeasuresScreen": "#measure-detail",
    "EnterpriseFormScreen": "Input, TextArea, Select, Checkbox",
    "ItemEditorScreen": "Input, TextArea, Select",
}
"""What the officer reads on each screen that notifies while they read: the row in full,
or the fields of a form (a restored draft is announced over the form it restored)."""


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", sorted(READING))
async def test_a_notification_covers_nothing_the_officer_reads(
    app: DuibiaoApp, many_rows: str, name: str, size: tuple[int, int]
) -> None:
    async with app.run_test(size=size, notifications=True) as pilot:
        await to_list(pilot)
        await TOUR[name](pilot)
        app.notify("已恢复草稿；Ctrl+Z 可逐步撤销各栏的恢复", title="草稿")
        await wait_until(pilot, lambda: app.screen.query("Toast"), "the toast")
        toasts = list(app.screen.query("Toast"))
        assert toasts
        read = [w.region for w in app.screen.query(READING[name]) if w.display]
        assert read, f"{name} shows nothing matching {READING[name]}"
        for toast in toasts:
            for region in read:
                assert not toast.region.overlaps(region), (name, toast.region, region)


def containers_in_the_chain(screen: Screen[Any]) -> list[str]:
    """Focusable widgets that hold other focusable widgets: Tab stops on the box around the
    fields, and what the officer types there goes nowhere."""
    chain = screen.focus_chain
    return [
        f"{type(w).__name__}#{w.id}"
        for w in chain
        if any(other is not w and w in other.ancestors for other in chain)
    ]


@pytest.mark.parametrize("name", sorted(TOUR))
async def test_tab_never_stops_on_a_box_of_fields(
    app: DuibiaoApp, many_rows: str, name: str
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await to_list(pilot)
        await TOUR[name](pilot)
        assert containers_in_the_chain(app.screen) == [], name


async def test_tab_never_stops_on_a_box_of_fields_in_dialogs(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], db_path: Path
) -> None:
    eid = seeded[FIRST_LISTED]
    item = store.add_item(eid, ItemInput(aspect="设备", indicator="数控化率", remarks="原备注"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, eid)
        for keys in (("r", "n"), ("r", "m"), ("s",), ("exclamation_mark",)):
            await pilot.press(*keys)
            await screen_ready(pilot)
            assert containers_in_the_chain(app.screen) == [], keys
            while app.screen.is_modal:
                await pilot.press("escape")
                await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        other = Store.open(db_path, officer="李华")
        other.update_item(item.id, ItemInput(**{**vars(item.to_input()), "remarks": "李华的"}))
        other.close()
        app.screen.query_one("#f-remarks").focus()
        await type_text(pilot, "我的")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConflictDialog)
        assert containers_in_the_chain(app.screen) == []
