"""Under a 辖市区 filter (the officer's default district), a search for another district's
enterprise says how many matches the filter hides and how to show them — on the list (F3)
and the review desk (F4); and every desk (F3, F4, F5) opens on the default district."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import Label, Select

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.widgets.virtual_table import VirtualTable
from tests.helpers import SIZE, screen_ready, type_text


@pytest.fixture
def on_jingkou(app: DuibiaoApp, districts: dict[str, str]) -> DuibiaoApp:
    app.config = replace(app.config, default_district_id=districts["京口区"])
    return app


async def test_list_says_the_district_hides_the_match(
    on_jingkou: DuibiaoApp, seeded: dict[str, str]
) -> None:
    app = on_jingkou
    async with app.run_test(size=SIZE) as pilot:
        await screen_ready(pilot)
        screen = app.screen
        table = screen.query_one(VirtualTable)
        await type_text(pilot, "hsc")  # 江苏恒顺醋业 (丹徒区)
        await pilot.pause()
        assert table.row_count == 0
        assert table.placeholder == (
            "（京口区没有符合的企业；另有 1 家在其他辖市区，Ctrl+F 选「全部辖市区」）"
        )
        for _ in range(3):
            await pilot.press("backspace")
        await type_text(pilot, "镇江市")  # one in 京口区, one in 润州区
        await pilot.pause()
        assert table.row_count == 1
        status = str(screen.query_one("#list-status", Label).render())
        assert "另有 1 家在其他辖市区（Ctrl+F 筛选）" in status


async def test_review_desk_says_the_district_hides_the_match(
    on_jingkou: DuibiaoApp, seeded: dict[str, str]
) -> None:
    app = on_jingkou
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        desk = app.screen
        await pilot.press("slash")
        await type_text(pilot, "hsc")
        await pilot.pause()
        table = desk.query_one(VirtualTable)
        assert table.row_count == 0
        assert "另有 1 家在其他辖市区，Tab 选「全部辖市区」" in table.placeholder


@pytest.mark.parametrize("key", ["f3", "f4", "f5"])
async def test_every_desk_opens_on_the_default_district(
    on_jingkou: DuibiaoApp, seeded: dict[str, str], districts: dict[str, str], key: str
) -> None:
    app = on_jingkou
    async with app.run_test(size=SIZE) as pilot:
        await screen_ready(pilot)
        await pilot.press(key)
        await screen_ready(pilot)
        selects = [s for s in app.screen.query(Select) if "district" in (s.id or "")]
        assert [s.value for s in selects] == [districts["京口区"]]
