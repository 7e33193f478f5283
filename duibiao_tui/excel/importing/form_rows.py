"""Parse a 情况表's table rows into ItemInputs, each problem located by sheet, row, column.

The parsing step of the form import: 项目 to the notice's aspects, 对比结果 to a verdict,
完成时间 from any spelling, 标杆企业 linked to the benchmark library when it names one
entry; then the rules' check, and the same row or 序号 twice in one form refused.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from duibiao_tui.domain.item_rules import (
    FIELD_ASPECT,
    FIELD_BENCHMARK,
    FIELD_BENCHMARK_LEVEL,
    FIELD_DEPARTMENT,
    FIELD_DUE,
    FIELD_INDICATOR,
    FIELD_MEASURES,
    FIELD_REMARKS,
    FIELD_RESULT,
    CleanItem,
    ItemInput,
    item_warnings,
    validate_item,
)
from duibiao_tui.domain.text import clean
from duibiao_tui.errors import ValidationFailed
from duibiao_tui.excel.headers import column_letter
from duibiao_tui.excel.importing.form_sheet import SheetForm
from duibiao_tui.excel.importing.form_values import (
    DATE_TIME,
    excel_serial_date,
    map_aspect,
    seq_number,
    short_text,
    split_result,
    text_key,
)
from duibiao_tui.excel.importing.shared import Problem

if TYPE_CHECKING:
    from duibiao_tui.store.store import Store

__all__ = ["BenchmarkLibrary", "FileRow", "check_duplicates", "content_key", "validate_row"]


_ITEM_FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    FIELD_BENCHMARK: ("benchmark",),
    FIELD_ASPECT: ("aspect",),
    FIELD_INDICATOR: ("indicator",),
    FIELD_BENCHMARK_LEVEL: ("level",),
    FIELD_RESULT: ("verdict", "result"),
    FIELD_MEASURES: ("measures",),
    FIELD_DEPARTMENT: ("department",),
    FIELD_DUE: ("due",),
    FIELD_REMARKS: ("remarks",),
}
"""Which column a row rule's FieldError points at."""


class BenchmarkLibrary:
    """The live benchmark library, indexed by how a form writes an entry."""

    def __init__(self, store: Store) -> None:
        self.pending: set[str] = set()
        """Entries this import will add (said once each)."""
        self.by_label: dict[str, list[str]] = {}
        self.by_name: dict[str, list[str]] = {}
        for entry in store.benchmarks():
            label = f"{entry.name}/{entry.address}" if entry.address else entry.name
            self.by_label.setdefault(text_key(label), []).append(entry.id)
            self.by_name.setdefault(text_key(entry.name), []).append(entry.id)

    def find_exact(self, label: str) -> str | None:
        """The one entry whose name/address is ``label``."""
        ids = self.by_label.get(text_key(label), [])
        return ids[0] if len(ids) == 1 else None

    def find(self, text: str) -> str | None:
        key = text_key(text)
        if not key:
            return None
        for index in (self.by_label, self.by_name):
            ids = index.get(key, [])
            if len(ids) == 1:
                return ids[0]
        return None


@dataclass
class FileRow:
    """A table row being turned into an ItemInput, collecting its problems."""

    form: SheetForm
    index: int
    cells: list[str]
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    data: ItemInput | None = None
    clean: CleanItem | None = None
    label: str = ""
    """标杆企业 as written (compared with a stored row's printed label)."""
    new_benchmark: tuple[str, str] | None = None

    @property
    def sheet(self) -> str:
        return self.form.sheet.name

    @property
    def number(self) -> int:
        return self.index + 1

    def raw(self, key: str) -> str:
        col = self.form.header.columns.get(key)
        if col is None or col >= len(self.cells):
            return ""
        return self.cells[col]

    def problem(self, keys: Sequence[str], fallback: str, reason: str) -> None:
        header = self.form.header
        for key in keys:
            if key in header.columns:
                col = header.columns[key]
                title = header.title_of(key) or fallback
                self.problems.append(
                    Problem(self.sheet, self.number, column_letter(col), title, reason)
                )
                return
        self.problems.append(Problem(self.sheet, self.number, None, fallback, reason))

    @property
    def seq(self) -> str:
        return clean(self.raw("seq"))

    @property
    def where(self) -> str:
        return f"第{self.number}行"


def _item_input(row: FileRow, library: BenchmarkLibrary) -> ItemInput:
    aspect, other, warning = map_aspect(row.raw("aspect"))
    if warning:
        row.warnings.append(f"工作表「{row.sheet}」 {row.where}：{warning}")
    verdict = clean(row.raw("verdict"))
    result = clean(row.raw("result"))
    if not verdict:
        verdict, result = split_result(result)
    due = clean(row.raw("due"))
    serial = excel_serial_date(due)
    if serial is not None:
        row.warnings.append(
            f"工作表「{row.sheet}」 {row.where}：完成时间 {due} 按 Excel 日期读作 {serial}"
        )
        due = serial
    elif (stamp := DATE_TIME.match(due)) is not None:
        due = stamp.group(1)
    label = clean(row.raw("benchmark"))
    address = clean(row.raw("benchmark_address"))
    if address and label:  # the two-level heading: name and address in their own cells
        label = f"{label}/{address}"
        row.label = label
        benchmark_id = library.find_exact(label)
        if benchmark_id is None:
            row.new_benchmark = (clean(row.raw("benchmark")), address)
        if benchmark_id is None and text_key(label) not in library.pending:
            library.pending.add(text_key(label))
            row.warnings.append(
                f"工作表「{row.sheet}」 {row.where}：标杆企业「{short_text(label)}」"
                "不在标杆库中，导入时加入标杆库（名称和地址）"
            )
    else:
        label = label or address
        row.label = label
        benchmark_id = library.find(label)
    return ItemInput(
        benchmark_id=benchmark_id,
        benchmark_text="" if benchmark_id else label,
        aspect=aspect,
        aspect_other=other,
        indicator=row.raw("indicator"),
        benchmark_level=row.raw("level"),
        result_text=result,
        verdict=verdict,
        measures=row.raw("measures"),
        department=row.raw("department"),
        due_text=due,
        remarks=row.raw("remarks"),
    )


def validate_row(row: FileRow, library: BenchmarkLibrary) -> None:
    data = _item_input(row, library)
    row.data = data
    try:
        row.clean = validate_item(data)
    except ValidationFailed as failed:
        for error in failed.errors:
            row.problem(_ITEM_FIELD_COLUMNS.get(error.field, ()), error.field, error.reason)
        return
    for note in item_warnings(row.clean):
        row.warnings.append(f"工作表「{row.sheet}」 {row.where}：{note}")


def content_key(clean_item: CleanItem, label: str) -> tuple[object, ...]:
    values = dataclasses.asdict(clean_item)
    values.pop("benchmark_id")
    values["benchmark_text"] = text_key(label)
    return tuple(values.values())


def check_duplicates(rows: list[FileRow]) -> None:
    """The same 序号 twice, or the same row twice, in one form: the later one is refused."""
    seqs: dict[int, FileRow] = {}
    contents: dict[tuple[object, ...], FileRow] = {}
    for row in rows:
        number = seq_number(row.seq)
        if number is not None:
            first = seqs.get(number)
            if first is not None:
                where = (
                    first.where
                    if first.sheet == row.sheet
                    else f"工作表「{first.sheet}」{first.where}"
                )
                row.problem(("seq",), "序号", f"序号 {number} 与{where}重复")
                continue
            seqs[number] = row
        if row.clean is None:
            continue
        key = content_key(row.clean, row.label)
        first = contents.get(key)
        if first is not None:
            where = (
                first.where if first.sheet == row.sheet else f"工作表「{first.sheet}」{first.where}"
            )
            row.problem(("indicator",), "指标内容", f"与{where}内容完全相同，文件中重复")
            continue
        contents[key] = row
