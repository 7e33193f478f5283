"""A demo database file written from the shell: ``duibiao-tui demo`` and ``--demo``'s first run.

Both show the same progress bar on stderr while the generator (``duibiao_tui.demo``) fills
the file. Below the command line, so the click-free open (``opening``) can use it too; click
itself is imported only when a file is written, so ``--demo`` on a database that already
has enterprises starts as lightly as a plain open.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["fill_demo_if_empty", "write_demo_file"]

DEMO_SEED = 2009


def write_demo_file(path: Path, enterprises: int, seed: int = DEMO_SEED) -> int:
    """Fill ``path`` (new or empty) with ``enterprises`` demo enterprises; their count."""
    import click

    from duibiao_tui.demo import fill_demo
    from duibiao_tui.store.store import Store

    store = Store.open(path, officer="演示数据")
    try:
        with click.progressbar(length=enterprises, label="生成演示数据", file=sys.stderr) as bar:
            done_so_far = 0

            def progress(done: int, total: int) -> None:
                nonlocal done_so_far
                bar.update(done - done_so_far)
                done_so_far = done

            return fill_demo(store, enterprises=enterprises, seed=seed, progress=progress)
    finally:
        store.close()


def fill_demo_if_empty(path: Path) -> None:
    """For the README's first command: a new user lands on data, an existing one on theirs."""
    from duibiao_tui.demo import DEFAULT_ENTERPRISES
    from duibiao_tui.store.store import Store

    if path.exists():
        store = Store.open(path)
        try:
            if store.count_enterprises() or store.count_enterprises(removed=True):
                return
        finally:
            store.close()
    write_demo_file(path, DEFAULT_ENTERPRISES)
