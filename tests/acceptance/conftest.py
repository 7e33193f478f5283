"""Acceptance fixtures: the installed ``duibiao-tui`` in a real pty, on a fresh demo database.

Each test gets its own copy of one demo database (written once per worker by the real
``duibiao-tui demo`` command), its own HOME / XDG directories with the officer's settings
already saved, and a ``launch`` factory that starts the app and kills it on teardown. What
the officer typed is then read back from the SQLite file, read-only, with the stdlib.

    .venv/bin/python -m pytest tests/acceptance -n 2

Two switches for diagnosis: ``ACCEPTANCE_KEY_BY_KEY=1`` sends every burst one key at a time
(a test that then passes has found a key-ordering bug), and ``ACCEPTANCE_PYTHONPATH=DIR`` runs
the app from another checkout of ``duibiao_tui`` (e.g. ``git archive`` of an older commit).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest

from .database import copy_database
from .terminal import Terminal, app_executable

OFFICER = "王明"
TEST_BUDGET_S = 60.0
"""Worst case for one test: every wait is cut short when the test's budget is spent."""


# -- environment --------------------------------------------------------------------------


def _base_env(root: Path) -> dict[str, str]:
    """A child environment of its own: HOME and the XDG dirs under ``root``, no DUIBIAO_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DUIBIAO_", "TEXTUAL"))}
    for name in ("home", "config", "data", "state", "cache"):
        (root / name).mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(root / "home"),
        XDG_CONFIG_HOME=str(root / "config"),
        XDG_DATA_HOME=str(root / "data"),
        XDG_STATE_HOME=str(root / "state"),
        XDG_CACHE_HOME=str(root / "cache"),
        TERM="xterm-256color",
        COLORTERM="truecolor",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
        TEXTUAL_ANIMATIONS="none",
        TEXTUAL_SMOOTH_SCROLL="0",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("NO_COLOR", None)
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    if os.environ.get("ACCEPTANCE_PYTHONPATH"):  # run the suite against another checkout
        env["PYTHONPATH"] = os.environ["ACCEPTANCE_PYTHONPATH"]
    return env


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo database per worker, written by the real command line."""
    root = tmp_path_factory.mktemp("demo")
    path = root / "demo.db"
    result = subprocess.run(
        [str(app_executable()), "demo", "--db", str(path)],
        env=_base_env(root),
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and path.exists(), result.stderr
    return path


@pytest.fixture
def db(tmp_path: Path, demo_template: Path) -> Path:
    """This test's own copy of the demo database."""
    path = tmp_path / "district.db"
    copy_database(demo_template, path)
    return path


@pytest.fixture
def app_env(tmp_path: Path) -> dict[str, str]:
    """HOME / XDG dirs of this test, the officer's settings saved where platformdirs looks."""
    env = _base_env(tmp_path / "user")
    config = Path(env["XDG_CONFIG_HOME"]) / "duibiao-tui" / "config.json"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(json.dumps({"officer": OFFICER}, ensure_ascii=False), encoding="utf-8")
    return env


# -- the app ----------------------------------------------------------------------------


@pytest.fixture
def launch(
    request: pytest.FixtureRequest, db: Path, app_env: dict[str, str], tmp_path: Path
) -> Iterator[Callable[..., Terminal]]:
    """``launch(rows=40, cols=120)`` starts the app on ``db`` and waits for its first screen.

    Every terminal started is killed at teardown; the test's waits share one budget.
    """
    marker = request.node.get_closest_marker("budget")
    budget = float(marker.args[0]) if marker else TEST_BUDGET_S
    deadline = time.monotonic() + budget
    started: list[Terminal] = []
    request.node._acceptance_terminals = started  # the failure hook prints their screens

    def start(rows: int = 40, cols: int = 120, wait: str | None = "总览") -> Terminal:
        terminal = Terminal(
            app_executable(),
            ["--db", str(db)],
            env=app_env,
            cwd=tmp_path,
            rows=rows,
            cols=cols,
            log_dir=Path(app_env["XDG_STATE_HOME"]) / "duibiao-tui" / "log",
            deadline=deadline,
        )
        started.append(terminal)
        if wait:
            terminal.wait_for(wait, timeout=45)
            terminal.wait_idle()
        return terminal

    yield start
    for terminal in started:
        terminal.kill()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "budget(seconds): the acceptance test's total time budget (default 60 s)"
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item,
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """On failure, the screens of the test's terminals go into the report."""
    report = yield
    if report.when == "call" and report.failed and "--- terminal" not in report.longreprtext:
        for n, terminal in enumerate(getattr(item, "_acceptance_terminals", []), 1):
            try:
                report.sections.append((f"terminal {n}", terminal.describe()))
            except Exception:  # a report must never fail because of the screen dump
                pass
    return report
