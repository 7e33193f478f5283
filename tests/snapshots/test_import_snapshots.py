"""Picture of the import screen (F7): a received 情况表 previewed, its refusals listed.

Update after a deliberate change with ``pytest tests/snapshots --snapshot-update`` and read
the HTML report first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from duibiao_tui.app import DuibiaoApp
from tests.functional.test_import_screen import folder, open_import, type_path  # noqa: F401


class TestImportScreen:
    def test_preview_with_refusals(
        self,
        snap_compare: Any,
        app: DuibiaoApp,
        folder: Path,  # noqa: F811
    ) -> None:
        """120x40: the folder's files, the guessed kind, the counts, three refusals with
        sheet, row, cell and reason, the first one in full; 全部导入 disabled."""

        async def run(pilot: Pilot[Any]) -> None:
            await open_import(pilot)
            await type_path(pilot, "duplicates.xlsx")
            for widget in pilot.app.screen.query(Input):
                widget.cursor_blink = False
            await pilot.pause()

        assert snap_compare(app, terminal_size=(120, 40), run_before=run)
