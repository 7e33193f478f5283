"""What the pilot tests share: the terminal size, typing, waiting for the app to settle.

One copy instead of one per test file. The waits are bounded polls for a condition, never a
fixed sleep: a slow CI worker waits longer, a fast one does not wait at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from textual.pilot import Pilot

T = TypeVar("T")

SIZE = (120, 40)
"""The terminal most pilot tests run in (columns, rows)."""

SMALL_SIZE = (80, 24)
"""The smallest terminal an officer's laptop gives."""

WAIT_S = 10.0
"""How long ``wait_until`` waits before it fails the test."""

POLL_S = 0.01
"""How often ``wait_until`` looks again: a poll interval, not a wait for something."""


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type like a keyboard would, one key per character (Chinese included)."""
    for ch in text:
        await pilot.press(ch)


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for the workers (reading, writing, searching) and the callbacks they post."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()


async def wait_until(
    pilot: Pilot[Any],
    predicate: Callable[[], T],
    what: str = "the condition",
    timeout: float = WAIT_S,
) -> T:
    """Let the app run until ``predicate()`` is true; return its value.

    Fails the test, naming ``what``, if it is still false after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await pilot.pause(POLL_S)


async def screen_ready(pilot: Pilot[Any]) -> None:
    """Let the screen mount, its late widgets (the list's footer) arrive and paint."""
    await wait_until(
        pilot,
        lambda: pilot.app.screen.query("KeyFooter") or pilot.app.screen.is_modal,
        "the screen's footer (or a dialog)",
    )
    await pilot.pause()
