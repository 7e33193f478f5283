"""SIGKILL at random moments never corrupts the file or half-applies an edit.

A forked child opens the database, says the journal mode and synchronous level in force
(WAL, FULL: a SIGKILL alone cannot tell FULL from OFF), and makes edits, one logical edit
per transaction (a row and its review flag together), writing ``begin`` to a pipe before
each and the row's id only after its commit returned. The parent kills it with SIGKILL a
random moment (0–50 ms) after its first commit, then checks the file: integrity_check is
ok, every reported row is there, and no row exists without its flag. The kills must land
where they test something: every one after a commit, at least a quarter inside a
transaction (the last marker ``begin``).
KILLS kills in the suite; ``bench/kill_loop.py`` runs many more before a release.
"""

from __future__ import annotations

import os
import random
import sqlite3
from pathlib import Path

import pytest

from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.store.store import Store
from tests.reliability.faults import fork_and_kill

KILLS = 120
FULL = 2
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def _child(path: Path, enterprise_id: str, write_fd: int, tag: int) -> None:
    """Runs in the forked process: says the settings in force, then ``begin`` before each
    edit and the row's id once its commit returned."""
    store = Store.open(path, officer=f"kill-{tag}", quick_check=False)
    mode = store.conn.execute("PRAGMA journal_mode").fetchone()[0]
    sync = store.conn.execute("PRAGMA synchronous").fetchone()[0]
    os.write(write_fd, f"settings {mode} {sync}\nopen\n".encode())
    n = 0
    while True:
        os.write(write_fd, b"begin\n")
        with store.write():
            item = store.add_item(enterprise_id, ItemInput(aspect="设备", indicator=f"k{tag}-{n}"))
            store.flag_item(item.id, True, f"pair-{item.id}")
        os.write(write_fd, f"{item.id}\n".encode() + (b"" if n else b"committed\n"))
        n += 1


def kill_once(path: Path, enterprise_id: str, tag: int, delay: float) -> list[str]:
    """Fork a writer, kill it ``delay`` s after its first commit; its markers."""
    markers, _ = fork_and_kill(
        lambda fd: _child(path, enterprise_id, fd, tag), delay=delay, after="committed"
    )
    return markers


def check_file(path: Path, reported: set[str]) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = dict(
            conn.execute("SELECT id, flag_comment FROM benchmark_item WHERE indicator LIKE 'k%'")
        )
        missing = reported - rows.keys()
        assert not missing, f"{len(missing)} committed edits lost"
        half = [i for i, comment in rows.items() if comment != f"pair-{i}"]
        assert not half, f"{len(half)} edits half applied"
        seqs = [r[0] for r in conn.execute("SELECT seq FROM benchmark_item ORDER BY seq")]
        assert seqs == list(range(1, len(seqs) + 1))
    finally:
        conn.close()


@pytest.mark.slow
def test_sigkill_at_random_moments(store: Store, seeded: dict[str, str], db_path: Path) -> None:
    enterprise_id = next(iter(seeded.values()))
    store.close()
    rng = random.Random(173)
    reported: set[str] = set()
    inside = after_a_commit = 0
    for tag in range(KILLS):
        markers = kill_once(db_path, enterprise_id, tag, rng.uniform(0.0, 0.05))
        assert markers[:2] == [f"settings wal {FULL}", "open"], markers[:2]  # durable
        ids = [m for m in markers[2:] if m not in ("begin", "committed")]
        reported |= set(ids)
        after_a_commit += bool(ids)
        inside += markers[-1] == "begin"  # killed during an edit's transaction
        check_file(db_path, reported)
    # The kills fell where they test something: after the child had committed (never while
    # it was still opening the file), and mostly inside a transaction.
    print(
        f"{KILLS} kills: {after_a_commit} after a commit, {inside} inside a transaction, "
        f"{len(reported)} committed edits checked"
    )
    assert after_a_commit == KILLS, f"only {after_a_commit} kills after a commit"
    assert inside >= KILLS // 4, f"only {inside} kills inside a transaction"
    assert len(reported) >= KILLS * 5
