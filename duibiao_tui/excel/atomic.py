"""Write export files so that a failure never leaves half a file and nothing is overwritten
unasked.

The data goes to a hidden temporary file in the target's own folder (same file system, so
the final rename is atomic), is flushed to disk with ``fsync``, and only then takes the
target's name. Without ``force`` the final step is a hard link, which the OS refuses when
the name exists, so even a file created meanwhile by someone else is not replaced; where
links are not supported (FAT, some network shares) the check is made just before
``os.replace``.

A temporary file is named ``.<target>.<pid>-<random>.tmp``; one left by a killed export
(a full-size copy, on a laptop's small disk) is removed by ``clean_stale_temps`` the next
time anything is written to that folder, or when the program starts: only names of our
own making, only when the process that made them is gone (or, for names without a pid,
after a quarter of an hour without a write).
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from duibiao_tui.errors import DiskFullError, DuibiaoError, FileExistsRefused

if TYPE_CHECKING:
    from openpyxl import Workbook

PRIVATE_MODE = 0o600
"""Exports with names or phone numbers are readable by their owner only, like the database."""

__all__ = [
    "EXPORT_DIR_NAME",
    "atomic_open",
    "atomic_path",
    "check_target",
    "clean_stale_temps",
    "export_dir",
    "safe_filename",
    "save_workbook",
]

EXPORT_DIR_NAME = "exports"
FILENAME_MAX_CHARS = 80
"""Chinese takes 3 bytes a character in UTF-8; 80 keeps well under the usual 255-byte limit."""

_NOT_IN_FILENAMES = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]+')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{n}" for p in ("COM", "LPT") for n in "123456789"
}


_OUR_TEMP = re.compile(
    r"\.(?P<name>.+\.(?:xlsx|csv|db|duibiao|sha256))\."
    r"(?:(?P<pid>\d+)-[0-9a-f]{8}|[0-9a-f]{8}|[a-z0-9_]{8}|(?P<pid2>\d+)|restore-(?P<pid3>\d+))"
    r"\.(?:tmp|part)"
)
"""Temporary names of atomic_path, backups (mkstemp), packages (.part) and restores."""
STALE_AFTER_S = 15 * 60
"""A temporary file of unknown owner not written to for this long is a leftover."""
DEAD_OWNER_AFTER_S = 60


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def clean_stale_temps(folder: Path | str, *, now: float | None = None) -> list[Path]:
    """Remove temporary files of our own naming left in ``folder`` by killed processes.

    Returns what was removed. Files of live processes, recent ones and names we do not
    make are never touched; errors (a read-only folder) are ignored.
    """
    removed: list[Path] = []
    now = time.time() if now is None else now
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _OUR_TEMP.fullmatch(entry.name)
        if match is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not entry.is_file(follow_symlinks=False):
            continue
        age = now - info.st_mtime
        owner = match["pid"] or match["pid2"] or match["pid3"]
        if owner is not None:
            stale = age > DEAD_OWNER_AFTER_S and not _alive(int(owner))
        else:
            stale = age > STALE_AFTER_S
        if stale:
            try:
                os.unlink(entry.path)
            except OSError:
                continue
            removed.append(Path(entry.path))
    return removed


def disk_full_error(target: Path) -> DiskFullError:
    return DiskFullError(
        f"磁盘已满（或文件超过了大小限制），没有写成 {target}。没有留下半个文件，"
        "原有的文件没有改动；请腾出磁盘空间后再导出"
    )


def export_dir(base: Path | None = None) -> Path:
    """``exports/`` in ``base`` (default: the working directory), created if missing."""
    folder = (base if base is not None else Path.cwd()) / EXPORT_DIR_NAME
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def safe_filename(name: str, suffix: str = "") -> str:
    """A file name that keeps the Chinese name but none of / \\ : * ? " < > | (Windows refuses
    them, and / would make a folder); trailing dots and spaces go too (Windows drops them)."""
    stem = _NOT_IN_FILENAMES.sub("_", name).strip().rstrip(". ")
    stem = stem[:FILENAME_MAX_CHARS].rstrip(". ") or "未命名"
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    return f"{stem}{suffix}"


def _refused(target: Path) -> FileExistsRefused:
    error = FileExistsRefused(f"{target} 已存在")
    error.path = target  # type: ignore[attr-defined]
    return error


def check_target(target: Path, *, force: bool = False) -> None:
    """Refuse early (before any work) a target that exists, unless ``force``."""
    if target.is_dir():
        raise DuibiaoError(f"{target} 是一个文件夹，请给出文件名", "无法写入")
    if target.exists() and not force:
        raise _refused(target)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable; not possible (nor needed) on Windows."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _publish(tmp: Path, target: Path, force: bool) -> None:
    if force:
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise _refused(target) from None
    except OSError:  # no hard links here: check, then rename
        if target.exists():
            raise _refused(target) from None
        os.replace(tmp, target)
    else:
        tmp.unlink()


def prepare_folder(folder: Path, title: str = "无法写入") -> None:
    """The folder a file is about to be written to: made if missing (a refusal in words),
    and rid of the temporary files of our naming that killed runs left there."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DuibiaoError(f"无法创建文件夹 {folder}：{error.strerror or error}", title) from error
    clean_stale_temps(folder)


@contextmanager
def atomic_path(
    target: Path | str, *, force: bool = False, private: bool = False
) -> Iterator[Path]:
    """Yield a temporary path to write; on success it becomes ``target``, on error it is gone.

    ``private``: the file holds names or phone numbers — it is created 0600 before anything
    is written into it (writers truncate it and keep the mode; the rename keeps it too), so
    it is never readable by others, not even for a moment. Raises ``FileExistsRefused`` when
    ``target`` exists and ``force`` is false.
    """
    target = Path(target)
    check_target(target, force=force)
    prepare_folder(target.parent)
    tmp = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        if private:
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_MODE))
        yield tmp
        with open(tmp, "rb+") as written:
            os.fsync(written.fileno())
        _publish(tmp, target, force)
    except PermissionError as error:
        raise DuibiaoError(
            f"无法写入 {target}：{error.strerror or error}（文件是否正在 Excel 中打开？）",
            "无法写入",
        ) from error
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            raise disk_full_error(target) from error
        raise DuibiaoError(f"无法写入 {target}：{error.strerror or error}", "无法写入") from error
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(target.parent)


@contextmanager
def atomic_open(
    target: Path | str,
    mode: str = "w",
    *,
    force: bool = False,
    encoding: str | None = None,
    newline: str | None = None,
    private: bool = False,
) -> Iterator[IO[Any]]:
    """``open()`` for writing, through ``atomic_path`` (for CSV and other text exports)."""
    with atomic_path(target, force=force, private=private) as tmp:
        with open(tmp, mode, encoding=encoding, newline=newline) as handle:
            yield handle


def save_workbook(
    workbook: Workbook, target: Path | str, *, force: bool = False, private: bool = False
) -> Path:
    """Save an openpyxl workbook atomically (``private``: created 0600); returns its path."""
    target = Path(target)
    with atomic_path(target, force=force, private=private) as tmp:
        workbook.save(tmp)
    return target
