"""SIGKILL during a CSV export leaves the whole set of three files or none of it.

A forked child exports 企业名单, 对标项目 and 提升措施跟踪 of a 120-enterprise city into an
empty folder, writing a marker to a pipe when the first rows are written (``write``),
before and after each file takes its name (``before-<name>``, ``after-<name>``: the child
sleeps a moment before each, so kills can land between two renames) and at the end. The
parent kills it at chosen points: at random moments of the whole run, at random moments
while the rows are written, after the export is committed but before any file has its
name, and between the first and second and the second and third rename. Then:

- before anything is finished, no export file is there unless the kill came after the
  commit point (a ``before-`` marker);
- after ``finish_csv_exports`` (what the next export or program start runs), either all
  three files are there, byte for byte those of an uninterrupted export and 0600, or none
  is; no staging folder is left; a committed export is always there whole.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from duibiao_tui.demo import fill_demo
from duibiao_tui.excel import csv_export
from duibiao_tui.excel.csv_export import csv_filenames, export_csv, finish_csv_exports
from duibiao_tui.opening import _has_csv_staging
from duibiao_tui.store.store import Store
from tests.reliability.faults import fork_and_kill

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
NAMES = csv_filenames()
PAUSE_S = 0.15
LATER = 120.0
"""``finish_csv_exports`` leaves folders of processes dead for under a minute alone."""


def _child(db: Path, folder: Path, write_fd: int) -> None:
    """Runs in the forked process; never returns."""
    try:
        real = csv_export._publish_one

        def publish_one(staging: Path, into: Path, name: str, force: bool) -> bool:
            os.write(write_fd, f"before-{name}\n".encode())
            time.sleep(PAUSE_S)  # real time on purpose: the window the parent's SIGKILL lands in
            placed = real(staging, into, name, force)
            os.write(write_fd, f"after-{name}\n".encode())
            return placed

        csv_export._publish_one = publish_one  # type: ignore[assignment]
        store = Store.open(db, officer="kill", quick_check=False)
        first = [True]

        def progress(done: int, total: int) -> None:
            if first[0]:
                os.write(write_fd, b"write\n")
                first[0] = False

        export_csv(store, folder, progress=progress)
        os.write(write_fd, b"done\n")
        store.close()
    finally:
        os._exit(0)


def run_child(
    db: Path, folder: Path, *, delay: float | None, after: str | None = None
) -> tuple[list[str], dict[str, float]]:
    return fork_and_kill(lambda fd: _child(db, folder, fd), delay=delay, after=after)


def present(folder: Path) -> set[str]:
    return {name for name in NAMES if (folder / name).exists()}


def test_sigkill_during_csv_export_leaves_all_or_none(tmp_path: Path) -> None:
    db = tmp_path / "city.db"
    store = Store.open(db, officer="王明", quick_check=False)
    fill_demo(store, enterprises=120)
    store.close()

    whole = tmp_path / "whole"
    whole.mkdir()
    markers, seen = run_child(db, whole, delay=None)
    assert markers[0] == "write" and markers[-1] == "done"
    reference = {name: (whole / name).read_bytes() for name in NAMES}
    writing = seen[f"before-{NAMES[0]}"] - seen["write"]
    total = seen["done"]

    rng = random.Random(2009)
    plans: list[tuple[float, str | None]] = (
        [(rng.uniform(0, total), None) for _ in range(3)]  # anywhere
        + [(0.0, "write")]  # as the first rows are written
        + [(rng.uniform(0, writing), "write") for _ in range(2)]  # while rows are written
        + [(0.0, f"before-{NAMES[0]}")]  # committed, no file in place yet
        + [(0.0, f"after-{NAMES[0]}"), (0.0, f"after-{NAMES[1]}")]  # between renames
    )
    outcomes = {"all": 0, "none": 0}
    partial_before_finishing = 0
    for n, (delay, after) in enumerate(plans):
        for attempt in range(4):
            folder = tmp_path / f"kill-{n}-{attempt}"
            folder.mkdir()
            markers, _ = run_child(db, folder, delay=delay, after=after)
            if "done" not in markers:
                break
            # This run was faster than the reference run (a shared, noisy machine), or the
            # parent saw the marker late: the export finished whole, which proves nothing
            # about a kill. Kill sooner and try again.
            delay /= 2
        else:
            pytest.fail(f"plan {n} never killed the export before it finished")
        committed = any(m.startswith("before-") for m in markers)
        seen_now = present(folder)
        if not committed:
            assert seen_now == set(), f"plan {n}: files before the commit point: {seen_now}"
        partial_before_finishing += 0 < len(seen_now) < len(NAMES)

        staged = [p for p in folder.iterdir() if p.is_dir()]
        assert _has_csv_staging(folder) == bool(staged), "the start would not finish it"
        finish_csv_exports(folder, now=time.time() + LATER)
        files = present(folder)
        assert files in (set(), set(NAMES)), f"plan {n}: a partial export {sorted(files)}"
        if committed:
            assert files == set(NAMES), f"plan {n}: a committed export was lost"
        for name in files:
            assert (folder / name).read_bytes() == reference[name], f"plan {n}: {name} differs"
            assert (folder / name).stat().st_mode & 0o777 == 0o600
        assert sorted(p.name for p in folder.iterdir()) == sorted(files)  # no staging left
        outcomes["all" if files else "none"] += 1

    print(f"{len(plans)} kills: {outcomes}, {partial_before_finishing} partial before finishing")
    # Where a timed kill lands depends on the machine's load; both outcomes must occur (the
    # kill as the rows start is always before the commit, the ones after it always after).
    assert outcomes["all"] >= 1 and outcomes["none"] >= 1, outcomes
    assert partial_before_finishing >= 2  # the kills between renames did land there


def test_an_export_finishes_a_killed_one_before_writing(tmp_path: Path) -> None:
    """The next export into the folder puts a committed set in place first (then refuses to
    overwrite it, as for any existing file) and removes an uncommitted one."""
    store = Store.open(tmp_path / "city.db", officer="王明", quick_check=False)
    fill_demo(store, enterprises=3)
    folder = tmp_path / "out"
    dead = _dead_pid()
    committed = folder / f".csv-export.{dead}-0a1b2c3d.tmp"
    uncommitted = folder / f".csv-export.{dead}-0a1b2c3e.tmp"
    for staging in (committed, uncommitted):
        staging.mkdir(parents=True)
        for name in NAMES:
            (staging / name).write_text("旧", encoding="utf-8")
    (committed / "ready").write_text(f'{{"names": {NAMES!r}, "force": false}}'.replace("'", '"'))
    old = time.time() - 3600
    for staging in (committed, uncommitted):
        os.utime(staging, (old, old))
    with pytest.raises(Exception, match="已存在"):
        export_csv(store, folder)
    assert present(folder) == set(NAMES)
    assert all((folder / name).read_text(encoding="utf-8") == "旧" for name in NAMES)
    assert sorted(p.name for p in folder.iterdir()) == sorted(NAMES)
    store.close()


def _dead_pid() -> int:
    """The pid of a process that has ended (a fresh one started with exec: no fork needed)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid
