"""What both imports share: located problems, the refusal, the backup, the error workbook.

An enterprise list and a 情况表 are read, planned and written differently, but they say
what is wrong the same way (``第5行 统一社会信用代码 (C5): …``), refuse the same way
(``ImportRefused``, nothing written), back the database up the same way before writing,
and copy refused rows to the same kind of error workbook; so those live here, once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from duibiao_tui.domain.enterprise_rules import CleanEnterprise
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.domain.text import fold_width
from duibiao_tui.errors import DuibiaoError
from duibiao_tui.excel.headers import column_letter

if TYPE_CHECKING:
    from duibiao_tui.store.store import Store

__all__ = [
    "ERROR_SUFFIX",
    "REASON_HEADER",
    "ErrorSheet",
    "ImportRefused",
    "Mode",
    "Problem",
    "Progress",
    "backup_before_import",
    "changed_enterprise_fields",
    "changed_since_preview",
    "comparable_enterprise",
    "error_workbook_path",
    "formula_note",
    "is_total_row",
    "write_error_workbook",
]

Mode = Literal["update", "skip"]
"""What an import does to an enterprise already registered: update it, or leave it."""
Progress = Callable[[int, int], None]

ERROR_SUFFIX = "-错误"
REASON_HEADER = "错误原因"

_TOTAL_WORDS = frozenset({"合计", "总计", "小计", "共计", "合计:", "总计:"})

ENTERPRISE_FIELD_LABELS = {
    "name": "名称",
    "credit_code": "统一社会信用代码",
    "address": "地址",
    "district_id": "辖市区",
    "industry_section": "行业门类",
    "industry_division": "行业大类",
    "industry_text": "所在行业",
    "main_products": "主导产品",
    "contact_name": "单位填报人",
    "phone": "电话",
    "famous_brand": "名牌企业",
    "quality_award": "质量奖企业",
    "award_name": "奖项名称",
    "award_year": "获奖年份",
    "notes": "备注",
}
"""EnterpriseInput's fields by their Chinese names, as an update's changes are listed."""


@dataclass(frozen=True)
class Problem:
    """Why one row was refused, located the way the officer finds it in the file."""

    sheet: str
    row: int
    """1-based, as the spreadsheet numbers rows."""
    column: str | None
    """Column letter, or None when the problem is the row as a whole."""
    title: str
    """The column's header as written in the file (or our field name)."""
    reason: str

    def __str__(self) -> str:
        if self.column:
            return f"第{self.row}行 {self.title} ({self.column}{self.row}): {self.reason}"
        if self.title:
            return f"第{self.row}行 {self.title}: {self.reason}"
        return f"第{self.row}行: {self.reason}"

    def line(self, file_name: str) -> str:
        """One line for stderr or a log: file, sheet, row and column."""
        return f"{file_name} 工作表「{self.sheet}」 {self}"


class ImportRefused(DuibiaoError):
    """The file has refused rows (or the register changed since the preview): nothing written."""

    title = "未导入"

    def __init__(self, message: str, problems: Sequence[Problem] = (), path: Path | None = None):
        super().__init__(message)
        self.problems = list(problems)
        self.path = path


def changed_since_preview(
    path: Path, what: object, problems: Sequence[Problem] = ()
) -> ImportRefused:
    """The plan no longer fits the database (edited since the preview): roll back, say why."""
    return ImportRefused(
        f"{path.name}：预览之后数据库已有变化（{what}），没有导入任何数据；请重新预览",
        problems,
        path,
    )


def comparable_enterprise(clean_values: CleanEnterprise) -> dict[str, object]:
    """What decides whether an update changes anything (the stored values, no warnings)."""
    values = dataclasses.asdict(clean_values)
    values.pop("warnings")
    return values


def changed_enterprise_fields(old: EnterpriseInput, new: EnterpriseInput) -> tuple[str, ...]:
    """The fields (Chinese names) ``new`` changes, in the form's order."""
    return tuple(
        ENTERPRISE_FIELD_LABELS.get(f.name, f.name)
        for f in dataclasses.fields(EnterpriseInput)
        if getattr(old, f.name) != getattr(new, f.name)
    )


def is_total_row(cells: Sequence[str]) -> bool:
    """A 合计/总计 row: one of those words in one of the first three filled cells."""
    filled = [c for c in cells if c.strip()][:3]
    return any("".join(fold_width(c).split()) in _TOTAL_WORDS for c in filled)


def formula_note(row: int, col: int) -> str:
    """The 提示 for a formula cell without a cached result (0-based row and column)."""
    return (
        f"单元格 {column_letter(col)}{row + 1} 是公式，文件中没有计算结果，按空白读取"
        "（请在 Excel 中打开并保存后再导入）"
    )


def backup_before_import(store: Store, keep: int | None = None) -> Path | None:
    """A backup of the database before an import writes (``backups/``, reason 导入前).

    None for an in-memory store. A backup that cannot be taken (disk full, folder not
    writable) stops the import: ``ImportRefused``, nothing written.
    """
    if store.path is None or store.read_only:
        return None
    from duibiao_tui.store.backup import DEFAULT_KEEP, take_backup

    try:
        return take_backup(store.path, "导入前", keep=keep or DEFAULT_KEEP)
    except (DuibiaoError, OSError) as error:
        reason = error.message if isinstance(error, DuibiaoError) else str(error)
        raise ImportRefused(f"导入前无法备份数据库（{reason}），没有导入任何数据") from error


# -- the error workbook ------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorSheet:
    """One sheet of the error workbook: the input sheet's refused rows as they were read."""

    name: str
    """The input sheet's name (made a valid, unique sheet title when written)."""
    titles: tuple[str, ...]
    """The input's column headings by column (blank where a column has none)."""
    rows: tuple[tuple[int, tuple[str, ...], str], ...]
    """(1-based row in the input, its cells, the reasons) per refused row."""


def error_workbook_path(source: Path, folder: Path | None = None) -> Path:
    """``<name>-错误.xlsx`` in ``folder`` (default ``exports/`` of the working directory,
    never beside the input: a mail-attachment folder or a USB stick may be read-only or
    shared); ``<name>-错误(2).xlsx`` … if that exists."""
    from duibiao_tui.excel.atomic import export_dir

    folder = folder if folder is not None else export_dir()
    candidate = folder / f"{source.stem}{ERROR_SUFFIX}.xlsx"
    number = 1
    while candidate.exists():
        number += 1
        candidate = folder / f"{source.stem}{ERROR_SUFFIX}({number}).xlsx"
    return candidate


def write_error_workbook(source: Path, sheets: Sequence[ErrorSheet]) -> Path:
    """The refused rows, a sheet per input sheet: 原行号, the row as read, the reason in a
    last column; written 0600 to ``error_workbook_path(source)``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from duibiao_tui.excel.atomic import save_workbook
    from duibiao_tui.excel.form_export import unique_sheet_title
    from duibiao_tui.excel.safe_text import TextCleaner, put_text

    cleaner = TextCleaner()
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the blank sheet a new workbook starts with
    used: set[str] = set()
    for sheet in sheets:
        ws = workbook.create_sheet(unique_sheet_title(sheet.name, used))
        titles = sheet.titles
        width = max([len(titles), *(len(cells) for _, cells, _ in sheet.rows)], default=0)
        heading = ["原行号", *(titles[c] if c < len(titles) else "" for c in range(width))]
        for col, value in enumerate([*heading, REASON_HEADER], start=1):
            cell = ws.cell(row=1, column=col)
            put_text(cell, value, cleaner)
            cell.font = Font(bold=True)
        for out_row, (number, cells, reason) in enumerate(sheet.rows, start=2):
            ws.cell(row=out_row, column=1, value=number)
            for col, value in enumerate(cells, start=2):
                put_text(ws.cell(row=out_row, column=col), value, cleaner)
            put_text(ws.cell(row=out_row, column=width + 2), reason, cleaner)
        ws.freeze_panes = "B2"
    if not workbook.worksheets:
        workbook.create_sheet("错误")
    return save_workbook(workbook, error_workbook_path(source), private=True)
