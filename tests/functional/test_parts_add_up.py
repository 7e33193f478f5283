"""Every figure table on screen adds up: the dashboard's tables (every FigureTable it
has, so a new one is held to it too), the review desk's status counts, the measures' count
line and year view (every VirtualTable with a 合计 column). The data has what broke it:
rows without a verdict (the aspect table had no 未定) and rows naming a department and a
past date but no measure (counted as overdue measures)."""

from __future__ import annotations

import re
from typing import Any

from textual.screen import Screen
from textual.widgets import Label, Select

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.screens.dashboard import DashboardScreen, Headline
from duibiao_tui.screens.measures import MeasuresScreen
from duibiao_tui.screens.review import ReviewDeskScreen
from duibiao_tui.store.store import Store
from duibiao_tui.widgets.figure_table import TOTAL_KEY, FigureTable
from duibiao_tui.widgets.virtual_table import VirtualTable
from tests.functional.test_dashboard_keys import DANYANG, JINGKOU, build_campaign, item
from tests.helpers import SIZE
from tests.parts import Grid, assert_adds_up, number


def awkward_rows(store: Store, seeded: dict[str, str]) -> None:
    """build_campaign plus rows without a verdict and rows 待补."""
    build_campaign(store, seeded)
    store.add_item(seeded[JINGKOU], item("设备", ""))
    store.add_item(seeded[JINGKOU], item("性能", "", "", "设备部", "2009年3月"))
    store.add_item(seeded[DANYANG], item("可靠性", "落后", "", "质量部", "2009年9月"))


def figure_grid(table: FigureTable) -> Grid:
    numbers = [i for i, (key, _) in enumerate(table.columns) if key not in table.text_columns]
    keys = [table.columns[i][0] for i in numbers]
    rows = []
    for _, cells in table.rows:
        values = [number(cells[i].plain) for i in numbers]
        assert None not in values, (table.id, [c.plain for c in cells])
        rows.append((cells[0].plain, values))
    total = keys.index(TOTAL_KEY) if TOTAL_KEY in keys else None
    return Grid(str(table.id), [table.columns[i][1] for i in numbers], rows, total)  # type: ignore[arg-type]


def virtual_grids(screen: Screen[Any]) -> list[Grid]:
    """Every shown VirtualTable with a 合计 column, read as numbers."""
    grids = []
    for table in screen.query(VirtualTable):
        keys = [c.key for c in table.columns]
        if "total" not in keys or not table.display:
            continue
        rows = [table.get_row(k) or () for k in table._keys]
        numeric = [
            i for i, _ in enumerate(keys) if rows and all(number(r[i]) is not None for r in rows)
        ]
        grid_rows = [(r[0], [number(r[i]) or 0 for i in numeric]) for r in rows]
        headings = [table.columns[i].label for i in numeric]
        grids.append(Grid(str(table.id), headings, grid_rows))
    return grids


async def test_every_dashboard_table_adds_up(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    awkward_rows(store, seeded)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        tables = list(screen.query(FigureTable))
        assert len(tables) >= 4
        for table in tables:
            assert_adds_up(figure_grid(table))
        aspects = figure_grid(screen.query_one("#aspect-table", FigureTable))
        assert aspects.rows[-1][1][0] == 11, "行数 counts every row"
        overdue = figure_grid(screen.query_one("#overdue-table", FigureTable))
        assert overdue.rows[-1][1] == [4], "rows without a measure are not overdue measures"
        summary = screen.query_one(Headline).summary
        enterprises, statuses = re.match(r"企业(\d+)家：([^ ]+)", summary).groups()  # type: ignore[union-attr]
        assert int(enterprises) == sum(int(n) for n in re.findall(r"\d+", statuses))
        assert "措施待补2行" in summary


async def test_review_status_counts_add_up(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    awkward_rows(store, seeded)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        desk = app.screen
        assert isinstance(desk, ReviewDeskScreen)
        select = desk.query_one("#review-status", Select)
        counts = [
            int(m[1])
            for prompt, value in select._options
            if isinstance(value, str) and (m := re.search(r"（(\d+)）$", str(prompt)))
        ]
        line = str(desk.query_one("#review-line", Label).render())
        total = int(re.match(r"共 (\d+) 家", line)[1])  # type: ignore[index]
        assert sum(counts) == total == len(seeded)
        overdue = sum(r.overdue for r in desk.rows)
        assert overdue == 4, "the desk's 逾期措施 are measures"


async def test_measures_count_and_year_view_add_up(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    awkward_rows(store, seeded)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeasuresScreen)
        line = str(screen.query_one("#measure-count", Label).render())
        listed, overdue = map(int, re.match(r"共 (\d+) 条，逾期 (\d+) 条", line).groups())  # type: ignore[union-attr]
        assert listed == len(screen.rows) == 6
        assert overdue == sum(r.shown == "逾期" for r in screen.rows) == 4
        assert "另有 2 行待补" in line
        await pilot.press("y")
        await pilot.pause()
        grids = virtual_grids(screen)
        assert [g.name for g in grids] == ["year-table"]
        for grid in grids:
            assert_adds_up(grid)
        assert grids[0].rows[-1][1][-1] == listed, "the year view counts the same measures"
