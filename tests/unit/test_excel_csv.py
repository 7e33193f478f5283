"""The CSV export read back with the csv module: a BOM, Chinese intact, the same columns as
the workbook, formula-looking text made safe, nothing overwritten unasked."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from duibiao_tui.errors import FileExistsRefused
from duibiao_tui.excel.csv_export import CSV_TABLES, csv_filenames, export_csv
from duibiao_tui.excel.queries import make_scope
from duibiao_tui.store.export_tables import ENTERPRISE_SPEC, ITEM_SPEC, MEASURE_SPEC
from duibiao_tui.store.store import Store
from tests.functional.test_measures_keys import CHANGJIANG
from tests.unit.test_excel_summary import PEOPLE, with_review

NAMES = ["企业名单.csv", "对标项目.csv", "提升措施跟踪.csv"]


@pytest.fixture
def reviewed(store: Store, seeded: dict[str, str]) -> dict[str, str]:
    return with_review(store, seeded)


def read(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_three_files_with_bom_and_chinese(
    store: Store, reviewed: dict[str, str], tmp_path: Path
) -> None:
    result = export_csv(store, tmp_path / "csv")
    assert [p.name for p in result.paths] == NAMES
    for path in result.paths:
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), path.name
        assert b"\r\n" in raw  # Excel's line ends
        raw[3:].decode("utf-8")  # the rest is plain UTF-8
    enterprises = read(result.paths[0])
    assert enterprises[0] == [column.label for column, _ in ENTERPRISE_SPEC]
    assert read(result.paths[1])[0] == [column.label for column, _ in ITEM_SPEC]
    assert read(result.paths[2])[0] == [column.label for column, _ in MEASURE_SPEC]
    assert len(enterprises) == 1 + 7
    names = {row[0] for row in enterprises[1:]}
    assert CHANGJIANG in names and "江苏恒顺醋业股份有限公司" in names
    changjiang = next(row for row in enterprises if row[0] == CHANGJIANG)
    heading = enterprises[0]
    assert changjiang[heading.index("状态")] == "退回修改"
    assert changjiang[heading.index("收到日期")] == "2009-10-06"
    assert changjiang[heading.index("对标行数")] == "2"
    assert result.counts == {"企业名单": 7, "对标项目": 8, "提升措施跟踪": 7}
    assert len(read(result.paths[1])) == 1 + 8


def test_multiline_text_survives(store: Store, reviewed: dict[str, str], tmp_path: Path) -> None:
    result = export_csv(store, tmp_path)
    items = read(result.paths[1])
    measures = [row[items[0].index("提升计划和措施")] for row in items[1:]]
    assert "2010 年引进数控折弯机 2 台；\n建立设备点检制度" in measures


def test_formula_looking_text_gets_an_apostrophe(
    store: Store, reviewed: dict[str, str], tmp_path: Path
) -> None:
    result = export_csv(store, tmp_path)
    cells = {cell for row in read(result.paths[1])[1:] for cell in row}
    assert {"'=SUM(A1:A3)", "'+5%", "'-加强进货检验", "'@质量部"} <= cells
    assert "=SUM(A1:A3)" not in cells
    phones = {row[6] for row in read(result.paths[0])[1:]}
    assert PEOPLE["landline"] in phones  # a phone starting with a digit is left alone


def test_existing_file_stops_before_anything_is_written(
    store: Store, reviewed: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "对标项目.csv").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsRefused) as refused:
        export_csv(store, folder)
    assert refused.value.path == folder / "对标项目.csv"  # type: ignore[attr-defined]
    assert sorted(p.name for p in folder.iterdir()) == ["对标项目.csv"]
    assert (folder / "对标项目.csv").read_text(encoding="utf-8") == "mine"
    result = export_csv(store, folder, force=True)
    assert read(result.paths[1])[0][0] == "企业名称"
    assert sorted(p.name for p in folder.iterdir()) == sorted(NAMES)  # no temporary files


def test_filters_and_public(
    store: Store, reviewed: dict[str, str], districts: dict[str, str], tmp_path: Path
) -> None:
    result = export_csv(store, tmp_path, district_id=districts["京口区"], public=True)
    assert [p.name for p in result.paths] == [
        "公开版-企业名单-京口区.csv",
        "公开版-对标项目-京口区.csv",
        "公开版-提升措施跟踪-京口区.csv",
    ]
    enterprises = read(result.paths[0])
    assert {row[1] for row in enterprises[1:]} == {"京口区"}
    assert "电话" not in enterprises[0] and "单位填报人" not in enterprises[0]
    text = "".join(path.read_text(encoding="utf-8-sig") for path in result.paths)
    for value in PEOPLE.values():
        assert value not in text, value


def test_file_names(store: Store, districts: dict[str, str]) -> None:
    assert csv_filenames() == NAMES
    assert csv_filenames(make_scope(store)) == NAMES
    scope = make_scope(store, district_id=districts["丹阳市"], status="已通过")
    assert csv_filenames(scope)[0] == "企业名单-丹阳市-已通过.csv"
    assert len(CSV_TABLES) == 3
