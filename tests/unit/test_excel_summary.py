"""The summary workbook and its public version, read back with openpyxl: sheets, headings,
column order, frozen panes, autofilter, the chart, counts against the database, filters,
formula-looking text, and no personal data in the public one."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from duibiao_tui.domain.campaigns import CampaignInput
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.measures import MeasureQuery
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.domain.recognition import DEFAULT_EDITION, RecognitionInput
from duibiao_tui.domain.reference import REVIEW_STATUSES
from duibiao_tui.domain.review import Receipt, ReviewQuery
from duibiao_tui.errors import DuibiaoError, FileExistsRefused, NotFoundError
from duibiao_tui.excel.form_export import display_width
from duibiao_tui.excel.queries import find_campaign
from duibiao_tui.excel.summary_export import export_summary, summary_filename
from duibiao_tui.store.export_tables import (
    ENTERPRISE_SPEC,
    ITEM_SPEC,
    MEASURE_SPEC,
    RECOGNITION_SPEC,
)
from duibiao_tui.store.store import Store
from tests.functional.test_measures_keys import CHANGJIANG, HUATONG, with_measures

PEOPLE = {
    "contact": "赵建国",
    "mobile": "13905281234",
    "mobile_e164": "+8613905281234",
    "landline": "0511-85012345",
    "landline_e164": "+8651185012345",
    "handed_in_by": "质量部 孙丽华",
    "officer": "王明",
    "return_comment": "请补充第3行标杆水平的数据来源",
    "approve_comment": "材料齐全，同意报送",
}
"""Personal data the seed writes; none of it may appear in a public export."""
CONTACT_FIRM = "镇江市联系人测试机械厂"
FORMULA_ROW = ItemInput(
    aspect="设备",
    indicator="=SUM(A1:A3)",
    benchmark_level="+5%",
    measures="-加强进货检验",
    department="@质量部",
    due_text="2010年底",
)
SHEETS = ["汇总", "企业名单", "对标项目", "提升措施跟踪", "推介与推荐"]


def with_review(store: Store, seeded: dict[str, str]) -> dict[str, str]:
    """``seeded`` plus one enterprise with a contact and a mobile, rows with measures (some
    overdue, one formula-looking), statuses with a receipt and comments, and recognitions.
    Returns name → id (the new enterprise included)."""
    ids = dict(seeded)
    districts = {d.name: d.id for d in store.districts()}
    ids[CONTACT_FIRM] = store.add_enterprise(
        EnterpriseInput(
            name=CONTACT_FIRM,
            district_id=districts["京口区"],
            contact_name=PEOPLE["contact"],
            phone=PEOPLE["mobile"],
        )
    ).id
    with_measures(store, seeded)
    store.add_item(ids[CONTACT_FIRM], FORMULA_ROW)
    receipt = Receipt(date(2009, 10, 6), PEOPLE["handed_in_by"], True, True)
    store.change_status([ids[CHANGJIANG], ids[CONTACT_FIRM]], "已报送", receipt=receipt)
    store.change_status([ids[CHANGJIANG]], "退回修改", PEOPLE["return_comment"])
    store.change_status([ids[HUATONG]], "已报送", receipt=receipt)
    store.change_status([ids[HUATONG]], "已通过", PEOPLE["approve_comment"])
    store.add_recognition(
        ids[CHANGJIANG], RecognitionInput(kind="推介", method="简报", event_date="2009-10-05")
    )
    store.add_recognition(
        ids[HUATONG],
        RecognitionInput(
            kind="推荐申报",
            award_year="2009",
            outcome="已推荐",
            edition=DEFAULT_EDITION,
            scores={"4.1": "80", "4.2": "60.5"},
        ),
    )
    return ids


@pytest.fixture
def reviewed(store: Store, seeded: dict[str, str]) -> dict[str, str]:
    return with_review(store, seeded)


def rows_of(ws: Worksheet) -> list[tuple[Any, ...]]:
    return list(ws.iter_rows(values_only=True))


def records(ws: Worksheet) -> list[dict[str, Any]]:
    """A flat sheet's data rows as heading → value."""
    heading, *rows = rows_of(ws)
    return [dict(zip(heading, row, strict=True)) for row in rows]


def every_text(workbook: openpyxl.Workbook) -> str:
    """All cell values of all sheets as one string."""
    parts = []
    for ws in workbook.worksheets:
        for row in ws.iter_rows(values_only=True):
            parts.extend(str(v) for v in row if v is not None)
    return "\n".join(parts)


def export(store: Store, tmp_path: Path, **kwargs: Any) -> tuple[Any, openpyxl.Workbook]:
    target = tmp_path / "out" / "汇总.xlsx"
    result = export_summary(store, target, force=True, **kwargs)
    return result, openpyxl.load_workbook(result.path)


# -- layout ------------------------------------------------------------------------------


def test_sheets_headings_and_column_order(
    store: Store, reviewed: dict[str, str], tmp_path: Path
) -> None:
    _, wb = export(store, tmp_path)
    assert wb.sheetnames == SHEETS
    for title, spec in (
        ("企业名单", ENTERPRISE_SPEC),
        ("对标项目", ITEM_SPEC),
        ("提升措施跟踪", MEASURE_SPEC),
        ("推介与推荐", RECOGNITION_SPEC),
    ):
        heading = rows_of(wb[title])[0]
        assert list(heading) == [column.label for column, _ in spec], title
    assert rows_of(wb["对标项目"])[0][:6] == (
        "企业名称",
        "辖市区",
        "序号",
        "标杆(优秀)企业/地址",
        "项目",
        "指标内容",
    )
    summary = wb["汇总"]
    assert summary["A1"].value == "2009年质量标杆对比活动 — 汇总"
    assert "全部辖市区 · 全部状态" in summary["A2"].value
    assert [c.value for c in summary[4]] == ["辖市区", *REVIEW_STATUSES, "合计"]
    assert summary["A4"].font.bold


def test_frozen_heading_autofilter_and_widths(
    store: Store, reviewed: dict[str, str], tmp_path: Path
) -> None:
    _, wb = export(store, tmp_path)
    assert wb["汇总"].freeze_panes == "A5"
    for title in SHEETS[1:]:
        ws = wb[title]
        assert ws.freeze_panes == "A2", title
        last_column = openpyxl.utils.get_column_letter(ws.max_column)
        assert ws.auto_filter.ref == f"A1:{last_column}{ws.max_row}", title
        assert ws["A1"].font.bold and ws["A1"].fill.fgColor.rgb.endswith("DDEBF7")
    names = wb["企业名单"]
    longest = max(display_width(r["企业名称"]) for r in records(names))
    # Chinese counts double: the widest name (13 characters) needs 26 + margin.
    assert names.column_dimensions["A"].width == longest + 2
    assert names.column_dimensions["C"].width >= 20  # 18-character credit codes fit


def test_chart_of_status_by_district(
    store: Store, reviewed: dict[str, str], tmp_path: Path
) -> None:
    _, wb = export(store, tmp_path)
    charts = wb["汇总"]._charts
    assert len(charts) == 1
    chart = charts[0]
    assert chart.grouping == "stacked" and chart.type == "col"
    assert len(chart.series) == len(REVIEW_STATUSES)
    first = chart.series[0]
    assert first.tx.strRef.f == "'汇总'!B4"  # the heading 未报送
    last = 4 + len(store.districts())
    categories = first.cat.strRef or first.cat.numRef
    assert categories.f == f"'汇总'!$A$5:$A${last}"
    assert first.val.numRef.f == f"'汇总'!$B$5:$B${last}"


# -- counts against the database ------------------------------------------------------------


def test_counts_equal_the_database(store: Store, reviewed: dict[str, str], tmp_path: Path) -> None:
    result, wb = export(store, tmp_path)
    figures = store.dashboard()
    summary = rows_of(wb["汇总"])
    districts = {name: row for name, *row in summary[4 : 4 + len(figures.districts)]}
    for district_id, name in figures.districts:
        counts = figures.status_by_district.get(district_id, {})
        expected = [counts.get(s, 0) for s in REVIEW_STATUSES]
        assert list(districts[name]) == [*expected, sum(expected)], name
    total_row = summary[4 + len(figures.districts)]
    assert total_row[0] == "合计"
    assert total_row[-1] == figures.enterprises == store.count_enterprises() == 7

    enterprises = records(wb["企业名单"])
    assert len(enterprises) == 7 == result.counts["企业名单"]
    review = {r.name: r for r in store.review_rows(ReviewQuery())}
    for row in enterprises:
        expected = review[row["企业名称"]]
        assert row["状态"] == expected.status
        assert row["对标行数"] == expected.items
        assert row["逾期措施数"] == expected.overdue
    changjiang = next(r for r in enterprises if r["企业名称"] == CHANGJIANG)
    assert changjiang["收到日期"].date() == date(2009, 10, 6)
    assert changjiang["审核人"] == "王明"
    assert changjiang["最近意见"] == PEOPLE["return_comment"]
    assert changjiang["报送人"] == PEOPLE["handed_in_by"]

    items = store.conn.execute(
        "SELECT count(*) FROM benchmark_item WHERE deleted_at IS NULL"
    ).fetchone()[0]
    assert len(records(wb["对标项目"])) == items == result.counts["对标项目"] == 8
    measures = records(wb["提升措施跟踪"])
    assert len(measures) == len(store.measures(MeasureQuery())) == 7
    shown = {(r.enterprise_name, r.seq): r.shown for r in store.measures(MeasureQuery())}
    for row in measures:
        assert row["落实情况"] == shown[(row["企业名称"], row["序号"])]
    assert {r["落实情况"] for r in measures} >= {"逾期", "未开始"}
    recognitions = records(wb["推介与推荐"])
    assert [(r["企业名称"], r["类别"]) for r in recognitions] == [
        (CHANGJIANG, "推介"),
        (HUATONG, "推荐申报"),
    ]
    assert recognitions[1]["自评总分"] == pytest.approx(140.5)
    assert recognitions[0]["方式"] == "简报"
    assert result.rows == 7 + 8 + 7 + 2
    assert "企业 7 家" in result.words


def test_item_rows_in_form_order_with_verdict_and_state(
    store: Store, reviewed: dict[str, str], tmp_path: Path
) -> None:
    _, wb = export(store, tmp_path)
    rows = [r for r in records(wb["对标项目"]) if r["企业名称"] == CHANGJIANG]
    assert [r["序号"] for r in rows] == [1, 2]
    first = rows[0]
    assert first["项目"] == "设备" and first["结论"] == "落后"
    assert first["完成时间"] == "2009年6月" and first["落实情况"] == "逾期"
    assert first["提升计划和措施"].startswith("2010 年引进数控折弯机")


# -- filters -------------------------------------------------------------------------------


def test_district_filter_applies_to_every_sheet(
    store: Store, reviewed: dict[str, str], districts: dict[str, str], tmp_path: Path
) -> None:
    result, wb = export(store, tmp_path, district_id=districts["京口区"])
    wanted = {CHANGJIANG, "镇江市联系人测试机械厂"}
    for title in SHEETS[1:]:
        names = {r["企业名称"] for r in records(wb[title])}
        assert names <= wanted, title
        assert {r["辖市区"] for r in records(wb[title])} <= {"京口区"}
    assert {r["企业名称"] for r in records(wb["企业名单"])} == wanted
    summary = rows_of(wb["汇总"])
    assert [row[0] for row in summary[4:6]] == ["京口区", "合计"]
    assert summary[5][-1] == 2
    assert "京口区 · 全部状态" in summary[1][0]
    assert result.counts["推介与推荐"] == 1


def test_status_filter_applies_to_every_sheet(
    store: Store, reviewed: dict[str, str], tmp_path: Path
) -> None:
    _, wb = export(store, tmp_path, status="已通过")
    for title in SHEETS[1:]:
        assert {r["企业名称"] for r in records(wb[title])} == {HUATONG}, title
    assert [c.value for c in wb["汇总"][4] if c.value is not None] == ["辖市区", "已通过", "合计"]
    assert len(wb["汇总"]._charts[0].series) == 1
    _, none = export(store, tmp_path, status="审核中")
    assert records(none["企业名单"]) == []
    assert none["企业名单"].auto_filter.ref == "A1:O1"
    not_submitted = export(store, tmp_path, status="未报送")[1]
    assert len(records(not_submitted["企业名单"])) == 4  # no submission row yet


def test_campaign_filter(store: Store, reviewed: dict[str, str], tmp_path: Path) -> None:
    campaign = store.add_campaign(
        CampaignInput(name="2010年质量标杆对比活动", deadline="2010-10-20")
    )
    _, wb = export(store, tmp_path, campaign_id=campaign.id)
    assert wb["汇总"]["A1"].value == "2010年质量标杆对比活动 — 汇总"
    assert records(wb["对标项目"]) == [] and records(wb["推介与推荐"]) == []
    enterprises = records(wb["企业名单"])
    assert len(enterprises) == 7 and {r["状态"] for r in enterprises} == {"未报送"}
    assert find_campaign(store, "2010").id == campaign.id
    assert find_campaign(store, "镇质监质发[2009]173号").name == "2009年质量标杆对比活动"
    with pytest.raises(NotFoundError, match="可选"):
        find_campaign(store, "1999年")


def test_bad_filters_are_refused(store: Store, tmp_path: Path) -> None:
    with pytest.raises(DuibiaoError, match="没有状态「通过」"):
        export_summary(store, tmp_path / "a.xlsx", status="通过")
    with pytest.raises(NotFoundError):
        export_summary(store, tmp_path / "a.xlsx", district_id="nowhere")
    assert not (tmp_path / "a.xlsx").exists()


# -- safe text, files ---------------------------------------------------------------------------


def test_formula_looking_text_stays_text(
    store: Store, reviewed: dict[str, str], tmp_path: Path
) -> None:
    _, wb = export(store, tmp_path)
    for title, column in (("对标项目", "指标内容"), ("提升措施跟踪", "指标内容")):
        ws = wb[title]
        heading = [c.value for c in ws[1]]
        cells = [row[heading.index(column)] for row in ws.iter_rows(min_row=2)]
        cell = next(c for c in cells if c.value == "=SUM(A1:A3)")
        assert cell.data_type == "s" and cell.quotePrefix, title
    ws = wb["对标项目"]
    texts = {c.value: c for row in ws.iter_rows(min_row=2) for c in row if c.value}
    for text in ("+5%", "-加强进货检验", "@质量部"):
        assert texts[text].data_type == "s" and texts[text].quotePrefix, text
    assert not texts[CHANGJIANG].quotePrefix  # ordinary text is not marked


def test_dropped_characters_are_reported(
    store: Store, reviewed: dict[str, str], tmp_path: Path
) -> None:
    store.conn.execute("UPDATE benchmark_item SET remarks = '待\x01核' WHERE seq = 1")
    result, wb = export(store, tmp_path)
    assert "待核" in {r["备注"] for r in records(wb["对标项目"])}
    assert result.warnings and "已删除" in result.warnings[0]
    assert "对标项目 第2行 备注" in result.warnings[0]


def test_existing_file_is_not_replaced(
    store: Store, reviewed: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "汇总.xlsx"
    target.write_bytes(b"officer's own file")
    with pytest.raises(FileExistsRefused):
        export_summary(store, target)
    assert target.read_bytes() == b"officer's own file"
    export_summary(store, target, force=True)
    assert openpyxl.load_workbook(target).sheetnames == SHEETS
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_progress_reaches_the_total(store: Store, reviewed: dict[str, str], tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    export_summary(store, tmp_path / "a.xlsx", progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (7 + 8 + 7 + 2, 7 + 8 + 7 + 2)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_default_file_names(store: Store, districts: dict[str, str]) -> None:
    from duibiao_tui.excel.queries import make_scope

    assert summary_filename(make_scope(store)) == "汇总-全市.xlsx"
    scope = make_scope(store, district_id=districts["京口区"], status="已通过")
    assert summary_filename(scope) == "汇总-京口区-已通过.xlsx"
    assert summary_filename(scope, public=True) == "公开版-京口区-已通过.xlsx"


# -- public -------------------------------------------------------------------------------------

PERSONAL_HEADINGS = ("单位填报人", "电话", "报送人", "审核人", "最近意见", "登记人")


def test_public_export_has_no_personal_columns_or_values(
    store: Store, reviewed: dict[str, str], tmp_path: Path
) -> None:
    # The full export carries them (so the check below can fail) ...
    _, full = export(store, tmp_path)
    text = every_text(full)
    for value in PEOPLE.values():
        if value not in (PEOPLE["mobile_e164"], PEOPLE["landline_e164"]):
            assert value in text, value
    # ... the public one has neither the columns nor the values, in any cell of any sheet.
    result, public = export(store, tmp_path, public=True)
    assert public.sheetnames == SHEETS and result.public
    for ws in public.worksheets[1:]:
        heading = [c.value for c in ws[1]]
        assert not set(heading) & set(PERSONAL_HEADINGS), ws.title
    text = every_text(public)
    for value in PEOPLE.values():
        assert value not in text, value
    for digits in ("13905281234", "85012345"):
        assert digits not in text
    assert "不含单位填报人" in public["汇总"]["A3"].value
    assert public.properties.creator == "duibiao-tui"
    assert public.properties.lastModifiedBy in (None, "")
    # What is not personal is all there.
    assert len(records(public["企业名单"])) == 7
    assert len(records(public["对标项目"])) == 8


def test_the_fast_check_knows_what_safe_text_drops() -> None:
    import re

    from duibiao_tui.excel.safe_text import strip_illegal
    from duibiao_tui.excel.summary_export import ILLEGAL_CHARACTERS

    pattern = re.compile(ILLEGAL_CHARACTERS)
    sample = [chr(c) for c in (*range(0x00, 0x80), 0x3000, 0xD800, 0xDBFF, 0xDFFF, 0xFFFD)]
    sample += ["\ufffe", "\uffff", "中", "\U00020000"]
    for ch in sample:
        assert bool(pattern.fullmatch(ch)) == bool(strip_illegal(ch)[1]), repr(ch)


def test_a_line_starting_with_a_dash_inside_a_text_is_left_alone(
    store: Store, reviewed: dict[str, str], tmp_path: Path
) -> None:
    store.conn.execute(
        "UPDATE benchmark_item SET measures = '1. 加强进货检验' || char(10) || '- 每月考核' "
        "WHERE indicator = '出厂检验合格率'"
    )
    _, wb = export(store, tmp_path)
    cells = [c for row in wb["对标项目"].iter_rows(min_row=2) for c in row]
    cell = next(c for c in cells if c.value == "1. 加强进货检验\n- 每月考核")
    assert cell.data_type == "s" and not cell.quotePrefix


# -- parts add up (issue 14) ------------------------------------------------------------------


def summary_grids(ws: Worksheet) -> list[Any]:
    """Every table of the 汇总 sheet: a heading row naming a 合计 or 行数 column, its rows,
    down to the row labelled 合计."""
    from tests.parts import TOTAL_LABELS, Grid

    grids, current = [], None
    for row in ws.iter_rows(values_only=True):
        values = [v for v in row if v is not None]
        if current is None:
            if (
                values
                and all(isinstance(v, str) for v in values)
                and set(values) & set(TOTAL_LABELS)
            ):
                current = (values, [])
            continue
        headings, rows = current
        rows.append((values[0], [int(v) for v in values[1:]]))
        if values[0] == "合计":
            grids.append(Grid(f"汇总 · {headings[0]}", headings[1:], rows))
            current = None
    return grids


def figure_lines(ws: Worksheet) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """The figure lines (label, number, unit): each with the indented lines under it."""
    lines: list[tuple[str, int, list[tuple[str, int]]]] = []
    for row in ws.iter_rows(values_only=True):
        values = [v for v in row if v is not None]
        if len(values) == 3 and isinstance(values[0], str) and isinstance(values[1], int):
            if values[0].startswith("　") and lines:
                lines[-1][2].append((values[0].strip(), values[1]))
            else:
                lines.append((values[0], values[1], []))
    return lines


def test_every_summary_table_adds_up(
    store: Store, reviewed: dict[str, str], tmp_path: Path
) -> None:
    """Both tables of 汇总 (districts × status, aspects × verdict with 未定) and every figure
    with parts under it; the rows 待补 are neither measures nor overdue ones."""
    from tests.parts import assert_adds_up

    store.add_item(reviewed[CHANGJIANG], ItemInput(aspect="设备", indicator="无结论"))
    store.add_item(
        reviewed[CHANGJIANG],
        ItemInput(aspect="工艺", indicator="只写了部门", department="技术部", due_text="2009年3月"),
    )
    _, wb = export(store, tmp_path)
    summary = wb["汇总"]
    grids = summary_grids(summary)
    assert [g.name for g in grids] == ["汇总 · 辖市区", "汇总 · 项目"]
    for grid in grids:
        assert_adds_up(grid)
    figures = {label: (n, parts) for label, n, parts in figure_lines(summary)}
    measures, parts = figures["提升措施"]
    assert parts and measures == sum(n for _, n in parts)
    assert measures == len(records(wb["提升措施跟踪"]))
    assert "只写了部门" not in {r["指标内容"] for r in records(wb["提升措施跟踪"])}
    assert figures["措施待补"][0] == 1
    assert figures["对标项目"][0] == grids[1].rows[-1][1][0] == len(records(wb["对标项目"]))
    assert figures["企业"][0] == grids[0].rows[-1][1][-1]
    pending = next(r for r in records(wb["对标项目"]) if r["指标内容"] == "只写了部门")
    assert pending["落实情况"] == "待补"
    overdue = dict(parts)["逾期"]
    listed = [r for r in records(wb["提升措施跟踪"]) if r["落实情况"] == "逾期"]
    assert overdue == len(listed)
    assert sum(r["逾期措施数"] for r in records(wb["企业名单"])) == overdue


def test_summary_labels_fit_their_column(
    store: Store, reviewed: dict[str, str], tmp_path: Path
) -> None:
    """The aspect table put 生产过程的质量控制 into a column sized for district names."""
    _, wb = export(store, tmp_path)
    labels = [row[0] for row in rows_of(wb["汇总"])[3:] if isinstance(row[0], str)]
    width = wb["汇总"].column_dimensions["A"].width
    assert "生产过程的质量控制" in labels
    assert all(display_width(label) + 2 <= width for label in labels if len(label) < 12)
