"""Importing filled 情况表: our own export round trip, hand-made layouts, re-imports that
update instead of duplicating, the backup before writing, and hostile files that are
refused with a message while the database stays byte-for-byte unchanged."""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.measures import validate_measure_update
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.errors import DuibiaoError
from duibiao_tui.excel import readers
from duibiao_tui.excel.enterprise_import import (
    ImportRefused,
    apply_enterprise_import,
    plan_enterprise_import,
)
from duibiao_tui.excel.form_export import export_forms
from duibiao_tui.excel.form_import import (
    apply_form_import,
    excel_serial_date,
    guess_kind,
    map_aspect,
    plan_form_import,
    split_result,
)
from duibiao_tui.excel.headers import MissingColumns
from duibiao_tui.excel.lookup import live_enterprise_ids
from duibiao_tui.excel.readers import UnreadableFile, read_sheets
from duibiao_tui.store.backup import list_backups
from duibiao_tui.store.store import Store
from tests.conftest import fixed_clock

FIXTURES = Path(__file__).parents[1] / "fixtures"
FORMS = FIXTURES / "forms"
TABLES = ("enterprise", "benchmark_item", "benchmark_enterprise", "submission", "audit_log")


def fixture(name: str, tmp_path: Path) -> Path:
    """A copy in tmp_path: a valid-only import writes its error workbook beside the file."""
    source = FIXTURES / name if (FIXTURES / name).exists() else FORMS / name
    target = tmp_path / "in" / name
    target.parent.mkdir(exist_ok=True)
    shutil.copy(source, target)
    return target


def checksum(store: Store) -> str:
    return hashlib.sha256("\n".join(store.conn.iterdump()).encode()).hexdigest()


def counts(store: Store) -> dict[str, int]:
    return {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def enterprise_named(store: Store, name: str):  # noqa: ANN201 - the store's Enterprise
    row = store.conn.execute(
        "SELECT id FROM enterprise WHERE name = ? AND deleted_at IS NULL", [name]
    ).fetchone()
    assert row is not None, name
    return store.get_enterprise(row[0])


def all_cells(path: Path) -> dict[str, list[list[object]]]:
    workbook = openpyxl.load_workbook(path)
    return {
        ws.title: [[cell.value for cell in row] for row in ws.iter_rows()]
        for ws in workbook.worksheets
    }


# -- pieces ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("领先 本企业 98%", ("领先", "本企业 98%")),
        ("落后，低 1.2 个百分点", ("落后", "低 1.2 个百分点")),
        ("持平", ("持平", "")),
        ("落后（差距 5%）", ("落后", "（差距 5%）")),
        ("领先同行", ("", "领先同行")),
        ("本企业 95%，持平", ("", "本企业 95%，持平")),
        ("", ("", "")),
    ],
)
def test_split_result(text: str, expected: tuple[str, str]) -> None:
    assert split_result(text) == expected


@pytest.mark.parametrize(
    ("text", "aspect", "other", "warned"),
    [
        ("设备", "设备", "", False),
        ("计 量 检 测 手 段", "计量检测手段", "", True),  # every mapping is said
        ("检验", "检验把关", "", True),
        ("9", "计量检测手段", "", True),
        ("质量", "其他", "质量", True),  # two aspects contain it: 其他, words kept, said
        ("环保", "其他", "环保", True),
        ("其他：安全生产", "其他", "安全生产", False),
        ("ISO", "其他", "ISO", True),
        ("", "", "", False),
    ],
)
def test_map_aspect(text: str, aspect: str, other: str, warned: bool) -> None:
    found = map_aspect(text)
    assert found[:2] == (aspect, other)
    assert bool(found[2]) is warned


def test_excel_serial_dates() -> None:
    assert excel_serial_date("40359") == "2010-06-30"
    assert excel_serial_date("40359.0") == "2010-06-30"
    assert excel_serial_date("12345") is None  # 1933: not a plan's date
    assert excel_serial_date("2010") is None
    assert excel_serial_date("2010年底") is None


def test_defusedxml_is_installed_and_used_by_openpyxl() -> None:
    import defusedxml  # noqa: F401 - must be importable
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


# -- round trip --------------------------------------------------------------------------


def test_export_import_export_gives_the_same_cells(tmp_path: Path) -> None:
    """Forms exported from demo data, imported into an empty database, exported again:
    every cell of every sheet is the same."""
    from duibiao_tui.demo import fill_demo

    source = Store.open(tmp_path / "source.db", officer="甲", clock=fixed_clock)
    fill_demo(source, enterprises=10, seed=11)
    ids = live_enterprise_ids(source)
    first = export_forms(source, ids, tmp_path / "first.xlsx")
    assert first.rows > 100
    source.close()

    target = Store.open(tmp_path / "target.db", officer="乙", clock=fixed_clock)
    plan = plan_form_import(target, first.path)
    assert plan.refused == 0, [str(p) for p in plan.problems]
    assert plan.enterprises("new") == len(ids)
    assert plan.rows("new") == first.rows
    result = apply_form_import(target, plan)
    assert (result.enterprises_added, result.rows_added) == (len(ids), first.rows)

    order = {name: n for n, name in enumerate(all_cells(first.path))}
    again = sorted(live_enterprise_ids(target), key=lambda i: order[target.get_enterprise(i).name])
    second = export_forms(target, again, tmp_path / "second.xlsx")
    one, two = all_cells(first.path), all_cells(second.path)
    assert list(one) == list(two)
    for sheet in one:
        assert one[sheet] == two[sheet], sheet

    # The same file again: nothing new, nothing written, not even a backup.
    before = checksum(target)
    backups = len(list_backups(target.path))
    plan = plan_form_import(target, first.path)
    assert plan.enterprises("unchanged") == len(ids)
    assert plan.rows("unchanged") == first.rows and plan.writes == 0
    apply_form_import(target, plan)
    assert checksum(target) == before
    assert len(list_backups(target.path)) == backups
    target.close()


# -- hand-made layouts -------------------------------------------------------------------


def test_hand_made_xlsx(store: Store, tmp_path: Path) -> None:
    path = fixture("handmade.xlsx", tmp_path)
    assert guess_kind(path.with_name("回收.xlsx"), read_sheets(path)) == "form"
    plan = plan_form_import(store, path)
    assert plan.refused == 0, [str(p) for p in plan.problems]
    (form,) = plan.forms
    assert form.action == "new" and form.name == "镇江市润扬电缆有限公司"
    assert [i.row for i in form.items] == [7, 8, 9, 12]  # blank row, headings of page 2 skipped
    assert any("检验把关" in w for w in plan.warnings)
    assert any("40359" in w and "2010-06-30" in w for w in plan.warnings)
    apply_form_import(store, plan)

    firm = enterprise_named(store, "镇江市润扬电缆有限公司")
    assert firm.address == "镇江市润州区南徐大道66号"
    assert firm.district_name == "润州区"  # read from the address
    assert (firm.industry_text, firm.main_products) == ("电线电缆", "电力电缆")
    assert (firm.contact_name, firm.phone_raw) == ("李强", "0511-84412345")  # from the note cell
    rows = store.items_for(firm.id)
    assert [r.seq for r in rows] == [1, 2, 3, 4]
    assert [r.benchmark_text for r in rows[:3]] == ["远东电缆有限公司/江苏宜兴"] * 3  # merged
    assert [r.aspect for r in rows] == ["设备", "工艺", "检验把关", "质量管理制度"]
    assert (rows[0].verdict, rows[0].result_text) == ("落后", "尚无 CCV 线")
    assert rows[0].measures == "1.引进 CCV 生产线\n2.培训操作工"
    assert (rows[0].department, rows[0].due_date) == ("设备部", "2011-06-30")
    assert rows[1].due_date == "2010-12-31"  # a date cell
    assert rows[2].due_date == "2010-06-30"  # an Excel serial
    assert (rows[2].verdict, rows[2].result_text) == ("领先", "本企业 3pC")
    assert rows[3].due_date == "2012-12-31"


def test_legacy_xls_with_values_beside_labels_and_a_continuation_sheet(
    store: Store, tmp_path: Path
) -> None:
    plan = plan_form_import(store, fixture("handmade.xls", tmp_path))
    assert plan.refused == 0, [str(p) for p in plan.problems]
    (form,) = plan.forms
    assert form.sheets == ("情况表", "情况表(续)")
    assert any("续表" in w for w in form.warnings)
    apply_form_import(store, plan)
    firm = enterprise_named(store, "丹阳市华通光学眼镜有限公司")
    assert firm.district_name == "丹阳市"
    assert firm.address == "丹阳市云阳镇华南路18号"
    assert (firm.industry_text, firm.main_products) == ("眼镜制造", "树脂镜片")
    assert (firm.contact_name, firm.phone_raw) == ("赵敏", "0511-86912345")
    rows = store.items_for(firm.id)
    assert [(r.seq, r.aspect, r.indicator) for r in rows] == [
        (1, "产品品种", "镜片折射率品种数"),
        (2, "可靠性", "膜层耐磨次数"),
        (3, "档次", "高端产品占比"),
    ]
    assert rows[1].verdict == "落后" and rows[1].result_text == ""


def test_several_enterprises_in_one_workbook(store: Store, tmp_path: Path) -> None:
    plan = plan_form_import(store, fixture("two_enterprises.xlsx", tmp_path))
    assert [(f.name, f.action, f.count("new")) for f in plan.forms] == [
        ("镇江市华东电力设备有限公司", "new", 2),
        ("句容市宝华建材有限公司", "new", 1),
    ]
    apply_form_import(store, plan)
    assert enterprise_named(store, "镇江市华东电力设备有限公司").uscc == "91110000600037341L"
    assert store.count_enterprises() == 2


# -- which enterprise, which rows --------------------------------------------------------


def test_a_registered_enterprise_is_updated_never_duplicated(
    store: Store, seeded: dict[str, str], tmp_path: Path
) -> None:
    """Exported, edited by the enterprise, imported back: one row changed, one added; the
    rows the file leaves out stay; follow-up state survives the update."""
    firm_id = seeded["镇江市长江电器设备厂"]
    store.add_item(firm_id, ItemInput(aspect="设备", indicator="数控化率", verdict="落后"))
    done = store.add_item(firm_id, ItemInput(aspect="工艺", indicator="焊接一次合格率"))
    kept = store.add_item(firm_id, ItemInput(aspect="性能", indicator="温升"))
    store.set_measure_state(
        done.id, validate_measure_update("已完成", "2009-09-30", today=date(2009, 10, 8))
    )
    path = export_forms(store, [firm_id], tmp_path / "情况表.xlsx").path
    workbook = openpyxl.load_workbook(path)
    ws = workbook.active
    ws["F5"] = "领先 本企业 99.2%"  # row 2 (焊接一次合格率): a new result
    ws.delete_rows(6)  # the enterprise left 温升 out
    ws.insert_rows(6)
    for col, value in enumerate([3, "", "标准水平", "采标率", "90%", "落后", "", "", "", ""], 1):
        ws.cell(row=6, column=col, value=value)
    ws["A2"] = "对标单位：镇江市长江电器设备厂"
    ws["D2"] = "地址：镇江市京口区学府路1号"
    workbook.save(path)

    plan = plan_form_import(store, path)
    (form,) = plan.forms
    assert (form.action, form.enterprise_id, form.changes) == ("update", firm_id, ("地址",))
    assert [i.action for i in form.items] == ["unchanged", "update", "new"]
    assert form.items[1].changes == ("对比结果", "结论")
    assert form.kept == 1
    apply_form_import(store, plan)
    assert store.count_enterprises() == len(seeded)
    rows = {r.indicator: r for r in store.items_for(firm_id)}
    assert set(rows) == {"数控化率", "焊接一次合格率", "温升", "采标率"}
    assert (rows["焊接一次合格率"].verdict, rows["焊接一次合格率"].result_text) == (
        "领先",
        "本企业 99.2%",
    )
    assert rows["焊接一次合格率"].measure_state == "已完成"
    assert rows["焊接一次合格率"].id == done.id and rows["温升"].id == kept.id
    assert store.get_enterprise(firm_id).address == "镇江市京口区学府路1号"

    # Once more: everything unchanged.
    again = plan_form_import(store, path)
    assert again.rows("unchanged") == 3 and again.rows("new") == 0 and again.writes == 0


def test_keep_registered_details(store: Store, seeded: dict[str, str], tmp_path: Path) -> None:
    firm_id = seeded["镇江市长江电器设备厂"]
    path = export_forms(store, [firm_id], tmp_path / "f.xlsx").path
    workbook = openpyxl.load_workbook(path)
    workbook.active["D2"] = "地址：别处"
    workbook.save(path)
    plan = plan_form_import(store, path, mode="skip")
    assert plan.forms[0].action == "skip"
    apply_form_import(store, plan)
    assert store.get_enterprise(firm_id).address == ""


def test_matched_by_credit_code_despite_another_name(
    store: Store, seeded: dict[str, str], tmp_path: Path
) -> None:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append(["对标单位", "长江电器（新名称）"])
    ws.append(["统一社会信用代码：91321102MA1XXXXX07"])
    ws.append(["项目", "指标内容"])
    ws.append(["设备", "数控化率"])
    workbook.save(tmp_path / "f.xlsx")
    plan = plan_form_import(store, tmp_path / "f.xlsx")
    assert plan.forms[0].enterprise_id == seeded["镇江市长江电器设备厂"]
    assert plan.forms[0].changes == ("名称",)


def test_library_entries_are_linked(store: Store, tmp_path: Path) -> None:
    chint = store.add_benchmark("正泰集团股份有限公司", address="浙江乐清")
    plan = plan_form_import(store, fixture("two_enterprises.xlsx", tmp_path))
    item = plan.forms[0].items[0]
    assert item.data is not None and item.data.benchmark_id == chint.id
    apply_form_import(store, plan)
    row = store.items_for(enterprise_named(store, "镇江市华东电力设备有限公司").id)[0]
    assert row.benchmark_id == chint.id and row.benchmark_label == "正泰集团股份有限公司/浙江乐清"


def test_a_backup_is_taken_before_writing(store: Store, tmp_path: Path) -> None:
    assert store.path is not None
    apply_form_import(store, plan_form_import(store, fixture("two_enterprises.xlsx", tmp_path)))
    (backup,) = list_backups(store.path)
    assert backup.reason == "导入前"
    assert backup.counts["enterprise"] == 0  # the state before the import

    listing = tmp_path / "名单.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["企业名称", "辖市区"])
    workbook.active.append(["镇江市新企业", "京口区"])
    workbook.save(listing)
    result = apply_enterprise_import(store, plan_enterprise_import(store, listing))
    assert result.backup is not None and result.backup.exists()
    assert [b.reason for b in list_backups(store.path)] == ["导入前", "导入前"]


def test_a_plan_made_stale_by_an_edit_writes_nothing(
    store: Store, seeded: dict[str, str], tmp_path: Path
) -> None:
    firm_id = seeded["镇江市长江电器设备厂"]
    item = store.add_item(firm_id, ItemInput(aspect="设备", indicator="数控化率"))
    path = export_forms(store, [firm_id], tmp_path / "f.xlsx").path
    workbook = openpyxl.load_workbook(path)
    workbook.active["E4"] = "95%"
    workbook.active.append(["", "", "工艺", "新指标"])  # after the foot: ignored
    workbook.save(path)
    plan = plan_form_import(store, path)
    assert plan.forms[0].items[0].action == "update"
    store.update_item(item.id, ItemInput(aspect="设备", indicator="数控化率", remarks="别人改的"))
    before = checksum(store)
    with pytest.raises(ImportRefused, match="预览之后数据库已有变化"):
        apply_form_import(store, plan)
    assert checksum(store) == before


def test_a_second_table_on_one_sheet_is_refused(store: Store, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "两张表"
    ws.append(["对标单位：甲厂"])
    ws.append(["序号", "项目", "指标内容"])
    ws.append([1, "设备", "数控化率"])
    ws.append(["注：此表请报送。"])
    ws.append(["对标单位：乙厂"])
    ws.append(["序号", "项目", "指标内容"])
    ws.append([1, "工艺", "合格率"])
    workbook.save(tmp_path / "f.xlsx")
    plan = plan_form_import(store, tmp_path / "f.xlsx")
    assert plan.refused
    assert any("一个工作表只能放一家企业" in str(p) and p.row == 6 for p in plan.problems)


# -- refused files and rows: database unchanged ------------------------------------------


@pytest.mark.parametrize(
    ("name", "error", "message"),
    [
        ("not_a_spreadsheet.xlsx", UnreadableFile, "PDF"),
        ("empty.xlsx", UnreadableFile, "空的"),
        ("truncated.xlsx", UnreadableFile, "损坏或不完整"),
        ("csv_renamed.xlsx", UnreadableFile, "CSV"),
        ("encrypted.xlsx", UnreadableFile, "密码"),
        ("missing_column.xlsx", MissingColumns, "缺少「指标内容」列"),
        ("zip_bomb.xlsx", UnreadableFile, "压缩比异常"),
        ("huge_dimension.xlsx", UnreadableFile, "声明的范围过大"),
    ],
)
def test_unreadable_files_change_nothing(
    store: Store, seeded: dict[str, str], tmp_path: Path, name: str, error: type, message: str
) -> None:
    before, rows = checksum(store), counts(store)
    with pytest.raises(error) as caught:
        plan_form_import(store, fixture(name, tmp_path))
    assert isinstance(caught.value, DuibiaoError)
    assert message in caught.value.message and name in caught.value.message
    assert checksum(store) == before and counts(store) == rows


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("bad_credit_code.xlsx", ["第3行 统一社会信用代码 (A3): 校验位应为 L"]),
        (
            "bad_dates.xlsx",
            [
                # 明年 and 12345 are free text (kept, no date, a warning); 13月 cannot exist
                "第5行 完成时间 (I5): 「2010年13月」的月份应为 1–12，请写成 2010-06-30、2010年6月 或 2010年底",
            ],
        ),
        (
            "long_cells.xlsx",
            [
                "第4行 指标内容 (D4): 最多 200 个字，现为 10000 个",
                # 提升计划和措施 holds up to 32,767 characters (a warning above 1,000)
            ],
        ),
        (
            "duplicates.xlsx",
            [
                "第6行 序号 (A6): 序号 2 与第5行重复",
                "第7行 指标内容 (D7): 与第4行内容完全相同，文件中重复",
                "第2行 对标单位 (A2): 与工作表「情况表」是同一家企业，文件中重复"
                "（如为续表，请让序号接着上一张表编）",
            ],
        ),
    ],
)
def test_refused_rows_stop_everything(
    store: Store, seeded: dict[str, str], tmp_path: Path, name: str, lines: list[str]
) -> None:
    before, rows = checksum(store), counts(store)
    plan = plan_form_import(store, fixture(name, tmp_path))
    assert [str(p) for p in plan.problems] == lines
    with pytest.raises(ImportRefused, match="没有导入任何数据") as caught:
        apply_form_import(store, plan)
    assert [str(p) for p in caught.value.problems] == lines
    assert checksum(store) == before and counts(store) == rows
    assert store.path is not None and list_backups(store.path) == []
    assert not list((tmp_path / "in").glob("*-错误*"))


def test_dates_as_text_cells_and_serials(store: Store, tmp_path: Path) -> None:
    plan = plan_form_import(store, fixture("dates.xlsx", tmp_path))
    assert plan.refused == 0
    apply_form_import(store, plan)
    firm = enterprise_named(store, "镇江市华东电力设备有限公司")
    assert [(r.due_text, r.due_date) for r in store.items_for(firm.id)] == [
        ("2010年底", "2010-12-31"),
        ("2011-03-31", "2011-03-31"),
        ("2010-06-30", "2010-06-30"),
        ("2012年上半年", "2012-06-30"),
    ]


def test_valid_only_writes_the_good_rows_and_an_error_workbook(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = fixture("duplicates.xlsx", tmp_path)
    plan = plan_form_import(store, path)
    result = apply_form_import(store, plan, valid_only=True)
    assert (result.enterprises_added, result.rows_added, result.refused) == (1, 2, 3)
    assert result.error_file == tmp_path / "exports" / "duplicates-错误.xlsx"
    firm = enterprise_named(store, "镇江市华东电力设备有限公司")
    assert [r.indicator for r in store.items_for(firm.id)] == ["数控设备占比", "出厂检验覆盖率"]
    sheets = all_cells(result.error_file)
    assert list(sheets) == ["情况表", "又一份"]
    heading, *refused = sheets["情况表"]
    assert heading[0] == "原行号" and heading[1:4] == ["序号", "标杆(优秀)企业/地址", "项目"]
    assert heading[-1] == "错误原因"
    assert [r[0] for r in refused] == [6, 7]
    assert refused[0][-1] == "第6行 序号 (A6): 序号 2 与第5行重复"
    other = sheets["又一份"][1]
    assert other[0] == 4 and "同一家企业" in other[-1]


def test_a_ten_thousand_character_header_value_is_refused(store: Store, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["对标单位：" + "厂" * 10_000])
    workbook.active.append(["项目", "指标内容"])
    workbook.active.append(["设备", "数控化率"])
    workbook.save(tmp_path / "f.xlsx")
    plan = plan_form_import(store, tmp_path / "f.xlsx")
    assert [str(p) for p in plan.problems] == ["第1行 对标单位 (A1): 最多 100 个字，现为 10000 个"]


# -- the gate before parsing -------------------------------------------------------------


def _no_calamine(monkeypatch: pytest.MonkeyPatch) -> None:
    import python_calamine

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("calamine must not see this file")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", refuse)


def test_bombs_and_absurd_sheets_never_reach_the_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_calamine(monkeypatch)
    for name in ("zip_bomb.xlsx", "huge_dimension.xlsx"):
        with pytest.raises(UnreadableFile):
            read_sheets(fixture(name, tmp_path))


def test_cell_addresses_are_checked_even_without_a_dimension(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sheet that leaves out <dimension> (or lies in it) but has a cell far away."""
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "项目"
    workbook.active["B150000"] = "x"
    workbook.save(tmp_path / "far.xlsx")
    stripped = tmp_path / "stripped.xlsx"
    with zipfile.ZipFile(tmp_path / "far.xlsx") as source, zipfile.ZipFile(stripped, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension[^>]*>", b"", data)
                assert b"<dimension" not in data
            out.writestr(info, data)
    _no_calamine(monkeypatch)
    with pytest.raises(UnreadableFile, match="单元格范围过大"):
        read_sheets(stripped)


def test_the_gate_is_quick_for_ordinary_files(tmp_path: Path) -> None:
    """A real 2,000-row list passes the gate and reads as before."""
    workbook = openpyxl.Workbook()
    for n in range(2000):
        workbook.active.append([f"企业{n}", "京口区", n])
    workbook.save(tmp_path / "list.xlsx")
    (sheet,) = read_sheets(tmp_path / "list.xlsx")
    assert len(sheet.rows) == 2000 and readers.MAX_RATIO == 500


def test_merged_ranges_are_reported(tmp_path: Path) -> None:
    (sheet,) = read_sheets(fixture("handmade.xlsx", tmp_path))
    assert (6, 3, 8, 3) in sheet.merged  # D7:D9, the benchmark of a run of rows


# -- the fixtures are what the script makes ----------------------------------------------


def _outcome(path: Path) -> object:
    try:
        return [(s.name, s.rows, s.merged) for s in read_sheets(path)]
    except DuibiaoError as error:
        return f"{type(error).__name__}: {error.message.split('：', 1)[-1]}"


def test_committed_fixtures_match_the_script(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_fixtures", FORMS / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for made in module.write_all(tmp_path / "made"):
        committed = FORMS / made.name
        assert committed.exists(), f"run make_fixtures.py: {made.name} missing"
        assert _outcome(committed) == _outcome(made), made.name


def test_a_database_opened_elsewhere_sees_the_import(store: Store, tmp_path: Path) -> None:
    apply_form_import(store, plan_form_import(store, fixture("handmade.xls", tmp_path)))
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    try:
        assert conn.execute("SELECT count(*) FROM benchmark_item").fetchone()[0] == 3
    finally:
        conn.close()


def test_an_in_memory_store_imports_without_a_backup(tmp_path: Path) -> None:
    memory = Store.memory(clock=fixed_clock)
    result = apply_form_import(
        memory, plan_form_import(memory, fixture("two_enterprises.xlsx", tmp_path))
    )
    assert result.backup is None and memory.count_enterprises() == 2
    memory.add_enterprise(EnterpriseInput(name="x"))  # still usable


def test_a_form_sheet_without_its_columns_is_refused_and_other_sheets_ignored(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    workbook = openpyxl.Workbook()
    good = workbook.active
    good.title = "甲厂"
    good.append(["对标单位：镇江市甲厂"])
    good.append(["项目", "指标内容"])
    good.append(["设备", "数控化率"])
    broken = workbook.create_sheet("乙厂")
    broken.append(["对标单位：镇江市乙厂"])
    broken.append(["项目", "标杆水平"])
    broken.append(["设备", "90%"])
    notes = workbook.create_sheet("填表说明")
    notes.append(["请按通知要求填写。"])
    workbook.save(tmp_path / "f.xlsx")
    plan = plan_form_import(store, tmp_path / "f.xlsx")
    assert plan.ignored_sheets == ("填表说明",)
    (problem,) = plan.problems
    assert problem.sheet == "乙厂" and "缺少「指标内容」列" in problem.reason
    assert problem.row == 2
    with pytest.raises(ImportRefused):
        apply_form_import(store, plan)
    result = apply_form_import(store, plan, valid_only=True)
    assert result.rows_added == 1 and result.error_file is not None
    assert "乙厂" in all_cells(result.error_file)


# -- no input makes the reader raise anything but our own errors -------------------------

_CELL_WORDS = [
    "",
    "对标单位：甲厂",
    "对标单位",
    "地址 镇江",
    "所在行业：",
    "电话：0511-85012345",
    "单位填报人：",
    "注：报送",
    "序号",
    "项目",
    "指标内容",
    "对比结果",
    "完成时间",
    "标杆(优秀)企业/地址",
    "设备",
    "检验",
    "其他：",
    "领先",
    "落后 低 2%",
    "40359",
    "2010年13月",
    "1",
    "1",
    "续",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    grid=st.lists(
        st.lists(st.one_of(st.sampled_from(_CELL_WORDS), st.text(max_size=12)), max_size=8),
        max_size=14,
    ),
    merged=st.lists(
        st.tuples(*(st.integers(0, 15) for _ in range(4))).map(
            lambda t: (t[0], t[1], t[0] + t[2], t[1] + t[3])
        ),
        max_size=3,
    ),
)
def test_any_sheet_is_planned_or_refused_with_our_errors(
    grid: list[list[str]], merged: list[tuple[int, int, int, int]]
) -> None:
    from duibiao_tui.excel.readers import SheetData

    memory = Store.memory(clock=fixed_clock)
    try:
        sheets = [SheetData("表", grid, False, tuple(merged)), SheetData("表(续)", grid)]
        try:
            plan = plan_form_import(memory, Path("x.xlsx"), sheets=sheets)
        except DuibiaoError:
            return
        for problem in plan.problems:
            assert str(problem)
        plan.summary()
    finally:
        memory.close()


@given(st.text(max_size=40))
def test_cell_parsers_never_raise(text: str) -> None:
    split_result(text)
    map_aspect(text)
    excel_serial_date(text)
