"""The flat tables as CSV: 企业名单, 对标项目, 提升措施跟踪, one file each.

UTF-8 with a byte-order mark, so Excel (which otherwise assumes the local code page) shows
the Chinese; CRLF line ends and quoting as Excel writes CSV. A field a spreadsheet could
read as a formula gets an apostrophe (``csv_safe``), characters no file should carry are
dropped and counted. Every file is written under a temporary name and renamed; before the
first one is written, all targets are checked, so an existing file stops the export
without anything written (unless ``force``).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from duibiao_tui.excel.atomic import atomic_open, check_target, safe_filename
from duibiao_tui.excel.queries import (
    TABLE_ENTERPRISES,
    TABLE_ITEMS,
    TABLE_MEASURES,
    ExportScope,
    FlatTable,
    flat_tables,
    make_scope,
)
from duibiao_tui.excel.safe_text import csv_safe, strip_illegal

if TYPE_CHECKING:
    from duibiao_tui.store.store import Store

__all__ = ["CSV_TABLES", "CsvResult", "csv_filenames", "export_csv", "write_csv"]

Progress = Callable[[int, int], None]

CSV_TABLES = (TABLE_ENTERPRISES, TABLE_ITEMS, TABLE_MEASURES)
CSV_ENCODING = "utf-8-sig"
PROGRESS_EVERY = 2000


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
    for table, target in zip(chosen, targets, strict=True):
        with atomic_open(  # names and phone numbers: readable by the officer only
            target, "w", force=force, encoding=CSV_ENCODING, newline="", private=not public
        ) as handle:
            counts[table.title], lost = write_csv(table, handle, tick=tick)
        dropped += lost
    warnings = (f"已删除 {dropped} 个无法保存的控制字符",) if dropped else ()
    if public:
        from duibiao_tui.excel.masking import masked_words

        warnings += (masked_words(chosen[0].masker),)
    return CsvResult(tuple(targets), counts, warnings)
