"""Export files: where they go, names that keep the Chinese, and refusals in the officer's words.

The writing itself is ``duibiao_tui.files`` (a temporary file beside the target, fsynced, then
renamed; never an overwrite unasked; leftovers of killed runs cleaned): this module adds what
only exports need — the ``exports/`` folder, safe file names, ``save_workbook`` — and says a
failure (a file open in Excel, a full disk) as the officer should read it. The file helpers
exports use are importable from here too, as before.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from duibiao_tui import files
from duibiao_tui.errors import DiskFullError, DuibiaoError
from duibiao_tui.files import (
    DEAD_OWNER_AFTER_S,
    PRIVATE_MODE,
    STALE_AFTER_S,
    check_target,
    clean_stale_temps,
    prepare_folder,
)

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = [
    "DEAD_OWNER_AFTER_S",
    "EXPORT_DIR_NAME",
    "PRIVATE_MODE",
    "STALE_AFTER_S",
    "atomic_open",
    "atomic_path",
    "check_target",
    "clean_stale_temps",
    "disk_full_error",
    "export_dir",
    "prepare_folder",
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


@contextmanager
def atomic_path(
    target: Path | str, *, force: bool = False, private: bool = False
) -> Iterator[Path]:
    """Yield a temporary path to write; on success it becomes ``target``, on error it is gone.

    ``private``: the file holds names or phone numbers — created 0600 before anything is
    written into it. Raises ``FileExistsRefused`` when ``target`` exists and ``force`` is
    false (checked before any work, and again as the file takes its name).
    """
    target = Path(target)
    check_target(target, force=force)
    prepare_folder(target.parent)
    try:
        with files.atomic_path(target, force=force, private=private) as tmp:
            yield tmp
    except PermissionError as error:
        raise DuibiaoError(
            f"无法写入 {target}：{error.strerror or error}（文件是否正在 Excel 中打开？）",
            "无法写入",
        ) from error
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            raise disk_full_error(target) from error
        raise DuibiaoError(f"无法写入 {target}：{error.strerror or error}", "无法写入") from error


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
