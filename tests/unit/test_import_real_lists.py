"""An enterprise list as districts send it (tests/fixtures/forms/real/real_list.xlsx): the
header says 所在辖区, a look-alike column nobody maps, a row hidden by a filter, a 合计 row
whose formula Excel never computed. Also the Unicode edge: NFKC before a credit code is
checked, invisible characters out of stored names."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from duibiao_tui.domain.identifiers import parse_identifier
from duibiao_tui.domain.text import clean, name_key, normalise_code
from duibiao_tui.excel.enterprise_import import apply_enterprise_import, plan_enterprise_import
from duibiao_tui.excel.headers import find_header
from duibiao_tui.store.store import Store

REAL = Path(__file__).parents[1] / "fixtures" / "forms" / "real"


def test_the_list_parses_row_by_row(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "real_list.xlsx"
    shutil.copy(REAL / "real_list.xlsx", path)
    districts = {d.id: d.name for d in store.districts()}
    plan = plan_enterprise_import(store, path)
    assert plan.refused == 0
    assert [(r.row, r.action, r.name, districts[r.data.district_id]) for r in plan.rows] == [
        (3, "new", "镇江市甲电器有限公司", "京口区"),
        (4, "new", "镇江市乙机械有限公司", "京口区"),  # 京口 → 京口区
        (5, "new", "镇江市丙化工有限公司", "润州区"),
    ]
    # Every 提示 the CLI prints is in plan.warnings too, which F7 lists after the problems.
    check_digit = "主体标识码（第 9–17 位）校验位不符，应为 7，请核对"
    assert plan.warnings == [
        "工作表「企业名单」 未识别的列（不导入）：辖区代号",
        "工作表「企业名单」 列「辖区代号」看起来是「辖市区」，但没有对应上，这一列没有导入；"
        "如需导入，请把列名改为「辖市区」",
        "工作表「企业名单」 单元格 B7 是公式，文件中没有计算结果，按空白读取"
        "（请在 Excel 中打开并保存后再导入）",
        "工作表「企业名单」 第6行是隐藏行，未导入",
        "工作表「企业名单」 第7行是合计行，未导入",
        *(f"工作表「企业名单」 第{row}行：{check_digit}" for row in (3, 4, 5)),
    ]
    result = apply_enterprise_import(store, plan)  # whole, in the default mode
    assert result.added == 3 and store.count_enterprises() == 3


@pytest.mark.parametrize(
    "heading",
    [
        "辖市区",
        "辖区",
        "所在辖区",
        "所属辖区",
        "所属辖市区",
        "区县",
        "县区",
        "所在区县",
        "县(市、区)",
        "所在县（市、区）",
        "辖市（区）",
    ],
)
def test_every_usual_district_heading_maps(heading: str) -> None:
    header = find_header([["企业名称", heading]], "名单")
    assert header.columns == {"name": 0, "district": 1}


def test_nfkc_before_the_credit_code_is_checked() -> None:
    # Ⅿ (U+216F ROMAN NUMERAL ONE THOUSAND) and 𝐀 (mathematical bold A) are M and A
    typed = "91321102\u216f\U0001d400" + "1XXXXX07"
    assert normalise_code(typed) == "91321102MA1XXXXX07"
    found = parse_identifier(typed)
    assert found is not None and found.value == "91321102MA1XXXXX07"


def test_invisible_characters_leave_stored_names() -> None:
    typed = "镇江\u200b市长江\u200d电器\u200e设备厂\u202e"
    assert clean(typed) == "镇江市长江电器设备厂"
    assert name_key(typed) == name_key("镇江市长江电器设备厂")


def test_a_zero_width_name_is_stored_clean(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["企业名称", "所在辖区"])
    wb.active.append(["镇江市长江\u200b电器设备厂", "京口区"])
    wb.save(path)
    apply_enterprise_import(store, plan_enterprise_import(store, path))
    (name,) = [r[0] for r in store.conn.execute("SELECT name FROM enterprise")]
    assert name == "镇江市长江电器设备厂"


def test_a_summary_workbook_imports_its_enterprise_list_whole(tmp_path: Path) -> None:
    """The app's own summary (企业名单 beside 对标项目, 提升措施跟踪, 推介与推荐): the list is
    imported, the sheets about its enterprises are skipped and said (their rows used to be
    refused one by one as repeats, which blocked the whole file)."""
    from duibiao_tui.demo import fill_demo
    from duibiao_tui.excel.summary_export import export_summary
    from tests.conftest import fixed_clock

    source = Store.open(tmp_path / "source.db", officer="甲", clock=fixed_clock)
    fill_demo(source, enterprises=6, seed=3)
    summary = export_summary(source, tmp_path / "汇总.xlsx").path
    names = {r[0] for r in source.conn.execute("SELECT name FROM enterprise")}
    source.close()
    target = Store.open(tmp_path / "target.db", officer="乙", clock=fixed_clock)
    plan = plan_enterprise_import(target, summary)
    assert plan.refused == 0, [str(p) for p in plan.problems]
    assert {r.name for r in plan.rows if r.action == "new"} == names
    assert [w for w in plan.warnings if "明细" in w] == [
        f"工作表「{sheet}」 的企业都已在工作表「企业名单」中，这张表是它们的明细"
        "（不是企业名单），未导入"
        for sheet in ("对标项目", "提升措施跟踪", "推介与推荐")
    ]
    apply_enterprise_import(target, plan)
    assert target.count_enterprises() == len(names)
    target.close()


def _two_sheets(path: Path, second: list[list[str]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "京口区"
    ws.append(["企业名称", "辖市区", "联系电话"])
    ws.append(["镇江市甲电器有限公司", "京口区", "0511-85012345"])
    ws.append(["镇江市乙机械有限公司", "京口区", ""])
    other = wb.create_sheet("第二张")
    for row in second:
        other.append(row)
    wb.save(path)
    return path


def test_a_second_list_is_still_read(store: Store, tmp_path: Path) -> None:
    """Other enterprises on the second sheet are imported; the same enterprises with their
    details (a revised copy) stay repeats the officer must look at, never skipped."""
    others = _two_sheets(
        tmp_path / "两个辖区.xlsx",
        [["企业名称", "辖市区"], ["镇江市丙化工有限公司", "润州区"]],
    )
    plan = plan_enterprise_import(store, others)
    assert plan.refused == 0 and plan.new == 3
    copy = _two_sheets(
        tmp_path / "修订.xlsx",
        [
            ["企业名称", "辖市区", "联系电话"],
            ["镇江市甲电器有限公司", "京口区", "0511-85099999"],
        ],
    )
    plan = plan_enterprise_import(store, copy)
    assert plan.refused == 1 and not any("明细" in w for w in plan.warnings)


def test_f7_guesses_a_list_for_the_summary_workbook(tmp_path: Path) -> None:
    """The summary's 对标项目 has 项目 and 指标内容, but a 企业名称 column of its own: the
    workbook is offered as 企业名单 (its list imports whole), while real 情况表 stay forms."""
    from duibiao_tui.demo import fill_demo
    from duibiao_tui.excel.form_import import guess_kind
    from duibiao_tui.excel.summary_export import export_summary
    from tests.conftest import fixed_clock

    source = Store.open(tmp_path / "source.db", officer="甲", clock=fixed_clock)
    fill_demo(source, enterprises=3, seed=3)
    summary = export_summary(source, tmp_path / "汇总.xlsx").path
    source.close()
    assert guess_kind(summary) == "enterprises"
    for name in ("real_form.xlsx", "real_form_lo.xlsx", "real_form.xls"):
        shutil.copy(REAL / name, tmp_path / f"回收{Path(name).suffix}")
        assert guess_kind(tmp_path / f"回收{Path(name).suffix}") == "form", name
