"""Processes opening a brand-new file (or one needing an upgrade) at the same moment.

Seen before: the second crashed with "index … already exists". Migrations now run under
the write lock with a re-check: the others wait, then find the work done.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from tests.reliability.faults import sqlite_check

PROCESSES = 4
ROUNDS = 4
pytestmark = pytest.mark.slow  # processes spawned, several rounds


def _open_and_write(path: str, tag: str, ready: object, start: object, out: object) -> None:
    """In a spawned process: say it is ready, wait for the start signal, open, register an
    enterprise."""
    from duibiao_tui.domain.models import EnterpriseInput
    from duibiao_tui.store.store import Store

    try:
        ready.put(tag)  # type: ignore[attr-defined]
        start.wait(30)  # type: ignore[attr-defined]
        store = Store.open(path, officer=tag)
        store.add_enterprise(EnterpriseInput(name=f"镇江市竞速机械厂{tag}"))
        store.close()
        out.put((tag, "ok"))  # type: ignore[attr-defined]
    except BaseException as error:  # reported to the parent
        out.put((tag, f"{type(error).__name__}: {error}"))  # type: ignore[attr-defined]


def _race(path: Path) -> list[tuple[str, str]]:
    ctx = multiprocessing.get_context("spawn")
    ready, start, out = ctx.Queue(), ctx.Event(), ctx.Queue()
    workers = [
        ctx.Process(target=_open_and_write, args=(str(path), f"P{n}", ready, start, out))
        for n in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    for _ in workers:  # every child has imported the app and waits on the event
        ready.get(timeout=120)
    start.set()
    results = [out.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(30)
    return sorted(results)


def _applied(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    finally:
        conn.close()


def test_processes_opening_a_new_file_at_once_all_succeed(tmp_path: Path) -> None:
    from duibiao_tui.store.versioning import KNOWN_MIGRATIONS

    for round_ in range(ROUNDS):
        path = tmp_path / f"new-{round_}.db"
        results = _race(path)
        assert [r for _, r in results] == ["ok"] * PROCESSES, results
        assert _applied(path) == list(KNOWN_MIGRATIONS)  # each migration once
        assert sqlite_check(path) == "ok"
        conn = sqlite3.connect(path)
        assert conn.execute("SELECT count(*) FROM enterprise").fetchone()[0] == PROCESSES
        conn.close()


def test_processes_upgrading_one_file_at_once_all_succeed(tmp_path: Path) -> None:
    from duibiao_tui.store.versioning import KNOWN_MIGRATIONS

    path = tmp_path / "old.db"
    # as the release before 0004 left it: the first migrations alone, run by sqlite-utils
    from sqlite_utils import Database

    from duibiao_tui.store.migrations import migrations

    old = Database(path)
    migrations.apply(old, stop_before="0004_carry_index")
    old.close()
    results = _race(path)
    assert [r for _, r in results] == ["ok"] * PROCESSES, results
    assert _applied(path) == list(KNOWN_MIGRATIONS)
    assert sqlite_check(path) == "ok"
