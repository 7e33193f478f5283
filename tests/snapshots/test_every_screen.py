"""A picture of every full screen at 80x24 and 120x40 on fixed data.

The screens come from the tour in tests/functional/screen_tour.py, so a new screen gets its
pictures as soon as it is added there. Review the SVGs as pictures after an update
(``rsvg-convert -o x.png x.svg``), not only as diffs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.store.store import Store
from tests.functional.screen_tour import TOUR, to_list
from tests.snapshots.test_snapshots import with_items

SIZES = [(80, 24), (120, 40)]
TARGET = "丹阳市华通光学眼镜有限公司"
"""First in the list's pinyin order, so the tour's Enter opens the enterprise with rows."""


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", sorted(TOUR))
def test_screen(
    snap_compare: Any,
    app: DuibiaoApp,
    store: Store,
    seeded: dict[str, str],
    name: str,
    size: tuple[int, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with_items(store, seeded[TARGET])
    monkeypatch.chdir(tmp_path)  # the export folder is under the current one

    async def visit(pilot: Pilot[Any]) -> None:
        await to_list(pilot)
        await TOUR[name](pilot)
        assert type(pilot.app.screen).__name__ == name
        for widget in pilot.app.screen.query(Input):
            widget.cursor_blink = False
        pilot.app.clear_notifications()
        for label in pilot.app.screen.query(Static):  # the test's folder differs per run
            text = str(label.render())
            if str(tmp_path) in text:
                label.update(text.replace(str(tmp_path), "/数据"))
        for field in pilot.app.screen.query(Input):
            if str(tmp_path) in field.value:
                field.value = field.value.replace(str(tmp_path), "/数据")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=visit)
