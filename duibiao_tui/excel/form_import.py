"""Import filled 情况表 (.xlsx, .xls): plan first, then write in one transaction.

A form arrives two ways: as we export it (``form_export``: title, the header line
"对标单位：… 地址：… 所在行业：… 主导产品：…", the ten columns, the note, and
"单位填报人：… 电话：…" at the foot), or retyped by an enterprise in its own layout. So
nothing is taken from fixed cells:

- the **table** is the row (among the first ``TABLE_SCAN_ROWS``) naming most of the ten
  columns, in whatever spelling (full-width brackets, line breaks, ``标杆企业/地址``,
  ``提升措施``, ``完成期限`` …), wherever it starts; 项目 and 指标内容 are required. Rows are
  read until the note (``注：…``) or the foot (单位填报人/电话); blank rows, the column
  headings repeated on a new page, and rows holding only a 序号 are passed over. A cell
  merged over several rows (one 标杆企业 for a run of rows) counts for each of them.
- the **header line and foot** are labels anywhere outside the table: "对标单位：X" in one
  cell, "对标单位" with X in the next cell, or the notice's one-line layout with all four
  labels in one cell. 统一社会信用代码 and 辖市区 are read when an enterprise adds them.
- a sheet without 对标单位 whose 序号 continue the previous sheet's (or whose name has
  续) is the continuation of that form.

Per row: 项目 is mapped to the notice's aspects (exact name, its number 1–12, or a fragment
naming only one of them; anything else is 其他 with the text as written); 对比结果 that
starts with 领先/持平/落后 gives the verdict and the rest; 完成时间 may be a date cell, any
spelling ``parse_due_date`` reads, or an Excel date serial; 标杆(优秀)企业/地址 is kept as
written, or linked to the benchmark library when it names one entry.

**Which enterprise.** The credit code when the sheet has one, else the name within the
district (辖市区 when written, else the one the address names), else the name alone when
only one live enterprise has it. A form for an unregistered enterprise registers it. With
``mode="update"`` (default) the header's non-blank values update the registered record;
``"skip"`` leaves the record as it is (the rows are imported either way).

**Which rows** (re-importing the same form must not duplicate anything). Each row of the
file is paired with at most one live row of that enterprise in the active campaign, first
by identical content (→ unchanged), then by 项目 + 指标内容 + 标杆企业, then by 项目 +
指标内容, then by the same 序号 with the same 项目 (→ updated: the file's ten columns
replace the row's; measure progress and review flags stay); unpaired file rows are added at
the end. Rows of the database that the file does not mention are kept, never deleted.

All or nothing by default; ``valid_only`` writes the good forms and rows and copies the
refused rows to ``exports/<name>-错误.xlsx`` (0600). A backup of the database is taken
before anything is written.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypedDict

from duibiao_tui.domain import industry
from duibiao_tui.domain.aspects import ALL_ASPECTS, match_aspects
from duibiao_tui.domain.dates import parse_due_date
from duibiao_tui.domain.enterprise_rules import validate_enterprise
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
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.domain.reference import OTHER_ASPECT, VERDICTS
from duibiao_tui.domain.text import clean, fold_width, name_key
from duibiao_tui.errors import (
    DuplicateError,
    NotFoundError,
    ValidationFailed,
)
from duibiao_tui.excel.enterprise_import import (
    REASON_HEADER,
    ImportRefused,
    Mode,
    Problem,
    backup_before_import,
    changed_enterprise_fields,
    comparable_enterprise,
    error_workbook_path,
)
from duibiao_tui.excel.form_export import industry_text as printed_industry
from duibiao_tui.excel.headers import (
    FieldSpec,
    HeaderMap,
    MissingColumns,
    column_letter,
    find_header,
    header_key,
)
from duibiao_tui.excel.lookup import existing_enterprises, match_district
from duibiao_tui.excel.readers import SheetData, read_sheets

if TYPE_CHECKING:
    from duibiao_tui.domain.items import BenchmarkItem
    from duibiao_tui.domain.listing import District
    from duibiao_tui.store.store import Store

__all__ = [
    "FORM_FIELDS",
    "FormImportPlan",
    "FormImportResult",
    "PlannedForm",
    "PlannedItem",
    "apply_form_import",
    "excel_serial_date",
    "guess_kind",
    "looks_like_form",
    "map_aspect",
    "plan_form_import",
    "split_result",
]

Progress = Callable[[int, int], None]
RowAction = Literal["new", "update", "unchanged", "refused"]
FormAction = Literal["new", "update", "unchanged", "skip", "refused"]

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

_ITEM_LABELS = {
    "benchmark_id": FIELD_BENCHMARK,
    "benchmark_text": FIELD_BENCHMARK,
    "aspect": FIELD_ASPECT,
    "aspect_other": FIELD_ASPECT,
    "indicator": FIELD_INDICATOR,
    "benchmark_level": FIELD_BENCHMARK_LEVEL,
    "result_text": FIELD_RESULT,
    "verdict": "结论",
    "measures": FIELD_MEASURES,
    "department": FIELD_DEPARTMENT,
    "due_date": FIELD_DUE,
    "due_text": FIELD_DUE,
    "remarks": FIELD_REMARKS,
}

# -- the header line and the foot: labels outside the table ------------------------------

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

# Fields of the enterprise a validation error points at (by the rules' field names).
_ENTERPRISE_FIELD_LABELS: dict[str, str] = {
    "名称": "name",
    "统一社会信用代码": "credit_code",
    "辖市区": "district",
    "电话": "phone",
    "行业门类": "industry",
    "行业大类": "industry",
}

EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}(?::\d{2})?$")
_SERIAL_RANGE = (36526, 73415)
"""Excel serials of 2000-01-01 .. 2100-12-31 (the years parse_due_date accepts)."""


def excel_serial_date(text: str) -> str | None:
    """'40359' (a date cell without a date format: Excel's day number) → '2010-06-30'."""
    found = _SERIAL.match(fold_width(text).strip())
    if found is None:
        return None
    number = int(found.group(1))
    if not _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
        return None
    return (EXCEL_EPOCH + timedelta(days=number)).isoformat()


def split_result(text: str) -> tuple[str, str]:
    """对比结果 → (verdict, the rest): '落后 合格率低 1.2 个百分点' → ('落后', '合格率低 …').

    The verdict counts only as a word of its own (followed by a space, punctuation or
    nothing), so '领先同行' stays words. The export writes 'verdict words', so this reads
    every exported 对比结果 back to the same verdict and words.
    """
    shown = clean(text)
    for word in VERDICTS:
        if not shown.startswith(word):
            continue
        rest = shown[len(word) :]
        if not rest:
            return word, ""
        if rest[0] in " :：,，;；、。":
            return word, rest.lstrip(" :：,，;；、。")
        if rest[0] in "(（":
            return word, rest
        break
    return "", shown


def map_aspect(text: str) -> tuple[str, str, str]:
    """项目 as written → (aspect, aspect_other, warning).

    The notice's name (any width or spacing) is taken as it is; its number 1–12, or a
    fragment only one aspect contains (检验 → 检验把关), is mapped with a warning; anything
    else is 其他 with the text as the aspect's name ("其他：环保" gives 其他 / 环保).
    """
    shown = clean(text)
    key = "".join(fold_width(shown).split())
    if not key:
        return "", "", ""
    if key in ALL_ASPECTS:
        if key != shown:  # full-width or spaced: "质量管理 制度"
            return key, "", f"项目「{shown}」按「{key}」导入"
        return key, "", ""
    other = re.fullmatch(r"其[他它][\s:：(（-]*(.*?)[)）]?", shown)
    if other is not None:
        return OTHER_ASPECT, other.group(1).strip(), ""
    if key.isdigit() or not key.isascii():
        found = [a for a in match_aspects(key) if a != OTHER_ASPECT]
        if len(found) == 1:
            return found[0], "", f"项目「{shown}」按「{found[0]}」导入"
    return (
        OTHER_ASPECT,
        shown,
        f"项目「{shown}」不是通知的 12 个项目之一，按「其他」导入，原文保留为项目名称",
    )


def _text_key(text: str) -> str:
    return "".join(fold_width(clean(text)).split()).casefold()


# -- reading a sheet ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Label:
    key: str
    title: str
    value: str
    row: int
    """0-based row of the value."""
    col: int


@dataclass
class _TableRow:
    index: int
    """0-based row index in the sheet."""
    cells: list[str]


@dataclass
class _SheetForm:
    """One sheet as a form: its labels, its table header and its data rows."""

    sheet: SheetData
    header: HeaderMap
    labels: dict[str, _Label]
    rows: list[_TableRow]
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
                number = _seq_number(row.cells[col])
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


def _seq_number(text: str) -> int | None:
    folded = fold_width(text).strip()
    if folded.endswith(".0"):
        folded = folded[:-2]
    return int(folded) if folded.isascii() and folded.isdigit() and len(folded) < 9 else None


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


def _heading_field(text: str) -> str | None:
    key = header_key(text)
    if not key:
        return None
    return _HEADING_KEYS.get(key) or _HEADING_KEYS.get(re.sub(r"\([^()]*\)", "", key))


_HEADING_KEYS = {
    header_key(s): spec.key for spec in FORM_FIELDS for s in (spec.label, *spec.synonyms)
}


def _is_heading_repeat(cells: Sequence[str]) -> bool:
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


def _parse_labels(
    grid: list[list[str]], indexes: Sequence[int], copied: set[tuple[int, int]]
) -> dict[str, _Label]:
    """The first value of each label in the given rows (left to right, top to bottom)."""
    found: dict[str, _Label] = {}
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
                        found[key] = _Label(key, title, raw.strip(_VALUE_STRIP), r, c)
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
                    found[key] = _Label(key, title, value, r, c)
            if pending is not None and pending[0] in found:
                pending = None
    return found


def _is_end(text: str) -> bool:
    """The note under the table or the foot (单位填报人 / 电话) ends the rows."""
    folded = fold_width(text).strip()
    if folded in ("注", "说明") or folded.startswith(_NOTE_STARTS):
        return True
    match = _LABEL_RE.match(folded)
    return match is not None and _LABEL_OF[match.group("label")] in _FOOT_KEYS | {"name"}


_SAME_AS_ABOVE = frozenset({"同上", "同上。", "同前", "〃", '"', "''", "”", "“"})
"""What people write for "the same as the row above" (a ditto mark)."""
_TOTAL_WORDS = frozenset({"合计", "总计", "小计", "共计", "合计:", "总计:"})
_BENCHMARK_NAME_HEADINGS = frozenset(
    {"企业名称", "名称", "单位名称", "企业", "标杆企业", "标杆企业名称", "优秀企业", "企业名"}
)
_BENCHMARK_ADDRESS_HEADINGS = frozenset({"地址", "企业地址", "单位地址", "详细地址", "所在地"})


def _short(text: str) -> str:
    shown = clean(text)
    return shown if len(shown) <= 20 else shown[:20] + "…"


def is_total_row(cells: Sequence[str]) -> bool:
    """A 合计/总计 row: one of those words in one of the first three filled cells."""
    filled = [c for c in cells if c.strip()][:3]
    return any("".join(fold_width(c).split()) in _TOTAL_WORDS for c in filled)


def _two_level_benchmark(grid: list[list[str]], header: HeaderMap) -> int | None:
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


def _resolve_same_as_above(rows: list[_TableRow], header: HeaderMap) -> list[str]:
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
                notes.append(f"第{row.index + 1}行 {title}「同上」按上一行「{_short(before)}」导入")
            else:
                notes.append(f"第{row.index + 1}行 {title}「同上」上一行没有内容可引用，按原文导入")
        above = row.cells
    return notes


def _read_form_sheet(sheet: SheetData) -> _SheetForm | None:
    """The form on one sheet, or None when the sheet has no table of a 情况表."""
    grid, copied = _filled(sheet)
    try:
        header = find_table(grid, sheet.name)
    except MissingColumns:
        labels = _parse_labels(grid, range(len(grid)), copied)
        if "name" not in labels:
            return None
        raise
    sub_heading = _two_level_benchmark(grid, header)
    first_col = min(header.columns.values())
    mapped = set(header.columns.values())
    rows: list[_TableRow] = []
    warnings: list[str] = []
    problems: list[Problem] = []
    end = len(grid)
    only_seq: list[int] = []
    for index in range(header.row_number, len(grid)):
        cells = grid[index]
        own = [(c, t) for c, t in enumerate(cells) if t.strip() and (index, c) not in copied]
        if not own or index == sub_heading:
            continue
        if own[0][0] <= first_col and _is_end(own[0][1]):
            end = index
            break
        if _is_heading_repeat(cells):
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
        rows.append(_TableRow(index, list(cells)))
    if only_seq:
        warnings.append(f"{_row_list(only_seq)}只有序号、没有内容（空白的预留行），未导入")
    warnings.extend(_resolve_same_as_above(rows, header))
    for r, c in sheet.formulas:
        warnings.append(
            f"单元格 {column_letter(c)}{r + 1} 是公式，文件中没有计算结果，按空白读取"
            "（请在 Excel 中打开并保存后再导入）"
        )
    label_rows = [*range(header.row_index), *range(end, len(grid))]
    labels = _parse_labels(grid, label_rows, copied)
    for index in range(end + 1, len(grid)):
        if _is_heading_repeat(grid[index]):
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
    return _SheetForm(sheet, header, labels, rows, warnings, problems)


# -- the plan ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedItem:
    """One row of a form and what importing it does."""

    sheet: str
    row: int
    """1-based row in the sheet."""
    action: RowAction
    seq: str
    """序号 as written."""
    data: ItemInput | None
    item_id: str | None = None
    """The stored row it updates (or leaves unchanged)."""
    version: int | None = None
    changes: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()
    cells: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    """The table's column headings of its sheet, for the error workbook."""
    seq_number: int | None = None
    """The form's 序号 the new row is stored under (None: after the last row)."""
    new_benchmark: tuple[str, str] | None = None
    """(name, address) of a benchmark the two-level heading gives and the library lacks:
    added to the library when written, and the row linked to it."""


@dataclass(frozen=True)
class PlannedForm:
    """One enterprise's form (one sheet, or several when continued) and what it does."""

    sheets: tuple[str, ...]
    name: str
    action: FormAction
    """What happens to the enterprise record ("refused": nothing of this form is written)."""
    data: EnterpriseInput | None
    enterprise_id: str | None
    version: int | None
    changes: tuple[str, ...]
    problems: tuple[Problem, ...]
    """Problems of the header line (the enterprise): every row of the form is refused."""
    items: tuple[PlannedItem, ...]
    kept: int = 0
    """Rows of the database this form does not mention (kept as they are)."""
    warnings: tuple[str, ...] = ()
    filled_on_text: str = ""
    """填报日期 as written in the foot."""
    filled_on: str | None = None
    """填报日期 as an ISO date, when the text names one."""

    def count(self, action: RowAction) -> int:
        return sum(1 for item in self.items if item.action == action)


@dataclass(frozen=True)
class FormImportPlan:
    """The preview of a form import; nothing was written to make it."""

    path: Path
    mode: Mode
    campaign_id: str
    campaign_name: str
    forms: tuple[PlannedForm, ...]
    ignored_sheets: tuple[str, ...] = ()
    """Sheets without a 情况表 table (an instructions sheet, say)."""
    sheet_problems: tuple[Problem, ...] = ()
    """Problems of a sheet as a whole (a second table on one sheet)."""

    def enterprises(self, action: FormAction) -> int:
        return sum(1 for form in self.forms if form.action == action)

    def rows(self, action: RowAction) -> int:
        return sum(form.count(action) for form in self.forms)

    @property
    def refused(self) -> int:
        """Rows refused, plus one per refused sheet problem without rows."""
        return (
            self.rows("refused")
            + sum(1 for f in self.forms if f.action == "refused" and not f.items)
            + len(self.sheet_problems)
        )

    @property
    def items(self) -> list[PlannedItem]:
        return [item for form in self.forms for item in form.items]

    @property
    def problems(self) -> list[Problem]:
        out = list(self.sheet_problems)
        for form in self.forms:
            out.extend(form.problems)
            for item in form.items:
                out.extend(item.problems)
        return out

    @property
    def warnings(self) -> list[str]:
        out = [w for f in self.forms for w in f.warnings]
        out += [w for f in self.forms for i in f.items for w in i.warnings]
        return out

    @property
    def updates(self) -> list[str]:
        """What each update changes, a line each naming its sheet (and row): F7 lists them
        after the 提示, as ``import form --dry-run`` prints them."""
        out: list[str] = []
        for form in self.forms:
            if form.action == "update" and form.changes:
                out.append(
                    f"工作表「{form.sheets[0]}」 企业「{form.name}」：{'、'.join(form.changes)}"
                )
            out.extend(
                f"工作表「{i.sheet}」 第{i.row}行：{'、'.join(i.changes)}"
                for i in form.items
                if i.action == "update"
            )
        return out

    @property
    def writes(self) -> int:
        """Enterprise records and rows that applying would write."""
        return sum(
            (f.action in ("new", "update"))
            + sum(1 for i in f.items if i.action in ("new", "update"))
            for f in self.forms
            if f.action != "refused"
        )

    def summary(self) -> str:
        """企业：新增 1 家，更新 0 家，无变化 0 家；对标行：新增 38 行，更新 0 行，…"""
        firms = (
            f"企业：新增 {self.enterprises('new')} 家，更新 {self.enterprises('update')} 家，"
            f"无变化 {self.enterprises('unchanged')} 家"
        )
        if self.enterprises("skip"):
            firms += f"，已登记未更新 {self.enterprises('skip')} 家"
        if self.enterprises("refused"):
            firms += f"，有问题 {self.enterprises('refused')} 家"
        rows = (
            f"对标行：新增 {self.rows('new')} 行，更新 {self.rows('update')} 行，"
            f"无变化 {self.rows('unchanged')} 行，有问题 {self.rows('refused')} 行"
        )
        kept = sum(f.kept for f in self.forms if f.action != "refused")
        if kept:
            rows += f"（数据库中另有 {kept} 行不在文件中，保留不动）"
        return f"{firms}；{rows}"


@dataclass(frozen=True)
class FormImportResult:
    enterprises_added: int
    enterprises_updated: int
    rows_added: int
    rows_updated: int
    rows_unchanged: int
    refused: int
    error_file: Path | None = None
    backup: Path | None = None

    def summary(self) -> str:
        text = (
            f"企业新增 {self.enterprises_added} 家、更新 {self.enterprises_updated} 家；"
            f"对标行新增 {self.rows_added} 行、更新 {self.rows_updated} 行、"
            f"无变化 {self.rows_unchanged} 行"
        )
        if self.refused:
            text += f"；未导入有问题的 {self.refused} 行"
        return text


# -- planning helpers --------------------------------------------------------------------


class _Library:
    """The live benchmark library, indexed by how a form writes an entry."""

    def __init__(self, store: Store) -> None:
        self.pending: set[str] = set()
        """Entries this import will add (said once each)."""
        self.by_label: dict[str, list[str]] = {}
        self.by_name: dict[str, list[str]] = {}
        for entry in store.benchmarks():
            label = f"{entry.name}/{entry.address}" if entry.address else entry.name
            self.by_label.setdefault(_text_key(label), []).append(entry.id)
            self.by_name.setdefault(_text_key(entry.name), []).append(entry.id)

    def find_exact(self, label: str) -> str | None:
        """The one entry whose name/address is ``label``."""
        ids = self.by_label.get(_text_key(label), [])
        return ids[0] if len(ids) == 1 else None

    def find(self, text: str) -> str | None:
        key = _text_key(text)
        if not key:
            return None
        for index in (self.by_label, self.by_name):
            ids = index.get(key, [])
            if len(ids) == 1:
                return ids[0]
        return None


@dataclass
class _FileRow:
    """A table row being turned into an ItemInput, collecting its problems."""

    form: _SheetForm
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


def _item_input(row: _FileRow, library: _Library) -> ItemInput:
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
    elif (stamp := _DATETIME.match(due)) is not None:
        due = stamp.group(1)
    label = clean(row.raw("benchmark"))
    address = clean(row.raw("benchmark_address"))
    if address and label:  # the two-level heading: name and address in their own cells
        label = f"{label}/{address}"
        row.label = label
        benchmark_id = library.find_exact(label)
        if benchmark_id is None:
            row.new_benchmark = (clean(row.raw("benchmark")), address)
        if benchmark_id is None and _text_key(label) not in library.pending:
            library.pending.add(_text_key(label))
            row.warnings.append(
                f"工作表「{row.sheet}」 {row.where}：标杆企业「{_short(label)}」"
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


def _validate_row(row: _FileRow, library: _Library) -> None:
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


def _content_key(clean_item: CleanItem, label: str) -> tuple[object, ...]:
    values = dataclasses.asdict(clean_item)
    values.pop("benchmark_id")
    values["benchmark_text"] = _text_key(label)
    return tuple(values.values())


def _stored_clean(item: BenchmarkItem) -> CleanItem | None:
    try:
        return validate_item(item.to_input())
    except ValidationFailed:
        return None


@dataclass
class _Stored:
    item: BenchmarkItem
    clean: CleanItem | None
    label_key: str
    taken: bool = False


def _pair_rows(rows: list[_FileRow], stored: list[_Stored]) -> dict[int, _Stored]:
    """Pair file rows (by position in ``rows``) with stored rows, in the documented order."""
    pairs: dict[int, _Stored] = {}

    def stage(
        key_of_file: Callable[[_FileRow], object], key_of_stored: Callable[[_Stored], object]
    ) -> None:
        index: dict[object, list[_Stored]] = {}
        for entry in stored:
            if not entry.taken and entry.clean is not None:
                key = key_of_stored(entry)
                if key is not None:
                    index.setdefault(key, []).append(entry)
        for position, row in enumerate(rows):
            if position in pairs or row.clean is None:
                continue
            key = key_of_file(row)
            if key is None:
                continue
            for entry in index.get(key, []):
                if not entry.taken:
                    entry.taken = True
                    pairs[position] = entry
                    break

    def content(row: _FileRow) -> object:
        assert row.clean is not None
        return _content_key(row.clean, row.label)

    def stored_content(entry: _Stored) -> object:
        assert entry.clean is not None
        return _content_key(entry.clean, entry.item.benchmark_label)

    def full(row: _FileRow) -> object:
        assert row.clean is not None
        c = row.clean
        return (c.aspect, c.aspect_other, _text_key(c.indicator), _text_key(row.label))

    def stored_full(entry: _Stored) -> object:
        c = entry.item
        return (c.aspect, c.aspect_other, _text_key(c.indicator), _text_key(c.benchmark_label))

    def indicator(row: _FileRow) -> object:
        assert row.clean is not None
        c = row.clean
        return (c.aspect, c.aspect_other, _text_key(c.indicator))

    def stored_indicator(entry: _Stored) -> object:
        c = entry.item
        return (c.aspect, c.aspect_other, _text_key(c.indicator))

    def seq(row: _FileRow) -> object:
        assert row.clean is not None
        number = _seq_number(row.seq)
        return None if number is None else (number, row.clean.aspect)

    def stored_seq(entry: _Stored) -> object:
        return (entry.item.seq, entry.item.aspect)

    stage(content, stored_content)
    stage(full, stored_full)
    stage(indicator, stored_indicator)
    stage(seq, stored_seq)
    return pairs


def _plan_items(
    store: Store,
    rows: list[_FileRow],
    enterprise_id: str | None,
    campaign_id: str,
    titles_of: dict[str, tuple[str, ...]],
) -> tuple[list[PlannedItem], int]:
    stored: list[_Stored] = []
    if enterprise_id is not None:
        stored = [
            _Stored(item, _stored_clean(item), _text_key(item.benchmark_label))
            for item in store.items_for(enterprise_id, campaign_id)
        ]
    pairs = _pair_rows(rows, stored)
    written = [p for p, row in enumerate(rows) if not _refused(row)]
    places, place_notes = _place_rows(rows, pairs, stored, written)
    planned: list[PlannedItem] = []
    for position, row in enumerate(rows):
        common = {
            "sheet": row.sheet,
            "row": row.number,
            "seq": row.seq,
            "warnings": tuple(row.warnings),
            "cells": tuple(row.cells),
            "titles": titles_of[row.sheet],
        }
        if _refused(row):
            planned.append(
                PlannedItem(action="refused", data=row.data, problems=tuple(row.problems), **common)  # type: ignore[arg-type]
            )
            continue
        assert row.clean is not None and row.data is not None
        if position in place_notes:
            common["warnings"] = (
                *row.warnings,
                f"工作表「{row.sheet}」 {row.where}：{place_notes[position]}",
            )
        pair = pairs.get(position)
        if pair is None:
            planned.append(
                PlannedItem(
                    action="new",
                    data=row.data,
                    seq_number=places[position],
                    new_benchmark=row.new_benchmark,
                    **common,  # type: ignore[arg-type]
                )
            )
            continue
        data = row.data
        if _text_key(row.label) == pair.label_key:  # same benchmark as printed: keep its link
            data = dataclasses.replace(
                data, benchmark_id=pair.item.benchmark_id, benchmark_text=pair.item.benchmark_text
            )
        assert pair.clean is not None
        if _content_key(row.clean, row.label) == _content_key(
            pair.clean, pair.item.benchmark_label
        ):
            changes: tuple[str, ...] = ()
        else:
            new_clean = validate_item(data)
            old = dataclasses.asdict(pair.clean)
            old["benchmark_id"] = pair.item.benchmark_id
            old["benchmark_text"] = pair.item.benchmark_text
            changes = tuple(
                dict.fromkeys(
                    _ITEM_LABELS.get(k, k)
                    for k, v in dataclasses.asdict(new_clean).items()
                    if old.get(k) != v
                )
            )
        if places[position] != pair.item.seq:  # the form numbers (or orders) it otherwise
            changes = (*changes, "序号")
        action: RowAction = "update" if changes else "unchanged"
        planned.append(
            PlannedItem(
                action=action,
                data=data,
                item_id=pair.item.id,
                version=pair.item.version,
                changes=changes,
                seq_number=places[position],
                **common,  # type: ignore[arg-type]
            )
        )
    kept = sum(1 for entry in stored if not entry.taken)
    return planned, kept


def _refused(row: _FileRow) -> bool:
    return bool(row.problems) or row.clean is None or row.data is None


def _place_rows(
    rows: list[_FileRow], pairs: dict[int, _Stored], stored: list[_Stored], written: list[int]
) -> tuple[dict[int, int], dict[int, str]]:
    """The 序号 each written row (by position) is stored under, and what to say about it.

    The form's own number, new rows and updated ones alike, so the stored form keeps the
    form's numbering and order — unless a stored row this import leaves alone (one the
    form does not mention, or whose row is refused) holds it: then a paired row keeps its
    stored number, and a new row goes after the last.
    """
    moving = {pairs[p].item.id for p in written if p in pairs}
    claimed = {entry.item.seq for entry in stored if entry.item.id not in moving}
    places: dict[int, int] = {}
    for position in written:
        number = _seq_number(rows[position].seq)
        if number is not None and number not in claimed:  # repeats were refused
            places[position] = number
            claimed.add(number)
    notes: dict[int, str] = {}
    for position in written:
        if position in places:
            continue
        number = _seq_number(rows[position].seq)
        pair = pairs.get(position)
        if pair is not None and pair.item.seq not in claimed:
            places[position] = pair.item.seq
            claimed.add(pair.item.seq)
            if number is not None:
                notes[position] = (
                    f"序号 {number} 已是本企业另一行的序号，这一行保留原序号 {pair.item.seq}"
                )
        elif number is not None:
            notes[position] = f"序号 {number} 已是本企业另一行的序号，这一行排在最后"
    end = max(claimed, default=0)
    for position in written:
        if position not in places:
            end += 1
            places[position] = end
    return places, notes


def _check_duplicates(rows: list[_FileRow]) -> None:
    """The same 序号 twice, or the same row twice, in one form: the later one is refused."""
    seqs: dict[int, _FileRow] = {}
    contents: dict[tuple[object, ...], _FileRow] = {}
    for row in rows:
        number = _seq_number(row.seq)
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
        key = _content_key(row.clean, row.label)
        first = contents.get(key)
        if first is not None:
            where = (
                first.where if first.sheet == row.sheet else f"工作表「{first.sheet}」{first.where}"
            )
            row.problem(("indicator",), "指标内容", f"与{where}内容完全相同，文件中重复")
            continue
        contents[key] = row


# -- the enterprise of a form ------------------------------------------------------------


@dataclass
class _Form:
    """The sheets of one enterprise's form (a continuation adds sheets) and its rows."""

    parts: list[_SheetForm]
    rows: list[_FileRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def first(self) -> _SheetForm:
        return self.parts[0]

    def label(self, key: str) -> _Label | None:
        for part in self.parts:
            if key in part.labels:
                return part.labels[key]
        return None

    def value(self, key: str) -> str:
        found = self.label(key)
        return clean(found.value) if found else ""

    def problem_at(self, key: str, reason: str) -> None:
        found = self.label(key)
        sheet = self.first.sheet.name
        title = LABEL_TITLES.get(key, "")
        if found is None:
            row = self.first.header.row_number
            self.problems.append(Problem(sheet, row, None, title or "表头", reason))
            return
        owner = next(p for p in self.parts if found is p.labels.get(key))
        self.problems.append(
            Problem(owner.sheet.name, found.row + 1, column_letter(found.col), found.title, reason)
        )


def _identity(part: _SheetForm) -> str | None:
    code = part.labels.get("credit_code")
    if code is not None and clean(code.value):
        return "code:" + "".join(fold_width(code.value).split()).upper()
    name = part.labels.get("name")
    if name is not None and clean(name.value):
        return "name:" + name_key(clean(name.value))
    return None


def _continues(previous: _SheetForm, part: _SheetForm) -> bool:
    if "续" in part.sheet.name:
        return True
    before, after = previous.seqs(), part.seqs()
    return bool(before and after and after[0] == max(before) + 1)


def _group_forms(parts: list[_SheetForm]) -> list[_Form]:
    forms: list[_Form] = []
    by_identity: dict[str, _Form] = {}
    for part in parts:
        identity = _identity(part)
        previous = forms[-1] if forms else None
        if identity is None:
            if previous is not None and _continues(previous.parts[-1], part):
                previous.parts.append(part)
                continue
            form = _Form([part])
            form.problems.append(
                Problem(
                    part.sheet.name,
                    part.header.row_number,
                    None,
                    "对标单位",
                    "找不到「对标单位：企业名称」，不知道这张表是哪家企业的"
                    "（表头可写 对标单位、企业名称 或 单位名称）",
                )
            )
            forms.append(form)
            continue
        earlier = by_identity.get(identity)
        if earlier is not None:
            if earlier is previous and _continues(previous.parts[-1], part):
                previous.parts.append(part)
                continue
            form = _Form([part])
            form.problem_at(
                "name",
                f"与工作表「{earlier.first.sheet.name}」是同一家企业，文件中重复"
                "（如为续表，请让序号接着上一张表编）",
            )
            forms.append(form)
            continue
        form = _Form([part])
        by_identity[identity] = form
        forms.append(form)
    return forms


def _enterprise_values(form: _Form, districts: list[District]) -> tuple[dict[str, object], bool]:
    """The EnterpriseInput values the header gives (non-blank only), and whether the
    district was written (not guessed from the address)."""
    values: dict[str, object] = {}
    for key in ("name", "credit_code", "address", "main_products", "contact_name", "phone"):
        text = form.value(key)
        if text:
            values[key] = text
    industry_text = form.value("industry")
    if industry_text:
        values["industry_text"] = industry_text
        section, division = industry.match_industry(industry_text)
        if division is not None:
            values["industry_section"] = division.section
            values["industry_division"] = division.code
        elif section is not None:
            values["industry_section"] = section.code
            values["industry_division"] = ""
    written = form.value("district")
    if written:
        found = match_district(districts, written)
        if found is None:
            names = "、".join(d.name for d in districts)
            form.problem_at("district", f"「{written}」不是镇江市的辖市区，应为 {names}")
        else:
            values["district_id"] = found.id
        return values, True
    address = form.value("address")
    if address:
        hits = [d for d in districts if d.name in address]
        if len(hits) == 1:
            values["district_id"] = hits[0].id
    return values, False


class _Register:
    def __init__(self, store: Store) -> None:
        self.by_code: dict[str, str] = {}
        self.by_name: dict[tuple[str, str | None], list[str]] = {}
        self.by_name_only: dict[str, list[str]] = {}
        for entry in existing_enterprises(store):
            for code in (entry.uscc, entry.org_code, entry.reg_no):
                if code:
                    self.by_code.setdefault(code.replace("-", ""), entry.id)
            self.by_name.setdefault((entry.name_key, entry.district_id), []).append(entry.id)
            self.by_name_only.setdefault(entry.name_key, []).append(entry.id)


def _plan_enterprise(
    store: Store,
    form: _Form,
    register: _Register,
    districts: list[District],
    known: set[str],
    mode: Mode,
) -> tuple[FormAction, EnterpriseInput | None, str | None, int | None, tuple[str, ...], list[str]]:
    values, district_written = _enterprise_values(form, districts)
    warnings: list[str] = []
    if "name" not in values:
        if not form.problems:
            form.problem_at("name", "对标单位（企业名称）为空，请填写企业全称")
        return "refused", None, None, None, (), warnings
    data = EnterpriseInput(**values)  # type: ignore[arg-type]
    try:
        found = validate_enterprise(data, known_districts=known)
    except ValidationFailed as failed:
        for error in failed.errors:
            form.problem_at(_ENTERPRISE_FIELD_LABELS.get(error.field, "name"), error.reason)
        return "refused", None, None, None, (), warnings
    if form.problems:
        return "refused", None, None, None, (), warnings
    existing: str | None = None
    for code in (found.uscc, found.org_code, found.reg_no):
        if code and code.replace("-", "") in register.by_code:
            existing = register.by_code[code.replace("-", "")]
            break
    if existing is None:
        namesakes = register.by_name_only.get(found.name_key, [])
        in_district = register.by_name.get((found.name_key, found.district_id), [])
        if district_written:
            existing = in_district[0] if in_district else None
        elif len(namesakes) == 1:
            existing = namesakes[0]
        elif len(in_district) == 1:
            existing = in_district[0]
        elif namesakes:
            form.problem_at(
                "name",
                f"已登记的同名企业有 {len(namesakes)} 家，请在表头写明 统一社会信用代码 或 辖市区",
            )
            return "refused", None, None, None, (), warnings
    if existing is None:
        return "new", data, None, None, (), [*found.warnings]
    current = store.get_enterprise(existing)
    before = current.to_input()
    if values.get("industry_text") == printed_industry(current):
        # What the export printed for this record (the GB/T name when no words were
        # given): not a change of the enterprise's 所在行业.
        for key in ("industry_text", "industry_section", "industry_division"):
            values.pop(key, None)
    if current.uscc and not found.uscc and found.org_code == current.org_code:
        values.pop("credit_code", None)  # a 2009 组织机构代码 must not replace the USCC
    if not district_written:
        values.pop("district_id", None)  # a guess from the address never moves a record
    merged = dataclasses.replace(before, **values)  # type: ignore[arg-type]
    try:
        after = validate_enterprise(merged, known_districts=known)
    except ValidationFailed as failed:
        for error in failed.errors:
            form.problem_at(_ENTERPRISE_FIELD_LABELS.get(error.field, "name"), error.reason)
        return "refused", None, existing, current.version, (), warnings
    try:
        old = comparable_enterprise(validate_enterprise(before, known_districts=known))
    except ValidationFailed:
        old = {}
    if old == comparable_enterprise(after):
        return "unchanged", merged, existing, current.version, (), warnings
    changes = changed_enterprise_fields(before, merged)
    action: FormAction = "update" if mode == "update" else "skip"
    return action, merged, existing, current.version, changes, [*after.warnings]


def _assign_enterprise(
    store: Store,
    parts: list[_SheetForm],
    enterprise_id: str,
    districts: list[District],
    *,
    strict: bool = True,
) -> None:
    """Tables without 对标单位 become the given enterprise's (its name, code and district
    as registered are put in as the header); a sheet naming another one is a problem."""
    current = store.get_enterprise(enterprise_id)
    code = current.uscc or current.org_code or current.reg_no or ""
    district = current.district_name or next(
        (d.name for d in districts if d.id == current.district_id), ""
    )
    previous: _SheetForm | None = None
    for part in parts:
        row, col = part.header.row_index, 0
        if _identity(part) is None:
            if previous is not None and _continues(previous, part):
                previous = part
                continue
            part.labels["name"] = _Label("name", "对标单位", current.name, row, col)
            if code:
                part.labels["credit_code"] = _Label(
                    "credit_code", "统一社会信用代码", code, row, col
                )
            if district and "district" not in part.labels:
                part.labels["district"] = _Label("district", "辖市区", district, row, col)
            part.warnings.append(f"没有对标单位，按指定的企业「{current.name}」导入")
        else:
            written = part.labels.get("name")
            written_code = part.labels.get("credit_code")
            same_name = written is not None and name_key(clean(written.value)) == name_key(
                current.name
            )
            same_code = (
                written_code is not None
                and code
                and (
                    "".join(fold_width(written_code.value).split()).upper().replace("-", "")
                    == code.replace("-", "")
                )
            )
            if not (same_name or same_code) and not strict:
                label = written or written_code
                assert label is not None
                part.warnings.append(
                    f"表头写的是「{_short(label.value)}」，按表头导入（不是打开导入时的企业"
                    f"「{current.name}」）"
                )
            elif not (same_name or same_code):
                label = written or written_code
                assert label is not None
                part.owner_problems.append(
                    Problem(
                        part.sheet.name,
                        label.row + 1,
                        column_letter(label.col),
                        label.title,
                        f"表头写的是「{_short(label.value)}」，不是指定的企业「{current.name}」",
                    )
                )
        previous = part


class _FilledOn(TypedDict, total=False):
    """PlannedForm's 填报日期 fields, typed so they can be passed as keywords."""

    filled_on_text: str
    filled_on: str | None


def _filled_on(form: _Form) -> _FilledOn:
    """填报日期 of the foot: the text as written, and the date when it names one."""
    text = form.value("filled_on")
    if not text:
        return {}
    serial = excel_serial_date(text)
    stamp = _DATETIME.match(text)
    readable = serial or (stamp.group(1) if stamp else text)
    try:
        day = parse_due_date(readable, "填报日期")
    except ValueError:
        day = None
    return {"filled_on_text": text, "filled_on": day.isoformat() if day else None}


def plan_form_import(
    store: Store,
    path: Path | str,
    *,
    mode: Mode = "update",
    sheets: Sequence[SheetData] | None = None,
    progress: Progress | None = None,
    enterprise_id: str | None = None,
    enterprise_strict: bool = True,
) -> FormImportPlan:
    """Read the filled 情况表 at ``path`` and decide what importing it would do.

    ``enterprise_id``: the officer says whose form it is (``--enterprise``, or F7 from an
    enterprise's page): a table without 对标单位 is that enterprise's; a sheet naming another
    enterprise is refused (``enterprise_strict``, the CLI) or imported as named, with a 提示
    (F7 from a page: the officer may have opened the import anywhere).

    Raises ``UnreadableFile`` for a file that cannot be read and ``MissingColumns`` when no
    sheet holds a 情况表 table (naming the columns that are needed). Writes nothing.
    """
    path = Path(path)
    every = list(sheets) if sheets is not None else read_sheets(path)
    visible = [s for s in every if not s.hidden] or every
    parts: list[_SheetForm] = []
    ignored: list[str] = []
    broken: list[Problem] = []
    first_error: MissingColumns | None = None
    for sheet in visible:
        if not any(any(c.strip() for c in r) for r in sheet.rows):
            continue
        try:
            part = _read_form_sheet(sheet)
        except MissingColumns as error:  # it has 对标单位, but not the table's columns
            first_error = first_error or error
            at = re.search(r"第 (\d+) 行", error.message)
            broken.append(
                Problem(sheet.name, int(at.group(1)) if at else 1, None, "", error.message)
            )
            continue
        if part is None:
            ignored.append(sheet.name)
        else:
            parts.append(part)
    if not parts:
        if first_error is not None:
            raise MissingColumns(f"{path.name}：{first_error.message}")
        raise MissingColumns(
            f"{path.name}：找不到情况表（需要有「项目」「指标内容」等列标题的表格）"
        )

    campaign = store.active_campaign()
    districts = store.districts()
    known = {d.id for d in districts}
    register = _Register(store)
    library = _Library(store)
    if enterprise_id is not None:
        _assign_enterprise(store, parts, enterprise_id, districts, strict=enterprise_strict)
    forms = _group_forms(parts)
    for form in forms:
        form.problems.extend(p for part in form.parts for p in part.owner_problems)
    total = sum(len(p.rows) for p in parts)
    done = 0
    planned_forms: list[PlannedForm] = []
    sheet_problems = [*broken, *(p for part in parts for p in part.problems)]
    titles_of = {
        part.sheet.name: tuple(
            part.header.titles.get(col, "")
            for col in range(max(part.header.titles, default=-1) + 1)
        )
        for part in parts
    }
    seen_enterprises: dict[str, str] = {}
    for form in forms:
        for part in form.parts:
            for table_row in part.rows:
                row = _FileRow(part, table_row.index, table_row.cells)
                _validate_row(row, library)
                form.rows.append(row)
                done += 1
                if progress is not None and done % 100 == 0:
                    progress(done, total)
        _check_duplicates(form.rows)
        action, data, enterprise_id, version, changes, warnings = _plan_enterprise(
            store, form, register, districts, known, mode
        )
        if enterprise_id is not None and action != "refused":
            other = seen_enterprises.get(enterprise_id)
            if other is not None:
                form.problem_at("name", f"与工作表「{other}」是同一家已登记企业，文件中重复")
                action = "refused"
            else:
                seen_enterprises[enterprise_id] = form.first.sheet.name
        items, kept = _plan_items(
            store,
            form.rows,
            enterprise_id if action != "refused" else None,
            campaign.id,
            titles_of,
        )
        if action == "refused":
            items = [
                dataclasses.replace(i, action="refused", item_id=None, changes=()) for i in items
            ]
            kept = 0
        sheet_warnings = [f"工作表「{p.sheet.name}」 {w}" for p in form.parts for w in p.warnings]
        if len(form.parts) > 1:
            names = "、".join(f"「{p.sheet.name}」" for p in form.parts[1:])
            sheet_warnings.append(
                f"工作表{names}没有对标单位，按「{form.first.sheet.name}」的续表导入"
            )
        planned_forms.append(
            PlannedForm(
                sheets=tuple(p.sheet.name for p in form.parts),
                name=form.value("name"),
                action=action,
                data=data,
                enterprise_id=enterprise_id,
                version=version,
                changes=changes,
                problems=tuple(form.problems),
                items=tuple(items),
                kept=kept,
                warnings=tuple(
                    [*(f"工作表「{form.first.sheet.name}」 {w}" for w in warnings), *sheet_warnings]
                ),
                **_filled_on(form),
            )
        )
    if progress is not None:
        progress(total, total)
    return FormImportPlan(
        path,
        mode,
        campaign.id,
        campaign.name,
        tuple(planned_forms),
        tuple(ignored),
        tuple(sheet_problems),
    )


# -- writing -----------------------------------------------------------------------------


def _write_error_workbook(plan: FormImportPlan) -> Path:
    """The refused rows as read, one sheet per input sheet, the reason in a last column;
    a refused header line (the enterprise) is listed with its reason too."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from duibiao_tui.excel.atomic import save_workbook
    from duibiao_tui.excel.form_export import unique_sheet_title
    from duibiao_tui.excel.safe_text import TextCleaner, put_text

    cleaner = TextCleaner()
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the blank sheet a new workbook starts with
    used: set[str] = set()
    by_sheet: dict[str, list[tuple[int, tuple[str, ...], str, tuple[str, ...]]]] = {}
    for problem in plan.sheet_problems:
        by_sheet.setdefault(problem.sheet, []).append((problem.row, (), str(problem), ()))
    for form in plan.forms:
        form_reason = "；".join(str(p) for p in form.problems)
        if form.action == "refused" and not form.items:
            for problem in form.problems:
                by_sheet.setdefault(problem.sheet, []).append((problem.row, (), str(problem), ()))
        for item in form.items:
            if item.action != "refused":
                continue
            reasons = [str(p) for p in item.problems]
            if form.action == "refused" and form_reason:
                reasons.append(f"本表的对标单位有问题：{form_reason}")
            by_sheet.setdefault(item.sheet, []).append(
                (item.row, item.cells, "；".join(reasons), item.titles)
            )
    for sheet, entries in by_sheet.items():
        ws = workbook.create_sheet(unique_sheet_title(sheet, used))
        titles = next((t for *_, t in entries if t), ())
        width = max([len(titles), *(len(cells) for _, cells, _, _ in entries)], default=0)
        heading = ["原行号", *(titles[c] if c < len(titles) else "" for c in range(width))]
        for col, value in enumerate([*heading, REASON_HEADER], start=1):
            cell = ws.cell(row=1, column=col)
            put_text(cell, value, cleaner)
            cell.font = Font(bold=True)
        for out_row, (number, cells, reason, _) in enumerate(entries, start=2):
            ws.cell(row=out_row, column=1, value=number)
            for col, value in enumerate(cells, start=2):
                put_text(ws.cell(row=out_row, column=col), value, cleaner)
            put_text(ws.cell(row=out_row, column=width + 2), reason, cleaner)
        ws.freeze_panes = "B2"
    if not workbook.worksheets:
        workbook.create_sheet("错误")
    return save_workbook(workbook, error_workbook_path(plan.path), private=True)


def apply_form_import(
    store: Store,
    plan: FormImportPlan,
    *,
    valid_only: bool = False,
    progress: Progress | None = None,
    backup_keep: int | None = None,
) -> FormImportResult:
    """Write ``plan`` in ONE transaction, after a backup of the database.

    All or nothing unless ``valid_only``: any refused row raises ``ImportRefused`` and
    nothing is written. With ``valid_only`` the good forms and rows are written and the
    refused rows copied to an error workbook beside the file. If the database changed since
    the preview so that the plan no longer fits (a row edited, an enterprise registered or
    removed, the active campaign switched), everything is rolled back (``ImportRefused``).
    """
    if plan.refused and not valid_only:
        raise ImportRefused(
            f"{plan.path.name}：{plan.refused} 处有问题，没有导入任何数据（{plan.summary()}）",
            plan.problems,
            plan.path,
        )
    forms = [f for f in plan.forms if f.action != "refused"]
    total = plan.writes
    backup = backup_before_import(store, backup_keep) if total else None
    error_file = _write_error_workbook(plan) if plan.refused else None
    added = updated = rows_added = rows_updated = 0
    try:
        if total:
            with store.write():
                if store.active_campaign().id != plan.campaign_id:
                    raise _changed(plan, "当前活动已切换")
                done = 0
                benchmarks: dict[str, str] = {}
                for form in forms:
                    enterprise_id = _write_enterprise(store, plan, form)
                    if form.action == "new":
                        added += 1
                        done += 1
                    elif form.action == "update":
                        updated += 1
                        done += 1
                    if form.filled_on_text:
                        store.record_filled_on(
                            enterprise_id, plan.campaign_id, form.filled_on_text, form.filled_on
                        )
                    _place_items(store, plan, form)
                    for item in form.items:
                        if item.action == "new":
                            assert item.data is not None
                            data = _with_benchmark(store, item, benchmarks)
                            store.add_item(
                                enterprise_id, data, plan.campaign_id, seq=item.seq_number
                            )
                            rows_added += 1
                        elif item.action == "update":
                            _update_item(store, plan, item)
                            rows_updated += 1
                        else:
                            continue
                        done += 1
                        if progress is not None and (done % 20 == 0 or done == total):
                            progress(done, total)
    except BaseException:
        if error_file is not None:
            error_file.unlink(missing_ok=True)
        raise
    return FormImportResult(
        enterprises_added=added,
        enterprises_updated=updated,
        rows_added=rows_added,
        rows_updated=rows_updated,
        rows_unchanged=sum(f.count("unchanged") for f in forms),
        refused=plan.refused,
        error_file=error_file,
        backup=backup,
    )


def _changed(plan: FormImportPlan, what: str) -> ImportRefused:
    return ImportRefused(
        f"{plan.path.name}：预览之后数据库已有变化（{what}），没有导入任何数据；请重新预览",
        [],
        plan.path,
    )


def _write_enterprise(store: Store, plan: FormImportPlan, form: PlannedForm) -> str:
    try:
        if form.action == "new":
            assert form.data is not None
            return store.add_enterprise(form.data).id
        assert form.enterprise_id is not None
        current = store.get_enterprise(form.enterprise_id)
        if current.deleted_at is not None or current.version != form.version:
            raise _changed(plan, f"企业「{form.name}」已被修改或删除")
        if form.action == "update":
            assert form.data is not None
            store.update_enterprise(form.enterprise_id, form.data)
        return form.enterprise_id
    except (ValidationFailed, DuplicateError, NotFoundError) as error:
        raise _changed(plan, f"企业「{form.name}」：{error.message}") from error


def _with_benchmark(store: Store, item: PlannedItem, added: dict[str, str]) -> ItemInput:
    """The row linked to its benchmark's library entry, added when the library lacks it
    (name and address from the two-level heading; one entry however many rows name it)."""
    assert item.data is not None
    if item.new_benchmark is None:
        return item.data
    name, address = item.new_benchmark
    key = _text_key(f"{name}/{address}")
    if key not in added:
        try:
            added[key] = store.add_benchmark(name, address).id
        except (ValidationFailed, DuplicateError):
            existing = _Library(store).find_exact(f"{name}/{address}")
            if existing is None:  # too long for the library, say: the row keeps the text
                return item.data
            added[key] = existing
    return dataclasses.replace(item.data, benchmark_id=added[key], benchmark_text="")


def _place_items(store: Store, plan: FormImportPlan, form: PlannedForm) -> None:
    """Updated rows take the form's 序号 first, so the new rows find their numbers free."""
    seqs = {
        item.item_id: item.seq_number
        for item in form.items
        if item.action == "update" and item.item_id is not None and item.seq_number is not None
    }
    if not seqs:
        return
    try:
        store.place_items(seqs)
    except NotFoundError as error:
        raise _changed(plan, f"企业「{form.name}」的对标行已被删除") from error


def _update_item(store: Store, plan: FormImportPlan, item: PlannedItem) -> None:
    assert item.item_id is not None and item.data is not None
    try:
        current = store.get_item(item.item_id)
        if current.version != item.version:
            raise _changed(plan, f"工作表「{item.sheet}」第{item.row}行对应的对标行已被修改")
        store.update_item(item.item_id, item.data)
    except (ValidationFailed, NotFoundError) as error:
        raise _changed(plan, f"工作表「{item.sheet}」第{item.row}行：{error.message}") from error
