"""Read one sheet as a 情况表: its grid, its table rows, the labels around them, its notes.

The reading step of the form import. Merged cells count for each row they cover, 同上
takes the row above, and rows that are not data (the headings repeated on a new page,
hidden rows, 合计, reserved rows holding only a 序号) are passed over with a 提示 each.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from duibiao_tui.domain.text import fold_width
from duibiao_tui.excel.headers import HeaderMap, MissingColumns, column_letter
from duibiao_tui.excel.importing.form_header import (
    HeaderLabel,
    find_table,
    is_end_of_table,
    is_heading_repeat,
    parse_labels,
    two_level_benchmark,
)
from duibiao_tui.excel.importing.form_values import seq_number, short_text
from duibiao_tui.excel.importing.shared import Problem, formula_note, is_total_row
from duibiao_tui.excel.readers import SheetData

__all__ = ["SheetForm", "TableRow", "read_form_sheet"]


@dataclass
class TableRow:
    index: int
    """0-based row index in the sheet."""
    cells: list[str]


@dataclass
class SheetForm:
    """One sheet as a form: its labels, its table header and its data rows."""

    sheet: SheetData
    header: HeaderMap
    labels: dict[str, HeaderLabel]
    rows: list[TableRow]
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    owner_problems: list[Problem] = field(default_factory=list)
    """Problems of whose form it is (another enterprise than ``--enterprise``): the whole
    form is refused, even with ``valid_only``."""

    def seqs(self) -> list[int]:
        col = self.header.columns.get("seq")
        out = []
        for row in self.rows:
            if col is not None and col < len(row.cells):
                number = seq_number(row.cells[col])
                if number is not None:
                    out.append(number)
        return out


def _row_list(numbers: list[int]) -> str:
    """[12, 13, 14, 20] → '第12–14、20行': runs of rows said once."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return "第" + "、".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs) + "行"


def _filled(sheet: SheetData) -> tuple[list[list[str]], set[tuple[int, int]]]:
    """The rows with the value of every merge range copied down its first column (within
    the rows the sheet has), and which cells got their value that way."""
    grid = [list(row) for row in sheet.rows]
    copied: set[tuple[int, int]] = set()
    for r1, c1, r2, _c2 in sheet.merged:
        if r2 <= r1 or r1 >= len(grid) or c1 >= len(grid[r1]):
            continue
        value = grid[r1][c1]
        if not value.strip():
            continue
        for r in range(r1 + 1, min(r2, len(grid) - 1) + 1):
            row = grid[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            if not row[c1].strip():
                row[c1] = value
                copied.add((r, c1))
    return grid, copied


_SAME_AS_ABOVE = frozenset({"同上", "同上。", "同前", "〃", '"', "''", "”", "“"})
"""What people write for "the same as the row above" (a ditto mark)."""


def _resolve_same_as_above(rows: list[TableRow], header: HeaderMap) -> list[str]:
    """同上 (or a ditto mark) takes the value of the row above in that column; each one
    is said. The 序号 column is left alone."""
    notes: list[str] = []
    seq_col = header.columns.get("seq")
    columns = sorted(c for c in set(header.columns.values()) if c != seq_col)
    above: list[str] | None = None
    for row in rows:
        for c in columns:
            value = row.cells[c] if c < len(row.cells) else ""
            if "".join(fold_width(value).split()) not in _SAME_AS_ABOVE:
                continue
            title = " ".join(header.titles.get(c, "").split()) or column_letter(c)
            before = above[c] if above is not None and c < len(above) else ""
            if before.strip():
                row.cells[c] = before
                notes.append(
                    f"第{row.index + 1}行 {title}「同上」按上一行「{short_text(before)}」导入"
                )
            else:
                notes.append(f"第{row.index + 1}行 {title}「同上」上一行没有内容可引用，按原文导入")
        above = row.cells
    return notes


def read_form_sheet(sheet: SheetData) -> SheetForm | None:
    """The form on one sheet, or None when the sheet has no table of a 情况表."""
    grid, copied = _filled(sheet)
    try:
        header = find_table(grid, sheet.name)
    except MissingColumns:
        labels = parse_labels(grid, range(len(grid)), copied)
        if "name" not in labels:
            return None
        raise
    sub_heading = two_level_benchmark(grid, header)
    first_col = min(header.columns.values())
    mapped = set(header.columns.values())
    rows: list[TableRow] = []
    warnings: list[str] = []
    problems: list[Problem] = []
    end = len(grid)
    only_seq: list[int] = []
    for index in range(header.row_number, len(grid)):
        cells = grid[index]
        own = [(c, t) for c, t in enumerate(cells) if t.strip() and (index, c) not in copied]
        if not own or index == sub_heading:
            continue
        if own[0][0] <= first_col and is_end_of_table(own[0][1]):
            end = index
            break
        if is_heading_repeat(cells):
            warnings.append(f"第{index + 1}行是换页重复的列标题，未导入")
            continue
        if index in sheet.hidden_rows:
            warnings.append(f"第{index + 1}行是隐藏行，未导入（如要导入请先取消隐藏）")
            continue
        if is_total_row([t for _, t in own]):
            warnings.append(f"第{index + 1}行是合计行，未导入")
            continue
        values = [(c, t) for c, t in own if c in mapped and c != header.columns.get("seq")]
        if not values:
            outside = [t for c, t in own if c not in mapped]
            if outside:
                warnings.append(f"第{index + 1}行的内容不在表格的列中，未导入")
            else:
                only_seq.append(index + 1)
            continue
        rows.append(TableRow(index, list(cells)))
    if only_seq:
        warnings.append(f"{_row_list(only_seq)}只有序号、没有内容（空白的预留行），未导入")
    warnings.extend(_resolve_same_as_above(rows, header))
    warnings.extend(formula_note(r, c) for r, c in sheet.formulas)
    label_rows = [*range(header.row_index), *range(end, len(grid))]
    labels = parse_labels(grid, label_rows, copied)
    for index in range(end + 1, len(grid)):
        if is_heading_repeat(grid[index]):
            problems.append(
                Problem(
                    sheet.name,
                    index + 1,
                    None,
                    "",
                    "一个工作表只能放一家企业的情况表：这里的第二张表没有导入，"
                    "请把它放到单独的工作表再导入",
                )
            )
            break
    return SheetForm(sheet, header, labels, rows, warnings, problems)
