"""The 情况表 export, read back with openpyxl: the notice's layout, cell by cell."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.listing import Campaign
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.errors import DuibiaoError, FileExistsRefused
from duibiao_tui.excel.form_export import (
    BLANK_ROWS,
    build_forms_workbook,
    display_width,
    export_forms,
    load_form,
    submission_note,
    unique_sheet_title,
)
from duibiao_tui.excel.safe_text import CellTooLong, TextCleaner
from duibiao_tui.store.store import Store

# Typed from the notice's attachment (and domain-reference §3), not from the code under test.
NOTICE_COLUMNS = [
    "序号",
    "标杆(优秀)企业/地址",
    "项目",
    "指标内容",
    "标杆水平",
    "对比结果",
    "提升计划和措施",
    "落实部门",
    "完成时间",
    "备注",
]
NAME = "镇江市长江电器设备厂"


@pytest.fixture
def enterprise_id(store: Store, districts: dict[str, str]) -> str:
    enterprise = store.add_enterprise(
        EnterpriseInput(
            name=NAME,
            credit_code="91321102MA1XXXXX07",
            district_id=districts["京口区"],
            address="镇江市京口区学府路88号",
            industry_division="38",
            industry_text="输配电及控制设备制造",
            main_products="高低压开关柜",
            contact_name="张建国",
            phone="0511-85012345",
        )
    )
    store.add_item(
        enterprise.id,
        ItemInput(
            benchmark_text="正泰集团股份有限公司/浙江乐清",
            aspect="设备",
            indicator="数控折弯机数量",
            benchmark_level="国内领先",
            result_text="少 3 台",
            verdict="落后",
            measures="=2010年购置两台\n- 培训操作工",
            department="设备科",
            due_text="2010年底",
            remarks="@重点",
        ),
    )
    store.add_item(
        enterprise.id,
        ItemInput(
            benchmark_text="西门子（中国）有限公司",
            aspect="检验把关",
            indicator="出厂检验项目覆盖率",
            benchmark_level="国际先进",
            result_text="95%，标杆 100%",
            verdict="落后",
            measures="增加出厂耐压试验",
            department="质检科",
            due_text="2010-06-30",
        ),
    )
    return enterprise.id


def _export(store: Store, ids: list[str], tmp_path: Path, **kw: object) -> Worksheet:
    result = export_forms(store, ids, tmp_path / "out.xlsx", **kw)  # type: ignore[arg-type]
    return openpyxl.load_workbook(result.path).worksheets[0]


def test_title_header_line_and_columns(store: Store, enterprise_id: str, tmp_path: Path) -> None:
    ws = _export(store, [enterprise_id], tmp_path)
    assert ws["A1"].value == "镇江市工业企业质量标杆对比活动情况表"
    assert "A1:J1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].font.bold and ws["A1"].font.size >= 16
    assert ws["A1"].alignment.horizontal == "center"
    assert ws["A2"].value == f"对标单位：{NAME}"
    assert ws["D2"].value == "地址：镇江市京口区学府路88号"
    assert ws["G2"].value == "所在行业：输配电及控制设备制造"
    assert ws["I2"].value == "主导产品：高低压开关柜"
    assert [c.value for c in ws[3]] == NOTICE_COLUMNS
    assert all(c.font.bold for c in ws[3])


def test_rows_in_the_notices_column_order(store: Store, enterprise_id: str, tmp_path: Path) -> None:
    ws = _export(store, [enterprise_id], tmp_path)
    assert [c.value for c in ws[4]] == [
        1,
        "正泰集团股份有限公司/浙江乐清",
        "设备",
        "数控折弯机数量",
        "国内领先",
        "落后 少 3 台",
        "=2010年购置两台\n- 培训操作工",
        "设备科",
        "2010年底",
        "@重点",
    ]
    assert [c.value for c in ws[5]][:3] == [2, "西门子（中国）有限公司", "检验把关"]
    assert ws["I5"].value == "2010-06-30"


def test_note_and_foot(store: Store, enterprise_id: str, tmp_path: Path) -> None:
    ws = _export(store, [enterprise_id], tmp_path)
    note = ws["A6"].value
    assert note.startswith("注：")
    assert "2009年10月20日" in note and "一式两份" in note
    assert "质量处" in note and "质量科" in note
    assert "A6:J6" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A7"].value == "单位填报人：张建国"
    assert ws["F7"].value == "电话：0511-85012345"
    assert ws.max_row == 7


def test_borders_and_wrapping(store: Store, enterprise_id: str, tmp_path: Path) -> None:
    ws = _export(store, [enterprise_id], tmp_path)
    for row in ws["A3:J5"]:
        for cell in row:
            for side in (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom):
                assert side.style == "thin", cell.coordinate
            assert cell.alignment.wrap_text, cell.coordinate
    left = ws["A2"].border.left
    assert left is None or left.style is None  # the header line is not ruled, like the paper


def test_print_settings(store: Store, enterprise_id: str, tmp_path: Path) -> None:
    ws = _export(store, [enterprise_id], tmp_path)
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ws.page_setup.fitToWidth) == 1
    assert int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == "$3:$3"
    assert ws.print_area.endswith("!$A$1:$J$7")
    assert ws.freeze_panes == "A4"


def test_column_widths_suit_chinese(store: Store, enterprise_id: str, tmp_path: Path) -> None:
    ws = _export(store, [enterprise_id], tmp_path)
    widths = {col: ws.column_dimensions[col].width for col in "ABCDEFGHIJ"}
    assert widths["A"] == 6
    # 正泰集团股份有限公司/浙江乐清: 14 Chinese characters + "/" = 29 columns wide.
    assert widths["B"] >= 29
    assert widths["D"] >= display_width("出厂检验项目覆盖率")
    assert all(w <= 40 for w in widths.values())
    assert ws.row_dimensions[4].height >= 2 * 16  # the two-line plan is not cut off


def test_display_width_counts_chinese_double() -> None:
    assert display_width("abc") == 3
    assert display_width("镇江") == 4
    assert display_width("（Ａ）") == 6


def test_formula_looking_text_stays_text(store: Store, enterprise_id: str, tmp_path: Path) -> None:
    ws = _export(store, [enterprise_id], tmp_path)
    for coordinate in ("G4", "J4"):
        assert ws[coordinate].data_type == "s"
        assert ws[coordinate].quotePrefix
        assert ws[coordinate].border.left.style == "thin"  # the prefix kept the style
    assert not ws["H4"].quotePrefix


def test_enterprise_without_rows_gets_blank_ruled_rows(
    store: Store, seeded: dict[str, str]
) -> None:
    form = load_form(store, seeded["句容市宝华建材有限公司"])
    ws = build_forms_workbook([form], TextCleaner()).worksheets[0]
    blank = list(ws.iter_rows(min_row=4, max_row=3 + BLANK_ROWS))
    assert all(c.value in (None, "") and c.border.top.style == "thin" for r in blank for c in r)
    assert ws.cell(row=4 + BLANK_ROWS, column=1).value.startswith("注：")


def test_public_form_leaves_out_personal_data(store: Store, enterprise_id: str) -> None:
    ws = build_forms_workbook([load_form(store, enterprise_id)], TextCleaner(), personal=False)
    values = [str(c.value) for r in ws.worksheets[0].iter_rows() for c in r if c.value]
    assert not any("单位填报人" in v or "电话" in v for v in values)
    assert not any("张建国" in v or "85012345" in v for v in values)
    assert any(v.startswith("注：") for v in values)


def test_several_enterprises_one_sheet_each(
    store: Store, seeded: dict[str, str], tmp_path: Path
) -> None:
    ids = list(seeded.values())
    result = export_forms(store, ids, tmp_path / "all.xlsx")
    workbook = openpyxl.load_workbook(result.path)
    assert workbook.sheetnames == list(seeded)
    assert result.sheets == len(seeded)
    for ws, name in zip(workbook.worksheets, seeded, strict=True):
        assert ws["A2"].value == f"对标单位：{name}"


def test_same_name_twice_gets_numbered_sheets(store: Store, enterprise_id: str) -> None:
    form = load_form(store, enterprise_id)
    workbook = build_forms_workbook([form, form, form], TextCleaner())
    assert workbook.sheetnames == [NAME, f"{NAME}(2)", f"{NAME}(3)"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("镇江[新区]:A*B?C/D\\E", "镇江新区ABCDE"),
        ("江苏" * 20, "江苏" * 15 + "江"),
        ("'引号'", "引号"),
        ("", "情况表"),
        ("[]", "情况表"),
        ("History", "History(2)"),
    ],
)
def test_sheet_titles(name: str, expected: str) -> None:
    assert unique_sheet_title(name, set()) == expected


def test_sheet_titles_stay_unique_and_short() -> None:
    used: set[str] = set()
    long_name = "镇江市某某某某某某某某某某某某某某某某某某某某某某某某某某某某某某有限公司"
    titles = [unique_sheet_title(long_name, used) for _ in range(12)]
    titles += [unique_sheet_title("abc", used), unique_sheet_title("ABC", used)]
    assert len(set(t.casefold() for t in titles)) == len(titles)
    assert all(len(t) <= 31 for t in titles)
    assert titles[1].endswith("(2)") and titles[11].endswith("(12)")
    assert titles[-1] == "ABC(2)"


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("𠀀" * 20, "𠀀" * 15),  # 30 units: a sixteenth would make 32
        ("江" + "𠀀" * 20, "江" + "𠀀" * 15),  # exactly 31
        ("江苏" + "𠀀" * 20, "江苏" + "𠀀" * 14),  # 30: never half of one
    ],
)
def test_sheet_titles_count_utf16_units(name: str, expected: str) -> None:
    """Excel's 31 are UTF-16 code units: a character outside the BMP counts two."""
    assert unique_sheet_title(name, set()) == expected


def test_repeated_astral_titles_stay_within_31_units(tmp_path: Path) -> None:
    used: set[str] = set()
    titles = [unique_sheet_title("镇江𠀀𠀁𠀂" * 8, used) for _ in range(11)]
    assert len(set(titles)) == 11 and titles[10].endswith("(11)")
    assert all(_utf16_units(t) <= 31 for t in titles), [_utf16_units(t) for t in titles]
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title in titles:
        workbook.create_sheet(title)
    workbook.save(tmp_path / "astral.xlsx")
    assert openpyxl.load_workbook(tmp_path / "astral.xlsx").sheetnames == titles


def test_existing_file_is_refused_without_force(
    store: Store, enterprise_id: str, tmp_path: Path
) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(FileExistsRefused):
        export_forms(store, [enterprise_id], target)
    assert target.read_bytes() == b"old"
    export_forms(store, [enterprise_id], target, force=True)
    assert openpyxl.load_workbook(target).sheetnames == [NAME]


def test_a_failing_save_leaves_no_file(
    store: Store, enterprise_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_save(self: openpyxl.Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 half")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(DuibiaoError, match="无法写入"):  # in words, not a traceback
        export_forms(store, [enterprise_id], tmp_path / "out.xlsx")
    assert list(tmp_path.glob("*out.xlsx*")) == []


def test_text_too_long_for_a_cell_is_refused_by_name(
    store: Store, districts: dict[str, str], tmp_path: Path
) -> None:
    enterprise = store.add_enterprise(
        EnterpriseInput(name="超长地址企业", district_id=districts["润州区"], address="路" * 40_000)
    )
    with pytest.raises(CellTooLong) as caught:
        export_forms(store, [enterprise.id], tmp_path / "long.xlsx")
    assert "超长地址企业" in caught.value.message and "地址" in caught.value.message
    assert not (tmp_path / "long.xlsx").exists()


def test_dropped_characters_are_reported(
    store: Store, districts: dict[str, str], tmp_path: Path
) -> None:
    enterprise = store.add_enterprise(
        EnterpriseInput(name="控制字符企业", district_id=districts["润州区"], notes="x")
    )
    item = store.add_item(enterprise.id, ItemInput(aspect="工艺", indicator="良品率"))
    # The rules drop control characters today; rows stored earlier (or merged in from older
    # district files) may still hold them, and the export must not break on them.
    with store.write():
        store.conn.execute(
            "UPDATE benchmark_item SET indicator = ?, remarks = ? WHERE id = ?",
            ["良品率\x07", "a\x1b", item.id],
        )
    result = export_forms(store, [enterprise.id], tmp_path / "c.xlsx")
    assert result.warnings and "2 个" in result.warnings[0]
    assert "控制字符企业 第1行 指标内容" in result.warnings[0]
    ws = openpyxl.load_workbook(result.path).worksheets[0]
    assert (ws["D4"].value, ws["J4"].value) == ("良品率", "a")


def test_nothing_to_export_is_an_error(store: Store, tmp_path: Path) -> None:
    with pytest.raises(DuibiaoError):
        export_forms(store, [], tmp_path / "none.xlsx")
    assert not (tmp_path / "none.xlsx").exists()


def test_submission_note_follows_the_campaign() -> None:
    campaign = Campaign("c", "2010年活动", "x", "y", 2010, "2010-11-05", "报市局质量处")
    assert submission_note(campaign) == "注：此表请于2010年11月5日前报送（报市局质量处）。"
    undated = Campaign("c", "n", "x", "y", None, None, "")
    assert submission_note(undated) == "注：此表请按时报送。"
