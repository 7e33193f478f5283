"""Read-only connections to database files, and what SQLite's errors mean to an officer.

Every caller that reads a file without writing it (the check on open, backups, restores,
packages, merges, the app's read-only mode) goes through ``open_read_only``:

- The URI is built with ``Path.as_uri()``, which percent-encodes the path: a ``#``, ``?``,
  ``%``, space or Chinese character in a folder name is part of the name, not the start of
  a fragment or query (``f"file:{path}?mode=ro"`` read a stray empty file beside the real
  one when the folder was called ``京口#2``).
- Only a regular file is opened: a FIFO given as ``--db`` would block ``open()`` forever.
- A WAL database in a folder we may not write (a read-only share, another user's folder, a
  write-protected USB stick) cannot create its ``-shm``; when no ``-wal`` waits to be read
  it is opened ``immutable=1`` instead, which reads the main file as it is.
- SQLite's errors become ours (``describe``): not a database, damaged (SQLITE_CORRUPT
  only), disk full (SQLITE_FULL, or an I/O error while the disk has no room), busy, or a
  read error that is none of these. A full disk is never called damage.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

from duibiao_tui.errors import (
    BusyError,
    CorruptDatabaseError,
    DiskFullError,
    DuibiaoError,
    NotADatabaseError,
    NotFoundError,
    ReadOnlyError,
)

__all__ = [
    "LOW_SPACE_BYTES",
    "describe",
    "disk_is_full",
    "ensure_regular_or_absent",
    "is_disk_full",
    "open_read_only",
    "read_only_uri",
]

BUSY_TIMEOUT_S = 5.0
LOW_SPACE_BYTES = 4 * 1024 * 1024
"""Below this much free space an I/O error while growing a file is taken as a full disk."""

RESTORE_HINT = "可用 duibiao-tui restore --latest 恢复最新的备份（损坏的文件会另存一份）"

_NOTADB, _CORRUPT, _FULL, _IOERR = 26, 11, 13, 10
_BUSY, _LOCKED, _READONLY, _CANTOPEN = 5, 6, 8, 14


def read_only_uri(path: Path | str, *, immutable: bool = False) -> str:
    """``file:///…?mode=ro`` (or ``?immutable=1``) for ``path``, percent-encoded."""
    uri = Path(path).resolve().as_uri()
    return f"{uri}?immutable=1" if immutable else f"{uri}?mode=ro"


def ensure_regular_or_absent(path: Path | str) -> None:
    """Refuse anything at ``path`` that is not a regular file (a FIFO, a folder, a device).

    Opening a FIFO blocks until someone writes to it: ``--db`` on one hung forever.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise DuibiaoError(
            f"无法读取 {path}：{error.strerror or error}", "无法打开数据库"
        ) from error
    if stat.S_ISREG(mode):
        return
    kind = "文件夹" if stat.S_ISDIR(mode) else "命名管道" if stat.S_ISFIFO(mode) else "特殊文件"
    raise NotADatabaseError(
        f"{path} 是{kind}，不是数据库文件，没有打开。请用 --db 指定一个 .db 文件"
    )


def disk_is_full(folder: Path | str, need: int = LOW_SPACE_BYTES) -> bool:
    """True when the file system of ``folder`` has less than ``need`` bytes free."""
    folder = Path(folder)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free < need
    except OSError:
        return False


def _code(error: sqlite3.Error) -> int:
    return int(getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF


def is_disk_full(error: sqlite3.Error, path: Path | str) -> bool:
    """SQLITE_FULL, or an I/O error (growing ``-shm``, writing a page) on a disk without
    room: both mean "free some space", never "the file is damaged"."""
    code = _code(error)
    if code == _FULL or "full" in str(error):
        return True
    return code == _IOERR and disk_is_full(Path(path).parent)


def full_disk_error(path: Path | str, doing: str = "打开数据库") -> DiskFullError:
    folder = Path(path).parent
    return DiskFullError(
        f"磁盘已满：{folder} 所在的磁盘没有剩余空间，无法{doing}。数据库文件完好，"
        "没有做任何改动。请腾出磁盘空间后再试（不要恢复备份：文件没有损坏）"
    )


def describe(error: sqlite3.Error, path: Path | str, doing: str = "打开数据库") -> DuibiaoError:
    """What SQLite's ``error`` on the file at ``path`` means, as one of our errors."""
    code = _code(error)
    text = str(error)
    if code == _NOTADB or "not a database" in text or "encrypted" in text:
        if _is_gzip(path):
            return NotADatabaseError(
                f"{path} 是压缩的 duibiao 数据包（duibiao-tui package 生成），不能直接打开，"
                "文件未做任何改动。请用 duibiao-tui merge 把它合并到数据库（市局的，"
                "或一个新的 .db 文件）"
            )
        return NotADatabaseError(
            f"{path} 不是 duibiao 数据库（SQLite 文件），文件未做任何改动。"
            "请用 --db 指定正确的 .db 文件"
        )
    if is_disk_full(error, path):
        return full_disk_error(path, doing)
    if code == _CORRUPT or "malformed" in text:
        return CorruptDatabaseError(
            f"{path} 已损坏（{text}），文件未做任何改动。{RESTORE_HINT}", Path(path)
        )
    if code in (_BUSY, _LOCKED):
        return BusyError(f"另一个窗口或程序正占用 {path}，已等待 {BUSY_TIMEOUT_S:g} 秒。请稍后再试")
    if code == _READONLY:
        return ReadOnlyError(f"{path} 或它所在的文件夹只读，无法{doing}")
    if code == _CANTOPEN and not Path(path).exists():
        return NotFoundError(f"找不到 {path}")
    return DuibiaoError(
        f"读取 {path} 时出错（{text}），无法{doing}；文件未做任何改动。"
        "请检查磁盘、U 盘或网络盘是否可用，再试一次",
        "无法读取数据库",
    )


def _is_gzip(path: Path | str) -> bool:
    """A compressed package (``store.package``): gzip's first two bytes."""
    try:
        with open(path, "rb") as handle:
            return handle.read(2) == b"\x1f\x8b"
    except OSError:
        return False


def _wal_waiting(path: Path) -> bool:
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def _remove_unstarted(created: list[Path]) -> None:
    """Remove a -wal and -shm this failed open created and could not even set up (an
    empty -wal, a -shm shorter than its first 32 KiB): a full disk leaves nothing."""
    for side in created:
        try:
            size = side.stat().st_size
        except OSError:
            continue
        if size == 0 or (side.name.endswith("-shm") and size < 32768):
            side.unlink(missing_ok=True)


def open_read_only(path: Path | str, *, timeout: float = BUSY_TIMEOUT_S) -> sqlite3.Connection:
    """A read-only connection to the database file at ``path`` whose first page was read.

    Raises NotFoundError (no such file), NotADatabaseError (not SQLite, or not a regular
    file), DiskFullError, CorruptDatabaseError, BusyError or DuibiaoError; never a raw
    ``sqlite3`` error.
    """
    path = Path(path)
    ensure_regular_or_absent(path)
    if not path.exists():
        raise NotFoundError(f"找不到 {path}")
    sides = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    absent = [side for side in sides if not side.exists()]
    conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=timeout)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.Error as error:
        conn.close()
        if _code(error) not in (_READONLY, _CANTOPEN) or _wal_waiting(path):
            mapped = describe(error, path)
            if isinstance(mapped, DiskFullError):
                _remove_unstarted(absent)
            raise mapped from error
    # A WAL file in a folder we cannot write (no -shm can be made): read the main file as
    # it is; nothing is waiting in a -wal, so that is the whole database.
    conn = sqlite3.connect(read_only_uri(path, immutable=True), uri=True, timeout=timeout)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as error:
        conn.close()
        raise describe(error, path) from error
    return conn
