"""Consistent copies of the database: before migrations and imports, daily, and on demand.

A copy is taken with SQLite's online backup API from a connection of its own, so it is a
committed state even while the app or another process writes. It is written to a
temporary file beside the target, fsynced and renamed: a kill leaves either no backup or a
complete one. Backups are readable by the owner only (they hold people's names and phones).

Backups of ``duibiao.db`` live in ``backups/`` next to it, named by the time they were
taken (``duibiao-20091008-093000.db``, then ``…-093000-2.db`` within the same second); the
newest ``keep`` (10 by default) are kept. Each backup has a checksum beside it
(``….db.sha256``, in ``sha256sum`` format), checked before it is restored: a flipped byte
inside a record passes ``integrity_check`` but not the checksum.

A restore accepts only a duibiao database of a schema this release can open; it checks the
free space it needs first, writes the restored copy under a temporary name and renames it
into place (never a half-written or empty live file). It never replaces a file that passes
``quick_check`` unless asked (a full disk is not damage), backs that file up first (a
backup like any other, listed and restorable), and moves only a damaged file aside.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from duibiao_tui.errors import (
    CorruptDatabaseError,
    DiskFullError,
    DuibiaoError,
    FileExistsRefused,
    NotADatabaseError,
    SchemaTooNewError,
)
from duibiao_tui.files import (
    PRIVATE_MODE,
    atomic_path,
    clean_stale_temps,
    write_text_atomically,
)
from duibiao_tui.store.sqlite_files import (
    describe,
    disk_is_full,
    ensure_regular_or_absent,
    open_read_only,
)
from duibiao_tui.store.versioning import applied_names, pending_migrations

__all__ = [
    "DEFAULT_KEEP",
    "BackupInfo",
    "backup_dir",
    "backup_file",
    "checksum_path",
    "daily_backup",
    "list_backups",
    "restore_backup",
    "restore_latest",
    "take_backup",
    "verify_backup",
]

DEFAULT_KEEP = 10
COUNTED_TABLES = ("enterprise", "benchmark_item", "submission", "recognition", "audit_log")
SPACE_MARGIN = 1024 * 1024
"""Free space kept beyond what a backup or restore writes."""
REQUIRED_TABLES = ("enterprise", "benchmark_item", "campaign", "district", "setting")
_NAME = re.compile(r"(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?\.db")
_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


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


def checksum_path(backup: Path) -> Path:
    """The checksum file beside a backup: ``<backup>.sha256``."""
    return Path(f"{backup}.sha256")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _size_with_wal(path: Path) -> int:
    return sum(
        Path(f"{path}{suffix}").stat().st_size
        for suffix in ("", "-wal")
        if Path(f"{path}{suffix}").exists()
    )


def _mb(size: int) -> str:
    return f"{max(size, 0) / 1_048_576:.1f} MB"


def _check_space(folder: Path, need: int, doing: str) -> None:
    """Refuse before writing anything when ``folder`` lacks ``need`` bytes (and a margin)."""
    if disk_is_full(folder, need + SPACE_MARGIN):
        free = shutil.disk_usage(folder).free if folder.exists() else 0
        raise DiskFullError(
            f"磁盘空间不足：{doing}需要约 {_mb(need + SPACE_MARGIN)}，{folder} 所在磁盘只剩 "
            f"{_mb(free)}。没有做任何改动；请腾出空间后再试"
        )


def _os_error(error: OSError, target: Path, doing: str) -> DuibiaoError:
    if error.errno in _FULL_ERRNOS:
        return DiskFullError(
            f"磁盘已满（或文件超过了大小限制），{doing}未完成：{target}。"
            "没有留下半个文件，原有文件没有改动；请腾出空间后再试"
        )
    if isinstance(error, PermissionError):
        return BackupError(
            f"{doing}失败：没有权限写入 {target}（文件或文件夹只读），没有做任何改动"
        )
    return BackupError(f"{doing}失败：{target}：{error.strerror or error}")


CHECKS = ("integrity_check", "quick_check")


def _copy_into(source: Path | sqlite3.Connection, tmp: Path, check: str = CHECKS[0]) -> None:
    """SQLite's backup API from ``source`` into the new file ``tmp``, checked with ``check``
    (``atomic_path`` syncs it before it takes its name)."""
    if check not in CHECKS:
        raise ValueError(check)
    own = not isinstance(source, sqlite3.Connection)
    src = open_read_only(source) if own else source  # type: ignore[arg-type]
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)  # type: ignore[union-attr]
            dst.execute("PRAGMA journal_mode = DELETE")
            ok = dst.execute(f"PRAGMA {check}").fetchone()[0]
            if ok != "ok":
                raise BackupError(f"备份副本未通过完整性检查：{ok}")
        finally:
            dst.close()
    finally:
        if own:
            src.close()  # type: ignore[union-attr]


def backup_file(
    source: Path | sqlite3.Connection,
    target: Path,
    *,
    force: bool = False,
    check: str = CHECKS[0],
) -> Path:
    """Copy the database ``source`` (a path or an open connection) to ``target`` atomically.

    Refuses to replace an existing ``target`` unless ``force``, and to start without the
    space the copy needs. The copy is checked with ``PRAGMA integrity_check`` (or
    ``check="quick_check"``: every page and record read, without matching each index
    against its table — half the time on a city file) and its checksum written beside it
    (``checksum_path``) before it takes its name.
    """
    target = Path(target)
    if target.exists() and not force:
        raise FileExistsRefused(f"{target} 已存在；要覆盖请确认（命令行加 --force）")
    if not isinstance(source, sqlite3.Connection):
        ensure_regular_or_absent(source)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not isinstance(source, sqlite3.Connection):
            _check_space(target.parent, _size_with_wal(Path(source)), "备份")
    except OSError as error:
        raise _os_error(error, target, "备份") from error
    try:  # created 0600, whole or not at all; replaces only what was refused above unless force
        with atomic_path(target, force=True, private=True) as tmp:
            _copy_into(source, tmp, check)
            write_text_atomically(
                checksum_path(target), f"{_sha256(tmp)}  {target.name}\n", private=True
            )
    except sqlite3.Error as error:
        raise describe(error, target, "备份数据库") from error
    except OSError as error:
        raise _os_error(error, target, "备份") from error
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
    check: str = CHECKS[0],
) -> Path:
    """A timestamped backup in ``backups/``; the oldest beyond ``keep`` are deleted.
    ``check``: as for ``backup_file``."""
    now = now or datetime.now()
    folder = backup_dir(db_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _os_error(error, folder, "备份") from error
    with contextlib.suppress(OSError):
        os.chmod(folder, 0o700)
    clean_stale_temps(folder)  # copies left by killed backups
    target = folder / f"{db_path.stem}-{_stamp(now)}.db"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{db_path.stem}-{_stamp(now)}-{n}.db"
    backup_file(source if source is not None else db_path, target, check=check)
    try:
        (target.with_suffix(".reason")).write_text(reason, encoding="utf-8")
    except OSError:  # the backup itself is whole; only its label is missing
        pass
    prune(db_path, keep)
    return target


def _order(path: Path, stem: str) -> tuple[str, int] | None:
    """(time stamp, number within the second) of a backup of ``stem``, or None."""
    match = _NAME.fullmatch(path.name[len(stem) + 1 :])
    if match is None:
        return None
    return match["stamp"], int(match["n"] or 1)


def _backups(db_path: Path) -> list[Path]:
    """Backups of ``db_path``, oldest first (``-2`` within a second after the first)."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    keyed = [
        (key, p) for p in folder.glob(f"{db_path.stem}-*.db") if (key := _order(p, db_path.stem))
    ]
    return [p for _, p in sorted(keyed)]


def prune(db_path: Path, keep: int = DEFAULT_KEEP) -> None:
    found = _backups(db_path)
    for old in found[: max(0, len(found) - keep)]:
        old.unlink(missing_ok=True)
        old.with_suffix(".reason").unlink(missing_ok=True)
        checksum_path(old).unlink(missing_ok=True)


def _taken_at(path: Path, stem: str) -> datetime:
    stamp = path.stem[len(stem) + 1 :][:15]
    try:
        return datetime.strptime(stamp, "%Y%m%d-%H%M%S")
    except ValueError:
        return datetime.fromtimestamp(path.stat().st_mtime)


def counts_of(path: Path) -> dict[str, int]:
    """Live rows per table of COUNTED_TABLES (zeros for what cannot be read)."""
    out = dict.fromkeys(COUNTED_TABLES, 0)
    try:
        conn = open_read_only(path)
    except DuibiaoError:
        return out
    try:
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
        try:
            reason = reason_file.read_text(encoding="utf-8") if reason_file.exists() else ""
            size = path.stat().st_size
        except (OSError, UnicodeDecodeError):
            continue
        infos.append(BackupInfo(path, _taken_at(path, db_path.stem), size, counts_of(path), reason))
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


def verify_backup(backup: Path) -> None:
    """Refuse (BackupError) anything but a whole duibiao database this release can open.

    A regular SQLite file, passing ``integrity_check``, holding the duibiao schema (not a
    newer one), and matching its checksum when it has one (``checksum_path``).
    """
    backup = Path(backup)
    if not backup.is_file():
        raise BackupError(f"找不到备份文件 {backup}")
    try:
        conn = open_read_only(backup)
    except (NotADatabaseError, CorruptDatabaseError) as error:
        raise BackupError(f"{backup} 不是可用的数据库备份：{error.message}") from error
    try:
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if ok != "ok":
                raise BackupError(f"{backup} 未通过完整性检查：{ok}")
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if not applied_names(conn) or not set(REQUIRED_TABLES) <= tables:
                raise BackupError(f"{backup} 是 SQLite 文件，但不是 duibiao 数据库，没有恢复")
            pending_migrations(conn)
        except SchemaTooNewError as error:
            raise BackupError(
                f"{backup} 来自更新版本的 duibiao-tui，本版本不能打开它，没有恢复"
            ) from error
        except sqlite3.Error as error:
            raise BackupError(f"{backup} 不是可用的数据库备份：{error}") from error
    finally:
        conn.close()
    sums = checksum_path(backup)
    if sums.exists():
        expected = sums.read_text(encoding="utf-8", errors="replace").split()[:1]
        if expected != [_sha256(backup)]:
            raise BackupError(
                f"{backup} 与备份时记下的校验和不符（文件在备份后被改动或已损坏），没有恢复"
            )


def _health(db_path: Path) -> str:
    """``absent``, ``ok`` (passes quick_check) or ``damaged`` (fails it, or is no database
    at all any more); a disk or read error is raised, since it says nothing of the file."""
    if not db_path.exists():
        return "absent"
    ensure_regular_or_absent(db_path)
    try:
        conn = open_read_only(db_path)
    except (CorruptDatabaseError, NotADatabaseError):
        return "damaged"
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as error:
        mapped = describe(error, db_path, "检查数据库")
        if isinstance(mapped, CorruptDatabaseError | NotADatabaseError):
            return "damaged"
        raise mapped from error
    finally:
        conn.close()
    return "ok" if result == "ok" else "damaged"


def _move_aside(db_path: Path, now: datetime) -> Path:
    """A damaged file cannot be copied through SQLite: keep it by renaming it (with its
    -wal and -shm) into backups/ as ``<name>-damaged-<time>.db``."""
    folder = backup_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{db_path.stem}-damaged-{_stamp(now)}.db"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{db_path.stem}-damaged-{_stamp(now)}-{n}.db"
    for suffix in ("-wal", "-shm"):
        side = Path(f"{db_path}{suffix}")
        if side.exists():
            os.replace(side, Path(f"{target}{suffix}"))
    os.replace(db_path, target)
    return target


def restore_backup(
    backup: Path,
    db_path: Path,
    *,
    keep: int = DEFAULT_KEEP,
    now: datetime | None = None,
    replace_healthy: bool = True,
) -> Path | None:
    """Replace ``db_path`` with ``backup``; returns where the file it replaced was kept.

    The backup is verified first (``verify_backup``) and the free space checked. A healthy
    current file (it passes quick_check) is replaced only with ``replace_healthy`` (an
    explicit choice of backup) and is backed up first, as a backup like any other; a
    damaged one is moved aside. The restored copy is written beside the live file and
    renamed over it, so the live file is always whole. The app must not have it open.
    """
    backup, db_path = Path(backup), Path(db_path)
    verify_backup(backup)
    if db_path.exists() and backup.resolve() == db_path.resolve():
        raise BackupError("备份文件就是数据库文件本身，没有恢复")
    folder = db_path.parent
    if (db_path.exists() and not os.access(db_path, os.W_OK)) or (
        folder.exists() and not os.access(folder, os.W_OK)
    ):
        raise BackupError(f"{db_path} 或它所在的文件夹只读，没有恢复，也没有做任何改动")
    state = _health(db_path)
    if state == "ok" and not replace_healthy:
        raise BackupError(
            f"{db_path} 完好（通过了完整性检查），没有用备份替换它。"
            "若确要换成备份，请加 --force（当前文件会先另存为一份备份）"
        )
    need = backup.stat().st_size + (_size_with_wal(db_path) if state == "ok" else 0)
    _check_space(folder, need, "恢复")
    before: Path | None = None
    try:  # the restored copy, 0600, takes the live file's name only once it is whole
        with atomic_path(db_path, force=True, private=True) as tmp:
            _copy_into(backup, tmp)
            if state == "ok":
                before = take_backup(db_path, "恢复前", keep=keep + 1, now=now)
            elif state == "damaged":
                before = _move_aside(db_path, now or datetime.now())
            for suffix in ("-wal", "-shm"):  # a -wal left beside would be replayed onto it
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    except sqlite3.Error as error:
        raise describe(error, db_path, "恢复数据库") from error
    except OSError as error:
        raise _os_error(error, db_path, "恢复") from error
    with contextlib.suppress(OSError):
        os.chmod(db_path, PRIVATE_MODE)
    return before


def restore_latest(db_path: Path, *, keep: int = DEFAULT_KEEP, force: bool = False) -> Path:
    """Restore the newest backup that passes ``verify_backup``; returns the backup used.

    For a damaged file (what the app's advice is for). A file that passes quick_check is
    left as it is unless ``force`` (then it is backed up first). Backups taken before an
    earlier restore count like any other. A full disk stops at once: nothing is changed.
    """
    db_path = Path(db_path)
    if not force and _health(db_path) == "ok":
        raise BackupError(
            f"{db_path} 完好（通过了完整性检查），不需要恢复，没有做任何改动。"
            "若确要换成最新的备份，请加 --force（当前文件会先另存为一份备份）"
        )
    refused: list[str] = []
    for info in list_backups(db_path):
        try:
            verify_backup(info.path)
        except BackupError as error:
            refused.append(error.message)
            continue
        restore_backup(info.path, db_path, keep=keep, replace_healthy=True)
        return info.path
    why = f"（{'；'.join(refused[:3])}）" if refused else ""
    raise BackupError(f"{backup_dir(db_path)} 中没有可用的备份{why}")
