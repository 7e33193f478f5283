"""Exports print like the originals and keep personal data private: every sheet A4
landscape, one page wide, headings repeated, a page-number footer LibreOffice has room for;
the public export masks phones and known names typed into free text and says how many;
exports holding names and phones are created 0600."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.excel.csv_export import export_csv
from duibiao_tui.excel.form_export import export_forms
from duibiao_tui.excel.masking import MASK
from duibiao_tui.excel.summary_export import export_summary
from duibiao_tui.store.store import Store


@pytest.fixture
def filled(store: Store, districts: dict[str, str]) -> str:
    enterprise = store.add_enterprise(
        EnterpriseInput(
            name="镇江市长江电器设备厂",
            district_id=districts["京口区"],
            contact_name="张三",
            phone="13912345678",
        )
    )
    store.add_item(
        enterprise.id,
        ItemInput(
            aspect="设备",
            indicator="数控化率",
            measures="由张三负责，电话 0511-85012345转8012；手机 139 1234 5678",
            remarks="王明已核对",  # the officer of the store fixture
            department="设备科",
        ),
    )
    return enterprise.id


def _sheets(path: Path) -> list[openpyxl.worksheet.worksheet.Worksheet]:
    return list(openpyxl.load_workbook(path).worksheets)


@pytest.mark.parametrize("public", [False, True])
def test_every_summary_sheet_prints_landscape_one_page_wide(
    store: Store, filled: str, tmp_path: Path, public: bool
) -> None:
    path = tmp_path / "汇总.xlsx"
    export_summary(store, path, public=public)
    for ws in _sheets(path):
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.paperSize in (9, "9")
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows, ws.title
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
        assert ws.page_margins.bottom - ws.page_margins.footer >= 0.5  # room for the footer


def test_the_form_prints_with_room_for_its_footer(
    store: Store, filled: str, tmp_path: Path
) -> None:
    path = tmp_path / "情况表.xlsx"
    export_forms(store, [filled], path)
    (ws,) = _sheets(path)
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows
    assert ws.page_margins.bottom - ws.page_margins.footer >= 0.5


def _all_text(path: Path) -> str:
    return "\n".join(
        str(cell.value)
        for ws in _sheets(path)
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None
    )


def test_the_public_export_masks_phones_and_names_in_free_text(
    store: Store, filled: str, tmp_path: Path
) -> None:
    path = tmp_path / "公开版.xlsx"
    result = export_summary(store, path, public=True)
    text = _all_text(path)
    for secret in ("张三", "王明", "13912345678", "85012345", "139 1234 5678"):
        assert secret not in text
    assert f"由{MASK}负责，电话 {MASK}；手机 {MASK}" in text
    assert f"{MASK}已核对" in text
    assert "镇江市长江电器设备厂" in text and "设备科" in text  # the rest as written
    # 对标项目: 3 in the plan + 1 in 备注; 提升措施跟踪 repeats the plan: 3 more
    assert result.warnings[-1] == f"公开版的自由文本中隐去了 7 处电话号码或姓名（以 {MASK} 代替）"


def test_public_csv_masks_too(store: Store, filled: str, tmp_path: Path) -> None:
    result = export_csv(store, tmp_path, public=True)
    text = "".join(p.read_text(encoding="utf-8-sig") for p in result.paths)
    assert "张三" not in text and "13912345678" not in text and MASK in text
    assert "隐去了" in result.warnings[-1]
    rows = list(csv.reader((tmp_path / result.paths[1].name).open(encoding="utf-8-sig")))
    assert rows[0][0] == "企业名称"


def test_personal_exports_are_created_0600(store: Store, filled: str, tmp_path: Path) -> None:
    summary = tmp_path / "汇总.xlsx"
    export_summary(store, summary)
    form = tmp_path / "情况表.xlsx"
    export_forms(store, [filled], form)
    (tmp_path / "csv").mkdir()
    csvs = export_csv(store, tmp_path / "csv").paths
    for path in (summary, form, *csvs):
        assert path.stat().st_mode & 0o777 == 0o600, path.name


def _sheet_columns(path: Path, sheet: str, wanted: set[str]) -> dict[str, list[object]]:
    """The columns of ``sheet`` whose heading is in ``wanted``, by heading."""
    ws = openpyxl.load_workbook(path, read_only=True)[sheet]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return {
        heading: [row[index] for row in rows[1:]]
        for index, heading in enumerate(rows[0])
        if heading in wanted
    }


def test_the_summary_round_trips_through_the_forms(tmp_path: Path) -> None:
    """A district's summary, and the summary of a database that only received that
    district's 情况表 (exported, imported): what the form carries is the same, cell for cell
    — 序号, 标杆(优秀)企业/地址, percentages, 完成时间 as written — in the same order."""
    from duibiao_tui.demo import fill_demo
    from duibiao_tui.excel.form_export import FORM_COLUMNS
    from duibiao_tui.excel.form_import import apply_form_import, plan_form_import
    from duibiao_tui.excel.lookup import live_enterprise_ids
    from tests.conftest import fixed_clock

    source = Store.open(tmp_path / "source.db", officer="甲", clock=fixed_clock)
    fill_demo(source, enterprises=8, seed=5)
    export_summary(source, tmp_path / "first.xlsx")
    forms = export_forms(source, live_enterprise_ids(source), tmp_path / "forms.xlsx")
    source.close()
    target = Store.open(tmp_path / "target.db", officer="乙", clock=fixed_clock)
    plan = plan_form_import(target, forms.path)
    assert plan.refused == 0, [str(p) for p in plan.problems]
    apply_form_import(target, plan)
    export_summary(target, tmp_path / "again.xlsx")
    target.close()
    carried = {"企业名称", "辖市区", "序号", *FORM_COLUMNS}
    one = _sheet_columns(tmp_path / "first.xlsx", "对标项目", carried)
    two = _sheet_columns(tmp_path / "again.xlsx", "对标项目", carried)
    assert {"企业名称", "序号", "标杆(优秀)企业/地址", "标杆水平", "完成时间"} <= set(one)
    assert len(one["序号"]) == forms.rows
    for heading, cells in one.items():
        assert two[heading] == cells, heading
    people = {"企业名称", "辖市区", "主导产品", "单位填报人", "电话"}
    assert _sheet_columns(tmp_path / "again.xlsx", "企业名单", people) == _sheet_columns(
        tmp_path / "first.xlsx", "企业名单", people
    )
