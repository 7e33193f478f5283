"""Find the header row of a sheet and map its cells to our fields, as people really write them.

Lists arrive from districts, enterprises and other offices: the header may sit under a
title and a blank line, be typed on a Chinese IME (full-width letters, brackets, spaces),
carry notes ("统一社会信用代码（18位）", "名牌(是/否)") or a required-field star, and use
any of the usual names for a column. All of that is folded away before comparing, so only
a column nobody could recognise is left unmapped, and a missing required one is named.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from duibiao_tui.errors import DuibiaoError

__all__ = [
    "ENTERPRISE_FIELDS",
    "HEADER_SCAN_ROWS",
    "FieldSpec",
    "HeaderMap",
    "MissingColumns",
    "column_letter",
    "find_header",
    "header_key",
]

HEADER_SCAN_ROWS = 20
"""The header is looked for in this many rows from the top of the sheet."""


@dataclass(frozen=True)
class FieldSpec:
    """One field an import understands: its key, the name messages use, and its synonyms."""

    key: str
    label: str
    synonyms: tuple[str, ...]
    required: bool = False


ENTERPRISE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "name",
        "企业名称",
        ("企业名称", "单位名称", "对标单位", "企业", "企业全称", "单位全称", "公司名称", "名称"),
        required=True,
    ),
    FieldSpec(
        "uscc",
        "统一社会信用代码",
        ("统一社会信用代码", "信用代码", "社会信用代码", "统一信用代码", "统一代码", "uscc"),
    ),
    FieldSpec("org_code", "组织机构代码", ("组织机构代码", "机构代码", "组织代码")),
    FieldSpec("reg_no", "注册号", ("注册号", "工商注册号", "营业执照注册号", "营业执照号")),
    FieldSpec(
        "district",
        "辖市区",
        (
            "辖市区",
            "所属区域",
            "地区",
            "辖区",
            "所在辖区",
            "所属辖区",
            "所在地区",
            "区域",
            "所属辖市区",
            "所在辖市区",
            "辖市(区)",
            "辖市、区",
            "市区",
            "县市区",
            "所属县市区",
            "所在县市区",
            "区县",
            "县区",
            "所在区县",
            "所属区县",
            "区/县",
            "县(市、区)",
            "县(市、区)名称",
            "所在县(市、区)",
            "所属县(市、区)",
        ),
    ),
    FieldSpec(
        "address",
        "地址",
        ("地址", "单位地址", "通讯地址", "企业地址", "详细地址", "联系地址", "注册地址"),
    ),
    FieldSpec("industry", "所在行业", ("所在行业", "行业", "所属行业", "行业类别", "行业名称")),
    FieldSpec(
        "industry_code",
        "行业代码",
        ("行业代码", "行业大类", "行业大类代码", "行业分类代码", "国民经济行业代码"),
    ),
    FieldSpec("main_products", "主导产品", ("主导产品", "主要产品", "主营产品", "产品")),
    FieldSpec("contact_name", "联系人", ("联系人", "单位填报人", "填报人", "联系人姓名")),
    FieldSpec(
        "phone",
        "联系电话",
        ("联系电话", "电话", "手机", "手机号码", "联系方式", "电话号码", "办公电话"),
    ),
    FieldSpec("famous_brand", "名牌", ("名牌", "名牌企业", "是否名牌", "是否名牌企业")),
    FieldSpec("quality_award", "质量奖", ("质量奖", "质量奖企业", "是否质量奖", "是否质量奖企业")),
    FieldSpec("award_name", "奖项名称", ("奖项名称", "获奖名称", "奖项", "质量奖名称")),
    FieldSpec("award_year", "获奖年份", ("获奖年份", "获奖年度", "获奖时间", "质量奖年份")),
    FieldSpec("notes", "备注", ("备注", "说明")),
)
"""Columns of an enterprise list, in the order the error workbook and messages use."""

IGNORED_HEADERS = frozenset({"序号", "编号", "no", "no.", "#"})
"""Recognised as header cells (they help find the header row) but not imported."""

_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|<[^<>]*>|《[^《》]*》")
_MARKS = str.maketrans(dict.fromkeys("*※★☆:：", None))


def header_key(text: str) -> str:
    """Compare form of a header cell: width folded (NFKC: full-width letters, brackets and
    spaces become ASCII), no whitespace, no required-field stars or trailing colon, any case."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(folded.split()).translate(_MARKS).casefold()


def _lookup(fields: Sequence[FieldSpec]) -> dict[str, FieldSpec]:
    return {header_key(s): spec for spec in fields for s in (spec.label, *spec.synonyms)}


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as the spreadsheet shows it."""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class MissingColumns(DuibiaoError):
    """The sheet has no header row we recognise, or it lacks a required column."""

    title = "缺少必需的列"


@dataclass(frozen=True)
class HeaderMap:
    """Where the header is and which column holds which field (0-based indexes)."""

    sheet: str
    row_index: int
    columns: dict[str, int]
    titles: dict[int, str]
    """The header text of every non-empty header cell, by column."""
    unknown: tuple[str, ...] = field(default=())
    """Header cells matching no field (shown in the preview so nothing is lost silently)."""

    @property
    def row_number(self) -> int:
        return self.row_index + 1

    def title_of(self, key: str) -> str:
        return " ".join(self.titles.get(self.columns[key], "").split())


def _match(cell: str, table: dict[str, FieldSpec]) -> FieldSpec | None:
    key = header_key(cell)
    if not key:
        return None
    found = table.get(key)
    if found is None:
        bare = _BRACKETED.sub("", key)  # "统一社会信用代码(18位)", "名牌(是/否)"
        found = table.get(bare) if bare and bare != key else None
    return found


def _synonyms(spec: FieldSpec) -> str:
    others = [s for s in spec.synonyms if s != spec.label and s.isascii() is False][:4]
    return f"「{spec.label}」列" + (f"（也可写作 {'、'.join(others)}）" if others else "")


def find_header(
    rows: Sequence[Sequence[str]],
    sheet: str,
    fields: Sequence[FieldSpec] = ENTERPRISE_FIELDS,
    *,
    scan_rows: int = HEADER_SCAN_ROWS,
) -> HeaderMap:
    """The header row among the first ``scan_rows`` rows: the one naming the most fields.

    Raises ``MissingColumns`` naming the sheet and every required column that is absent.
    """
    table = _lookup(fields)
    best: tuple[int, dict[str, int]] | None = None
    for index, row in enumerate(rows[:scan_rows]):
        found: dict[str, int] = {}
        for col, cell in enumerate(row):
            spec = _match(cell, table)
            if spec is not None:
                found.setdefault(spec.key, col)  # two 电话 columns: the first one counts
        if found and (best is None or len(found) > len(best[1])):
            best = (index, found)
    required = [spec for spec in fields if spec.required]
    if best is None:
        need = "；".join(_synonyms(spec) for spec in required)
        raise MissingColumns(f"工作表「{sheet}」：前 {scan_rows} 行中找不到表头，需要{need}")
    index, columns = best
    missing = [spec for spec in required if spec.key not in columns]
    if missing:
        need = "；".join(_synonyms(spec) for spec in missing)
        raise MissingColumns(f"工作表「{sheet}」第 {index + 1} 行的表头缺少{need}")
    header = rows[index]
    titles = {col: cell for col, cell in enumerate(header) if cell.strip()}
    mapped = set(columns.values())
    unknown = tuple(
        " ".join(cell.split())
        for col, cell in titles.items()
        if col not in mapped and header_key(cell) not in IGNORED_HEADERS
    )
    return HeaderMap(sheet, index, columns, titles, unknown)
