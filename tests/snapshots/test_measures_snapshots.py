"""Pictures of the follow-up of measures (F5): overdue rows in red, and the year-by-year view.

Update after a deliberate change with ``pytest tests/snapshots --snapshot-update`` and read
the HTML report first.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.pilot import Pilot

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.domain.measures import validate_measure_update
from duibiao_tui.screens.measures import MeasuresScreen
from duibiao_tui.store.store import Store
from tests.functional.test_measures_keys import with_measures

TODAY = date(2009, 10, 8)


def with_progress(store: Store, seeded: dict[str, str]) -> dict[str, str]:
    """The test measures, one of them done and one in progress."""
    ids = with_measures(store, seeded)
    store.set_measure_state(
        ids["system"], validate_measure_update("已完成", "2009-09-20", "制度已发布", today=TODAY)
    )
    store.set_measure_state(ids["inspection"], validate_measure_update("进行中", today=TODAY))
    return ids


async def open_measures(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.press("f5")
    await pilot.pause()
    assert isinstance(pilot.app.screen, MeasuresScreen)


class TestMeasures:
    def test_measures_list(
        self, snap_compare: Any, app: DuibiaoApp, store: Store, seeded: dict[str, str]
    ) -> None:
        """Every measure at 120x40: 逾期 rows bold red, the done one dimmed, the
        highlighted measure in full below."""
        with_progress(store, seeded)

        async def run(pilot: Pilot[Any]) -> None:
            await open_measures(pilot)
            await pilot.press("down", "down", "down")  # 进行中, due 2010年底
            await pilot.pause()

        assert snap_compare(app, terminal_size=(120, 40), run_before=run)

    def test_measures_by_year(
        self, snap_compare: Any, app: DuibiaoApp, store: Store, seeded: dict[str, str]
    ) -> None:
        """The year-by-year view at 80x24: years x states with totals."""
        with_progress(store, seeded)

        async def run(pilot: Pilot[Any]) -> None:
            await open_measures(pilot)
            await pilot.press("y")
            await pilot.pause()

        assert snap_compare(app, terminal_size=(80, 24), run_before=run)
