"""The flat tables as CSV: 企业名单, 对标项目, 提升措施跟踪, one file each.

UTF-8 with a byte-order mark, so Excel (which otherwise assumes the local code page) shows
the Chinese; CRLF line ends and quoting as Excel writes CSV. A field a spreadsheet could
read as a formula gets an apostrophe (``csv_safe``), characters no file should carry are
dropped and counted. Before the first one is written, all targets are checked, so an
existing file stops the export without anything written (unless ``force``).

The three files are one export: an officer who finds 企业名单.csv must find the other two of
the same moment, so a kill never leaves a part of them. All three are written into a fresh
staging folder of ours inside the target folder (``.csv-export.<pid>-<random>.tmp``), each
fsynced; then a ``ready`` list naming them is written, fsynced and renamed into the staging
folder (the commit point), and only then do the files take their names. A staging folder
left by a killed export is finished the next time (``finish_csv_exports``: at the start of
an export into that folder and when the program starts): with ``ready`` its files are put
in place, without it the folder is removed. So after any kill there is the whole new set or
none of it (the old files, when forced, until the new ones replace them).
"""

from __future__ import annotations

import csv
import errno
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from duibiao_tui.errors import DuibiaoError
from duibiao_tui.excel.atomic import atomic_open, disk_full_error, safe_filename
from duibiao_tui.excel.queries import flat_tables, make_scope
from duibiao_tui.excel.safe_text import csv_safe, strip_illegal
from duibiao_tui.files import (
    DEAD_OWNER_AFTER_S,
    alive,
    check_target,
    fsync_dir,
    prepare_folder,
    publish,
    temp_path,
    write_text_atomically,
)
from duibiao_tui.store.export_tables import (
    TABLE_ENTERPRISES,
    TABLE_ITEMS,
    TABLE_MEASURES,
    ExportScope,
    FlatTable,
)

if TYPE_CHECKING:
    from duibiao_tui.store.store import Store

__all__ = [
    "CSV_TABLES",
    "CsvResult",
    "csv_filenames",
    "export_csv",
    "finish_csv_exports",
    "write_csv",
]

Progress = Callable[[int, int], None]

CSV_TABLES = (TABLE_ENTERPRISES, TABLE_ITEMS, TABLE_MEASURES)
CSV_ENCODING = "utf-8-sig"
PROGRESS_EVERY = 2000
READY = "ready"
"""In a staging folder: the export is whole; its files are to take their names."""
_STAGING = re.compile(r"\.csv-export\.(?P<pid>\d+)-[0-9a-f]{8}\.tmp")


@dataclass(frozen=True)
class CsvResult:
    """The files written (in CSV_TABLES order) and their rows."""

    paths: tuple[Path, ...]
    counts: dict[str, int]
    warnings: tuple[str, ...] = field(default=())

    @property
    def words(self) -> str:
        return "，".join(f"{title} {n:,} 行" for title, n in self.counts.items())


def csv_filenames(scope: ExportScope | None = None, *, public: bool = False) -> list[str]:
    """企业名单.csv …; with a filter 企业名单-京口区.csv; public ones start with 公开版-."""
    suffix = f"-{scope.label}" if scope is not None and scope.label != "全市" else ""
    prefix = "公开版-" if public else ""
    return [safe_filename(f"{prefix}{title}{suffix}", ".csv") for title in CSV_TABLES]


def _cell(value: Any, dropped: list[int]) -> Any:
    if value.__class__ is not str:
        if value.__class__ is float:
            return f"{value:g}"
        return "" if value is None else value
    text, count = strip_illegal(value)
    if count:
        dropped[0] += count
    return csv_safe(text)


def write_csv(
    table: FlatTable, handle: Any, *, tick: Callable[[int], None] | None = None
) -> tuple[int, int]:
    """Write ``table`` (heading, then its rows) to an open text file; returns
    (rows written, characters dropped)."""
    writer = csv.writer(handle)
    writer.writerow(table.headings)
    dropped = [0]
    written = 0
    for row in table.read():
        writer.writerow([_cell(value, dropped) for value in row])
        written += 1
        if tick is not None and written % PROGRESS_EVERY == 0:
            tick(PROGRESS_EVERY)
    if tick is not None:
        tick(written % PROGRESS_EVERY)
    return written, dropped[0]


def export_csv(
    store: Store,
    folder: Path | str,
    *,
    district_id: str | None = None,
    status: str | None = None,
    campaign_id: str | None = None,
    public: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> CsvResult:
    """Write 企业名单, 对标项目 and 提升措施跟踪 as CSV files into ``folder``.

    Raises ``FileExistsRefused`` (its ``path`` the first such file) before writing anything
    when one of the files exists and not ``force``.
    """
    folder = Path(folder)
    finish_csv_exports(folder)  # a killed export's files first, never mixed with ours
    scope = make_scope(store, district_id=district_id, status=status, campaign_id=campaign_id)
    targets = [folder / name for name in csv_filenames(scope, public=public)]
    for target in targets:
        check_target(target, force=force)
    tables = {t.title: t for t in flat_tables(store, scope, public=public)}
    chosen: Sequence[FlatTable] = [tables[title] for title in CSV_TABLES]
    total = sum(t.count for t in chosen)
    done = 0

    def tick(rows: int) -> None:
        nonlocal done
        done += rows
        if progress is not None:
            progress(min(done, total), total)

    counts: dict[str, int] = {}
    dropped = 0
    prepare_folder(folder)
    staging = temp_path(folder / "csv-export")  # .csv-export.<pid>-<random>.tmp
    try:
        with _os_errors(folder):
            staging.mkdir(mode=0o700)
        for table, target in zip(chosen, targets, strict=True):
            with atomic_open(  # names and phone numbers: readable by the officer only
                staging / target.name,
                "w",
                encoding=CSV_ENCODING,
                newline="",
                private=not public,
            ) as handle:
                counts[table.title], lost = write_csv(table, handle, tick=tick)
            dropped += lost
        with _os_errors(folder):
            _commit(staging, [t.name for t in targets], force)
            _publish_all(staging, folder, undo=not force)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    warnings: tuple[str, ...] = (f"已删除 {dropped} 个无法保存的控制字符",) if dropped else ()
    if public:
        from duibiao_tui.excel.masking import masked_words

        warnings += (masked_words(chosen[0].masker),)
    return CsvResult(tuple(targets), counts, warnings)


@contextmanager
def _os_errors(folder: Path) -> Iterator[None]:
    """An OS refusal while staging or publishing, said in words (a full disk as such)."""
    try:
        yield
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            raise disk_full_error(folder) from error
        raise DuibiaoError(f"无法写入 {folder}：{error.strerror or error}", "无法写入") from error


def _commit(staging: Path, names: list[str], force: bool) -> None:
    """The commit point: ``ready`` (the names, and whether they may replace files) appears
    only once every file is complete on disk."""
    write_text_atomically(staging / READY, json.dumps({"names": names, "force": force}))


def _publish_one(staging: Path, folder: Path, name: str, force: bool) -> bool:
    """One file of a committed export takes its name (a link when not forced, so a file
    made meanwhile is not replaced); False when it was in place already."""
    source, target = staging / name, folder / name
    if not source.exists():
        return False  # put in place before a kill
    if target.exists() and os.path.samefile(source, target):
        source.unlink()
        return False
    publish(source, target, force)
    return True


def _publish_all(staging: Path, folder: Path, *, undo: bool = False) -> list[Path]:
    """Every file of a committed export takes its name. ``undo``: if one cannot (a file of
    that name appeared meanwhile), the ones this call created go again: none, not some."""
    ready = json.loads((staging / READY).read_text(encoding="utf-8"))
    force = bool(ready["force"])
    placed: list[Path] = []
    try:
        for name in ready["names"]:
            if _publish_one(staging, folder, name, force):
                placed.append(folder / name)
    except BaseException:
        if undo and not force:
            for path in placed:
                path.unlink(missing_ok=True)
        raise
    fsync_dir(folder)
    return placed


def finish_csv_exports(folder: Path | str, *, now: float | None = None) -> list[Path]:
    """Finish what killed CSV exports left in ``folder``: a committed staging folder's files
    take their names, an uncommitted one is removed. Only folders of our naming whose
    process is gone; returns the files put in place. Errors are left for the next time."""
    folder = Path(folder)
    now = time.time() if now is None else now
    placed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return placed
    for entry in entries:
        match = _STAGING.fullmatch(entry.name)
        if match is None or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if age <= DEAD_OWNER_AFTER_S or alive(int(match["pid"])):
            continue
        staging = Path(entry.path)
        try:
            if (staging / READY).is_file():
                placed += _publish_all(staging, folder)
            shutil.rmtree(staging)
        except (OSError, DuibiaoError, ValueError, KeyError, TypeError):
            continue
    return placed
