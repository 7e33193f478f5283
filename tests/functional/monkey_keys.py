"""What tests/functional/test_monkey.py and test_invariants.py share: the demo database both
open (generated once per worker, copied per test) and the seeded streams of random keys.

The key streams are a pure function of the seed: the same seed presses the same keys, so a
crash found by the monkey is replayed with ``pytest -k "seed=N"`` (see test_monkey.py).
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from duibiao_tui.demo import fill_demo
from duibiao_tui.store.store import Store
from tests.conftest import fixed_clock

DEMO_ENTERPRISES = 60
"""The demo generator's default size: every enterprise of it goes through the form."""
DEMO_SEED = 2009


def build_demo(path: Path, *, enterprises: int = DEMO_ENTERPRISES, seed: int = DEMO_SEED) -> Path:
    """A demo database file at ``path`` (the generator's own code path, the fixed clock of
    the test suite), closed so that the one file can be copied."""
    store = Store.open(path, officer="演示数据", clock=fixed_clock)
    try:
        fill_demo(store, enterprises=enterprises, seed=seed)
    finally:
        store.close()
    return path


def copy_db(source: Path, target: Path) -> Path:
    """A private copy of a closed database file (its -wal/-shm too, should there be any)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        extra = Path(f"{source}{suffix}")
        if extra.exists():
            shutil.copyfile(extra, Path(f"{target}{suffix}"))
    return target


@pytest.fixture
def quick_idle(monkeypatch: pytest.MonkeyPatch) -> None:
    """``pilot.press`` waits after every key until the app is idle, looking every 20 ms (so
    at least 40 ms a key, most of a pilot test's time). Looking every 5 ms waits just as
    surely for the app to finish the key, and a monkey seed runs in about half the time."""
    import textual._wait

    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.005, raising=False)
    monkeypatch.setattr(textual._wait, "SLEEP_IDLE", 0.005 / 20, raising=False)


# -- the keys --------------------------------------------------------------------------

NAVIGATION = ("up", "down", "pageup", "pagedown", "home", "end", "left", "right")
FOCUS = ("tab", "shift+tab")
LETTERS = tuple("abcdefghijklmnopqrstuvwxyz")
DIGITS = tuple("0123456789")
CHINESE = tuple("镇江丹阳扬中句容机械电器设备有限公司长质量部年月底")
"""Characters of the demo's names, departments and dates: searches find something."""
FUNCTION = tuple(f"f{n}" for n in range(1, 8))
"""F1 help, F2–F5 the desks, F6 export, F7 import."""
EXTRA = ("space", "backspace", "delete", "slash", "exclamation_mark", "question_mark")
"""Keys the desks bind besides letters: select (Space), / search, ! flag, ? help."""
CONTROL = (
    "ctrl+s",
    "ctrl+n",
    "ctrl+e",
    "ctrl+d",
    "ctrl+z",
    "ctrl+r",
    "ctrl+t",
    "ctrl+o",
    "ctrl+f",
    "ctrl+up",
    "ctrl+down",
)
"""The app's own control keys (save, new, edit, remove, undo, sort, filters, move row)."""

NEVER = frozenset({"ctrl+q", "ctrl+c", "ctrl+p"})
"""Quit, Textual's quit hint, and the command palette (whose built-in 'Quit' is one Enter
away from random typing)."""

POOLS: tuple[tuple[tuple[str, ...], int], ...] = (
    (NAVIGATION, 26),
    (FOCUS, 9),
    (("enter",), 9),
    (("escape",), 8),
    (LETTERS, 22),
    (DIGITS, 6),
    (CHINESE, 7),
    (FUNCTION, 5),
    (EXTRA, 5),
    (CONTROL, 3),
)
"""(keys, weight in percent): mostly moving about and typing, Esc often enough to climb
back out of dialogs, and now and then a desk key or a control key."""

assert not NEVER & {key for keys, _ in POOLS for key in keys}
assert sum(weight for _, weight in POOLS) == 100

DESKS = ("f2", "f3", "f4", "f5")
"""总览, 企业名录, 审核, 措施: each seed visits every desk in turn."""
BURST = 20
KEYS_PER_SEED = 200


def key_stream(rng: random.Random, count: int) -> list[str]:
    pools = [keys for keys, _ in POOLS]
    weights = [weight for _, weight in POOLS]
    return [rng.choice(rng.choices(pools, weights)[0]) for _ in range(count)]


def desk_plan(seed: int, total: int = KEYS_PER_SEED, burst: int = BURST) -> list[list[str]]:
    """The bursts one seed presses: for each desk, its F key then random keys, ``total``
    keys in all, in bursts of about ``burst`` keys (one ``pilot.press`` call each)."""
    rng = random.Random(f"monkey-{seed}")
    per_desk = total // len(DESKS)
    plan: list[list[str]] = []
    for desk in DESKS:
        keys = [desk, *key_stream(rng, per_desk - 1)]
        plan.extend(chunks(keys, burst))
    return plan


def page_plan(seed: int, total: int = KEYS_PER_SEED, burst: int = BURST) -> list[list[str]]:
    """Random keys from the enterprise page on (where letters are the page's actions)."""
    rng = random.Random(f"monkey-page-{seed}")
    return list(chunks(key_stream(rng, total), burst))


def chunks(keys: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(keys), size):
        yield list(keys[start : start + size])
