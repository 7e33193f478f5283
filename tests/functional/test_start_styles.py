"""The first desk is styled once, by the stylesheet as the app parsed it (issue 16): no
second full re-parse before the first frame, and nothing on screen that a re-parse would
change. Guards ``DuibiaoApp._start_screen``, which sets a private counter of Textual 8.2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.pilot import Pilot

from duibiao_tui.app import DuibiaoApp, make_app
from duibiao_tui.config import Config
from duibiao_tui.store.store import Store
from tests.helpers import SIZE, settle


def _drawn(svg: str) -> str:
    """The screenshot without its id, a hash of Rich's segments that takes in what is not
    drawn (a style's meta: click handlers and offsets), so equal frames may differ in it."""
    return re.sub(r"terminal-\d+", "terminal", svg)


async def _still(pilot: Pilot[DuibiaoApp]) -> str:
    """The frame once the screen has stopped changing (the list mounts its filter bar and
    footer 0.1 s after its first paint: ``finish_start``)."""
    shown = _drawn(pilot.app.export_screenshot())
    for _ in range(20):
        await pilot.pause(0.25)
        await settle(pilot)
        frame = _drawn(pilot.app.export_screenshot())
        if frame == shown:
            return frame
        shown = frame
    raise AssertionError("the screen kept changing")


@pytest.mark.parametrize("start", ["dashboard", "enterprises"])
async def test_the_start_screen_is_not_restyled_and_looks_as_restyled(
    store: Store,
    seeded: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    start: str,
) -> None:
    reparses: list[int] = []
    original = Stylesheet.reparse

    def counted(self: Stylesheet) -> None:
        reparses.append(1)
        original(self)

    monkeypatch.setattr(Stylesheet, "reparse", counted)
    app = make_app(
        store,
        config=Config(officer="王明"),
        config_file=tmp_path / "c.json",
        db_label="测试.db",
        start_mode=start,
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.current_mode == start
        assert reparses == [], "the first screen made Textual re-parse every stylesheet"
        shown = await _still(pilot)
        App.refresh_css(app, animate=False)
        await settle(pilot)
        assert reparses, "refresh_css no longer re-parses: this test checks nothing"
        assert _drawn(app.export_screenshot()) == shown


async def test_the_second_desk_is_styled_too(
    store: Store, seeded: dict[str, str], tmp_path: Path
) -> None:
    """Only the first screen skips the pass; a desk opened later looks as after one."""
    app = make_app(store, config=Config(officer="王明"), config_file=tmp_path / "c.json")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert app.current_mode == "enterprises"
        shown = await _still(pilot)
        App.refresh_css(app, animate=False)
        await settle(pilot)
        assert _drawn(app.export_screenshot()) == shown
