"""Import an enterprise list (.xlsx, .xls, .ods, .csv): plan first, then write in one go.

``plan_enterprise_import`` reads the file, finds each sheet's header, turns every row into
an ``EnterpriseInput``, checks it with the same rules as the form, and decides per row:
new, update, unchanged, skip (already registered, left as it is) or refused, with every
refusal located as ``第5行 统一社会信用代码 (C5): 校验位应为 L``. Nothing is written.

``apply_enterprise_import`` then takes a backup of the database (``backups/``, reason
导入前) and writes the plan in ONE store transaction: all or nothing by default (any refused row → nothing written, ``ImportRefused``), or the valid rows only,
with the refused ones copied to ``exports/<name>-错误.xlsx`` (0600) and the reason in an
extra column.

An enterprise already registered is recognised by its credit code (统一社会信用代码, or
the 组织机构代码 inside it, which links 2009-era records), or by its name in the same
district, and is updated or skipped, never registered twice. An update only overwrites
what the file says: a blank cell or a missing column keeps the registered value.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from duibiao_tui.domain import industry
from duibiao_tui.domain.enterprise_rules import CleanEnterprise, validate_enterprise
from duibiao_tui.domain.listing import District
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.domain.text import clean, fold_width, name_key
from duibiao_tui.errors import (
    DuibiaoError,
    DuplicateError,
    FieldError,
    NotFoundError,
    ValidationFailed,
)
from duibiao_tui.excel.headers import (
    HeaderMap,
    MissingColumns,
    column_letter,
    find_header,
    header_key,
)
from duibiao_tui.excel.lookup import ExistingEnterprise, existing_enterprises, match_district
from duibiao_tui.excel.readers import SheetData, read_sheets

if TYPE_CHECKING:
    from duibiao_tui.store.store import Store

__all__ = [
    "ImportPlan",
    "ImportRefused",
    "ImportResult",
    "Mode",
    "PlannedRow",
    "Problem",
    "apply_enterprise_import",
    "backup_before_import",
    "changed_enterprise_fields",
    "comparable_enterprise",
    "error_workbook_path",
    "plan_enterprise_import",
]

Mode = Literal["update", "skip"]
Action = Literal["new", "update", "unchanged", "skip", "refused"]
Progress = Callable[[int, int], None]

ERROR_SUFFIX = "-错误"
REASON_HEADER = "错误原因"

_YES = frozenset({"是", "√", "✓", "✔", "y", "yes", "true", "1", "有", "○", "●"})
_NO = frozenset({"否", "×", "✗", "✘", "n", "no", "false", "0", "无", "不是", "-", "—", "/"})
_YEAR = re.compile(r"^(\d{4})(?:年|[-/.]\d{1,2}(?:[-/.]\d{1,2})?(?: .*)?)?$")

# Which columns a FieldError of the rules (by its field name) points at, in preference order.
_FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "名称": ("name",),
    "辖市区": ("district",),
    "行业门类": ("industry_code", "industry"),
    "行业大类": ("industry_code", "industry"),
    "电话": ("phone",),
    "获奖年份": ("award_year",),
    "质量奖企业": ("quality_award", "award_name", "award_year"),
    "名牌企业": ("famous_brand",),
}
_FIELD_LABELS = {
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


@dataclass(frozen=True)
class PlannedRow:
    sheet: str
    row: int
    action: Action
    name: str
    data: EnterpriseInput | None
    """What will be written (for an update: the registered values with the file's on top)."""
    enterprise_id: str | None = None
    """The registered enterprise this row is (update, unchanged, skip)."""
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()
    """Fields an update changes (or would change, when skipped)."""
    cells: tuple[str, ...] = ()
    """The row as read, for the error workbook."""


@dataclass(frozen=True)
class ImportPlan:
    """The preview: what an import would do, row by row. Nothing is written to make it."""

    path: Path
    mode: Mode
    headers: tuple[HeaderMap, ...]
    rows: tuple[PlannedRow, ...]
    notes: tuple[str, ...] = ()
    """Rows skipped (合计, hidden), formulas without results, look-alike columns not mapped."""

    @property
    def warnings(self) -> list[str]:
        """Every 提示 of the preview (F7 lists them after the problems): columns not
        imported, the notes, then the rows' own warnings, each naming its sheet and row."""
        return [
            *(
                f"工作表「{h.sheet}」 未识别的列（不导入）：{'、'.join(h.unknown)}"
                for h in self.headers
                if h.unknown
            ),
            *self.notes,
            *(f"工作表「{r.sheet}」 第{r.row}行：{w}" for r in self.rows for w in r.warnings),
        ]

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def new(self) -> int:
        return self.count("new")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def skipped(self) -> int:
        return self.count("skip")

    @property
    def refused(self) -> int:
        return self.count("refused")

    @property
    def problems(self) -> list[Problem]:
        return [p for row in self.rows for p in row.problems]

    @property
    def to_write(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action in ("new", "update")]

    def summary(self) -> str:
        """新增 3 家，更新 1 家，无变化 2 家，已存在跳过 0 家，有问题 1 行."""
        return (
            f"新增 {self.new} 家，更新 {self.updated} 家，无变化 {self.unchanged} 家，"
            f"已存在跳过 {self.skipped} 家，有问题 {self.refused} 行"
        )


class ImportRefused(DuibiaoError):
    """The file has refused rows (or the register changed since the preview): nothing written."""

    title = "未导入"

    def __init__(self, message: str, problems: Sequence[Problem] = (), path: Path | None = None):
        super().__init__(message)
        self.problems = list(problems)
        self.path = path


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int
    skipped: int
    refused: int
    error_file: Path | None = None
    """Where the refused rows were written (valid-only imports with refusals)."""
    backup: Path | None = None
    """The copy of the database taken before writing (None when nothing was written)."""

    def summary(self) -> str:
        text = f"新增 {self.added} 家，更新 {self.updated} 家，无变化 {self.unchanged} 家"
        if self.skipped:
            text += f"，已登记未更新 {self.skipped} 家"
        if self.refused:
            text += f"，未导入有问题的 {self.refused} 行"
        return text


# -- reading rows -----------------------------------------------------------------------


def _yes_no(text: str, word: str) -> bool | None:
    """是/否 in the ways lists write it; a cell naming the honour ("江苏省名牌产品") is yes."""
    key = fold_width(text).strip().casefold()
    if key in _YES:
        return True
    if key in _NO:
        return False
    if word in text:
        return True
    return None


def _award_year(text: str) -> str:
    """'2008', '2008年', '2008-05-01' (a date cell) → '2008'; anything else as typed."""
    found = _YEAR.match(fold_width(text).strip())
    return found.group(1) if found else text


@dataclass
class _Row:
    """One data row being turned into an input, collecting problems as it goes."""

    header: HeaderMap
    number: int
    cells: list[str]
    problems: list[Problem] = field(default_factory=list)
    code_key: str | None = None
    """Which column gave the credit code (uscc, org_code or reg_no)."""

    def raw(self, key: str) -> str:
        col = self.header.columns.get(key)
        if col is None or col >= len(self.cells):
            return ""
        return self.cells[col].strip()

    def get(self, key: str) -> str:
        return clean(self.raw(key))

    def problem(self, keys: Sequence[str], fallback: str, reason: str) -> None:
        for key in keys:
            if key in self.header.columns:
                col = self.header.columns[key]
                title = self.header.title_of(key) or fallback
                self.problems.append(
                    Problem(self.header.sheet, self.number, column_letter(col), title, reason)
                )
                return
        self.problems.append(Problem(self.header.sheet, self.number, None, fallback, reason))

    def field_error(self, error: FieldError | DuplicateError) -> None:
        name = error.field or ""
        if name == "统一社会信用代码":
            keys: tuple[str, ...] = (self.code_key,) if self.code_key else ("uscc",)
        else:
            keys = _FIELD_COLUMNS.get(name, ())
        self.problem(keys, name, error.reason)


def _file_values(row: _Row, districts: list[District]) -> dict[str, object]:
    """The fields this row sets (non-blank cells only), as EnterpriseInput keyword values."""
    values: dict[str, object] = {}
    for key in ("name", "address", "main_products", "contact_name", "phone"):
        text = row.get(key)
        if text:
            values[key] = text
    notes = row.raw("notes")  # multi-line: line breaks kept, as in the form
    if notes:
        values["notes"] = notes
    for key in ("uscc", "org_code", "reg_no"):
        text = row.get(key)
        if text:
            values["credit_code"] = text
            row.code_key = key
            break
    district_text = row.get("district")
    if district_text:
        found = match_district(districts, district_text)
        if found is None:
            names = "、".join(d.name for d in districts)
            row.problem(
                ("district",), "辖市区", f"「{district_text}」不是镇江市的辖市区，应为 {names}"
            )
        else:
            values["district_id"] = found.id
    industry_text = row.get("industry")
    code_text = row.get("industry_code")
    if industry_text:
        values["industry_text"] = industry_text
    section, division = industry.match_industry(code_text or industry_text)
    # Both codes are set together, so an update never pairs a new 大类 with an old 门类.
    if division is not None:
        values["industry_section"] = division.section
        values["industry_division"] = division.code
    elif section is not None:
        values["industry_section"] = section.code
        values["industry_division"] = ""
    elif code_text:
        values["industry_division"] = code_text  # let the rules say what is wrong
    for key, word, label in (("famous_brand", "名牌", "名牌"), ("quality_award", "奖", "质量奖")):
        text = row.get(key)
        if not text:
            continue
        flag = _yes_no(text, word)
        if flag is None:
            row.problem((key,), label, f"「{text}」应为 是 或 否")
        else:
            values[key] = flag
            if key == "quality_award" and flag and text not in _YES and not row.get("award_name"):
                values["award_name"] = text  # "江苏省质量奖" written in the 质量奖 column
    award_name = row.get("award_name")
    if award_name:
        values["award_name"] = award_name
    year = row.get("award_year")
    if year:
        values["award_year"] = _award_year(year)
    if ("award_name" in values or "award_year" in values) and "quality_award" not in values:
        values["quality_award"] = True  # a named award means a 质量奖 enterprise
    return values


_TOTAL_WORDS = frozenset({"合计", "总计", "小计", "共计", "合计:", "总计:"})

_LOOK_ALIKE: tuple[tuple[str, str], ...] = (
    ("辖", "辖市区"),
    ("区县", "辖市区"),
    ("县区", "辖市区"),
    ("信用", "统一社会信用代码"),
    ("机构代码", "组织机构代码"),
    ("注册", "注册号"),
    ("电话", "联系电话"),
    ("手机", "联系电话"),
    ("联系", "联系人"),
    ("名称", "企业名称"),
    ("地址", "地址"),
    ("行业", "所在行业"),
    ("产品", "主导产品"),
)
"""Fragments of a heading that mean the column is probably one we know."""


def look_alike_columns(header: HeaderMap) -> list[str]:
    """Headings matching no field but looking like one (所在辖区 before it was known):
    the officer must see that the column is not imported, or a district is lost."""
    out = []
    for title in header.unknown:
        key = header_key(title)
        for fragment, label in _LOOK_ALIKE:
            if fragment in key:
                out.append(
                    f"列「{title}」看起来是「{label}」，但没有对应上，这一列没有导入；"
                    f"如需导入，请把列名改为「{label}」"
                )
                break
    return out


def _is_total(cells: list[str]) -> bool:
    """A 合计/总计 row: one of those words in one of the first three filled cells."""
    filled = [c for c in cells if c.strip()][:3]
    return any("".join(fold_width(c).split()) in _TOTAL_WORDS for c in filled)


def _is_note(cells: list[str], header: HeaderMap) -> bool:
    """A footnote under the table ("注：…", "说明…") or the header repeated on a new page."""
    filled = [c.strip() for c in cells if c.strip()]
    if not filled:
        return True
    if len(filled) == 1 and filled[0].startswith(("注", "说明", "备注：", "备注:", "填表说明")):
        return True
    header_cells = [header_key(c) for c in header.titles.values()]
    return [header_key(c) for c in filled] == header_cells


# -- planning --------------------------------------------------------------------------


def comparable_enterprise(clean_values: CleanEnterprise) -> dict[str, object]:
    """What decides whether an update changes anything (the stored values, no warnings)."""
    values = dataclasses.asdict(clean_values)
    values.pop("warnings")
    return values


def changed_enterprise_fields(old: EnterpriseInput, new: EnterpriseInput) -> tuple[str, ...]:
    """The fields (Chinese names) ``new`` changes, in the form's order."""
    return tuple(
        _FIELD_LABELS.get(f.name, f.name)
        for f in dataclasses.fields(EnterpriseInput)
        if getattr(old, f.name) != getattr(new, f.name)
    )


_comparable = comparable_enterprise
_changed_labels = changed_enterprise_fields


class _Register:
    """The live enterprises, indexed the ways a row can name one of them."""

    def __init__(self, store: Store) -> None:
        self.store = store
        entries = existing_enterprises(store)
        self.by_code: dict[str, ExistingEnterprise] = {}
        self.by_name: dict[tuple[str, str | None], ExistingEnterprise] = {}
        self.by_name_only: dict[str, list[ExistingEnterprise]] = {}
        for entry in entries:
            for code in (entry.uscc, entry.org_code, entry.reg_no):
                if code:
                    self.by_code.setdefault(code, entry)
            self.by_name[(entry.name_key, entry.district_id)] = entry
            self.by_name_only.setdefault(entry.name_key, []).append(entry)

    def by_codes(self, found: CleanEnterprise) -> ExistingEnterprise | None:
        for code in (found.uscc, found.org_code, found.reg_no):
            if code and code in self.by_code:
                return self.by_code[code]
        return None

    def by_names(self, found: CleanEnterprise, row: _Row) -> ExistingEnterprise | None:
        if found.district_id is not None:
            return self.by_name.get((found.name_key, found.district_id))
        namesakes = self.by_name_only.get(found.name_key, [])
        if len(namesakes) > 1:
            places = "、".join(e.name for e in namesakes[:3])
            row.problem(
                ("district",),
                "辖市区",
                f"已登记的同名企业不止一家（{places}…），请填写辖市区以区分",
            )
            return None
        return namesakes[0] if namesakes else None


def plan_enterprise_import(
    store: Store,
    path: Path | str,
    *,
    mode: Mode = "skip",
    progress: Progress | None = None,
    sheets: Sequence[SheetData] | None = None,
) -> ImportPlan:
    """Read ``path`` and decide what importing it would do; writes nothing.

    ``sheets``: the file already read (``read_sheets``), so a caller that looked at it
    first does not read it twice. Raises ``UnreadableFile`` for a file that cannot be read
    and ``MissingColumns`` when no sheet has a header with the 企业名称 column.
    """
    path = Path(path)
    every_sheet = list(sheets) if sheets is not None else read_sheets(path)
    sheets = [s for s in every_sheet if not s.hidden] or every_sheet
    headers: list[tuple[SheetData, HeaderMap]] = []
    first_error: MissingColumns | None = None
    for sheet in sheets:
        if not any(any(c.strip() for c in r) for r in sheet.rows):
            continue
        try:
            headers.append((sheet, find_header(sheet.rows, sheet.name)))
        except MissingColumns as error:
            first_error = first_error or error
    if not headers:
        assert first_error is not None  # read_sheets refused a file without any data
        raise MissingColumns(f"{path.name}：{first_error.message}")

    notes: list[str] = []
    headers = _lists_only(headers, notes)
    districts = store.districts()
    known = {d.id for d in districts}
    register = _Register(store)
    seen: dict[tuple[str, ...], int] = {}
    planned: list[PlannedRow] = []
    total = sum(len(sheet.rows) - header.row_number for sheet, header in headers)
    done = 0
    for sheet, header in headers:
        notes.extend(f"工作表「{sheet.name}」 {note}" for note in look_alike_columns(header))
        for r, c in sheet.formulas:
            notes.append(
                f"工作表「{sheet.name}」 单元格 {column_letter(c)}{r + 1} 是公式，文件中没有计算结果，"
                "按空白读取（请在 Excel 中打开并保存后再导入）"
            )
        for index in range(header.row_number, len(sheet.rows)):
            done += 1
            cells = sheet.rows[index]
            if _is_note(cells, header):
                continue
            if index in sheet.hidden_rows:
                notes.append(f"工作表「{sheet.name}」 第{index + 1}行是隐藏行，未导入")
                continue
            if _is_total(cells):
                notes.append(f"工作表「{sheet.name}」 第{index + 1}行是合计行，未导入")
                continue
            row = _Row(header, index + 1, cells)
            planned.append(_plan_row(row, districts, known, register, seen, mode))
            if progress is not None and done % 100 == 0:
                progress(done, total)
    if progress is not None:
        progress(total, total)
    return ImportPlan(path, mode, tuple(h for _, h in headers), tuple(planned), tuple(notes))


_NAME_AND_PLACE = frozenset({"name", "district", "notes"})


def _lists_only(
    headers: list[tuple[SheetData, HeaderMap]], notes: list[str]
) -> list[tuple[SheetData, HeaderMap]]:
    """The sheets that list enterprises, without the ones about enterprises an earlier
    sheet lists (a summary's 对标项目, 提升措施跟踪, 推介与推荐 beside its 企业名单).

    Such a sheet names no enterprise the earlier sheets lack, and is no list: one enterprise
    on several of its rows, or no column but 企业名称, 辖市区 and 备注. Importing it would refuse
    every row as a repeat; it is skipped and said. A second list (other enterprises, or the
    same ones with their details) is read as before.
    """
    kept: list[tuple[SheetData, HeaderMap]] = []
    listed: set[str] = set()
    for sheet, header in headers:
        column = header.columns["name"]
        names = [
            name_key(r[column])
            for r in sheet.rows[header.row_number :]
            if column < len(r) and r[column].strip() and not _is_total(r)
        ]
        detail = len(set(names)) < len(names) or set(header.columns) <= _NAME_AND_PLACE
        if kept and names and detail and set(names) <= listed:
            lists = "、".join(f"「{s.name}」" for s, _ in kept)
            notes.append(
                f"工作表「{sheet.name}」 的企业都已在工作表{lists}中，这张表是它们的明细"
                "（不是企业名单），未导入"
            )
            continue
        kept.append((sheet, header))
        listed.update(names)
    return kept


def _refused(row: _Row, name: str) -> PlannedRow:
    return PlannedRow(
        row.header.sheet,
        row.number,
        "refused",
        name,
        None,
        problems=tuple(row.problems),
        cells=tuple(row.cells),
    )


def _plan_row(
    row: _Row,
    districts: list[District],
    known: set[str],
    register: _Register,
    seen: dict[tuple[str, ...], int],
    mode: Mode,
) -> PlannedRow:
    values = _file_values(row, districts)
    name = str(values.get("name", ""))
    data = EnterpriseInput(**values)  # type: ignore[arg-type]
    try:
        found = validate_enterprise(data, known_districts=known)
    except ValidationFailed as failed:
        for error in failed.errors:
            row.field_error(error)
        return _refused(row, name)
    if row.problems:
        return _refused(row, name)

    by_code = register.by_codes(found)
    by_name = register.by_names(found, row)
    if row.problems:
        return _refused(row, name)
    if by_code and by_name and by_code.id != by_name.id:
        row.problem(
            ("name",),
            "名称",
            f"信用代码已登记为「{by_code.name}」，名称却与另一家已登记企业「{by_name.name}」相同",
        )
        return _refused(row, name)
    existing = by_code or by_name

    # The same enterprise twice in the file: by code, by name in a district, or by match.
    district = found.district_id or (existing.district_id if existing else None)
    keys: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
        (("name", found.name_key, district or ""), ("name",)),
    ]
    for code in (found.uscc, found.org_code, found.reg_no):
        if code:
            keys.append((("code", code), (row.code_key or "uscc",)))
    if existing:
        keys.append((("id", existing.id), ("name",)))
    for key, columns in keys:
        if key in seen:
            row.problem(columns, "名称", f"与第{seen[key]}行是同一家企业，文件中重复")
            return _refused(row, name)
    for key, _ in keys:
        seen[key] = row.number

    if existing is None:
        return PlannedRow(
            row.header.sheet,
            row.number,
            "new",
            found.name,
            data,
            warnings=found.warnings,
            cells=tuple(row.cells),
        )

    current = register.store.get_enterprise(existing.id)
    before = current.to_input()
    if current.uscc and not found.uscc and found.org_code == current.org_code:
        values.pop("credit_code", None)  # a 2009 组织机构代码 must not replace the USCC
    merged = dataclasses.replace(before, **values)  # type: ignore[arg-type]
    try:
        after = validate_enterprise(merged, known_districts=known)
    except ValidationFailed as failed:
        for error in failed.errors:
            row.field_error(error)
        return _refused(row, name)
    try:
        old = _comparable(validate_enterprise(before, known_districts=known))
    except ValidationFailed:
        old = {}
    changes = _changed_labels(before, merged)
    if old == _comparable(after):
        action: Action = "unchanged"
        changes = ()
    else:
        action = "update" if mode == "update" else "skip"
    return PlannedRow(
        row.header.sheet,
        row.number,
        action,
        after.name,
        merged,
        enterprise_id=existing.id,
        warnings=after.warnings,
        changes=changes,
        cells=tuple(row.cells),
    )


# -- writing ---------------------------------------------------------------------------


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


def _write_error_workbook(plan: ImportPlan) -> Path:
    """The refused rows as they were read, one sheet per input sheet, reason in a last column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from duibiao_tui.excel.atomic import save_workbook
    from duibiao_tui.excel.form_export import unique_sheet_title
    from duibiao_tui.excel.safe_text import TextCleaner, put_text

    cleaner = TextCleaner()
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the blank sheet a new workbook starts with
    used: set[str] = set()
    for header in plan.headers:
        refused = [r for r in plan.rows if r.action == "refused" and r.sheet == header.sheet]
        if not refused:
            continue
        ws = workbook.create_sheet(unique_sheet_title(header.sheet, used))
        width = max(
            [max(header.titles, default=-1) + 1, *(len(r.cells) for r in refused)], default=0
        )
        titles = [header.titles.get(col, "") for col in range(width)]
        for col, value in enumerate(["原行号", *titles, REASON_HEADER], start=1):
            cell = ws.cell(row=1, column=col)
            put_text(cell, value, cleaner)
            cell.font = Font(bold=True)
        for out_row, planned in enumerate(refused, start=2):
            ws.cell(row=out_row, column=1, value=planned.row)
            for col, value in enumerate(planned.cells, start=2):
                put_text(ws.cell(row=out_row, column=col), value, cleaner)
            reason = "；".join(str(p) for p in planned.problems)
            put_text(ws.cell(row=out_row, column=width + 2), reason, cleaner)
        ws.freeze_panes = "B2"
    target = error_workbook_path(plan.path)
    return save_workbook(workbook, target, private=True)


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


def apply_enterprise_import(
    store: Store,
    plan: ImportPlan,
    *,
    valid_only: bool = False,
    progress: Progress | None = None,
    backup_keep: int | None = None,
) -> ImportResult:
    """Write ``plan`` in one transaction, after a backup of the database.

    All or nothing unless ``valid_only``: any refused row raises ``ImportRefused`` and
    nothing is written. With ``valid_only`` the refused rows go to an error workbook beside
    the input (``ImportResult.error_file``). If the register changed since the plan was
    made so that a row no longer fits, everything is rolled back (``ImportRefused``).
    ``backup_keep``: how many backups to keep (the app's setting; default 10).
    """
    if plan.refused and not valid_only:
        raise ImportRefused(
            f"{plan.path.name}：{plan.refused} 行有问题，没有导入任何数据（{plan.summary()}）",
            plan.problems,
            plan.path,
        )
    rows = plan.to_write
    backup = backup_before_import(store, backup_keep) if rows else None
    error_file = _write_error_workbook(plan) if plan.refused else None
    try:
        if rows:
            with store.write():
                for done, planned in enumerate(rows, start=1):
                    _write_row(store, plan, planned)
                    if progress is not None:
                        progress(done, len(rows))
    except BaseException:
        if error_file is not None:
            error_file.unlink(missing_ok=True)
        raise
    return ImportResult(
        added=plan.new,
        updated=plan.updated,
        unchanged=plan.unchanged,
        skipped=plan.skipped,
        refused=plan.refused,
        error_file=error_file,
        backup=backup,
    )


def _write_row(store: Store, plan: ImportPlan, planned: PlannedRow) -> None:
    assert planned.data is not None
    try:
        if planned.action == "new":
            store.add_enterprise(planned.data)
        else:
            assert planned.enterprise_id is not None
            store.update_enterprise(planned.enterprise_id, planned.data)
    except (ValidationFailed, DuplicateError, NotFoundError) as error:
        problem = Problem(planned.sheet, planned.row, None, "", error.message)
        raise ImportRefused(
            f"{plan.path.name}：预览之后数据库已有变化（{problem}），没有导入任何数据；请重新预览",
            [problem],
            plan.path,
        ) from error
