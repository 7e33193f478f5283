"""The same indicator across campaigns, and how many lagging rows caught up."""

from __future__ import annotations

import dataclasses

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.domain.campaigns import CampaignInput
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.screens.progress_dialog import ProgressDialog
from duibiao_tui.store.store import Store
from duibiao_tui.widgets.virtual_table import VirtualTable

NAME = "镇江市长江电器设备厂"


def lagging(indicator: str) -> ItemInput:
    return ItemInput(
        aspect="设备",
        indicator=indicator,
        benchmark_level="85%",
        result_text="62%",
        verdict="落后",
        measures="引进数控设备",
        due_text="2010年底",
    )


def next_year(store: Store) -> tuple[str, str]:
    first = store.active_campaign().id
    second = store.add_campaign(
        CampaignInput(name="2010年质量标杆对比活动", deadline="2010-10-20")
    ).id
    return first, second


def test_carried_rows_and_retyped_rows_form_one_history(
    store: Store, seeded: dict[str, str]
) -> None:
    eid = seeded[NAME]
    carried = store.add_item(eid, lagging("数控化率"))
    retyped = store.add_item(eid, lagging("一次交验合格率"))
    first, second = next_year(store)
    assert store.carry_over_measures(first, second, [eid]) == 2
    store.set_active_campaign(second)
    rows = {i.indicator: i for i in store.items_for(eid)}
    store.update_item(
        rows["数控化率"].id,
        dataclasses.replace(rows["数控化率"].to_input(), result_text="86%", verdict="领先"),
    )
    store.remove_item(rows["一次交验合格率"].id)  # removed, then typed again by hand
    again = store.add_item(eid, dataclasses.replace(lagging("一次交验合格率"), verdict="持平"))
    history = store.indicator_history(rows["数控化率"].id)
    assert [(h.year, h.result_text, h.verdict) for h in history] == [
        (2009, "62%", "落后"),
        (2010, "86%", "领先"),
    ]
    assert [h.verdict for h in store.indicator_history(again.id)] == ["落后", "持平"]
    assert [h.item_id for h in store.indicator_history(carried.id)][0] == carried.id
    assert retyped.id in {h.item_id for h in store.indicator_history(again.id)}
    progress = store.verdict_progress(second)
    assert progress == {"carried": 1, "behind_before": 1, "improved": 1}


async def test_page_shows_the_history_on_t(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    from tests.functional.test_item_editor_keys import SIZE, open_page

    eid = seeded[NAME]
    store.add_item(eid, lagging("数控化率"))
    first, second = next_year(store)
    store.carry_over_measures(first, second)
    store.set_active_campaign(second)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, eid)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, ProgressDialog)
        table = app.screen.query_one(VirtualTable)
        assert table.row_count == 2
        await pilot.press("escape")


def test_dashboard_counts_rows_that_caught_up(store: Store, seeded: dict[str, str]) -> None:
    from duibiao_tui.screens.dashboard import summary_line

    eid = seeded[NAME]
    store.add_item(eid, lagging("数控化率"))
    store.add_item(eid, lagging("返修率"))
    first, second = next_year(store)
    store.carry_over_measures(first, second)
    store.set_active_campaign(second)
    item = next(i for i in store.items_for(eid) if i.indicator == "数控化率")
    store.update_item(item.id, dataclasses.replace(item.to_input(), verdict="持平"))
    figures = store.dashboard()
    assert figures.progress == {"carried": 2, "behind_before": 2, "improved": 1}
    assert "上年结转2行：落后2行中1行已持平或领先" in summary_line(figures)


def test_carry_all_rows_starts_next_years_form(store: Store, seeded: dict[str, str]) -> None:
    eid = seeded[NAME]
    store.add_item(eid, lagging("数控化率"))
    done = store.add_item(eid, lagging("返修率"))
    from datetime import date

    from duibiao_tui.domain.measures import validate_measure_update

    store.set_measure_state(done.id, validate_measure_update("已完成", today=date(2009, 10, 8)))
    store.add_item(eid, ItemInput(aspect="性能", indicator="无措施行", verdict="领先"))
    first, second = next_year(store)
    assert store.carry_over_count(first, second) == 1
    assert store.carry_over_count(first, second, all_rows=True) == 3
    assert store.carry_over_measures(first, second, all_rows=True) == 3
    assert store.carry_over_count(first, second, all_rows=True) == 0
    rows = store.items_for(eid, second)
    assert [r.seq for r in rows] == [1, 2, 3]
    assert all(r.carried_over_from for r in rows)
