"""Write export files so that a failure never leaves half a file and nothing is overwritten
unasked.

The data goes to a hidden temporary file in the target's own folder (same file system, so
the final rename is atomic), is flushed to disk with ``fsync``, and only then takes the
target's name. Without ``force`` the final step is a hard link, which the OS refuses when
the name exists, so even a file created meanwhile by someone else is not replaced; where
links are not supported (FAT, some network shares) the check is made just before
``os.replace``.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from duibiao_tui.errors import DuibiaoError, FileExistsRefused

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = [
    "EXPORT_DIR_NAME",
    "atomic_open",
    "atomic_path",
    "check_target",
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
    error = FileExistsRefused(f"{target} 已存在，没有覆盖")
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


@contextmanager
def atomic_path(target: Path | str, *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path to write; on success it becomes ``target``, on error it is gone.

    Raises ``FileExistsRefused`` when ``target`` exists and ``force`` is false.
    """
    target = Path(target)
    check_target(target, force=force)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        yield tmp
        with open(tmp, "rb+") as written:
            os.fsync(written.fileno())
        _publish(tmp, target, force)
    except PermissionError as error:
        raise DuibiaoError(
            f"无法写入 {target}：{error.strerror or error}（文件是否正在 Excel 中打开？）",
            "无法写入",
        ) from error
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
) -> Iterator[IO[Any]]:
    """``open()`` for writing, through ``atomic_path`` (for CSV and other text exports)."""
    with atomic_path(target, force=force) as tmp:
        with open(tmp, mode, encoding=encoding, newline=newline) as handle:
            yield handle


def save_workbook(workbook: Workbook, target: Path | str, *, force: bool = False) -> Path:
    """Save an openpyxl workbook atomically; returns the final path."""
    target = Path(target)
    with atomic_path(target, force=force) as tmp:
        workbook.save(tmp)
    return target
