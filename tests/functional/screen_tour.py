"""Every full screen of the app, each with the keys that open it from the enterprise list.

Tests that hold every screen to a rule (the footer fits, nothing is cut off) walk this
tour; ``test_tour_covers_every_screen`` fails when a new screen is not on it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot

from duibiao_tui.screens.enterprises import EnterpriseListScreen
from tests.helpers import screen_ready

Opener = Callable[[Pilot[Any]], Awaitable[None]]


def keys(*pressed: str) -> Opener:
    async def open_(pilot: Pilot[Any]) -> None:
        await pilot.press(*pressed)
        await screen_ready(pilot)

    return open_


def action(name: str) -> Opener:
    async def open_(pilot: Pilot[Any]) -> None:
        await pilot.app.run_action(name)
        await screen_ready(pilot)

    return open_


def then(*openers: Opener) -> Opener:
    async def open_(pilot: Pilot[Any]) -> None:
        for opener in openers:
            await opener(pilot)

    return open_


async def to_list(pilot: Pilot[Any]) -> None:
    """Start from the enterprise list with the cursor on its first row."""
    await pilot.press("f3")
    await screen_ready(pilot)
    assert isinstance(pilot.app.screen, EnterpriseListScreen)
    await pilot.press("down", "up")


PAGE = then(keys("enter"))
TOUR: dict[str, Opener] = {
    "DashboardScreen": keys("f2"),
    "EnterpriseListScreen": keys("f3"),
    "EnterprisePageScreen": PAGE,
    "ItemEditorScreen": then(PAGE, keys("n")),
    "EnterpriseFormScreen": keys("ctrl+n"),
    "HistoryScreen": then(PAGE, keys("a")),
    "BenchmarkLibraryScreen": then(PAGE, keys("b")),
    "ReviewDeskScreen": keys("f4"),
    "MeasuresScreen": keys("f5"),
    "ExportScreen": keys("f6"),
    "ImportScreen": keys("f7"),
    "MergeScreen": action("merge"),
    "BackupsScreen": action("backups"),
}
