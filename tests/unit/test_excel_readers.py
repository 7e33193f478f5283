"""Reading spreadsheets: real .xlsx/.xls/.csv files in, rows of strings out; bad files refused
with a message naming the file, never a traceback."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from duibiao_tui.excel import readers
from duibiao_tui.excel.readers import UnreadableFile, cell_text, read_sheets

FIXTURES = Path(__file__).parents[1] / "fixtures"
HEADER = ["企业名称", "统一社会信用代码", "辖市区"]
ROW = ["镇江市长江电器设备厂", "91321102MA1XXXXX07", "京口区"]


def _xlsx(path: Path, rows: list[list[object]], title: str = "名单") -> Path:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = title
    for row in rows:
        ws.append(row)
    workbook.save(path)
    return path


def test_xlsx_values_become_the_text_an_officer_reads(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "a.xlsx",
        [
            ["镇江市企业名单"],
            [],
            [None, *HEADER],
            [None, 12.0, 1.5, 320000000012345],
            [None, dt.date(2010, 6, 30), dt.datetime(2010, 6, 30, 14, 5), True],
        ],
    )
    (sheet,) = read_sheets(path)
    assert sheet.name == "名单" and not sheet.hidden
    assert sheet.rows[0][0] == "镇江市企业名单"
    assert sheet.rows[2][1:4] == HEADER  # rows[i][j] is the sheet's cell (i+1, j+1)
    assert sheet.rows[3][1:4] == ["12", "1.5", "320000000012345"]
    assert sheet.rows[4][1:4] == ["2010-06-30", "2010-06-30 14:05:00", "TRUE"]


def test_every_sheet_is_read_and_hidden_ones_are_marked(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "京口区"
    workbook.active.append(HEADER)
    hidden = workbook.create_sheet("旧数据")
    hidden.append(["x"])
    hidden.sheet_state = "hidden"
    workbook.save(tmp_path / "b.xlsx")
    sheets = read_sheets(tmp_path / "b.xlsx")
    assert [(s.name, s.hidden) for s in sheets] == [("京口区", False), ("旧数据", True)]


def test_legacy_xls(tmp_path: Path) -> None:
    xlwt = pytest.importorskip("xlwt")  # in the test extra
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("企业名单")
    for col, value in enumerate(HEADER):
        sheet.write(1, col, value)
    sheet.write(2, 0, ROW[0])
    sheet.write(2, 1, 3.0)
    sheet.write(2, 2, dt.date(2010, 1, 2), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    book.save(str(tmp_path / "old.xls"))
    (read,) = read_sheets(tmp_path / "old.xls")
    assert read.name == "企业名单"
    assert read.rows[1] == HEADER
    assert read.rows[2] == [ROW[0], "3", "2010-01-02"]


def test_a_workbook_with_the_wrong_extension_still_opens(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "real.xlsx", [HEADER, ROW])
    renamed = tmp_path / "misnamed.xls"
    path.rename(renamed)
    assert read_sheets(renamed)[0].rows == [HEADER, ROW]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk", "gb18030", "utf-16"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    text = "企业名称,地址\r\n镇江市长江电器设备厂,京口区学府路\r\n"
    path = tmp_path / "list.csv"
    path.write_bytes(text.encode(encoding))
    (sheet,) = read_sheets(path)
    assert sheet.name == "list"
    assert sheet.rows == [["企业名称", "地址"], ["镇江市长江电器设备厂", "京口区学府路"]]


def test_csv_with_tabs_quotes_and_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('企业名称\t备注\n"甲,乙"\t"第一行\n第二行"\n', encoding="utf-8")
    assert read_sheets(path)[0].rows == [["企业名称", "备注"], ["甲,乙", "第一行\n第二行"]]
    path.write_text("企业名称;地址\n甲;乙\n", encoding="utf-8")
    assert read_sheets(path)[0].rows == [["企业名称", "地址"], ["甲", "乙"]]


def test_ten_thousand_character_cells_are_read_whole(tmp_path: Path) -> None:
    long = "措" * 10_000
    path = _xlsx(tmp_path / "long.xlsx", [HEADER, [long]])
    assert read_sheets(path)[0].rows[1][0] == long
    csv_path = tmp_path / "long.csv"
    csv_path.write_text(f"企业名称\n{long}\n", encoding="utf-8")
    assert read_sheets(csv_path)[0].rows[1][0] == long


def _refused(path: Path) -> str:
    with pytest.raises(UnreadableFile) as caught:
        read_sheets(path)
    assert caught.value.message.startswith(f"{path.name}：")
    return caught.value.message


def test_random_bytes_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "garbage.xlsx"
    path.write_bytes(bytes(range(256)) * 20)
    assert "不是 Excel 工作簿" in _refused(path)


def test_empty_file(tmp_path: Path) -> None:
    for name in ("empty.xlsx", "empty.csv", "empty.xls"):
        (tmp_path / name).write_bytes(b"")
        assert "空的" in _refused(tmp_path / name)


def test_truncated_xlsx(tmp_path: Path) -> None:
    data = _xlsx(tmp_path / "full.xlsx", [HEADER, ROW] * 50).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert "损坏或不完整" in _refused(path)


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "hello")
    assert "损坏或不完整" in _refused(path)


def test_csv_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    path.write_text("企业名称,地址\n甲,乙\n", encoding="gbk")
    message = _refused(path)
    assert "CSV" in message and ".csv" in message


def test_web_page_saved_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>企业名称</td></tr></table></body></html>")
    assert "网页" in _refused(path)


def test_password_protected_workbook() -> None:
    message = _refused(FIXTURES / "encrypted.xlsx")
    assert "密码" in message


def test_workbook_without_any_data(tmp_path: Path) -> None:
    assert "没有任何数据" in _refused(_xlsx(tmp_path / "blank.xlsx", []))
    csv_path = tmp_path / "blank.csv"
    csv_path.write_text("\n,,\n\n", encoding="utf-8")
    assert "没有任何数据" in _refused(csv_path)


def test_unsupported_and_missing_files(tmp_path: Path) -> None:
    doc = tmp_path / "通知.docx"
    doc.write_bytes(b"PK\x03\x04")
    assert "不支持" in _refused(doc)
    assert "不存在" in _refused(tmp_path / "nowhere.xlsx")


def test_excel_workbook_named_csv(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "x.xlsx", [HEADER])
    renamed = tmp_path / "x.csv"
    path.rename(renamed)
    assert "扩展名" in _refused(renamed)


def test_undecodable_csv(tmp_path: Path) -> None:
    path = tmp_path / "bin.csv"
    path.write_bytes(b"\x00\x01\x02" * 100)
    assert "编码" in _refused(path)


def test_huge_files_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _xlsx(tmp_path / "big.xlsx", [HEADER] + [ROW] * 30)
    monkeypatch.setattr(readers, "MAX_ROWS", 20)
    assert "过大" in _refused(path)
    csv_path = tmp_path / "big.csv"
    csv_path.write_text("企业名称\n" + "甲\n" * 30, encoding="utf-8")
    assert "过大" in _refused(csv_path)
    monkeypatch.setattr(readers, "MAX_ROWS", 100_000)
    monkeypatch.setattr(readers, "MAX_COLUMNS", 2)
    assert "过大" in _refused(path)
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 100)
    assert "文件过大" in _refused(path)


def test_zip_bomb_is_refused_before_unpacking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _xlsx(tmp_path / "bomb.xlsx", [HEADER, ROW])
    monkeypatch.setattr(readers, "MAX_UNZIPPED_BYTES", 1000)
    assert "解压后过大" in _refused(path)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("x", "x"),
        (3, "3"),
        (3.0, "3"),
        (-2.0, "-2"),
        (0.1 + 0.2, "0.3"),
        (1e20, "1e+20"),
        (True, "TRUE"),
        (dt.date(2009, 10, 20), "2009-10-20"),
        (dt.datetime(2009, 10, 20), "2009-10-20"),
        (dt.time(8, 30), "08:30:00"),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_no_traceback_for_any_byte_prefix_of_a_workbook(tmp_path: Path) -> None:
    """Every truncation of a real file is either read or refused cleanly."""
    data = _xlsx(tmp_path / "w.xlsx", [HEADER, ROW]).read_bytes()
    for size in range(1, len(data), max(1, len(data) // 40)):
        path = tmp_path / f"p{size}.xlsx"
        path.write_bytes(data[:size])
        try:
            read_sheets(path)
        except UnreadableFile:
            pass
        os.remove(path)
