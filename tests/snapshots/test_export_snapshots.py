"""Picture of the export screen (what, filters, folder, the file that will be written),
compared with the approved SVG.

Update after a deliberate change with ``pytest tests/snapshots --snapshot-update`` and look
at the picture first.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.screens.export_screen import ExportScreen
from duibiao_tui.store.store import Store

FOLDER = "/home/officer/exports"
"""A fixed folder: the default (the working directory) differs from run to run."""


class TestExport:
    def test_export_screen(
        self, snap_compare: Any, app: DuibiaoApp, store: Store, seeded: dict[str, str]
    ) -> None:
        """Preset from an enterprise's page at 80x24: its 情况表 chosen, the district and
        status filters off for it, the target file shown."""

        async def run(pilot: Pilot[Any]) -> None:
            await pilot.pause()
            enterprise_id = seeded["镇江市长江电器设备厂"]
            pilot.app.push_screen(ExportScreen(enterprise_id=enterprise_id, folder=FOLDER))
            await pilot.pause()
            for widget in pilot.app.screen.query(Input):
                widget.cursor_blink = False
            await pilot.pause()

        assert snap_compare(app, terminal_size=(80, 24), run_before=run)
