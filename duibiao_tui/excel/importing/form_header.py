"""Map a 情况表's headings: the table's columns, and the labels of the header line and foot.

Nothing is taken from fixed cells: the table is the row naming most of the ten columns in
whatever spelling, and "对标单位：X" may stand in one cell, in two, or with the other labels
in one line. This module says which heading is which column and which label which field;
``form_sheet`` uses it to read a sheet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from duibiao_tui.domain.text import fold_width
from duibiao_tui.excel.headers import FieldSpec, HeaderMap, MissingColumns, find_header, header_key
from duibiao_tui.excel.readers import SheetData, read_sheets

__all__ = [
    "FORM_FIELDS",
    "HEADING_REPEAT_MIN",
    "LABEL_TITLES",
    "TABLE_SCAN_ROWS",
    "HeaderLabel",
    "find_table",
    "guess_kind",
    "is_end_of_table",
    "is_heading_repeat",
    "looks_like_form",
    "parse_labels",
    "two_level_benchmark",
]


TABLE_SCAN_ROWS = 60
"""The table's column headings are looked for in this many rows from the top of a sheet."""
HEADING_REPEAT_MIN = 3
"""A row naming this many columns inside the table is the headings repeated (a new page)."""

FORM_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("seq", "序号", ("序号", "编号", "序", "no", "no.")),
    FieldSpec(
        "benchmark",
        "标杆(优秀)企业/地址",
        (
            "标杆(优秀)企业/地址",
            "标杆企业/地址",
            "标杆(优秀)企业",
            "标杆企业",
            "标杆企业及地址",
            "标杆企业名称/地址",
            "标杆企业名称及地址",
            "标杆企业名称",
            "标杆单位",
            "优秀企业/地址",
            "优秀企业",
            "对标企业",
            "标杆",
        ),
    ),
    FieldSpec("aspect", "项目", ("项目", "对标项目", "对比项目", "对标方面"), required=True),
    FieldSpec(
        "indicator",
        "指标内容",
        ("指标内容", "指标", "对比指标", "指标名称", "对标指标", "主要指标", "对比内容"),
        required=True,
    ),
    FieldSpec("level", "标杆水平", ("标杆水平", "标杆值", "标杆企业水平", "标杆指标值")),
    FieldSpec(
        "result", "对比结果", ("对比结果", "对比情况", "对标结果", "比较结果", "对比", "差距")
    ),
    FieldSpec("verdict", "结论", ("结论", "对比结论", "对标结论")),
    FieldSpec(
        "measures",
        "提升计划和措施",
        (
            "提升计划和措施",
            "提升计划及措施",
            "提升计划与措施",
            "提升计划、措施",
            "提升措施",
            "提升计划",
            "改进措施",
            "整改措施",
            "计划和措施",
            "措施",
        ),
    ),
    FieldSpec(
        "department",
        "落实部门",
        ("落实部门", "责任部门", "负责部门", "实施部门", "落实单位", "责任单位", "部门"),
    ),
    FieldSpec(
        "due",
        "完成时间",
        ("完成时间", "完成期限", "完成日期", "计划完成时间", "完成时限", "时间", "期限"),
    ),
    FieldSpec("remarks", "备注", ("备注", "说明")),
)
"""The table's columns (FORM_COLUMNS of the export, plus a 结论 column some forms add)."""

_LABELS: dict[str, tuple[str, ...]] = {
    "name": ("对标单位", "企业名称", "单位名称", "填报单位", "企业全称", "单位全称"),
    "credit_code": (
        "统一社会信用代码",
        "社会信用代码",
        "信用代码",
        "组织机构代码",
        "机构代码",
    ),
    "district": ("辖市区", "所属辖市区", "所属区域", "所在地区", "所属地区", "县市区"),
    "address": ("地址", "单位地址", "企业地址", "通讯地址", "详细地址"),
    "industry": ("所在行业", "所属行业", "行业"),
    "main_products": ("主导产品", "主要产品", "主营产品"),
    "contact_name": ("单位填报人", "填报人", "联系人"),
    "phone": ("联系电话", "电话号码", "电话", "手机"),
    "filled_on": ("填报日期", "填表日期", "填报时间", "日期"),
    "": ("负责人", "审核人", "邮编", "邮政编码", "传真", "邮箱", "盖章"),
}
"""Labels of the header line and foot by field (the "" ones are recognised and ignored, so
"负责人：…" does not run into the contact's name)."""
LABEL_TITLES = {
    "name": "对标单位",
    "credit_code": "统一社会信用代码",
    "district": "辖市区",
    "address": "地址",
    "industry": "所在行业",
    "main_products": "主导产品",
    "contact_name": "单位填报人",
    "phone": "电话",
    "filled_on": "填报日期",
}
_LABEL_OF = {label: key for key, labels in _LABELS.items() for label in labels}
_BOUNDARY = " \t\n,;。、|"
"""What may stand before a label (after width folding): start of cell, space, punctuation."""
_LABEL_RE = re.compile(
    r"(?:^|(?<=[" + re.escape(_BOUNDARY) + r"]))"
    r"(?P<label>" + "|".join(sorted(map(re.escape, _LABEL_OF), key=len, reverse=True)) + r")"
    r"(?:\s*\([^()]{0,12}\))?\s*(?::|(?=\s)|$)"
)
_VALUE_STRIP = " \t\n:,;，；：　"
_FOOT_KEYS = frozenset({"contact_name", "phone", "filled_on", ""})
_NOTE_STARTS = ("注:", "注 ", "注释", "说明:", "填表说明", "备注:", "附注")

_BENCHMARK_NAME_HEADINGS = frozenset(
    {"企业名称", "名称", "单位名称", "企业", "标杆企业", "标杆企业名称", "优秀企业", "企业名"}
)
_BENCHMARK_ADDRESS_HEADINGS = frozenset({"地址", "企业地址", "单位地址", "详细地址", "所在地"})


def _heading_field(text: str) -> str | None:
    key = header_key(text)
    if not key:
        return None
    return _HEADING_KEYS.get(key) or _HEADING_KEYS.get(re.sub(r"\([^()]*\)", "", key))


_HEADING_KEYS = {
    header_key(s): spec.key for spec in FORM_FIELDS for s in (spec.label, *spec.synonyms)
}


def is_heading_repeat(cells: Sequence[str]) -> bool:
    return sum(1 for c in cells if _heading_field(c)) >= HEADING_REPEAT_MIN


def find_table(rows: Sequence[Sequence[str]], sheet: str) -> HeaderMap:
    """The table's column headings (raises MissingColumns naming what is missing)."""
    return find_header(rows, sheet, FORM_FIELDS, scan_rows=TABLE_SCAN_ROWS)


def looks_like_form(sheets: Sequence[SheetData]) -> bool:
    """True when a sheet has the 情况表's table (项目 and 指标内容 among its headings) and
    names its enterprise above it: a table with a 企业名称 column of its own (the summary's
    对标项目, every enterprise's rows in one sheet) is not a 情况表."""
    for sheet in sheets:
        try:
            header = find_table(sheet.rows, sheet.name)
        except MissingColumns:
            continue
        try:
            find_header([sheet.rows[header.row_index]], sheet.name)
        except MissingColumns:
            return True  # find_table made sure 项目 and 指标内容 are there
    return False


def guess_kind(path: Path | str, sheets: Sequence[SheetData] | None = None) -> str:
    """ "form" for a 情况表, "enterprises" for anything else (an enterprise list)."""
    path = Path(path)
    if "情况表" in path.stem:
        return "form"
    if sheets is None:
        sheets = read_sheets(path)
    return "form" if looks_like_form(sheets) else "enterprises"


def two_level_benchmark(grid: list[list[str]], header: HeaderMap) -> int | None:
    """The notice's two-level heading: 标杆(优秀)企业/地址 merged over 企业名称 and 地址 in
    the row below. Maps both sub-columns and returns that row's index (not a data row)."""
    b = header.columns.get("benchmark")
    below = header.row_index + 1
    if b is None or below >= len(grid):
        return None
    row = grid[below]
    name_col = address_col = None
    for c in range(b, min(len(row), b + 3)):
        key = header_key(row[c])
        if key in _BENCHMARK_NAME_HEADINGS and name_col is None:
            name_col = c
        elif key in _BENCHMARK_ADDRESS_HEADINGS and address_col is None:
            address_col = c
    if name_col is None or address_col is None:
        return None
    header.columns["benchmark"] = name_col
    header.columns["benchmark_address"] = address_col
    header.titles.setdefault(name_col, header.titles.get(b, "标杆(优秀)企业"))
    header.titles[address_col] = "地址"
    return below


@dataclass(frozen=True)
class HeaderLabel:
    """A label of the header line or foot (对标单位, 电话 …) and its value, as found."""

    key: str
    title: str
    value: str
    row: int
    """0-based row of the value."""
    col: int


def parse_labels(
    grid: list[list[str]], indexes: Sequence[int], copied: set[tuple[int, int]]
) -> dict[str, HeaderLabel]:
    """The first value of each label in the given rows (left to right, top to bottom)."""
    found: dict[str, HeaderLabel] = {}
    for r in indexes:
        row = grid[r]
        pending: tuple[str, str] | None = None
        for c, raw in enumerate(row):
            if not raw.strip() or (r, c) in copied:
                continue
            folded = fold_width(raw)  # one character for one: positions stay valid
            matches = list(_LABEL_RE.finditer(folded))
            if not matches:
                if pending is not None:
                    key, title = pending
                    pending = None
                    if key and key not in found:
                        found[key] = HeaderLabel(key, title, raw.strip(_VALUE_STRIP), r, c)
                continue
            pending = None
            for n, match in enumerate(matches):
                key = _LABEL_OF[match.group("label")]
                end = matches[n + 1].start() if n + 1 < len(matches) else len(raw)
                value = raw[match.end() : end].strip(_VALUE_STRIP)
                title = match.group("label")
                if not value and n + 1 == len(matches):
                    pending = (key, title)  # the value is in the next cell
                elif key and key not in found:
                    found[key] = HeaderLabel(key, title, value, r, c)
            if pending is not None and pending[0] in found:
                pending = None
    return found


def is_end_of_table(text: str) -> bool:
    """The note under the table or the foot (单位填报人 / 电话) ends the rows."""
    folded = fold_width(text).strip()
    if folded in ("注", "说明") or folded.startswith(_NOTE_STARTS):
        return True
    match = _LABEL_RE.match(folded)
    return match is not None and _LABEL_OF[match.group("label")] in _FOOT_KEYS | {"name"}
