"""Cell text safety: formula-looking text stays text, bad characters go, long text is refused."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from duibiao_tui.excel.safe_text import (
    EXCEL_CELL_MAX,
    CellTooLong,
    TextCleaner,
    csv_safe,
    excel_length,
    looks_like_formula,
    put_text,
    strip_illegal,
)

FORMULAS = [
    "=1+1",
    "+86 511 8501 2345",
    "-加强进货检验",
    "@SUM(A1)",
    "\t=cmd",
    "\r=cmd",
    "＝1+1",
    "＋1",
    "－1",
    "＠x",
    '=HYPERLINK("http://x","点我")',
]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_looking_text_is_recognised(text: str) -> None:
    assert looks_like_formula(text)


@pytest.mark.parametrize("text", ["设备", "2010年底", "1=1", " =1", ""])
def test_plain_text_is_not_a_formula(text: str) -> None:
    assert not looks_like_formula(text)


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_text_is_stored_as_text_with_quote_prefix(tmp_path: Path, text: str) -> None:
    workbook = openpyxl.Workbook()
    cell = workbook.active["A1"]
    put_text(cell, text, TextCleaner())
    path = tmp_path / "f.xlsx"
    workbook.save(path)
    back = openpyxl.load_workbook(path).active["A1"]
    assert back.data_type == "s"
    # Unchanged, no apostrophe added (an XML parser reads a bare CR back as LF).
    assert back.value == text.replace("\r", "\n")
    assert back.quotePrefix is True


def test_plain_text_gets_no_quote_prefix() -> None:
    cell = openpyxl.Workbook().active["A1"]
    put_text(cell, "设备科", TextCleaner())
    assert cell.data_type == "s"
    assert not cell.quotePrefix


def test_illegal_characters_are_dropped_and_counted() -> None:
    cleaner = TextCleaner()
    assert cleaner("合格\x07率\x00", "甲 备注") == "合格率"
    assert cleaner("a\ud800b\ufffe", "乙 地址") == "ab"
    assert cleaner("tab\tand\nnewline\r", "丙") == "tab\tand\nnewline\r"  # legal in cells
    assert cleaner.dropped == 4
    assert cleaner.places == ["甲 备注", "乙 地址"]
    assert "4 个" in cleaner.report and "甲 备注" in cleaner.report


def test_a_clean_export_reports_nothing() -> None:
    cleaner = TextCleaner()
    cleaner("正常文本")
    assert cleaner.dropped == 0 and cleaner.report == ""


def test_cleaned_text_is_accepted_by_openpyxl() -> None:
    cell = openpyxl.Workbook().active["A1"]
    put_text(cell, "x\x01y\x1fz", TextCleaner())  # openpyxl alone would raise
    assert cell.value == "xyz"


def test_strip_illegal_counts() -> None:
    assert strip_illegal("\x0b\x0cok\x1b") == ("ok", 3)


def test_text_at_the_limit_is_kept_and_over_it_refused_with_its_place() -> None:
    cleaner = TextCleaner()
    assert len(cleaner("字" * EXCEL_CELL_MAX)) == EXCEL_CELL_MAX
    with pytest.raises(CellTooLong) as caught:
        cleaner("字" * (EXCEL_CELL_MAX + 1), "镇江市长江电器设备厂 第3行 提升计划和措施")
    assert "镇江市长江电器设备厂 第3行 提升计划和措施" in caught.value.message
    assert str(EXCEL_CELL_MAX) in caught.value.message


def test_characters_outside_the_bmp_count_double() -> None:
    assert excel_length("𠀀a") == 3
    with pytest.raises(CellTooLong):
        TextCleaner()("𠀀" * (EXCEL_CELL_MAX // 2 + 1))


def test_csv_safe_prefixes_an_apostrophe_only_where_needed() -> None:
    assert csv_safe("=1+1") == "'=1+1"
    assert csv_safe("＠x") == "'＠x"
    assert csv_safe("设备") == "设备"
