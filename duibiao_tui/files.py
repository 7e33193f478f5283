"""Write a file so that a kill or a full disk never leaves half of it: the one place that knows how.

Config, exports, backups, restores and packages all write the same way: a temporary file of
our own naming in the target's folder (same file system, so the rename is atomic), fsynced,
renamed onto the target, then the folder fsynced so the rename itself survives a power cut.
A file that holds names or phone numbers is created 0600 *before* anything is written into
it, so it is never readable by others, not even for a moment (the rename keeps the mode).

A temporary file is named ``.<target>.<pid>-<random>.tmp`` (``.part`` for packages); one left
by a killed run is removed by ``clean_stale_temps`` the next time that folder is written to,
or when the program starts: only names of our own making (including those of earlier
releases), only when the process that made them is gone (or, for names without a pid, after
a quarter of an hour without a write).

A leaf: it imports nothing of ours but ``errors``, so every layer may use it. Saying what
went wrong in the officer's words is the caller's job (``excel.atomic``, ``store.backup``).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from duibiao_tui.errors import DuibiaoError, FileExistsRefused

__all__ = [
    "DEAD_OWNER_AFTER_S",
    "PRIVATE_MODE",
    "STALE_AFTER_S",
    "alive",
    "atomic_open",
    "atomic_path",
    "check_target",
    "clean_stale_temps",
    "create_private",
    "fsync_dir",
    "fsync_file",
    "prepare_folder",
    "publish",
    "refused",
    "temp_path",
    "write_text_atomically",
]

PRIVATE_MODE = 0o600
"""Files with names or phone numbers are readable by their owner only, like the database."""
STALE_AFTER_S = 15 * 60
"""A temporary file of unknown owner not written to for this long is a leftover."""
DEAD_OWNER_AFTER_S = 60
"""A temporary file whose process is gone is a leftover once it is this old."""

_OUR_TEMP = re.compile(
    r"\.(?P<name>.+\.(?:xlsx|csv|db|duibiao|sha256))\."
    r"(?:(?P<pid>\d+)-[0-9a-f]{8}|[0-9a-f]{8}|[a-z0-9_]{8}|(?P<pid2>\d+)|restore-(?P<pid3>\d+))"
    r"\.(?:tmp|part)"
)
"""Temporary names of ``temp_path``, and those of earlier releases: without a pid (exports),
``mkstemp``'s (backups), ``<pid>.part`` (packages), ``restore-<pid>`` (restores)."""


def temp_path(target: Path, suffix: str = ".tmp") -> Path:
    """A fresh temporary name beside ``target``: ``.<name>.<pid>-<8 hex>.tmp``."""
    return target.with_name(f".{target.name}.{os.getpid()}-{os.urandom(4).hex()}{suffix}")


def create_private(path: Path) -> None:
    """Create the new file ``path`` readable by its owner only (refused if it exists), so
    what is written into it next is never readable by others."""
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_MODE))


def fsync_file(path: Path) -> None:
    """Flush a written file's data to disk (opened for writing: Windows insists)."""
    fd = os.open(path, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable; not possible (nor needed) on Windows."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def refused(target: Path) -> FileExistsRefused:
    """The refusal to overwrite ``target``, with the path for the UI to offer a choice."""
    error = FileExistsRefused(f"{target} 已存在")
    error.path = target  # type: ignore[attr-defined]
    return error


def check_target(target: Path, *, force: bool = False) -> None:
    """Refuse early (before any work) a target that exists, unless ``force``."""
    if target.is_dir():
        raise DuibiaoError(f"{target} 是一个文件夹，请给出文件名", "无法写入")
    if target.exists() and not force:
        raise refused(target)


def publish(tmp: Path, target: Path, force: bool) -> None:
    """``tmp`` takes the name ``target``. Without ``force`` by a hard link, which the OS
    refuses when the name exists (so a file made meanwhile is not replaced); where links are
    not supported (FAT, some network shares) the check is made just before the rename."""
    if force:
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise refused(target) from None
    except OSError:  # no hard links here: check, then rename
        if target.exists():
            raise refused(target) from None
        os.replace(tmp, target)
    else:
        tmp.unlink()


@contextmanager
def atomic_path(
    target: Path | str, *, force: bool = False, private: bool = False, suffix: str = ".tmp"
) -> Iterator[Path]:
    """Yield a temporary path beside ``target`` to write; on success it is fsynced and
    becomes ``target`` (``publish``), on any error it is gone and ``target`` untouched.

    ``private``: the temporary file is created 0600 before it is yielded (writers truncate
    it and keep the mode). The caller makes sure the folder exists (``prepare_folder``).
    """
    target = Path(target)
    tmp = temp_path(target, suffix)
    try:
        if private:
            create_private(tmp)
        yield tmp
        fsync_file(tmp)
        publish(tmp, target, force)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(target.parent)


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
    """``open()`` for writing, through ``atomic_path``."""
    with atomic_path(target, force=force, private=private) as tmp:
        with open(tmp, mode, encoding=encoding, newline=newline) as handle:
            yield handle


def write_text_atomically(target: Path, text: str, *, private: bool = False) -> None:
    """A small UTF-8 file written whole or not at all, replacing any file of that name."""
    with atomic_open(target, "w", force=True, encoding="utf-8", private=private) as handle:
        handle.write(text)


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (one of another user counts as running)."""
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
            stale = age > DEAD_OWNER_AFTER_S and not alive(int(owner))
        else:
            stale = age > STALE_AFTER_S
        if stale:
            try:
                os.unlink(entry.path)
            except OSError:
                continue
            removed.append(Path(entry.path))
    return removed


def prepare_folder(folder: Path, title: str = "无法写入") -> None:
    """The folder a file is about to be written to: made if missing (a refusal in words,
    under ``title``), and rid of the temporary files of our naming that killed runs left."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DuibiaoError(f"无法创建文件夹 {folder}：{error.strerror or error}", title) from error
    clean_stale_temps(folder)
