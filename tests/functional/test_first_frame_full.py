"""The first desk is drawn whole right after Textual's start-up batch (issue 16).

Textual (8.2) composes the first full frame inside its start-up batch, where ``App._display``
writes nothing, and counts it as drawn; the next update (the terminal's first resize) was a
partial one, without what had not changed since: in a real terminal the home screen's status
table came with the refresh timer's next full frame, ~20 ms after everything else.
``DuibiaoApp.on_mount`` marks the screen dirty as a whole; this checks that the first update
written is then a full one holding the desk, before the refresh timer runs. Guards private
names of Textual 8.2 (pinned).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual._compositor import LayoutUpdate
from textual.app import App
from textual.screen import Screen

from duibiao_tui.app import make_app
from duibiao_tui.config import Config
from duibiao_tui.store.store import Store
from tests.helpers import SIZE, settle


def _text(renderable: Any) -> str:
    console = Console(width=SIZE[0], record=True, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


@pytest.mark.parametrize(
    ("start", "marker"), [("dashboard", "企业报送与审核"), ("enterprises", "企业名录")]
)
async def test_a_full_frame_is_written_before_the_refresh_timer_runs(
    store: Store,
    seeded: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    start: str,
    marker: str,
) -> None:
    events: list[tuple[str, Any]] = []
    display, timer = App._display, Screen._on_timer_update

    def recorded_display(self: App[Any], screen: Screen[Any], renderable: Any) -> None:
        if renderable is not None:
            events.append(("written" if not self._batch_count else "dropped", renderable))
        display(self, screen, renderable)

    def recorded_timer(self: Screen[Any]) -> None:
        events.append(("timer", None))
        timer(self)

    monkeypatch.setattr(App, "_display", recorded_display)
    monkeypatch.setattr(Screen, "_on_timer_update", recorded_timer)
    app = make_app(
        store, config=Config(officer="王明"), config_file=tmp_path / "c.json", start_mode=start
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    kinds = [kind for kind, _ in events]
    assert "dropped" in kinds, "Textual no longer drops a frame at start: this checks nothing"
    first_timer = kinds.index("timer") if "timer" in kinds else len(kinds)
    before_timer = [r for kind, r in events[:first_timer] if kind == "written"]
    assert before_timer, "nothing was written before the refresh timer ran"
    assert isinstance(before_timer[0], LayoutUpdate), "the first frame written was partial"
    assert marker in _text(before_timer[0])
