"""A monkey on the keyboard: seeded streams of random keys on every desk of the demo database
and on whatever they open. Nothing a key does may crash the app.

Each seed presses 200 keys (KEYS_PER_SEED) in bursts of 20 (one ``pilot.press`` call each, no
pauses): first F2 (总览) and random keys, then F3 (企业名录), F4 (审核) and F5 (措施), each
followed by its share of random keys (monkey_keys.py says which keys, and which never: Ctrl+Q,
Ctrl+C, Ctrl+P). A variant starts on the 情况表 page of a demo enterprise (half as many keys:
there every letter is an action). A crash fails the test with the seed, the keys up to the
crash (the last burst marked) and the traceback; no crash log may have been written either.

Replay one by its id, which names the seed and the size (printed on failure):
``pytest "tests/functional/test_monkey.py::test_random_keys_on_every_desk[seed3-80x24]"``.
More seeds by hand: ``MONKEY_SEEDS=30 pytest tests/functional/test_monkey.py -n 2``
(``MONKEY_KEYS=600`` for longer streams).
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from textual.screen import Screen

from duibiao_tui.app import DuibiaoApp, make_app
from duibiao_tui.config import Config
from duibiao_tui.demo import REFERENCE_NAME
from duibiao_tui.errors import DuibiaoError
from duibiao_tui.store.store import Store
from tests.conftest import fixed_clock
from tests.functional.monkey_keys import (
    KEYS_PER_SEED,
    build_demo,
    copy_db,
    desk_plan,
    page_plan,
    quick_idle,
)

SIZES = [(120, 40), (80, 24)]
SEEDS = int(os.environ.get("MONKEY_SEEDS", "2"))
"""Seeds per size. Two keep the file near two minutes on two cores (a 200-key run costs
~25 s of CPU); MONKEY_SEEDS=20 by hand for a longer hunt."""
PAGE_SEEDS = max(1, SEEDS // 2)
PAGE_RUNS = [(seed, SIZES[::-1][(seed - 1) % len(SIZES)]) for seed in range(1, PAGE_SEEDS + 1)]
"""The page variant: one run per seed, half as many seeds as the desks, the sizes in turn
(80x24 first). The desks open pages at both sizes too; this keeps the file under four minutes
on two cores."""
KEYS = int(os.environ.get("MONKEY_KEYS", str(KEYS_PER_SEED)))
PAGE_KEYS = KEYS // 2
"""On the page every letter opens something (editor, dialogs): half the keys cost as much."""
pytestmark = [pytest.mark.usefixtures("quick_idle"), pytest.mark.slow]
_ = quick_idle  # a fixture, used through pytestmark


@pytest.fixture(scope="session")
def monkey_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("monkey-demo") / "demo.db")


@dataclass
class Sandbox:
    store: Store
    logs: Path
    """Where the crash path (DuibiaoApp._fatal_error → write_crash_log) would write."""


@pytest.fixture
def sandbox(
    monkey_demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Sandbox]:
    """A copy of the demo database; cwd, HOME, XDG_* and the crash log all under tmp_path, so
    an export or import the monkey happens to start touches nothing outside the test."""
    home = tmp_path / "home"
    for sub in ("", ".config", ".local/share", ".cache", ".local/state", "work"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local/state"))
    logs = tmp_path / "crash-logs"
    monkeypatch.setenv("DUIBIAO_LOG_DIR", str(logs))
    monkeypatch.chdir(home / "work")
    store = Store.open(
        copy_db(monkey_demo, tmp_path / "monkey.db"), officer="王明", clock=fixed_clock
    )
    try:
        yield Sandbox(store, logs)
    finally:
        store.close()


@dataclass
class Run:
    """What one seed did: the keys pressed so far, and anything that went wrong."""

    label: str
    """The test's node id: names the seed and the size, and replays the run."""
    pressed: list[str] = field(default_factory=list)
    last_burst: list[str] = field(default_factory=list)
    screens: list[str] = field(default_factory=list)
    """The screen stack when the app stopped (or at the end)."""
    visited: set[str] = field(default_factory=set)
    told: list[str] = field(default_factory=list)
    """DuibiaoErrors no handler caught, told to the officer as a notification (not a crash,
    but worth reading)."""


def stack_of(app: DuibiaoApp) -> list[str]:
    try:
        return [type(screen).__name__ for screen in app.screen_stack]
    except Exception:  # the app has gone
        return []


def stopped(app: DuibiaoApp) -> bool:
    return app._exception is not None or app.return_code is not None or not app.is_running


def record_told(app: DuibiaoApp, run: Run) -> None:
    """Keep a note of our own errors that reached the app (it shows them and goes on)."""
    handle = app._handle_exception

    def noting(error: Exception) -> None:
        if isinstance(error, DuibiaoError):
            run.told.append(f"{type(error).__name__}: {error.message} (after {run.pressed[-5:]})")
        handle(error)

    app._handle_exception = noting  # type: ignore[method-assign]


def report(run: Run, error: BaseException | None, app: DuibiaoApp, logs: Path) -> str:
    lines = [
        f"{run.label}: the app stopped after {len(run.pressed)} keys",
        f'replay: pytest "{run.label}"',
        f"screen stack: {' > '.join(run.screens) or '?'}",
        f"return_code: {app.return_code}",
        f"keys before the last burst ({len(run.pressed) - len(run.last_burst)}): "
        f"{run.pressed[: len(run.pressed) - len(run.last_burst)]!r}",
        f"last burst (the crash is in it): {run.last_burst!r}"
        if run.last_burst
        else "every burst was pressed; the crash came after the last one (keys still held "
        f"for routing, or the app closing); the last keys: {run.pressed[-20:]!r}",
    ]
    crash_logs = sorted(logs.glob("*")) if logs.exists() else []
    if crash_logs:
        lines.append(f"crash log written: {crash_logs[0]}")
    if error is not None:
        lines.append("".join(traceback.format_exception(error)))
    elif crash_logs:
        lines.append(crash_logs[0].read_text(encoding="utf-8"))
    return "\n".join(lines)


async def run_monkey(
    sandbox: Sandbox,
    size: tuple[int, int],
    plan: list[list[str]],
    run: Run,
    *,
    first_screen: Screen[object] | None = None,
) -> None:
    app = make_app(
        sandbox.store,
        config=Config(officer="王明"),
        config_file=sandbox.logs.parent / "config.json",
        db_label="猴子.db",
    )
    record_told(app, run)
    error: BaseException | None = None
    try:
        async with app.run_test(size=size) as pilot:
            if first_screen is not None:
                await app.push_screen(first_screen)
                await pilot.pause()
            for burst in plan:
                run.last_burst = burst
                run.pressed.extend(burst)
                await pilot.press(*burst)
                run.screens = stack_of(app)
                run.visited.update(run.screens)
                if stopped(app):
                    break
            else:
                run.last_burst = []
            run.screens = stack_of(app)
            still_running = not stopped(app)
    except Exception as raised:  # run_test re-raises what crashed the app
        error = raised
        still_running = False
    crash_logs = list(sandbox.logs.glob("*")) if sandbox.logs.exists() else []
    if error is not None or not still_running or crash_logs:
        pytest.fail(report(run, error, app, sandbox.logs), pytrace=False)
    print(f"{run.label}: {len(run.pressed)} keys, screens seen: {sorted(run.visited)}")
    for note in run.told:
        print(f"  told the officer: {note}")


def size_id(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("seed", range(1, SEEDS + 1), ids=lambda seed: f"seed{seed}")
async def test_random_keys_on_every_desk(
    sandbox: Sandbox, seed: int, size: tuple[int, int], request: pytest.FixtureRequest
) -> None:
    run = Run(request.node.nodeid)
    await run_monkey(sandbox, size, desk_plan(seed, KEYS), run)


@pytest.mark.parametrize(
    ("seed", "size"), PAGE_RUNS, ids=[f"seed{seed}-{size_id(size)}" for seed, size in PAGE_RUNS]
)
async def test_random_keys_from_an_enterprise_page(
    sandbox: Sandbox, seed: int, size: tuple[int, int], request: pytest.FixtureRequest
) -> None:
    from duibiao_tui.screens.enterprise_page import EnterprisePageScreen

    (enterprise_id,) = sandbox.store.conn.execute(
        "SELECT id FROM enterprise WHERE name = ? AND deleted_at IS NULL", [REFERENCE_NAME]
    ).fetchone()
    assert sandbox.store.items_for(enterprise_id), "the reference enterprise has a 情况表"
    run = Run(request.node.nodeid)
    await run_monkey(
        sandbox,
        size,
        page_plan(seed, PAGE_KEYS),
        run,
        first_screen=EnterprisePageScreen(enterprise_id),
    )
