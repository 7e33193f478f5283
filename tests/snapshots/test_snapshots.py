"""Pictures of the main screens with Chinese text, compared with the approved SVGs.

Update after a deliberate change with ``pytest tests/snapshots --snapshot-update`` and read
the HTML report first.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.screens.enterprises import EnterpriseListScreen
from duibiao_tui.store.store import Store
from duibiao_tui.widgets.virtual_table import VirtualTable
from tests.helpers import screen_ready, wait_until


async def list_ready(pilot: Pilot[Any]) -> None:
    """The list mounts its footer and filter bar just after the first paint: wait for them."""
    app = pilot.app
    await wait_until(
        pilot,
        lambda: app.screen.query("KeyFooter") and app.screen.query("#filter-award"),
        "the list",
    )
    await pilot.pause()


async def no_blink(pilot: Pilot[Any]) -> None:
    if not pilot.app.screen.query("#item-fields, #library-filter"):
        await screen_ready(pilot)
        if isinstance(pilot.app.screen, EnterpriseListScreen):
            await list_ready(pilot)
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


class TestEnterpriseList:
    def test_list_wide(self, snap_compare: Any, app: DuibiaoApp, seeded: dict[str, str]) -> None:
        """The register at 120x40 with 主导产品 and flags."""
        assert snap_compare(app, terminal_size=(120, 40), run_before=no_blink)

    def test_list_80x24(self, snap_compare: Any, app: DuibiaoApp, seeded: dict[str, str]) -> None:
        """The register still fits a small terminal, Chinese columns aligned."""
        assert snap_compare(app, terminal_size=(80, 24), run_before=no_blink)

    def test_list_searching(
        self, snap_compare: Any, app: DuibiaoApp, seeded: dict[str, str]
    ) -> None:
        """Typing pinyin initials narrows the list live."""

        async def search(pilot: Pilot[Any]) -> None:
            await no_blink(pilot)
            await pilot.press("z", "j")

        assert snap_compare(app, terminal_size=(100, 30), run_before=search)


class TestEnterpriseForm:
    def test_form_with_errors(self, snap_compare: Any, app: DuibiaoApp) -> None:
        """A bad credit code and phone show their errors under the fields."""

        async def fill(pilot: Pilot[Any]) -> None:
            await list_ready(pilot)
            await pilot.press("ctrl+n")
            screen = pilot.app.screen
            screen.query_one("#f-name", Input).value = "镇江市北固机械有限公司"
            screen.query_one("#f-credit_code", Input).value = "91110000600037341N"
            screen.query_one("#f-phone", Input).value = "95588"
            await pilot.press("ctrl+s")
            await no_blink(pilot)
            # The toast times out: under load it may be gone before the picture is taken.
            pilot.app.clear_notifications()
            await pilot.pause()

        assert snap_compare(app, terminal_size=(100, 36), run_before=fill)


def with_items(store: Store, enterprise_id: str) -> None:
    """Three rows of a realistic 情况表, one incomplete, one with long wrapped measures."""
    siemens = store.add_benchmark("西门子（中国）有限公司", address="北京", level="国际先进")
    chint = store.add_benchmark("正泰集团股份有限公司", address="浙江温州", level="国内领先")
    rows = [
        ItemInput(
            benchmark_id=siemens.id,
            aspect="设备",
            indicator="关键工序数控化率",
            benchmark_level="95%",
            result_text="低 23 个百分点",
            verdict="落后",
            measures="2010 年引进数控折弯机 2 台；\n2011 年完成钣金车间数控化改造，"
            "关键工序数控化率达到 90% 以上，并建立设备点检制度",
            department="设备部",
            due_text="2011年底",
        ),
        ItemInput(
            benchmark_id=chint.id,
            aspect="检验把关",
            indicator="出厂检验合格率",
            benchmark_level="99.8%",
            result_text="持平",
            verdict="持平",
            measures="保持现有检验制度",
            department="质量部",
            due_text="2010年6月",
        ),
        ItemInput(benchmark_id=chint.id, aspect="可靠性", indicator="平均无故障工作时间"),
    ]
    for row in rows:
        store.add_item(enterprise_id, row)


async def open_page_of(pilot: Pilot[Any], enterprise_id: str) -> None:
    await list_ready(pilot)
    pilot.app.screen.query_one(VirtualTable).move_cursor_to_key(enterprise_id)
    await pilot.press("enter")
    await pilot.pause()


class TestEnterprisePage:
    def test_page(
        self, snap_compare: Any, app: DuibiaoApp, store: Store, seeded: dict[str, str]
    ) -> None:
        """The 情况表: header, deadline, status, rows, the first row's measures wrapped."""
        with_items(store, seeded["镇江市长江电器设备厂"])

        async def run(pilot: Pilot[Any]) -> None:
            await open_page_of(pilot, seeded["镇江市长江电器设备厂"])

        assert snap_compare(app, terminal_size=(120, 34), run_before=run)

    def test_incomplete_row_detail(
        self, snap_compare: Any, app: DuibiaoApp, store: Store, seeded: dict[str, str]
    ) -> None:
        """An incomplete row says what is still missing, at 80x24."""
        with_items(store, seeded["镇江市长江电器设备厂"])

        async def run(pilot: Pilot[Any]) -> None:
            await open_page_of(pilot, seeded["镇江市长江电器设备厂"])
            await pilot.press("end")
            await pilot.pause()

        assert snap_compare(app, terminal_size=(80, 24), run_before=run)


class TestItemEditor:
    def test_editor_with_hints(
        self, snap_compare: Any, app: DuibiaoApp, store: Store, seeded: dict[str, str]
    ) -> None:
        """The row editor: aspect narrowed by pinyin, the date read back."""
        with_items(store, seeded["镇江市长江电器设备厂"])

        async def run(pilot: Pilot[Any]) -> None:
            await open_page_of(pilot, seeded["镇江市长江电器设备厂"])
            await pilot.press("n")
            screen = pilot.app.screen
            screen.query_one("#f-benchmark_text", Input).value = "正泰集团股份有限公司"
            screen.query_one("#f-aspect", Input).value = "zl"
            screen.query_one("#f-indicator", Input).value = "质量损失率"
            screen.query_one("#f-due_text", Input).value = "2012年上半年"
            screen.query_one("#f-indicator", Input).focus()
            await no_blink(pilot)

        assert snap_compare(app, terminal_size=(110, 36), run_before=run)


class TestBenchmarkLibrary:
    def test_library(
        self, snap_compare: Any, app: DuibiaoApp, store: Store, seeded: dict[str, str]
    ) -> None:
        """The library lists levels and how many rows use each."""
        with_items(store, seeded["镇江市长江电器设备厂"])

        async def run(pilot: Pilot[Any]) -> None:
            await open_page_of(pilot, seeded["镇江市长江电器设备厂"])
            await pilot.press("b")
            await no_blink(pilot)

        assert snap_compare(app, terminal_size=(100, 24), run_before=run)
