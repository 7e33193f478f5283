"""Consistent copies of the database: before migrations and imports, daily, and on demand.

A copy is taken with SQLite's online backup API from a connection of its own, so it is a
committed state even while the app or another process writes. It is written to a
temporary file beside the target, fsynced and renamed: a kill leaves either no backup or a
complete one. Backups are readable by the owner only (they hold people's names and phones).

Backups of ``duibiao.db`` live in ``backups/`` next to it, named by the time they were
taken (``duibiao-20091008-093000.db``); the newest ``keep`` (10 by default) are kept.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from duibiao_tui.errors import DuibiaoError, FileExistsRefused

__all__ = [
    "DEFAULT_KEEP",
    "BackupInfo",
    "backup_dir",
    "backup_file",
    "daily_backup",
    "list_backups",
    "restore_backup",
    "take_backup",
]

DEFAULT_KEEP = 10
COUNTED_TABLES = ("enterprise", "benchmark_item", "submission", "recognition", "audit_log")
PRIVATE = 0o600


class BackupError(DuibiaoError):
    title = "备份失败"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    size: int
    counts: dict[str, int]
    """Rows per table of COUNTED_TABLES (live enterprises and rows)."""
    reason: str


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def backup_file(source: Path | sqlite3.Connection, target: Path, *, force: bool = False) -> Path:
    """Copy the database ``source`` (a path or an open connection) to ``target`` atomically.

    Refuses to replace an existing ``target`` unless ``force``. The copy is checked with
    ``PRAGMA integrity_check`` before it is renamed into place.
    """
    target = Path(target)
    if target.exists() and not force:
        raise FileExistsRefused(f"{target} 已存在；要覆盖请确认（命令行加 --force）")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, PRIVATE)
        own = not isinstance(source, sqlite3.Connection)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True) if own else source
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)  # type: ignore[union-attr]
                dst.execute("PRAGMA journal_mode = DELETE")
                ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
                if ok != "ok":
                    raise BackupError(f"备份副本未通过完整性检查：{ok}")
            finally:
                dst.close()
        finally:
            if own:
                src.close()  # type: ignore[union-attr]
        handle = os.open(tmp, os.O_RDWR)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except sqlite3.Error as error:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"无法备份数据库：{error}") from error
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _stamp(now: datetime) -> str:
    return now.strftime("%Y%m%d-%H%M%S")


def take_backup(
    db_path: Path,
    reason: str = "手动",
    *,
    keep: int = DEFAULT_KEEP,
    now: datetime | None = None,
    source: sqlite3.Connection | None = None,
) -> Path:
    """A timestamped backup in ``backups/``; the oldest beyond ``keep`` are deleted."""
    now = now or datetime.now()
    folder = backup_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(folder, 0o700)
    target = folder / f"{db_path.stem}-{_stamp(now)}.db"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{db_path.stem}-{_stamp(now)}-{n}.db"
    backup_file(source if source is not None else db_path, target)
    (target.with_suffix(".reason")).write_text(reason, encoding="utf-8")
    prune(db_path, keep)
    return target


def _backups(db_path: Path) -> list[Path]:
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    prefix = f"{db_path.stem}-"
    found = [
        p
        for p in folder.glob(f"{prefix}*.db")
        if p.name[len(prefix) :][:8].isascii() and p.name[len(prefix) :][:8].isdigit()
    ]
    return sorted(found, key=lambda p: p.name)


def prune(db_path: Path, keep: int = DEFAULT_KEEP) -> None:
    for old in _backups(db_path)[: max(0, len(_backups(db_path)) - keep)]:
        old.unlink(missing_ok=True)
        old.with_suffix(".reason").unlink(missing_ok=True)


def _taken_at(path: Path, stem: str) -> datetime:
    stamp = path.stem[len(stem) + 1 :][:15]
    try:
        return datetime.strptime(stamp, "%Y%m%d-%H%M%S")
    except ValueError:
        return datetime.fromtimestamp(path.stat().st_mtime)


def counts_of(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {}
        for table in COUNTED_TABLES:
            live = " WHERE deleted_at IS NULL" if table in ("enterprise", "benchmark_item") else ""
            try:
                out[table] = conn.execute(f"SELECT count(*) FROM {table}{live}").fetchone()[0]
            except sqlite3.Error:
                out[table] = 0
        return out
    finally:
        conn.close()


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The backups of ``db_path``, newest first, with their row counts."""
    infos = []
    for path in reversed(_backups(db_path)):
        reason_file = path.with_suffix(".reason")
        reason = reason_file.read_text(encoding="utf-8") if reason_file.exists() else ""
        infos.append(
            BackupInfo(
                path,
                _taken_at(path, db_path.stem),
                path.stat().st_size,
                counts_of(path),
                reason,
            )
        )
    return infos


def daily_backup(
    db_path: Path, *, keep: int = DEFAULT_KEEP, now: datetime | None = None
) -> Path | None:
    """Take the day's backup unless one was taken today (or the database is empty)."""
    now = now or datetime.now()
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    today = now.strftime("%Y%m%d")
    if any(p.stem[len(db_path.stem) + 1 :].startswith(today) for p in _backups(db_path)):
        return None
    return take_backup(db_path, "每日", keep=keep, now=now)


def _move_aside(db_path: Path, now: datetime) -> Path:
    """A damaged file cannot be copied through SQLite: keep it by renaming it (with its
    -wal and -shm) into backups/ as ``<name>-damaged-<time>.db``."""
    folder = backup_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{db_path.stem}-damaged-{_stamp(now)}.db"
    for suffix in ("-wal", "-shm"):
        side = Path(f"{db_path}{suffix}")
        if side.exists():
            os.replace(side, Path(f"{target}{suffix}"))
    os.replace(db_path, target)
    return target


def restore_backup(
    backup: Path, db_path: Path, *, keep: int = DEFAULT_KEEP, now: datetime | None = None
) -> Path | None:
    """Replace ``db_path`` with ``backup`` after backing the current file up (returned).

    The backup is checked first; the app must not have the database open.
    """
    backup = Path(backup)
    if not backup.is_file():
        raise BackupError(f"找不到备份文件 {backup}")
    try:
        conn = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{backup} 不是可用的数据库备份：{error}") from error
    if ok != "ok":
        raise BackupError(f"{backup} 未通过完整性检查：{ok}")
    before: Path | None = None
    if db_path.exists():
        try:
            before = take_backup(db_path, "恢复前", keep=keep + 1, now=now)
        except BackupError:
            before = _move_aside(db_path, now or datetime.now())
    # Copy through the backup API into the live path, so -wal/-shm are handled by SQLite.
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    dst = sqlite3.connect(db_path)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    with contextlib.suppress(OSError):
        os.chmod(db_path, PRIVATE)
    return before


def restore_latest(db_path: Path, *, keep: int = DEFAULT_KEEP) -> Path:
    """Restore the newest backup that passes integrity_check (the current file is kept as a
    backup first); returns the backup used."""
    for info in list_backups(db_path):
        if info.reason == "恢复前":
            continue
        try:
            restore_backup(info.path, db_path, keep=keep)
        except BackupError:
            continue
        return info.path
    raise BackupError(f"{backup_dir(db_path)} 中没有可用的备份")
