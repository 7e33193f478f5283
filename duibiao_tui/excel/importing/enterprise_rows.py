"""An enterprise list's rows as EnterpriseInput values, each problem located in the file.

The reading step of ``excel.enterprise_import``: which sheets are lists (not the detail
sheets of a summary), which cells of a row give which field (是/否 and award years in the
ways lists write them), which rows are not enterprises (a note, the header repeated on a
new page) and which headings look like a field but were not mapped, so the officer sees a
column that is not imported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from duibiao_tui.domain import industry
from duibiao_tui.domain.listing import District
from duibiao_tui.domain.text import clean, fold_width, name_key
from duibiao_tui.errors import DuplicateError, FieldError
from duibiao_tui.excel.headers import HeaderMap, column_letter, header_key
from duibiao_tui.excel.importing.shared import Problem, is_total_row
from duibiao_tui.excel.lookup import match_district
from duibiao_tui.excel.readers import SheetData

__all__ = [
    "ListRow",
    "file_values",
    "header_cells",
    "is_note",
    "lists_only",
    "look_alike_columns",
]

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
class ListRow:
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


def file_values(row: ListRow, districts: list[District]) -> dict[str, object]:
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


def header_cells(header: HeaderMap) -> list[str]:
    """The header's cells as ``is_note`` compares them (worked out once per sheet)."""
    return [header_key(c) for c in header.titles.values()]


def is_note(cells: list[str], header: HeaderMap, heading: list[str] | None = None) -> bool:
    """A footnote under the table ("注：…", "说明…") or the header repeated on a new page.
    ``heading``: ``header_cells(header)``, when the caller asks for many rows."""
    filled = [c.strip() for c in cells if c.strip()]
    if not filled:
        return True
    if len(filled) == 1 and filled[0].startswith(("注", "说明", "备注：", "备注:", "填表说明")):
        return True
    if heading is None:
        heading = header_cells(header)
    return len(filled) == len(heading) and [header_key(c) for c in filled] == heading


_NAME_AND_PLACE = frozenset({"name", "district", "notes"})


def lists_only(
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
            if column < len(r) and r[column].strip() and not is_total_row(r)
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
