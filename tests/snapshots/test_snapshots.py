"""Pictures of the main screens with Chinese text, compared with the approved SVGs.

Update after a deliberate change with ``pytest tests/snapshots --snapshot-update`` and read
the HTML report first.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.widgets.virtual_table import VirtualTable


async def list_ready(pilot: Pilot[Any]) -> None:
    """The list mounts its footer and filter bar just after the first paint: wait for them."""
    for _ in range(100):
        if pilot.app.screen.query("Footer") and pilot.app.screen.query("#filter-award"):
            break
        await pilot.pause(0.02)
    await pilot.pause()


async def no_blink(pilot: Pilot[Any]) -> None:
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
            await pilot.press("a")
            screen = pilot.app.screen
            screen.query_one("#f-name", Input).value = "镇江市北固机械有限公司"
            screen.query_one("#f-credit_code", Input).value = "91110000600037341N"
            screen.query_one("#f-phone", Input).value = "95588"
            await pilot.press("ctrl+s")
            await no_blink(pilot)

        assert snap_compare(app, terminal_size=(100, 36), run_before=fill)


class TestEnterprisePage:
    def test_page(self, snap_compare: Any, app: DuibiaoApp, seeded: dict[str, str]) -> None:
        """An enterprise's page shows the 情况表 header and the campaign deadline."""

        async def open_page(pilot: Pilot[Any]) -> None:
            await list_ready(pilot)
            pilot.app.screen.query_one(VirtualTable).move_cursor_to_key(
                seeded["镇江市长江电器设备厂"]
            )
            await pilot.press("enter")
            await pilot.pause()

        assert snap_compare(app, terminal_size=(110, 30), run_before=open_page)
