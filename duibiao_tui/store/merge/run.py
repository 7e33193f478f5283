"""``merge_files``: every district file checked, then merged into this database in ONE transaction.

A backup of this database as it was before the merge is taken (not for a dry run, which
does everything and rolls it back) before the merge commits, and only when the merge
changes something: in WAL mode it is copied, from a connection of its own, from the last
committed state while the merge's transaction is still open, so a merge that brings
nothing new (a package merged again) copies no file; otherwise it is taken first. A file
that is this database, or two copies of one file, refuse the whole merge.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from duibiao_tui.domain.merge import MergeReport, SourceSummary
from duibiao_tui.store.merge.digests import reuse_for, still_reusable
from duibiao_tui.store.merge.merger import Merger
from duibiao_tui.store.merge.resolve import open_conflicts
from duibiao_tui.store.merge.source import Incoming, MergeRefused, read_source

if TYPE_CHECKING:
    from duibiao_tui.store.store import Store

__all__ = ["merge_files"]

MERGE_CACHE_KIB = 256 * 1024


class _DryRun(Exception):
    """Raised at the end of a dry run to roll the transaction back."""


def merge_files(
    store: Store,
    paths: Sequence[Path | str | Incoming],
    *,
    dry_run: bool = False,
    keep: int = 10,
    progress: Callable[[str], None] | None = None,
    reuse_unchanged: bool = True,
) -> MergeReport:
    """Merge every file in ``paths`` into ``store`` in one transaction (see ``store.merge``).

    Every file is read and checked before anything is written: one refused file (not a
    duibiao file, damaged, newer schema, this very database) refuses the whole merge with
    MergeRefused. A backup is taken first (not for a dry run). Tables of a package whose
    content this database merged clean from that source before are not read
    (``merge.digests``), unless ``reuse_unchanged`` is False.
    """
    if store.read_only:
        raise MergeRefused("数据库以只读方式打开，不能合并")
    sources: list[Incoming] = []  # every one is closed at the end (unpacked packages go)
    try:
        _read_all(store, paths, sources, reuse_unchanged, progress)
        return _merge(store, sources, dry_run, keep, progress, reuse_unchanged)
    finally:
        for incoming in sources:
            incoming.close()
        for path in paths:
            if isinstance(path, Incoming):
                path.close()


def _read_all(
    store: Store,
    paths: Sequence[Path | str | Incoming],
    sources: list[Incoming],
    reuse_unchanged: bool,
    progress: Callable[[str], None] | None,
) -> None:
    """Read and check every file into ``sources``; the first refused one refuses all."""
    own_id = store.setting("database_id")
    reuse = reuse_for(store.conn) if reuse_unchanged else None
    for path in paths:
        if isinstance(path, Incoming):
            incoming = path
        else:
            if progress is not None:
                progress(f"读取 {Path(path).name}")
            incoming = read_source(path, reuse)
        sources.append(incoming)
        if incoming.database_id == own_id or _same_file(incoming.path, store.path):
            raise MergeRefused(f"{incoming.path.name} 就是本数据库（或它的备份），不能合并到自身")
        twin = next((s for s in sources[:-1] if s.database_id == incoming.database_id), None)
        if twin is not None:
            raise MergeRefused(
                f"{twin.path.name} 和 {incoming.path.name} 是同一数据库（或其未打开过的副本），"
                "不能一起合并。请在各自的电脑上用 duibiao-tui package 打包后再合并"
            )


def _merge(
    store: Store,
    sources: list[Incoming],
    dry_run: bool,
    keep: int,
    progress: Callable[[str], None] | None,
    reuse_unchanged: bool,
) -> MergeReport:
    report = MergeReport(dry_run=dry_run)
    report.sources = [SourceSummary(str(s.path), s.label, s.database_id) for s in sources]
    backup = not dry_run and store.path is not None
    # In WAL mode another connection reads the last committed state while this one's
    # transaction is open: the backup waits until the merge knows it changes something.
    deferred = backup and _in_wal(store)
    if backup and not deferred:
        _take_backup(store, report, keep, progress)
    cache = store.conn.execute("PRAGMA cache_size").fetchone()[0]
    # Rows land at random places of the UUID indexes: a large page cache for the merge
    # (city scale: ~3x faster), back to the default after it.
    store.conn.execute(f"PRAGMA cache_size = {-MERGE_CACHE_KIB}")
    merger: Merger | None = None
    try:
        with store.write():
            merger = Merger(store, report)
            for n, incoming in enumerate(sources):
                if incoming.reused and not (
                    reuse_unchanged and still_reusable(store.conn, incoming)
                ):
                    # what it was read against changed meanwhile (another window merged)
                    incoming.close()
                    incoming = sources[n] = read_source(incoming.path)
                if progress is not None:
                    progress(f"合并 {incoming.path.name}（{incoming.label}）")
                merger.merge_source(incoming)
            merger.remember_digests()
            if report.written:
                for incoming in sources:
                    store._audit(
                        "merge_source",
                        incoming.database_id,
                        "merge",
                        {"file": (None, str(incoming.path)), "summary": (None, report.summary())},
                    )
            if deferred and (report.written or report.conflicts or merger.changed):
                _take_backup(store, report, keep, progress)
            if dry_run:
                raise _DryRun
            if progress is not None:
                progress("提交")
    except _DryRun:
        pass
    except sqlite3.IntegrityError as error:
        raise MergeRefused(f"来件数据不完整或与本库冲突（{error}），未合并任何内容") from error
    finally:
        store.conn.execute(f"PRAGMA cache_size = {cache}")
        if merger is not None:
            merger.detach()
    if not dry_run:  # as stored: with their labels and waiting rows
        report.conflicts = open_conflicts(store, sources=[s.database_id for s in sources])
    return report


def _in_wal(store: Store) -> bool:
    return str(store.conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal"


def _take_backup(
    store: Store, report: MergeReport, keep: int, progress: Callable[[str], None] | None
) -> None:
    """The pre-merge backup of ``store``'s file (its last committed state)."""
    from duibiao_tui.store.backup import take_backup

    assert store.path is not None
    if progress is not None:
        progress("合并前备份")
    # quick_check: every page and record of the copy is read; matching every index entry
    # against its table as well (integrity_check) doubled a no-op merge of a city file
    report.backup = str(take_backup(store.path, "合并前", keep=keep, check="quick_check"))


def _same_file(a: Path, b: Path | None) -> bool:
    try:
        return b is not None and a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False
