"""The garbage collector is held while the app starts and runs again once its first screen
is drawn (``duibiao_tui.start_gc``, issue 16): held for good, a long session would keep
every reference cycle it ever made."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator

import pytest

from duibiao_tui import launch, opening, start_gc
from duibiao_tui.app import make_app
from duibiao_tui.config import Config
from duibiao_tui.store.store import Store
from tests.helpers import SIZE, settle


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    yield
    start_gc.resume()
    gc.enable()
    gc.unfreeze()


def test_pause_holds_and_resume_freezes_then_collects() -> None:
    start_gc.pause()
    assert not gc.isenabled() and start_gc.paused()
    before = gc.get_freeze_count()
    start_gc.resume()
    assert gc.isenabled() and not start_gc.paused()
    assert gc.get_freeze_count() > before
    start_gc.resume()  # twice: nothing more
    assert gc.isenabled()


def test_resume_without_pause_leaves_an_off_collector_off() -> None:
    """Someone else turned it off (a profiler, a test): not ours to turn on."""
    gc.disable()
    start_gc.pause()
    start_gc.resume()
    assert not gc.isenabled()


async def test_the_app_collects_again_once_its_first_screen_is_drawn() -> None:
    start_gc.pause()
    app = make_app(Store.memory(), config=Config(officer="测试员"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "企业" in app.export_screenshot()
        assert gc.isenabled()
        assert not start_gc.paused()


def test_the_everyday_open_runs_with_the_collector_held(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []

    def fake_open(db: str | None, demo: bool) -> None:
        seen.append(gc.isenabled())

    monkeypatch.setattr(opening, "open_app", fake_open)
    monkeypatch.setattr(sys, "argv", ["duibiao-tui", "--db", "x.db"])
    launch.main()
    assert seen == [False]
    assert gc.isenabled()


def test_the_collector_runs_again_when_the_open_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_open(db: str | None, demo: bool) -> None:
        raise SystemExit(1)

    monkeypatch.setattr(opening, "open_app", failing_open)
    monkeypatch.setattr(sys, "argv", ["duibiao-tui"])
    with pytest.raises(SystemExit):
        launch.main()
    assert gc.isenabled()
