"""SIGKILL at random moments never corrupts the file or half-applies an edit.

A forked child opens the database and makes edits, one logical edit per transaction (a
row and its review flag together), writing each row's id to a pipe only after the commit
returned. The parent kills it with SIGKILL after a random delay, then checks the file:
integrity_check is ok, every reported row is there, and no row exists without its flag.
KILLS kills in the suite; ``bench/kill_loop.py`` runs many more before a release.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.store.store import Store

KILLS = 200
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def _child(path: Path, enterprise_id: str, write_fd: int, tag: int) -> None:
    """Runs in the forked process; never returns."""
    try:
        store = Store.open(path, officer=f"kill-{tag}", quick_check=False)
        n = 0
        while True:
            with store.write():
                item = store.add_item(
                    enterprise_id, ItemInput(aspect="设备", indicator=f"k{tag}-{n}")
                )
                store.flag_item(item.id, True, f"pair-{item.id}")
            os.write(write_fd, f"{item.id}\n".encode())
            n += 1
    finally:
        os._exit(0)


def kill_once(path: Path, enterprise_id: str, tag: int, delay: float) -> list[str]:
    """Fork a writer, kill it after ``delay`` seconds, return the ids it reported."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read_fd)
        _child(path, enterprise_id, write_fd, tag)
    os.close(write_fd)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    chunks = []
    while chunk := os.read(read_fd, 65536):
        chunks.append(chunk)
    os.close(read_fd)
    text = b"".join(chunks).decode()
    return [line for line in text.split("\n")[:-1] if line]  # the last line may be cut


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


def test_sigkill_at_random_moments(store: Store, seeded: dict[str, str], db_path: Path) -> None:
    enterprise_id = next(iter(seeded.values()))
    store.close()
    rng = random.Random(173)
    reported: set[str] = set()
    survived = 0
    for tag in range(KILLS):
        reported |= set(kill_once(db_path, enterprise_id, tag, rng.uniform(0.005, 0.06)))
        check_file(db_path, reported)
        survived += 1
    assert survived == KILLS
    assert len(reported) > KILLS // 2  # the children did get work done between kills
