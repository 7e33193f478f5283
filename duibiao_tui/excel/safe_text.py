"""Every text we put in a spreadsheet goes through here, so no cell turns into a formula,
no character breaks the file, and nothing is cut without the officer being told.

Formula-looking text (``=`` ``+`` ``-`` ``@``, a tab or a carriage return at the start, or the
full-width ``＝ ＋ － ＠``) is written as a *string cell with the quote-prefix style*
(``quotePrefix="1"``), not with an apostrophe added to the text:

- the cell type is text (``t="inlineStr"``), so neither Excel nor LibreOffice evaluates it
  when the file is opened;
- ``quotePrefix`` is what Excel itself stores when someone types ``'=1+1``: the cell shows
  ``=1+1`` and stays text when it is edited and confirmed again (F2, Enter); LibreOffice
  Calc reads the attribute the same way;
- the text is unchanged, so a measure written as ``- 加强进货检验`` or a phone written as
  ``+86 511 …`` prints as it was typed and reads back identically (round trip).

CSV has no cell types, so ``csv_safe`` adds the apostrophe there (the OWASP advice for CSV).

Characters Excel cannot store (C0 controls other than tab/LF/CR, lone surrogates,
U+FFFE/U+FFFF) are dropped and counted; the export reports the count. A text longer than
Excel's 32,767-character cell limit is refused with ``CellTooLong`` naming where it is:
cutting it would lose part of an enterprise's plan without anyone noticing, and splitting
it over several cells would break the form's layout and the round trip, so the officer
shortens it in the app instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from duibiao_tui.errors import DuibiaoError

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

__all__ = [
    "EXCEL_CELL_MAX",
    "FORMULA_STARTS",
    "CellTooLong",
    "TextCleaner",
    "csv_safe",
    "excel_length",
    "looks_like_formula",
    "put_text",
    "strip_illegal",
]

EXCEL_CELL_MAX = 32_767
"""Excel's limit for one cell, counted in UTF-16 code units (what Excel stores)."""

FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")
"""First characters a spreadsheet may read as the start of a formula (or DDE payload)."""

# openpyxl's ILLEGAL_CHARACTERS_RE (C0 controls except tab, LF, CR), plus what XML 1.0
# cannot carry at all: lone surrogates and the non-characters U+FFFE, U+FFFF.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class CellTooLong(DuibiaoError):
    """A text is longer than a spreadsheet cell can hold; nothing was written."""

    title = "内容过长"

    def __init__(self, where: str, length: int) -> None:
        place = f"{where}：" if where else ""
        super().__init__(
            f"{place}内容有 {length} 个字符，超过 Excel 单元格上限 {EXCEL_CELL_MAX} 个；"
            "请先在程序中精简后再导出"
        )
        self.where = where
        self.length = length


def looks_like_formula(text: str) -> bool:
    return bool(text) and text[0] in FORMULA_STARTS


def excel_length(text: str) -> int:
    """Length as Excel counts it: characters outside the BMP take two units."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def strip_illegal(text: str) -> tuple[str, int]:
    """``text`` without the characters a workbook cannot hold, and how many were dropped."""
    cleaned, count = _ILLEGAL.subn("", text)
    return cleaned, count


@dataclass
class TextCleaner:
    """Cleans cell texts for one export and remembers what it dropped, and where.

    One instance per export, so the result can say "已删除 3 个无法保存的字符（…）".
    """

    dropped: int = 0
    places: list[str] = field(default_factory=list)
    """Where characters were dropped (``where`` of each call that dropped any)."""

    def __call__(self, value: Any, where: str = "") -> str:
        text = "" if value is None else str(value)
        text, count = strip_illegal(text)
        if count:
            self.dropped += count
            if where and where not in self.places:
                self.places.append(where)
        length = excel_length(text)
        if length > EXCEL_CELL_MAX:
            raise CellTooLong(where, length)
        return text

    @property
    def report(self) -> str:
        """One line for the officer, or "" when nothing was dropped."""
        if not self.dropped:
            return ""
        shown = "、".join(self.places[:5]) + (" 等" if len(self.places) > 5 else "")
        where = f"（{shown}）" if shown else ""
        return f"已删除 {self.dropped} 个 Excel 无法保存的控制字符{where}"


def put_text(cell: Cell, value: Any, cleaner: TextCleaner, where: str = "") -> None:
    """Write ``value`` into ``cell`` as text that no spreadsheet will evaluate.

    Works for normal and write-only cells (``WriteOnlyCell``) alike.
    """
    text = cleaner(value, where)
    cell.value = text
    cell.data_type = "s"  # openpyxl makes any "=…" a formula; this one is text
    if looks_like_formula(text):
        cell.quotePrefix = True


def csv_safe(text: str) -> str:
    """A CSV field that a spreadsheet opening the file shows as text (apostrophe prefix)."""
    return f"'{text}" if looks_like_formula(text) else text
