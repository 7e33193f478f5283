"""The dashboard (F2) driven by keys: its numbers against the database, every number opening
the rows behind it, refreshing when shown again, and campaigns (new, switch, carry over)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.segment import Segment
from textual.color import Color
from textual.geometry import Offset, Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.selection import Selection
from textual.widget import Widget
from textual.widgets import Input, Label

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.measures import DUE_OVERDUE, MeasureQuery
from duibiao_tui.domain.recognition import RecognitionInput
from duibiao_tui.domain.reference import ASPECTS, CAMPAIGN_2009_ID, REVIEW_STATUSES, VERDICTS
from duibiao_tui.domain.review import ReviewQuery
from duibiao_tui.screens.campaign_dialog import (
    CampaignDialog,
    NewCampaignDialog,
)
from duibiao_tui.screens.dashboard import DashboardScreen, Headline
from duibiao_tui.screens.dialogs import ConfirmDialog, HelpDialog
from duibiao_tui.store.store import Store
from duibiao_tui.widgets.figure_table import FigureTable
from tests.helpers import SIZE, type_text

JINGKOU = "镇江市长江电器设备厂"
DANYANG = "丹阳市华通光学眼镜有限公司"
JURONG = "句容市宝华建材有限公司"
YANGZHONG = "扬中市新坝电气股份有限公司"
RUNZHOU = "镇江市重机机械有限公司"
DANTU = "江苏恒顺醋业股份有限公司"


def item(
    aspect: str, verdict: str, measures: str = "", department: str = "", due: str = ""
) -> ItemInput:
    return ItemInput(
        benchmark_text="西门子（中国）有限公司/北京",
        aspect=aspect,
        indicator=f"{aspect}指标",
        benchmark_level="国际先进",
        result_text=verdict,
        verdict=verdict,
        measures=measures,
        department=department,
        due_text=due,
    )


def build_campaign(store: Store, seeded: dict[str, str]) -> None:
    """Rows with verdicts and measures (three overdue on 2009-10-08, one done, one not yet
    due), statuses in four districts, one enterprise promoted and one recommended."""
    store.add_item(seeded[JINGKOU], item("设备", "落后", "引进数控折弯机", "设备部", "2009年9月"))
    store.add_item(seeded[JINGKOU], item("设备", "落后", "建立设备点检制度", "设备部", "2009年8月"))
    store.add_item(seeded[JINGKOU], item("工艺", "持平", "工艺评审", "技术部", "2010年6月"))
    store.add_item(seeded[JINGKOU], item("检验把关", "领先"))
    store.add_item(seeded[DANYANG], item("设备", "领先", "更新镀膜机", "质量部", "2009年9月"))
    store.add_item(seeded[DANYANG], item("可靠性", "落后", "寿命试验", "质量部", "2009年7月"))
    store.add_item(seeded[JURONG], item("设备", "持平"))
    # Done on time: not overdue, not carried over.
    done = store.add_item(seeded[JURONG], item("工艺", "落后", "窑炉改造", "生产部", "2009年5月"))
    from duibiao_tui.domain.measures import validate_measure_update

    store.set_measure_state(
        done.id, validate_measure_update("已完成", "2009-05-20", today=store.today())
    )

    store.change_status(
        [seeded[JINGKOU], seeded[DANYANG], seeded[JURONG], seeded[YANGZHONG]], "已报送"
    )
    store.change_status([seeded[JINGKOU]], "已通过")
    store.change_status([seeded[JURONG]], "退回修改", "缺完成时间")
    store.change_status([seeded[YANGZHONG]], "审核中")
    store.add_recognition(
        seeded[JINGKOU], RecognitionInput(kind="推介", method="现场会", event_date="2009-09-25")
    )
    store.add_recognition(seeded[DANTU], RecognitionInput(kind="推荐申报", award_year="2010"))


EXPECTED_STATUS = {
    # district: {status: n}; the rest of each row is 0.
    "京口区": {"已通过": 1},
    "丹阳市": {"已报送": 1},
    "句容市": {"退回修改": 1},
    "扬中市": {"审核中": 1},
    "润州区": {"未报送": 1},
    "丹徒区": {"未报送": 1},
    "镇江新区": {},
}


def cell(table: FigureTable, row: str, column: str) -> str:
    return table.get_cell(row, column).plain


async def on_dashboard(pilot: Pilot[Any]) -> DashboardScreen:
    await pilot.press("f2")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, DashboardScreen)
    return screen


async def move_to(pilot: Pilot[Any], table: FigureTable, row: int, column: int) -> None:
    """From the top-left cell, by arrow keys."""
    table.focus()
    table.move_cursor(row=0, column=0)
    await pilot.press(*["down"] * row, *["right"] * column)
    assert table.cursor_coordinate.row == row
    assert table.cursor_coordinate.column == column


def notifications(app: DuibiaoApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_numbers_equal_the_database(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], districts: dict[str, str]
) -> None:
    build_campaign(store, seeded)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_dashboard(pilot)
        headline = screen.query_one(Headline)
        assert headline.deadline == "距报送截止（2009-10-20）还有 12 天"
        assert "镇质监质发[2009]173号" in headline.campaign

        status = screen.query_one("#status-table", FigureTable)
        for name, counts in EXPECTED_STATUS.items():
            for s in REVIEW_STATUSES:
                assert cell(status, districts[name], s) == str(counts.get(s, 0)), (name, s)
            assert cell(status, districts[name], "__total__") == str(sum(counts.values()))
        assert [cell(status, "__total__", s) for s in REVIEW_STATUSES] == [
            "2",
            "1",
            "1",
            "1",
            "1",
            "0",
        ]
        assert cell(status, "__total__", "__total__") == "6"
        # The same figures straight from SQL.
        for district_id, s, n in store.conn.execute(
            "SELECT e.district_id, ifnull(s.status, '未报送'), count(*) FROM enterprise e "
            "LEFT JOIN submission s ON s.enterprise_id = e.id WHERE e.deleted_at IS NULL "
            "GROUP BY 1, 2"
        ):
            assert cell(status, district_id, s) == str(n)

        aspects = screen.query_one("#aspect-table", FigureTable)
        assert [cell(aspects, "设备", c) for c in ("__total__", *VERDICTS)] == ["4", "1", "1", "2"]
        assert [cell(aspects, "工艺", c) for c in ("__total__", *VERDICTS)] == ["2", "0", "1", "1"]
        assert [cell(aspects, "__total__", c) for c in ("__total__", *VERDICTS)] == [
            "8",
            "2",
            "2",
            "4",
        ]
        assert aspects.row_count == len(ASPECTS) + 1, "the twelve aspects and 合计"

        overdue = screen.query_one("#overdue-table", FigureTable)
        rows = [
            (
                cell(overdue, str(i), "__label__"),
                cell(overdue, str(i), "department"),
                cell(overdue, str(i), "__total__"),
            )
            for i in range(overdue.row_count - 1)
        ]
        assert rows == [("京口区", "设备部", "2"), ("丹阳市", "质量部", "2")]
        assert cell(overdue, "__total__", "__total__") == "4"
        sql_overdue = store.conn.execute(
            "SELECT count(*) FROM benchmark_item WHERE measure_state != '已完成' "
            "AND due_date < '2009-10-08' AND deleted_at IS NULL"
        ).fetchone()[0]
        assert sql_overdue == 4

        recognitions = screen.query_one("#recognition-table", FigureTable)
        assert cell(recognitions, "推介", "__total__") == "1"
        assert cell(recognitions, "推荐申报", "__total__") == "1"

        chart = screen.query_one("#status-chart")
        assert "京口区" in chart.chart_text(60).plain  # type: ignore[attr-defined]


async def test_enter_on_district_status_opens_the_review_desk_filtered(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], districts: dict[str, str]
) -> None:
    build_campaign(store, seeded)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_dashboard(pilot)
        table = screen.query_one("#status-table", FigureTable)
        assert screen.focused is table, "the status table has the focus on arrival"
        # 句容市 is the 6th district (index 5); 退回修改 is the 5th status (column 5).
        await move_to(pilot, table, 5, 1 + REVIEW_STATUSES.index("退回修改"))
        await pilot.press("enter")
        await pilot.pause()
        desk = app.screen
        assert type(desk).__name__ == "ReviewDeskScreen"
        assert desk.query_state == ReviewQuery(district_id=districts["句容市"], status="退回修改")  # type: ignore[attr-defined]
        assert desk.only is None  # type: ignore[attr-defined]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen

        # 合计 row drops the district, 合计 column drops the status.
        await move_to(pilot, table, 7, 1 + REVIEW_STATUSES.index("已报送"))
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_state == ReviewQuery(status="已报送")  # type: ignore[attr-defined]
        await pilot.press("escape")
        await pilot.pause()
        await move_to(pilot, table, 0, 1 + len(REVIEW_STATUSES))
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_state == ReviewQuery(district_id=districts["京口区"])  # type: ignore[attr-defined]


async def test_a_zero_opens_nothing(app: DuibiaoApp, store: Store, seeded: dict[str, str]) -> None:
    build_campaign(store, seeded)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_dashboard(pilot)
        table = screen.query_one("#status-table", FigureTable)
        await move_to(pilot, table, 0, 1)  # 京口区 未报送 = 0
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert "京口区 · 未报送：没有记录" in notifications(app)


async def test_enter_on_overdue_opens_the_measures_filtered(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], districts: dict[str, str]
) -> None:
    build_campaign(store, seeded)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_dashboard(pilot)
        await pilot.press("tab", "tab")  # status → aspects → overdue
        table = screen.query_one("#overdue-table", FigureTable)
        assert screen.focused is table
        await move_to(pilot, table, 0, 2)  # 京口区 · 设备部 · 2
        await pilot.press("enter")
        await pilot.pause()
        measures = app.screen
        assert type(measures).__name__ == "MeasuresScreen"
        query = measures.base_query  # type: ignore[attr-defined]
        assert (query.district_id, query.department, query.due) == (
            districts["京口区"],
            "设备部",
            DUE_OVERDUE,
        )
        assert len(store.measures(query)) == 2, "the screen's filter finds the two rows counted"
        await pilot.press("escape")
        await pilot.pause()
        await move_to(pilot, table, 2, 2)  # 合计
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.base_query == MeasureQuery(due=DUE_OVERDUE)  # type: ignore[attr-defined]


async def test_enter_on_aspect_verdict_opens_those_rows(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    build_campaign(store, seeded)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_dashboard(pilot)
        await pilot.press("tab")
        table = screen.query_one("#aspect-table", FigureTable)
        assert screen.focused is table
        await move_to(pilot, table, 0, 2 + VERDICTS.index("落后"))  # 设备 · 落后 = 2
        await pilot.press("enter")
        await pilot.pause()
        query = app.screen.base_query  # type: ignore[attr-defined]
        assert (query.aspect, query.verdict, query.all_rows) == ("设备", "落后", True)
        assert len(store.measures(query)) == 2


async def test_enter_on_recognitions_lists_those_enterprises(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    build_campaign(store, seeded)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_dashboard(pilot)
        await pilot.press("shift+tab")  # wraps round to the last table
        table = screen.query_one("#recognition-table", FigureTable)
        assert screen.focused is table
        await move_to(pilot, table, 1, 1)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewDeskScreen"
        assert app.screen.only == [seeded[DANTU]]  # type: ignore[attr-defined]


async def test_figures_refresh_when_the_dashboard_is_shown_again(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], districts: dict[str, str]
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_dashboard(pilot)
        table = screen.query_one("#status-table", FigureTable)
        assert cell(table, districts["润州区"], "已报送") == "0"
        await pilot.press("f3")
        await pilot.pause()
        store.change_status([seeded[RUNZHOU]], "已报送")
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen is screen
        assert cell(table, districts["润州区"], "已报送") == "1"
        assert cell(table, "__total__", "未报送") == "5"


async def test_help_names_the_keys(app: DuibiaoApp, seeded: dict[str, str]) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await on_dashboard(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpDialog)
        keys = str(app.screen.query_one("#help-keys").render())
        for words in ("打开", "活动", "刷新"):
            assert words in keys


async def test_new_campaign_switch_and_carry_over(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    build_campaign(store, seeded)
    open_rows = store.conn.execute(
        "SELECT id FROM benchmark_item WHERE measures != '' AND measure_state != '已完成'"
    ).fetchall()
    assert len(open_rows) == 5
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_dashboard(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CampaignDialog)
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NewCampaignDialog)
        assert dialog.query_one("#f-name", Input).value == "2010年质量标杆对比活动"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog, "no deadline: not saved"
        error = str(dialog.query_one("#err-deadline", Label).render())
        assert "必填" in error
        assert dialog.focused is dialog.query_one("#f-deadline", Input)
        assert len(store.campaigns()) == 1
        await type_text(pilot, "2010-10-20")
        await pilot.press("tab")
        await pilot.press("ctrl+s")
        await pilot.pause()

        assert isinstance(app.screen, ConfirmDialog)
        assert "设为当前活动" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        new = next(c for c in store.campaigns() if c.year == 2010)
        assert new.deadline == "2010-10-20"
        assert new.doc_number == ""
        assert store.active_campaign().id == new.id

        assert isinstance(app.screen, ConfirmDialog)
        assert "未完成的 5 条措施" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen, "the dialog closes after a switch"
        assert "已把 5 条未完成的措施带入「2010年质量标杆对比活动」" in notifications(app)
        assert "当前活动：2010年质量标杆对比活动" in notifications(app)
        assert "2010年质量标杆对比活动" in screen.query_one(Headline).campaign
        status = screen.query_one("#status-table", FigureTable)
        assert cell(status, "__total__", "未报送") == "6", "statuses start again"
        overdue = screen.query_one("#overdue-table", FigureTable)
        assert cell(overdue, "__total__", "__total__") == "4", "carried rows keep their dates"

    carried = store.conn.execute(
        "SELECT carried_over_from, campaign_id FROM benchmark_item "
        "WHERE carried_over_from IS NOT NULL"
    ).fetchall()
    assert sorted(r[0] for r in carried) == sorted(r[0] for r in open_rows)
    assert {r[1] for r in carried} == {new.id}
    assert store.carry_over_count(CAMPAIGN_2009_ID, new.id) == 0


async def test_switch_back_asks_first_and_m_carries_nothing_twice(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    from duibiao_tui.domain.campaigns import CampaignInput

    build_campaign(store, seeded)
    new = store.add_campaign(CampaignInput("2010年质量标杆对比活动", deadline="2010-10-20"))
    store.set_active_campaign(new.id)
    assert store.carry_over_measures(CAMPAIGN_2009_ID, new.id) == 5
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_dashboard(pilot)
        await pilot.press("c")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CampaignDialog)
        await pilot.press("up")  # the 2009 campaign is listed first
        await pilot.press("m")
        await pilot.pause()
        assert app.screen is dialog
        assert "「2009年质量标杆对比活动」没有需要带入的未完成措施" in notifications(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is dialog
        assert store.active_campaign().id == new.id, "cancelled: nothing switched"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen
        assert store.active_campaign().id == CAMPAIGN_2009_ID
        assert "镇质监质发[2009]173号" in screen.query_one(Headline).campaign
        status = screen.query_one("#status-table", FigureTable)
        assert cell(status, "__total__", "已通过") == "1"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_tab_reaches_every_table_at_any_size(
    app: DuibiaoApp, seeded: dict[str, str], size: tuple[int, int]
) -> None:
    async with app.run_test(size=size) as pilot:
        screen = await on_dashboard(pilot)
        seen = []
        for _ in range(4):
            assert screen.focused is not None
            seen.append(screen.focused.id)
            await pilot.press("tab")
        assert seen == ["status-table", "aspect-table", "overdue-table", "recognition-table"]
        assert screen.has_class("-wide") is (size[0] >= 110)


async def test_enterprises_without_district_and_blank_departments_open_too(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    from duibiao_tui.domain.models import EnterpriseInput

    loose = store.add_enterprise(EnterpriseInput(name="镇江市无名机械厂"))
    store.add_item(loose.id, item("设备", "落后", "更新设备", "", "2009年9月"))
    store.change_status([loose.id], "已报送")
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_dashboard(pilot)
        table = screen.query_one("#status-table", FigureTable)
        assert cell(table, "__none__", "__label__") == "未填辖市区"
        assert cell(table, "__none__", "已报送") == "1"
        await move_to(pilot, table, 7, 1 + REVIEW_STATUSES.index("已报送"))
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewDeskScreen"
        assert app.screen.only == [loose.id]  # type: ignore[attr-defined]
        await pilot.press("escape")
        await pilot.pause()

        overdue = screen.query_one("#overdue-table", FigureTable)
        assert (cell(overdue, "0", "__label__"), cell(overdue, "0", "department")) == (
            "未填辖市区",
            "（未填）",
        )
        await move_to(pilot, overdue, 0, 2)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "MeasuresScreen"
        assert any("无法单独筛选" in message for message in notifications(app))


async def test_a_city_is_counted_in_the_background(
    app: DuibiaoApp,
    store: Store,
    seeded: dict[str, str],
    districts: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Large files are counted in a worker thread on a connection of its own; the figures
    that arrive are the same."""
    from duibiao_tui.screens import dashboard

    monkeypatch.setattr(dashboard, "COUNT_IN_BACKGROUND", -1)
    build_campaign(store, seeded)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_dashboard(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = screen.query_one("#status-table", FigureTable)
        assert cell(status, "__total__", "__total__") == "6"
        assert cell(status, districts["丹徒区"], "未报送") == "1"


def visible_lines(screen: DashboardScreen, table: FigureTable) -> list[str]:
    """The table's lines the officer can see: drawn within its height and inside the
    window of the dashboard's scrolling body."""
    body = screen.query_one("#dash-body")
    window = body.scrollable_content_region
    return [
        "".join(segment.text for segment in table.render_line(y))
        for y in range(table.size.height)
        if window.y <= table.region.y + y < window.bottom
    ]


@pytest.mark.parametrize("size", [(80, 16), (80, 24), (120, 40)])
async def test_a_long_overdue_table_scrolls_with_the_cursor(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], size: tuple[int, int]
) -> None:
    """30 districts × departments: the table showed 15 of them, the cursor went on into
    rows not drawn and Enter opened one the officer could not see."""
    for n in range(30):
        store.add_item(
            seeded[JINGKOU], item("设备", "落后", "整改", f"第{n + 1:02d}车间", "2009年9月")
        )
    async with app.run_test(size=size) as pilot:
        screen = await on_dashboard(pilot)
        table = screen.query_one("#overdue-table", FigureTable)
        table.focus()
        await pilot.pause()
        for steps in (20, 29, 5, 0):
            await move_to(pilot, table, steps, 2)
            await pilot.pause()
            department = cell(table, str(steps), "department")
            lines = visible_lines(screen, table)
            assert any(department in line for line in lines), (steps, lines)
            assert any(line.lstrip().startswith("合计") for line in lines), "合计 stays"
            assert any("共 30 行" in line for line in lines), "the rows hidden are said"
            assert SECTION_TITLES["overdue-table"] in lines[0], "its title too"
        await move_to(pilot, table, 20, 2)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.base_query.department == "第21车间"  # type: ignore[attr-defined]


async def test_aspect_table_has_no_verdict_column_and_it_opens(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    """领先 + 持平 + 落后 fell short of 行数 by the rows without a verdict: 未定 holds them."""
    build_campaign(store, seeded)
    store.add_item(seeded[JINGKOU], item("设备", ""))
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_dashboard(pilot)
        table = screen.query_one("#aspect-table", FigureTable)
        assert [cell(table, "设备", c) for c in ("__total__", *VERDICTS, "未定")] == [
            "5",
            "1",
            "1",
            "2",
            "1",
        ]
        await move_to(pilot, table, 0, 2 + len(VERDICTS))  # 设备 · 未定
        await pilot.press("enter")
        await pilot.pause()
        query = app.screen.base_query  # type: ignore[attr-defined]
        assert (query.aspect, query.verdict, query.all_rows) == ("设备", "未定", True)
        assert len(store.measures(query)) == 1


async def test_a_click_on_a_scrolled_table_takes_the_row_drawn_there(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    for n in range(30):
        store.add_item(
            seeded[JINGKOU], item("设备", "落后", "整改", f"第{n + 1:02d}车间", "2009年9月")
        )
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_dashboard(pilot)
        table = screen.query_one("#overdue-table", FigureTable)
        await move_to(pilot, table, 25, 2)
        await pilot.pause()
        top = table.top
        assert top > 0, "scrolled"
        # Line 0 is the section's title, 1 the header: 2 is the first row drawn.
        await pilot.click(table, offset=(2, 2))
        await pilot.pause()
        assert table.cursor_coordinate.row == top
        assert cell(table, str(top), "department") in visible_lines(screen, table)[2]


SECTION_TITLES = {
    "status-table": "企业报送与审核（辖市区 × 状态）",
    "status-chart": "审核状态分布",
    "aspect-table": "对标项目与对比结果（按项目）",
    "overdue-table": "逾期措施（辖市区 × 落实部门）",
    "recognition-table": "推介与推荐申报",
}


def first_line(widget: Widget) -> list[Segment]:
    return list(widget.render_lines(Region(0, 0, widget.size.width, 1))[0])


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_each_section_draws_its_title_as_its_first_line(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], size: tuple[int, int]
) -> None:
    """The titles are the tables' and the chart's own first lines, bold in the accent
    colour as the Labels were (issue 16: a title Label and a container per section were
    widgets of the home screen's first frame); a click on a title selects no row."""
    build_campaign(store, seeded)
    async with app.run_test(size=size) as pilot:
        screen = await on_dashboard(pilot)
        accent = Color.parse(app.theme_variables["accent"]).rich_color
        for widget_id, title in SECTION_TITLES.items():
            segments = first_line(screen.query_one(f"#{widget_id}"))
            assert "".join(s.text for s in segments).rstrip() == title, widget_id
            style = next(s.style for s in segments if s.text.strip())
            assert style is not None and style.bold and style.color == accent, widget_id
        assert not screen.query(Label), "every word is drawn by the figures' own widgets"
        assert len(list(screen.walk_children())) <= 12, "the first frame's widgets"
        table = screen.query_one("#overdue-table", FigureTable)
        await move_to(pilot, table, 1, 1)
        await pilot.click(table, offset=(2, 0))
        await pilot.pause()
        assert table.cursor_coordinate == (1, 1)


@pytest.mark.parametrize(("size", "beside"), [((80, 24), False), ((120, 40), True)])
async def test_the_deadline_sits_beside_the_campaign_when_wide(
    app: DuibiaoApp,
    seeded: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
    beside: bool,
) -> None:
    """One widget draws the headline: the deadline at the right of the campaign's line from
    WIDE columns on, on a line of its own below; near the deadline it is in the warning
    colour."""
    from duibiao_tui.screens import dashboard

    monkeypatch.setattr(dashboard, "DEADLINE_NEAR", 30)
    async with app.run_test(size=size) as pilot:
        screen = await on_dashboard(pilot)
        headline = screen.query_one(Headline)
        lines = [
            "".join(s.text for s in strip)
            for strip in headline.render_lines(Region(0, 0, size[0], headline.size.height))
        ]
        deadline = "距报送截止（2009-10-20）还有 12 天"
        if beside:
            assert lines[0].startswith(" 2009年质量标杆对比活动")
            assert lines[0].endswith(f"{deadline} ")
        else:
            assert lines[1].strip() == deadline
        assert lines[-1].strip().startswith(f"企业{len(seeded)}家")
        assert headline.has_class("-near")
        warning = Color.parse(app.theme_variables["warning"]).rich_color
        drawn = [s for s in headline.render_lines(headline.size.region)[0 if beside else 1]]
        assert any(s.style and s.style.color == warning for s in drawn if "截止" in s.text)
        # The mouse selects and copies the words, as it did the Labels'.
        copied = headline.get_selection(Selection(None, None))
        assert copied is not None and deadline in copied[0] and headline.campaign in copied[0]
        screen.selections = {headline: Selection(Offset(0, 0), Offset(4, 0))}
        selected = screen.get_component_rich_style("screen--selection").bgcolor
        assert list(headline.render_line(0))[0].style.bgcolor == selected  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("start", "part"),
    [
        ("dashboard", "#status-table"),
        ("enterprises", "VirtualTable"),
        ("review", "VirtualTable"),
        ("measures", "VirtualTable"),
    ],
)
async def test_the_first_frame_draws_in_the_text_colour(
    store: Store,
    seeded: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    start: str,
    part: str,
) -> None:
    """The App node is styled only after the first desk, which is not restyled as it is
    shown (DuibiaoScreen._on_screen_resume, DuibiaoApp._start_screen), so the figures,
    inheriting their colour from it, were drawn in the background's colour, and a real
    terminal kept them so until something repainted them. Every desk gives the text colour
    itself (duibiao.tcss)."""
    from textual.app import App

    from duibiao_tui.app import make_app
    from duibiao_tui.config import Config

    store.dashboard()
    seen: list[tuple[object, object, object]] = []
    original = App._display

    def display(self: App[object], screen: Screen[object], renderable: object) -> None:
        if not seen and renderable is not None and screen.query(part):
            style = screen.query_one(part).rich_style
            seen.append((style.color, style.bgcolor, screen.rich_style.color))
        original(self, screen, renderable)  # type: ignore[arg-type]

    monkeypatch.setattr(App, "_display", display)
    app = make_app(
        store, config=Config(officer="王明"), config_file=tmp_path / "c.json", start_mode=start
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    assert seen, f"no frame of the {start} desk"
    color, background, screen_color = seen[0]
    foreground = Color.parse(app.theme_variables["foreground"]).rich_color
    assert screen_color == foreground
    assert color != background
