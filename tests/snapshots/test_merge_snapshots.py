"""Pictures of the merge screen: what waits after merging a district's file.

Update after a deliberate change with ``pytest tests/snapshots --snapshot-update`` and read
the HTML report first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.screens.merge import MergeScreen
from duibiao_tui.store.store import Store
from tests.functional.test_merge_keys import make_waiting


class TestMerge:
    def test_merge_conflicts(
        self,
        snap_compare: Any,
        app: DuibiaoApp,
        store: Store,
        seeded: dict[str, str],
        tmp_path: Path,
    ) -> None:
        """At 120x40: a duplicate enterprise and a conflict wait; the conflict is
        highlighted, both versions side by side below; the footer offers l / i / e."""
        make_waiting(store, tmp_path)

        async def run(pilot: Pilot[Any]) -> None:
            await pilot.pause()
            pilot.app.push_screen(MergeScreen())
            await pilot.pause()
            await pilot.press("down")
            await pilot.pause()

        assert snap_compare(app, terminal_size=(120, 40), run_before=run)
