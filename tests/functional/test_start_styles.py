"""The first desk is styled once, by the stylesheet as the app parsed it (issue 16): no
second full re-parse before the first frame, and nothing on screen that a re-parse would
change. Guards ``DuibiaoApp._start_screen``, which sets a private counter of Textual 8.2."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.css.stylesheet import Stylesheet

from duibiao_tui.app import make_app
from duibiao_tui.config import Config
from duibiao_tui.store.store import Store
from tests.helpers import SIZE, settle


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
        shown = app.export_screenshot()
        App.refresh_css(app, animate=False)
        await settle(pilot)
        assert reparses, "refresh_css no longer re-parses: this test checks nothing"
        assert app.export_screenshot() == shown


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
        shown = app.export_screenshot()
        App.refresh_css(app, animate=False)
        await settle(pilot)
        assert app.export_screenshot() == shown
