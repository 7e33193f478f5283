"""Filled 情况表 made the way real ones are (tests/fixtures/forms/real/make_real.py): in
Excel's layout with the notice's two-level heading, and re-saved by LibreOffice as .xlsx and
.xls. Each fixture's parse is stated field by field; then what is stored, and the round trip
export → import → export."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from duibiao_tui.domain.dates import ImpossibleDate, read_due
from duibiao_tui.domain.item_rules import (
    MEASURES_MAX,
    ItemInput,
    item_warnings,
    validate_item,
)
from duibiao_tui.errors import ValidationFailed
from duibiao_tui.excel.cell_display import format_number
from duibiao_tui.excel.form_export import export_forms
from duibiao_tui.excel.form_import import apply_form_import, plan_form_import
from duibiao_tui.excel.readers import read_sheets
from duibiao_tui.store.store import Store
from tests.conftest import fixed_clock

REAL = Path(__file__).parents[1] / "fixtures" / "forms" / "real"
ENTERPRISE = "镇江市长江电器设备厂"
ZHENGTAI = ("正泰电气股份有限公司", "上海市松江区思贤路3255号")
ABC = ("ABC电气有限公司", "南京市江宁区天元路1号")

FIELDS = (
    "seq",
    "benchmark",
    "aspect",
    "indicator",
    "level",
    "verdict",
    "result",
    "measures",
    "department",
    "due_text",
    "remarks",
)
EXPECTED_ROWS = [
    (
        "1",
        ZHENGTAI,
        "设备",
        "数控冲床数量",
        "12台",  # 0"台"
        "落后",
        "本企业 8 台",
        "1. 2010年购置数控冲床 2 台\n2. 培训操作工",  # the line break kept
        "设备科",
        "2010年6月30日",  # a date cell formatted yyyy"年"m"月"d"日"
        "",
    ),
    (
        "2",
        ZHENGTAI,  # merged over rows 5–6
        "工艺",
        "产品一次交验合格率",
        "98.5%",  # 0.0%
        "落后",
        "",
        "引进在线检测",
        "质检科",
        "长期",
        "",
    ),
    (
        "3",
        ZHENGTAI,  # 同上, 同上
        "质量管理制度",  # 质量管理, said
        "年产值",
        "123,456,789",  # #,##0
        "持平",
        "",
        "扩大产能",
        "生产部",
        "2011年底",
        "见附件",
    ),
    (
        "5",  # the form skips 4: kept
        ABC,
        "检验把关",  # 检验, said
        "检验设备精度",
        "0.50",  # 0.00
        "领先",
        "",
        "保持",
        "技术部",
        "每季度",
        "",
    ),
]
EXPECTED_WARNINGS = [
    "工作表「情况表」 第7行 标杆（优秀）企业/地址「同上」按上一行「正泰电气股份有限公司」导入",
    "工作表「情况表」 第7行 地址「同上」按上一行「上海市松江区思贤路3255号」导入",
    "工作表「情况表」 第5行：标杆企业「正泰电气股份有限公司/上海市松江区思贤路…」不在标杆库中，"
    "导入时加入标杆库（名称和地址）",
    "工作表「情况表」 第6行：完成时间「长期」不是日期，按原文保存，完成日期未定",
    "工作表「情况表」 第7行：项目「质量管理」按「质量管理制度」导入",
    "工作表「情况表」 第8行：项目「检验」按「检验把关」导入",
    "工作表「情况表」 第8行：标杆企业「ABC电气有限公司/南京市江宁区天元路1…」不在标杆库中，"
    "导入时加入标杆库（名称和地址）",
    "工作表「情况表」 第8行：完成时间「每季度」不是日期，按原文保存，完成日期未定",
]


def copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copy(REAL / name, target)
    return target


def parsed(plan: object) -> list[tuple[object, ...]]:
    out = []
    for item in plan.items:  # type: ignore[attr-defined]
        d = item.data
        benchmark = item.new_benchmark or d.benchmark_text
        out.append(
            (
                item.seq,
                benchmark,
                d.aspect,
                d.indicator,
                d.benchmark_level,
                d.verdict,
                d.result_text,
                d.measures,
                d.department,
                d.due_text,
                d.remarks,
            )
        )
    return out


@pytest.mark.parametrize("name", ["real_form.xlsx", "real_form_lo.xlsx", "real_form.xls"])
def test_the_form_parses_field_by_field(store: Store, tmp_path: Path, name: str) -> None:
    plan = plan_form_import(store, copy(name, tmp_path))
    assert plan.refused == 0 and plan.problems == []
    (form,) = plan.forms
    assert (form.name, form.action) == (ENTERPRISE, "new")
    assert form.data is not None
    assert form.data.address == "镇江市京口区学府路88号"
    assert form.data.main_products == "高低压开关柜"
    assert (form.data.contact_name, form.data.phone) == ("张三", "0511-85012345")
    assert (form.filled_on_text, form.filled_on) == ("2009年10月15日", "2009-10-15")
    assert [dict(zip(FIELDS, row, strict=True)) for row in parsed(plan)] == [
        dict(zip(FIELDS, row, strict=True)) for row in EXPECTED_ROWS
    ]
    assert [i.seq_number for i in plan.items] == [1, 2, 3, 5]
    assert plan.warnings == EXPECTED_WARNINGS


def test_stored_as_written_with_addresses_seq_and_filled_on(store: Store, tmp_path: Path) -> None:
    plan = plan_form_import(store, copy("real_form.xlsx", tmp_path))
    apply_form_import(store, plan)
    (enterprise_id,) = [r[0] for r in store.conn.execute("SELECT id FROM enterprise")]
    items = store.items_for(enterprise_id)
    assert [i.seq for i in items] == [1, 2, 3, 5]
    assert [i.benchmark_label for i in items] == [
        "/".join(ZHENGTAI),
        "/".join(ZHENGTAI),
        "/".join(ZHENGTAI),
        "/".join(ABC),
    ]
    library = {(b.name, b.address) for b in store.benchmarks()}
    assert library == {ZHENGTAI, ABC}  # one entry however many rows name it
    assert [(i.due_text, i.due_date) for i in items] == [
        ("2010年6月30日", "2010-06-30"),
        ("长期", None),
        ("2011年底", "2011-12-31"),
        ("每季度", None),
    ]
    assert [i.benchmark_level for i in items] == ["12台", "98.5%", "123,456,789", "0.50"]
    assert store.filled_on(enterprise_id) == ("2009年10月15日", "2009-10-15")


def _cells(path: Path) -> list[list[object]]:
    ws = openpyxl.load_workbook(path).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_round_trip_export_import_export(store: Store, tmp_path: Path) -> None:
    apply_form_import(store, plan_form_import(store, copy("real_form.xlsx", tmp_path)))
    ids = [r[0] for r in store.conn.execute("SELECT id FROM enterprise")]
    first = tmp_path / "first.xlsx"
    export_forms(store, ids, first)
    other = Store.open(tmp_path / "other.db", officer="王明", clock=fixed_clock)
    try:
        apply_form_import(other, plan_form_import(other, first))
        again = tmp_path / "again.xlsx"
        export_forms(other, [r[0] for r in other.conn.execute("SELECT id FROM enterprise")], again)
    finally:
        other.close()
    cells = _cells(first)
    assert cells == _cells(again)
    flat = [str(v) for row in cells for v in row if v is not None]
    assert "98.5%" in flat and "123,456,789" in flat and "/".join(ZHENGTAI) in flat
    seqs = [row[0] for row in cells if isinstance(row[0], int)]
    assert seqs == [1, 2, 3, 5]


def test_a_fixed_row_goes_back_under_its_number(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Row 3 refused (an impossible date), the rest imported: 1, 2, 4 keep their 序号; the
    fixed row imported again lands at 3, not at the end."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "form.xlsx"

    def write(due3: str) -> None:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "情况表"
        ws.append([f"对标单位：{ENTERPRISE}"])
        ws.append(["序号", "标杆企业", "项目", "指标内容", "完成时间"])
        ws.append([1, "甲", "设备", "指标一", "2010年底"])
        ws.append([2, "甲", "工艺", "指标二", "长期"])
        ws.append([3, "甲", "性能", "指标三", due3])
        ws.append([4, "甲", "档次", "指标四", ""])
        wb.save(path)

    write("2010年2月30日")
    plan = plan_form_import(store, path)
    assert [str(p) for p in plan.problems] == [
        "第5行 完成时间 (E5): 2010年2月没有30日，请写成 2010-06-30、2010年6月 或 2010年底"
    ]
    apply_form_import(store, plan, valid_only=True)
    (enterprise_id,) = [r[0] for r in store.conn.execute("SELECT id FROM enterprise")]
    assert [(i.seq, i.indicator) for i in store.items_for(enterprise_id)] == [
        (1, "指标一"),
        (2, "指标二"),
        (4, "指标四"),
    ]
    write("2010年2月28日")
    apply_form_import(store, plan_form_import(store, path))
    items = store.items_for(enterprise_id)
    assert [(i.seq, i.indicator) for i in items] == [
        (1, "指标一"),
        (2, "指标二"),
        (3, "指标三"),
        (4, "指标四"),
    ]
    assert items[2].due_date == "2010-02-28"  # never rolled over into March


@pytest.mark.parametrize("text", ["长期", "持续", "常年", "2010年起", "每季度", "明年"])
def test_free_text_due_is_kept_without_a_date(text: str) -> None:
    item = validate_item(ItemInput(aspect="设备", indicator="x", due_text=text))
    assert (item.due_text, item.due_date) == (text, None)
    assert item_warnings(item) == [f"完成时间「{text}」不是日期，按原文保存，完成日期未定"]


@pytest.mark.parametrize("text", ["2010年2月30日", "2010-02-30", "2010年13月", "2910年底"])
def test_impossible_dates_stay_problems(text: str) -> None:
    with pytest.raises(ImpossibleDate):
        read_due(text)
    with pytest.raises(ValidationFailed):
        validate_item(ItemInput(aspect="设备", indicator="x", due_text=text))


def test_long_plans_are_kept_whole_and_warned() -> None:
    plan = "措" * MEASURES_MAX
    item = validate_item(ItemInput(aspect="设备", indicator="x", measures=plan))
    assert item.measures == plan and MEASURES_MAX == 32_767
    assert item_warnings(item) == [
        "提升计划和措施共 32767 字，已完整保存；超过 1000 字打印情况表时单元格可能显示不全"
    ]
    with pytest.raises(ValidationFailed) as caught:
        validate_item(ItemInput(aspect="设备", indicator="x", measures=plan + "施"))
    assert caught.value.errors[0].reason == "最多 32767 个字，现为 32768 个"


@pytest.mark.parametrize(
    ("value", "code", "shown"),
    [
        (0.985, "0.0%", "98.5%"),
        (0.5, "0%", "50%"),
        (12345.5, "#,##0.00", "12,345.50"),
        (3.14159, "0.00", "3.14"),
        (2.5, "0.0#", "2.5"),
        (40359, 'yyyy"年"m"月"d"日"', "2010年6月30日"),
        (40359, '[$-804]YYYY"年"M"月"', "2010年6月"),
        (40359, 'm"月"d"日"', "6月30日"),
        (1234.5, "[$¥-804]#,##0.00", "¥1,234.50"),
        (-1234, "#,##0;(#,##0)", "(1,234)"),
        (15, '0"台"', "15台"),
        (0.5, "General", None),
        (40359, "yyyy-mm-dd", None),  # a plain date stays ISO, as read
        (1.5e-5, "0.00E+00", None),
    ],
)
def test_number_formats_as_shown(value: float, code: str, shown: str | None) -> None:
    assert format_number(value, code) == shown


def test_a_sheet_declaring_the_whole_grid_is_judged_by_its_content(tmp_path: Path) -> None:
    """LibreOffice-style: <dimension ref="A1:XFD1048576"> and a formatted empty cell far
    away, but five cells of content: read, not refused."""
    import re
    import zipfile

    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    for i in range(1, 6):
        ws.cell(i, 1, f"v{i}")
    ws["XFD1048576"].font = Font(bold=True)
    wb.save(tmp_path / "a.xlsx")
    target = tmp_path / "whole.xlsx"
    with zipfile.ZipFile(tmp_path / "a.xlsx") as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data)
            out.writestr(info, data)
    (sheet,) = read_sheets(target)
    assert sheet.rows == [["v1"], ["v2"], ["v3"], ["v4"], ["v5"]]


def test_from_another_enterprise_page_a_named_form_goes_to_its_own(
    store: Store, districts: dict[str, str], tmp_path: Path
) -> None:
    """F7 opened on some enterprise's page (not strict): a form naming its enterprise is
    imported as named, with a 提示; the CLI's --enterprise (strict) refuses it."""
    from duibiao_tui.domain.models import EnterpriseInput

    page = store.add_enterprise(
        EnterpriseInput(name="镇江市另一家工厂", district_id=districts["润州区"])
    ).id
    path = copy("real_form.xlsx", tmp_path)
    lenient = plan_form_import(store, path, enterprise_id=page, enterprise_strict=False)
    assert lenient.refused == 0
    assert [f.name for f in lenient.forms] == [ENTERPRISE]
    assert (
        "工作表「情况表」 表头写的是「镇江市长江电器设备厂」，按表头导入"
        "（不是打开导入时的企业「镇江市另一家工厂」）"
    ) in lenient.warnings
    strict = plan_form_import(store, path, enterprise_id=page)
    assert strict.refused and strict.forms[0].action == "refused"


def test_skipped_heading_repeats_and_reserved_rows_are_said(store: Store, tmp_path: Path) -> None:
    """A form printed over two pages and retyped repeats its headings; a form with numbered
    empty rows reserved for more: both are skipped, and the preview says which rows."""
    path = tmp_path / "form.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "情况表"
    headings = ["序号", "标杆企业", "项目", "指标内容", "完成时间"]
    ws.append([f"对标单位：{ENTERPRISE}"])
    ws.append(headings)
    ws.append([1, "甲", "设备", "指标一", "2010年底"])
    ws.append(headings)  # row 4: the second page's headings
    ws.append([2, "甲", "工艺", "指标二", "2011年底"])
    for n in (3, 4, 5):  # rows 6–8: numbered, empty
        ws.append([n])
    ws.append([])
    ws.append([6])  # row 10
    wb.save(path)
    plan = plan_form_import(store, path)
    assert plan.refused == 0 and [i.seq for i in plan.items] == ["1", "2"]
    assert "工作表「情况表」 第4行是换页重复的列标题，未导入" in plan.warnings
    assert "工作表「情况表」 第6–8、10行只有序号、没有内容（空白的预留行），未导入" in plan.warnings
